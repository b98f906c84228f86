"""Grants and break-the-glass as one access rule (cases/visibility.py), read from guardian's rows.

A user sees a case through this rule while a `cases.view_case` row of theirs on that case has not
expired; the rows of an access that is revoked or whose case closed are gone. The sections and
the reason come from the access the row belongs to.
"""

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from access.models import CaseAccess, CaseUserObjectPermission
from cases.models import Case
from cases.visibility import Access, CaseByCaseRule, Reach
from core.models import User
from core.scope import Scope

VIEW, ADD_NOTE = "view_case", "add_casenote"


def live_permissions(codename: str) -> QuerySet[CaseUserObjectPermission]:
    return CaseUserObjectPermission.objects.filter(
        permission__content_type__app_label="cases",
        permission__codename=codename,
        expires_at__gt=timezone.now(),
    )


def live_accesses() -> QuerySet[CaseAccess]:
    """The accesses whose permission to read still holds."""
    return CaseAccess.objects.filter(
        Exists(live_permissions(VIEW).filter(access=OuterRef("pk")))
    ).select_related("user", "case")


def detail(access: CaseAccess) -> str:
    reason = access.get_reason_display() if access.reason else ""
    return " · ".join(part for part in (reason, access.explanation) if part)


class GrantRule(CaseByCaseRule):
    listed = False

    def cases(self, user: User, scope: Scope) -> Q | None:
        if not user.is_authenticated:
            return None
        return Q(Exists(live_permissions(VIEW).filter(user=user, content_object=OuterRef("pk"))))

    def sections(self, user: User, scope: Scope, case: Case) -> frozenset[str]:
        rows = live_accesses().filter(case=case, user=user).values_list("sections", flat=True)
        return frozenset(section for sections in rows for section in sections)

    def holders(self, case: Case) -> Iterable[Access]:
        for access in live_accesses().filter(case=case, user__is_active=True):
            yield Access(
                user=access.user,
                rule=access.get_kind_display(),
                detail=detail(access),
                sections=frozenset(access.sections),
                since=access.starts_at,
                until=access.ends_at,
                record=access,
            )

    def reached(self, user: User, scope: Scope) -> QuerySet[CaseAccess]:
        return live_accesses().filter(user=user)

    def reach_by(self, record: CaseAccess) -> Reach:
        return Reach(
            rule=record.get_kind_display(),
            detail=detail(record),
            sections=frozenset(record.sections),
            case_id=record.case_id,
            since=record.starts_at,
            until=record.ends_at,
            record=record,
            case_code=record.case.code,
        )

    def may_add_notes(self, user: User, case: Case) -> bool:
        return live_permissions(ADD_NOTE).filter(user=user, content_object=case).exists()


def break_glass_on(user: User, case: Case) -> CaseAccess | None:
    """The user's live emergency access to this case, for the banner on its pages."""
    return (
        live_accesses()
        .filter(case=case, user=user, kind=CaseAccess.Kind.BREAK_GLASS)
        .order_by("-ends_at")
        .first()
    )
