"""Granting, revoking, breaking the glass and reviewing it (DOMAIN §3, docs/access.md).

Each writes the access record and its guardian rows together, records the step in the case's
history and the audit trail, and publishes an event the notifications app turns into notices,
all in one transaction.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from access.events import AccessGranted, AccessRevoked, GlassBroken, GlassReviewed
from access.models import CaseAccess, CaseUserObjectPermission
from access.rules import ADD_NOTE, VIEW, GrantRule
from access.selectors import grant_candidates
from cases import sections as S
from cases.choices import Service
from cases.events import CaseStepTaken
from cases.history import record_event
from cases.models import Case, Status
from cases.selectors import cases_visible_to
from cases.services import may_act_on, visible_case
from cases.visibility import case_visibility, sections_for
from core import policy
from core.audit import audit
from core.errors import Forbidden, InvalidTransition, NotFound, TooManyAttempts
from core.events import publish
from core.models import Agency, Role, RoleMembership, User
from core.roles import AGENCY_WORKERS, COMMUNE_STAFF
from core.scope import scope_for
from core.staff import province_of
from core.text import fold
from referrals.access import SECTIONS_BY_SERVICE

# The reporter stays the commune's (Decree 56 Art. 8): no grant opens it.
GRANTABLE_SECTIONS = S.ALL_SECTIONS - {S.REPORTER}

# Who may break the glass, and what they then read: the agencies that meet a child in an
# emergency read what their service needs; a provincial officer of another province reads
# what it takes to protect a child who turned up there.
GLASS_AGENCY_KINDS: dict[str, frozenset[str]] = {
    "police": SECTIONS_BY_SERVICE[Service.POLICE_REPORT],
    "health_facility": SECTIONS_BY_SERVICE[Service.MEDICAL_CARE],
    "forensic_medicine": SECTIONS_BY_SERVICE[Service.FORENSIC_EXAM],
}
PROVINCIAL_GLASS_SECTIONS = frozenset({S.CHILD, S.CARERS, S.CONCERN, S.ASSESSMENTS, S.PLAN})
NOT_ELIGIBLE = _(
    "Only the police, health facilities, forensic medicine and provincial officers may open a "
    "case in an emergency."
)


@dataclass(frozen=True)
class Glass:
    """What breaking the glass gives this user: for which agency, which sections, and where a
    child is looked for by name (a province's path; None: by code only, anywhere)."""

    agency: Agency | None
    sections: frozenset[str]
    province_path: str | None


def glass_for(user: User) -> Glass | None:
    memberships = (
        RoleMembership.objects.filter(
            user=user, role__in=AGENCY_WORKERS, agency__is_active=True, user__is_active=True
        )
        .select_related("agency__jurisdiction")
        .prefetch_related("agency__kinds")
        .order_by("pk")
    )
    for membership in memberships:
        agency = membership.agency
        assert agency is not None  # agency roles are bound to an agency
        kinds = {kind.code for kind in agency.kinds.all()}
        sections = frozenset().union(
            *(granted for kind, granted in GLASS_AGENCY_KINDS.items() if kind in kinds)
        )
        if sections:
            return Glass(agency, sections, province_of(agency.jurisdiction.path))
    if scope_for(user).has_role(Role.PROVINCIAL_OFFICER):
        # A child from another province turned up in theirs: looked for in the whole country
        # (their own province's cases they already see).
        return Glass(None, PROVINCIAL_GLASS_SECTIONS, None)
    return None


def permission(codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label="cases", codename=codename)


def open_access(access: CaseAccess) -> None:
    """guardian's rows for the access: to read, and to add notes if it says so."""
    codenames = [VIEW, ADD_NOTE] if access.may_add_notes else [VIEW]
    CaseUserObjectPermission.objects.bulk_create(
        CaseUserObjectPermission(
            user=access.user,
            permission=permission(codename),
            content_object=access.case,
            access=access,
            expires_at=access.ends_at,
        )
        for codename in codenames
    )


def close_accesses(accesses: QuerySet[CaseAccess], *, by: User | None, reason: str) -> int:
    """End these accesses now; their permission rows go with them."""
    now = timezone.now()
    ids = list(
        accesses.filter(revoked_at__isnull=True, ends_at__gt=now).values_list("pk", flat=True)
    )
    CaseUserObjectPermission.objects.filter(access_id__in=ids).delete()
    return CaseAccess.objects.filter(pk__in=ids).update(
        revoked_at=now, revoked_by=by, end_reason=reason
    )


def sees_otherwise(user: User, case: Case) -> bool:
    """Whether a rule other than a grant lets `user` see `case` (then no grant is needed)."""
    others = case_visibility(user, scope_for(user), without=GrantRule)
    return Case.objects.filter(others, pk=case.pk).exists()


# --- Grants by the commune -----------------------------------------------------------------------


def grant_access(
    *,
    actor: User,
    case_id: int,
    user_id: int | None,
    sections: list[str],
    may_add_notes: bool,
    days: int | None,
    explanation: str,
) -> CaseAccess:
    """The commune's officer or chair lets a user outside the case's scope read it (and add
    notes) for a while. A new grant to the same user replaces the one they hold."""
    usual_days, max_days = policy.grant_days()
    days = usual_days if days is None else days
    with transaction.atomic():
        case = visible_case(actor=actor, case_id=case_id)
        # Judged as locked: a transfer accepted meanwhile moved the case to another commune.
        case = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
        if not any(may_act_on(actor, case, role) for role in COMMUNE_STAFF):
            raise Forbidden(_("Only the commune's officer or chair may let someone into a case."))
        if not case.is_open:
            raise InvalidTransition(_("The case is closed: nobody can be let in any more."))
        errors: dict[str, list[str]] = {}
        grantee = User.objects.filter(pk=user_id, is_active=True).first() if user_id else None
        if grantee is None:
            errors["user"] = [_("Choose an active user.")]
        elif grantee.pk == actor.pk:
            errors["user"] = [_("You already see this case.")]
        elif sees_otherwise(grantee, case):
            errors["user"] = [
                _("This user already sees the case through their role or a referral.")
            ]
        elif not grant_candidates(case).filter(pk=grantee.pk).exists():
            # The same people the grant page offers: the API must not reach further.
            errors["user"] = [
                _(
                    "Only someone who works with children's cases in the case's province (a "
                    "case or agency role) can be let in."
                )
            ]
        chosen = set(sections)
        if not chosen:
            errors["sections"] = [_("Choose at least one part of the case.")]
        elif not chosen <= GRANTABLE_SECTIONS:
            errors["sections"] = [
                _("These parts cannot be shared: %s")
                % ", ".join(sorted(chosen - GRANTABLE_SECTIONS))
            ]
        if not 1 <= days <= max_days:
            errors["days"] = [_("Between 1 and %(max)d days.") % {"max": max_days}]
        if not explanation.strip():
            errors["explanation"] = [_("Say why this person needs the case.")]
        if errors:
            raise ValidationError(errors)
        assert grantee is not None
        close_accesses(
            CaseAccess.objects.filter(case=case, user=grantee, kind=CaseAccess.Kind.GRANT),
            by=actor,
            reason="replaced",
        )
        now = timezone.now()
        access = CaseAccess.objects.create(
            case=case,
            user=grantee,
            kind=CaseAccess.Kind.GRANT,
            sections=sorted(chosen),
            may_add_notes=may_add_notes,
            explanation=explanation.strip(),
            granted_by=actor,
            starts_at=now,
            ends_at=now + datetime.timedelta(days=days),
        )
        open_access(access)
        details = {
            "access": access.pk,
            "user": grantee.pk,
            "sections": access.sections,
            "days": days,
        }
        record_event(case=case, actor=actor, action="access_granted", details=details)
        row = audit(actor=actor, action="access.grant", target=access, details=details)
        publish(AccessGranted(access=access, actor=actor, audit_id=row.pk))
    return access


def revoke_access(*, actor: User, access_id: int) -> CaseAccess:
    """The commune's officer or chair ends an access to its case before its time."""
    with transaction.atomic():
        visible = CaseAccess.objects.filter(pk=access_id, case__in=cases_visible_to(actor))
        case_id = visible.values_list("case_id", flat=True).first()
        if case_id is None:
            raise NotFound()
        # The case first, then its access, as a grant and a closing step lock them: in the other
        # order a revocation and a grant waited for each other, and PostgreSQL killed one.
        Case.objects.select_for_update(of=("self",)).get(pk=case_id)
        access = visible.select_for_update(of=("self",)).select_related("case", "user").first()
        if access is None:
            raise NotFound()
        if not any(may_act_on(actor, access.case, role) for role in COMMUNE_STAFF):
            raise Forbidden(_("Only the commune's officer or chair may end an access."))
        if not access.is_live():
            raise InvalidTransition(_("This access has already ended."))
        close_accesses(CaseAccess.objects.filter(pk=access.pk), by=actor, reason="revoked")
        access.refresh_from_db()
        details = {"access": access.pk, "user": access.user_id}
        record_event(case=access.case, actor=actor, action="access_revoked", details=details)
        row = audit(actor=actor, action="access.revoke", target=access, details=details)
        publish(AccessRevoked(access=access, actor=actor, audit_id=row.pk))
    return access


def on_case_step(event: CaseStepTaken) -> None:
    """A closed case lets nobody in any more: its grants and emergency accesses end with it, in
    the transaction that closes it."""
    if event.case.status == Status.CLOSED:
        close_accesses(CaseAccess.objects.filter(case=event.case), by=None, reason="case_closed")


# --- Break-the-glass -----------------------------------------------------------------------------


def search_count_key(user_id: int) -> str:
    return f"break-glass:{user_id}"


def count_search(user: User) -> None:
    """At most CHECHO_BREAK_GLASS_SEARCHES searches per window, found or not: the search must not
    be a way to try names until one matches."""
    cache = caches["throttle"]
    key = search_count_key(user.pk)
    cache.add(key, 0, timeout=settings.CHECHO_BREAK_GLASS_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=settings.CHECHO_BREAK_GLASS_WINDOW)
        count = 1
    if count > settings.CHECHO_BREAK_GLASS_SEARCHES:
        raise TooManyAttempts(
            _("Too many searches for a case. Try again later or call the commune's officer.")
        )


def matching_cases(
    glass: Glass, *, code: str, full_name: str, date_of_birth: datetime.date | None
) -> QuerySet[Case]:
    """Open cases whose code, or whose child's full name and date of birth, match exactly."""
    cases = Case.objects.exclude(status=Status.CLOSED)
    if code:
        return cases.filter(code=code.strip().upper())
    name = " ".join(full_name.split())
    cases = cases.filter(child__search_name=fold(name), child__date_of_birth=date_of_birth)
    if glass.province_path is not None:
        cases = cases.filter(unit_path__startswith=glass.province_path)
    # The folded name finds the candidates by its index; the name as written, letter case
    # aside, decides (the database's own case folding is ASCII-only on SQLite).
    exact = [
        pk
        for pk, written in cases.values_list("pk", "child__full_name")[:20]
        if " ".join(written.split()).casefold() == name.casefold()
    ]
    return Case.objects.filter(pk__in=exact)


def break_glass(
    *,
    actor: User,
    code: str = "",
    full_name: str = "",
    date_of_birth: datetime.date | None = None,
    reason: str,
    explanation: str,
) -> list[Case]:
    """Open the case these exact identifiers name, for a day, stating why. Returns the cases
    opened (a child may have more than one open case); none matching is a plain "not found"."""
    glass = glass_for(actor)
    if glass is None:
        raise Forbidden(NOT_ELIGIBLE)
    errors: dict[str, list[str]] = {}
    if reason not in CaseAccess.Reason.values:
        errors["reason"] = [_("Choose the reason.")]
    if not explanation.strip():
        errors["explanation"] = [_("Say what is happening.")]
    if not code.strip() and not (full_name.strip() and date_of_birth):
        errors["code"] = [_("Give the case's code, or the child's full name and date of birth.")]
    if errors:
        raise ValidationError(errors)
    count_search(actor)
    matches = list(
        matching_cases(glass, code=code, full_name=full_name, date_of_birth=date_of_birth).order_by(
            "-received_at"
        )[:5]
    )
    audit(
        actor=actor,
        action="access.break_glass_search",
        details={"by": "code" if code.strip() else "name", "found": len(matches)},
    )
    if not matches:
        raise NotFound(_("No open case matches these exact identifiers."))
    hours = policy.break_glass_hours()
    opened = []
    with transaction.atomic():
        # Locked: the same user breaking the glass twice at once opens it once, and a case closed
        # since it was found (which ended every access to it) is not opened again. All of them
        # at once, in the order of their ids, before the first audit row takes the audit chain's
        # lock: a step on one of them holds its case and then waits for the chain.
        locked = Case.objects.select_for_update(of=("self",)).filter(
            pk__in=[match.pk for match in matches]
        )
        by_id = {case.pk: case for case in locked.order_by("pk")}
        for match in matches:
            case = by_id[match.pk]
            if not case.is_open:
                continue
            opened.append(case)
            if sections_for(actor, case) >= glass.sections:
                continue  # already sees what the glass would open
            now = timezone.now()
            access = CaseAccess.objects.create(
                case=case,
                user=actor,
                kind=CaseAccess.Kind.BREAK_GLASS,
                sections=sorted(glass.sections),
                reason=reason,
                explanation=explanation.strip(),
                agency=glass.agency,
                granted_by=actor,
                starts_at=now,
                ends_at=now + datetime.timedelta(hours=hours),
                review=CaseAccess.Review.PENDING,
            )
            open_access(access)
            details = {"access": access.pk, "reason": reason, "hours": hours}
            record_event(case=case, actor=actor, action="break_glass", details=details)
            row = audit(actor=actor, action="access.break_glass", target=access, details=details)
            publish(GlassBroken(access=access, actor=actor, audit_id=row.pk))
    if not opened:
        raise NotFound(_("No open case matches these exact identifiers."))
    return opened


def accesses_to_review(user: User) -> QuerySet[CaseAccess]:
    """The emergency accesses to the cases of a provincial officer's province awaiting review."""
    scope = scope_for(user)
    return (
        CaseAccess.objects.filter(
            scope.units_q("case__unit_path", Role.PROVINCIAL_OFFICER),
            kind=CaseAccess.Kind.BREAK_GLASS,
            review=CaseAccess.Review.PENDING,
        )
        .exclude(user=user)
        .select_related("case", "user", "agency")
        .order_by("starts_at", "pk")
    )


def review_access(
    *, actor: User, access_id: int, justified: bool | None, comment: str
) -> CaseAccess:
    """The province marks a use of the glass justified or not; an unjustified one is reported to
    the head of the user's agency (or, for a provincial officer, to their province)."""
    with transaction.atomic():
        scope = scope_for(actor)
        access = (
            CaseAccess.objects.select_for_update(of=("self",))
            .filter(
                scope.units_q("case__unit_path", Role.PROVINCIAL_OFFICER),
                pk=access_id,
                kind=CaseAccess.Kind.BREAK_GLASS,
            )
            .select_related("case", "user", "agency")
            .first()
        )
        if access is None:
            raise NotFound()
        if access.user_id == actor.pk:
            raise Forbidden(_("Someone else reviews your own use of emergency access."))
        if access.review != CaseAccess.Review.PENDING:
            raise InvalidTransition(_("This emergency access has already been reviewed."))
        errors: dict[str, list[str]] = {}
        if justified is None:
            errors["justified"] = [_("Say whether the access was justified.")]
        elif not justified and not comment.strip():
            errors["comment"] = [_("Say why the access was not justified.")]
        if errors:
            raise ValidationError(errors)
        access.review = CaseAccess.Review.JUSTIFIED if justified else CaseAccess.Review.UNJUSTIFIED
        access.reviewed_by = actor
        access.reviewed_at = timezone.now()
        access.review_comment = comment.strip()
        access.save(update_fields=["review", "reviewed_by", "reviewed_at", "review_comment"])
        row = audit(
            actor=actor,
            action="access.review",
            target=access,
            details={"review": access.review},
        )
        publish(GlassReviewed(access=access, actor=actor, audit_id=row.pk))
    return access


def delete_expired_permissions() -> int:
    """guardian's rows past their end (the selectors already ignore them): for its own checks."""
    deleted, _counts = CaseUserObjectPermission.objects.filter(
        expires_at__lte=timezone.now()
    ).delete()
    return deleted
