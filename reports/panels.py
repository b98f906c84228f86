"""The manager's home: the year's key figures of the province, read in one query, with the way
to the full reports. Outside the case-handling roles small counts are hidden, as in every report
(reports/suppression.py)."""

import datetime

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from core import deadlines
from core.models import Role
from core.navigation import Panel
from core.scope import Scope, under_paths
from core.typing import AuthenticatedHttpRequest
from reports.suppression import shown_cell, small_counts

FIGURES = {
    "received": _("Reports received"),
    "children": _("Children concerned"),
    "open": _("Cases still open"),
    "overdue": _("Cases with a deadline passed"),
    "closed": _("Cases closed"),
}


def key_figures(scope: Scope, year: int) -> dict[str, int]:
    start = timezone.make_aware(datetime.datetime(year, 1, 1))
    end = timezone.make_aware(datetime.datetime(year + 1, 1, 1))
    paths = scope.unit_paths(Role.MANAGER)
    cases = Case.objects.filter(
        under_paths("unit_path", paths, province_field="province_path"),
        received_at__gte=start,
        received_at__lt=end,
    )
    late_keys = deadlines.late_keys(Case, paths, timezone.now())
    return cases.aggregate(
        received=Count("pk"),
        children=Count("child", distinct=True),
        open=Count("pk", filter=~Q(status="closed")),
        # Every case counted is under `paths`: the late ones are those `late_keys` names, a set
        # each row is looked up in.
        overdue=Count("pk", filter=Q(pk__in=late_keys) & ~Q(status="closed")),
        closed=Count("pk", filter=Q(status="closed")),
    )


def figures_panel(request: AuthenticatedHttpRequest, scope: Scope) -> Panel | None:
    if not scope.has_role(Role.MANAGER):
        return None
    year = timezone.localdate().year
    values = key_figures(scope, year)
    small = small_counts()
    figures = [
        (key, label, shown_cell(values[key], values[key] in small).display)
        for key, label in FIGURES.items()
    ]
    context = {"year": year, "figures": figures, "reports": reverse("reports:dashboard")}
    return Panel("reports/panels/figures.html", context, order=20)
