"""Clock kinds are registered once by their apps; the notifications read them without knowing
the apps (no model imports, no kind-by-kind branches)."""

import ast
import datetime
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from cases import clocks as case_clocks
from cases.choices import Service
from core.clocks import ClockKind, Span, clock_label, register_clock_kind, registered_kind
from core.models import Clock
from inspections import clocks as inspection_clocks
from notifications import texts
from notifications.deadlines import deadline_of
from referrals import clocks as referral_clocks
from tests.cases.test_services_workflow import record

NOTIFICATIONS = Path(__file__).resolve().parents[2] / "notifications"
APPS_WITH_CLOCKS = {"cases", "referrals", "inspections"}


def test_every_kind_the_apps_start_is_registered_with_its_label():
    kinds = [
        case_clocks.INITIAL_ASSESSMENT,
        case_clocks.PLAN_SUBMISSION,
        case_clocks.PLAN_DECISION,
        case_clocks.REVIEW,
        inspection_clocks.RECOMMENDATION,
        *(referral_clocks.accept_kind(service) for service in Service),
        *(referral_clocks.complete_kind(service) for service in Service),
    ]
    assert all(registered_kind(kind) is not None for kind in kinds)
    assert clock_label(case_clocks.REVIEW) == "Review of the intervention (30 days)"
    assert clock_label("no_such_kind") == "no_such_kind"


def test_a_referral_deadline_reads_in_the_recipients_language():
    params = {"code": "X", "deadline": referral_clocks.accept_kind("police_report"), "due": "1"}
    english = texts.render("clock_reminder", params, "en")
    vietnamese = texts.render("clock_reminder", params, "vi")
    assert "Referral accepted: " in english
    assert "Tiếp nhận chuyển gửi: " in vietnamese


def test_registering_the_same_kind_again_is_harmless_and_a_different_one_is_refused():
    case_clocks.register()  # ready() run twice
    known = registered_kind(case_clocks.REVIEW)
    assert known is not None
    with pytest.raises(ImproperlyConfigured):
        register_clock_kind(
            ClockKind(
                kind=case_clocks.REVIEW,
                label="Another review",
                span=Span(days=1),
                model=known.model,
                owners=known.owners,
                code=known.code,
                link=known.link,
            )
        )
    assert registered_kind(case_clocks.REVIEW) == known


def test_a_case_deadline_names_the_case_and_its_owners(demo):
    case = record(demo["officer_a"], received_at=timezone.now() - datetime.timedelta(hours=1))
    clock = Clock.objects.for_object(case).get(kind=case_clocks.INITIAL_ASSESSMENT)
    deadline = deadline_of(clock)
    assert deadline is not None
    assert (deadline.code(), deadline.link()) == (case.code, f"/cases/{case.pk}/")
    assert [user.username for user in deadline.owners()] == ["officer_a"]


def imported_modules(tree: ast.AST) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            found.add(node.module or "")
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_the_clock_sweep_knows_no_app_that_starts_clocks():
    """What differs between kinds is registered by their apps, not branched on here."""
    for name in ("deadlines.py", "escalation.py", "sweeps.py"):
        tree = ast.parse((NOTIFICATIONS / name).read_text(encoding="utf-8"))
        apps = {m for m in imported_modules(tree) if m.split(".")[0] in APPS_WITH_CLOCKS}
        assert not apps, f"notifications/{name} imports {apps}"
        calls = {getattr(n.func, "id", "") for n in ast.walk(tree) if isinstance(n, ast.Call)}
        assert "isinstance" not in calls, f"notifications/{name} branches on the record's type"
