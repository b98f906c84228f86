"""What an access to a case tells whom (access/events.py), keyed by the audit row of the step.

- A grant: the grantee learns which case they may now read (the link opens it); a revocation
  tells them it ended (no link: the case is closed to them again).
- The glass broken: the case's commune officer and chair at once, with the case page, where the
  access shows in "who can see this case". The provincial officers find it in their review queue.
- Reviewed as not justified: the heads of the user's agency (for a provincial officer, the other
  provincial officers of their province) — no link: they do not read the case.
"""

from access.events import AccessGranted, AccessRevoked, GlassBroken, GlassReviewed
from access.models import CaseAccess
from core.events import subscribe
from core.models import Role, RoleMembership, User
from core.staff import staff_of_unit
from notifications.outbox import notify
from notifications.subscribers import case_page


def params_of(access: CaseAccess, actor: User) -> dict[str, str]:
    return {
        "code": access.case.code,
        "actor": actor.get_full_name() or actor.get_username(),
        "user": access.user.get_full_name() or access.user.get_username(),
        "until": access.ends_at.isoformat(),
    }


def on_access_granted(event: AccessGranted) -> None:
    access = event.access
    notify(
        key=f"access:{event.audit_id}",
        recipients=[access.user],
        event="access_granted",
        params=params_of(access, event.actor),
        link=case_page(access.case),
        topic=f"case:{access.case_id}",
    )


def on_access_revoked(event: AccessRevoked) -> None:
    access = event.access
    notify(
        key=f"access:{event.audit_id}",
        recipients=[access.user],
        event="access_revoked",
        params=params_of(access, event.actor),
    )


def on_glass_broken(event: GlassBroken) -> None:
    access = event.access
    commune = [
        user
        for user in staff_of_unit(access.case.unit_path, Role.COMMUNE_OFFICER, Role.COMMUNE_CHAIR)
        if user.pk != event.actor.pk
    ]
    notify(
        key=f"access:{event.audit_id}",
        recipients=commune,
        event="glass_broken",
        params=params_of(access, event.actor) | {"reason": access.reason},
        link=case_page(access.case, "access"),
        topic=f"case:{access.case_id}",
    )


def heads_of(access: CaseAccess) -> list[User]:
    """Who answers for the user: their agency's heads, or their province's officers."""
    if access.agency_id is not None:
        return list(
            User.objects.filter(
                is_active=True,
                memberships__role=Role.AGENCY_HEAD,
                memberships__agency_id=access.agency_id,
            ).distinct()
        )
    provinces = RoleMembership.objects.filter(
        user=access.user, role=Role.PROVINCIAL_OFFICER
    ).values_list("unit__path", flat=True)
    return [user for path in provinces for user in staff_of_unit(path, Role.PROVINCIAL_OFFICER)]


def on_glass_reviewed(event: GlassReviewed) -> None:
    access = event.access
    if access.review != CaseAccess.Review.UNJUSTIFIED:
        return
    notify(
        key=f"access:{event.audit_id}",
        recipients=[u for u in heads_of(access) if u.pk not in (access.user_id, event.actor.pk)],
        event="glass_unjustified",
        params=params_of(access, event.actor) | {"comment": access.review_comment},
    )


def register() -> None:
    subscribe(AccessGranted, on_access_granted)
    subscribe(AccessRevoked, on_access_revoked)
    subscribe(GlassBroken, on_glass_broken)
    subscribe(GlassReviewed, on_glass_reviewed)
