"""What services may need to know about the request that caused them, without taking it."""

from contextvars import ContextVar

client_ip: ContextVar[str | None] = ContextVar("client_ip", default=None)
