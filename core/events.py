"""Domain events: typed, published by services inside their transaction.

An event is a frozen dataclass that subclasses `Event`; its fields are its whole contract. Apps
built on core subscribe to event types without the publishers knowing them: the notifications app
turns events into outbox rows written in the same transaction, so an event and its notifications
commit together or not at all.

Every event type is either handled by a subscriber or declared `silent` (a history-only fact such
as a note added): a test walks every subclass of `Event` and fails on one that is neither, so a
new event cannot be forgotten on the way to the people who should hear of it.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

E = TypeVar("E", bound="Event")


@dataclass(frozen=True, kw_only=True)
class Event:
    # True for events nobody needs to be told about: they stay in the history and the audit.
    silent: ClassVar[bool] = False


Handler = Callable[[Any], None]
_handlers: dict[type[Event], list[Handler]] = defaultdict(list)


def subscribe(event_type: type[E], handler: Callable[[E], None]) -> None:
    """Call `handler(event)` whenever an event of this type (or a subclass) is published."""
    if handler not in _handlers[event_type]:
        _handlers[event_type].append(handler)


def handlers_of(event_type: type[Event]) -> list[Handler]:
    """The handlers of this type and of the types it extends, the most specific first."""
    types = [t for t in event_type.__mro__ if issubclass(t, Event)]
    return [handler for t in types for handler in _handlers.get(t, [])]


def publish(event: Event) -> None:
    for handler in handlers_of(type(event)):
        handler(event)


def all_event_types() -> list[type[Event]]:
    """Every event type that is published: the leaves of the tree under `Event` (a type with
    subtypes only gathers their common fields), as imported by the time the apps are ready."""
    leaves: list[type[Event]] = []
    pending = list(Event.__subclasses__())
    while pending:
        event_type = pending.pop()
        children = event_type.__subclasses__()
        pending.extend(children)
        if not children:
            leaves.append(event_type)
    return sorted(leaves, key=lambda t: f"{t.__module__}.{t.__qualname__}")


def unheard_event_types() -> list[type[Event]]:
    """Event types that no subscriber handles and that are not declared silent."""
    return [t for t in all_event_types() if not t.silent and not handlers_of(t)]
