"""On the case page: who can see this case and why (for the commune's officer and chair, with
the form that lets someone in), and the banner of an emergency access."""

from collections.abc import Mapping

from django.forms import BaseForm
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from access.forms import GrantForm
from access.models import CaseAccess
from access.rules import break_glass_on
from access.selectors import grant_candidates
from cases.models import Case
from cases.sections import SECTION_LABELS
from cases.services import may_act_on
from cases.visibility import who_can_see
from core import policy
from core.models import User
from core.navigation import Panel
from core.roles import COMMUNE_STAFF
from core.typing import AuthenticatedHttpRequest


def grant_form(case: Case, data: Mapping | None = None) -> GrantForm:
    return GrantForm(
        data, candidates=grant_candidates(case), days=policy.grant_days(), prefix="grant"
    )


def may_grant(user: User, case: Case) -> bool:
    """The commune's officer and chair; only while the case is open, which the grant page and
    the service check too."""
    return any(may_act_on(user, case, role) for role in COMMUNE_STAFF)


def access_section(
    request: AuthenticatedHttpRequest, case: Case, bound: Mapping[str, BaseForm]
) -> Panel | None:
    if not may_grant(request.user, case):
        return None
    rows = [
        {
            "access": access,
            "sections": [str(SECTION_LABELS[name]) for name in sorted(access.sections)],
            "revocable": isinstance(access.record, CaseAccess) and case.is_open,
        }
        for access in who_can_see(case)
    ]
    context = {"case": case, "rows": rows, "offer_grant": case.is_open}
    return Panel("access/case_section.html", context, order=95)


def emergency_banner(request: AuthenticatedHttpRequest, case: Case) -> str | None:
    access = break_glass_on(request.user, case)
    if access is None:
        return None
    until = formats.date_format(timezone.localtime(access.ends_at), "SHORT_DATETIME_FORMAT")
    return _(
        "Emergency access (%(reason)s) until %(until)s. The commune has been told, and the "
        "province reviews every emergency access."
    ) % {"reason": access.get_reason_display(), "until": until}
