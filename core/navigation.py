"""The navigation and home-page panels, contributed by each app for the roles it serves.

Core cannot import the apps built on it, so they register here from their AppConfig.ready().
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from core.scope import Scope
from core.typing import AuthenticatedHttpRequest, StrOrPromise


@dataclass(frozen=True)
class NavItem:
    label: StrOrPromise
    url_name: str
    roles: frozenset[str]
    order: int = 100


@dataclass
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100


# A builder may ask for a plain HttpRequest; the home page hands it a signed-in one.
PanelBuilder = Callable[[AuthenticatedHttpRequest, Scope], Panel | None]

_nav_items: list[NavItem] = []
_panel_builders: list[PanelBuilder] = []


def register_nav(item: NavItem) -> None:
    if item not in _nav_items:
        _nav_items.append(item)


def register_panel(builder: PanelBuilder) -> PanelBuilder:
    if builder not in _panel_builders:
        _panel_builders.append(builder)
    return builder


def nav_items_for(scope: Scope) -> list[NavItem]:
    return sorted((i for i in _nav_items if scope.roles & i.roles), key=lambda i: i.order)


def panels_for(request: AuthenticatedHttpRequest, scope: Scope) -> list[Panel]:
    panels = [p for builder in _panel_builders if (p := builder(request, scope)) is not None]
    return sorted(panels, key=lambda p: p.order)
