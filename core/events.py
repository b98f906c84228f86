"""Domain events, published by services inside their transaction.

Apps built on core subscribe without the publishers knowing them: the notifications app turns
events into outbox rows written in the same transaction, so an event and its notifications
commit together or not at all.
"""

from collections import defaultdict
from collections.abc import Callable
from typing import Any

Handler = Callable[..., None]
_handlers: dict[str, list[Handler]] = defaultdict(list)


def subscribe(event: str, handler: Handler) -> None:
    """Call `handler(event, **payload)` whenever `event` is published ("*" for every event)."""
    if handler not in _handlers[event]:
        _handlers[event].append(handler)


def publish(event: str, **payload: Any) -> None:
    for handler in (*_handlers[event], *_handlers["*"]):
        handler(event, **payload)
