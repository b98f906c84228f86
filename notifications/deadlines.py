"""Whose deadline a clock is, and what it is called."""

from django.contrib.contenttypes.models import ContentType

from cases import clocks as case_clocks
from cases.models import Case
from core.models import Clock, Role, User
from inspections import clocks as inspection_clocks
from inspections.models import Recommendation
from notifications.recipients import agency_staff, staff_of_unit
from referrals import clocks as referral_clocks
from referrals.models import Referral


def deadline_label(kind: str) -> str:
    labels = {**case_clocks.LABELS, **referral_clocks.labels(), **inspection_clocks.LABELS}
    return str(labels.get(kind, kind))


def subject_of(clock: Clock) -> Case | Referral | None:
    model = ContentType.objects.get_for_id(clock.subject_type_id).model_class()
    return model.objects.filter(pk=clock.subject_id).first() if model else None


def owners_of(clock: Clock, subject: Case | Referral | Recommendation) -> list[User]:
    """Who must act before the clock runs out."""
    if isinstance(subject, Referral):
        return agency_staff(subject.agency_id)
    if isinstance(subject, Recommendation):
        # The inspected organisation acts; the head of the inspection team follows it up.
        return list(
            User.objects.filter(
                inspection_memberships__inspection_id=subject.inspection_id,
                inspection_memberships__role="lead",
            )
        )
    role = Role.COMMUNE_CHAIR if clock.kind == case_clocks.PLAN_DECISION else Role.COMMUNE_OFFICER
    return staff_of_unit(clock.unit_path, role)


def case_code_of(subject: Case | Referral | Recommendation) -> str:
    """The code a notification names: the case's, or the inspection's decision number."""
    if isinstance(subject, Recommendation):
        return subject.inspection.decision_number
    return subject.case.code if isinstance(subject, Referral) else subject.code


def link_of(subject: Case | Referral | Recommendation) -> str:
    if isinstance(subject, Recommendation):
        return f"/inspections/{subject.inspection_id}/"
    if isinstance(subject, Referral):
        return f"/referrals/{subject.pk}/"
    return f"/cases/{subject.pk}/"
