"""Whose deadline a clock is, and what it is called."""

from django.contrib.contenttypes.models import ContentType

from cases import clocks as case_clocks
from cases.models import Case
from core.models import Clock, Role, User
from notifications.recipients import agency_staff, staff_of_unit
from referrals import clocks as referral_clocks
from referrals.models import Referral


def deadline_label(kind: str) -> str:
    return str(case_clocks.LABELS.get(kind) or referral_clocks.labels().get(kind, kind))


def subject_of(clock: Clock) -> Case | Referral | None:
    model = ContentType.objects.get_for_id(clock.subject_type_id).model_class()
    return model.objects.filter(pk=clock.subject_id).first() if model else None


def owners_of(clock: Clock, subject: Case | Referral) -> list[User]:
    """Who must act before the clock runs out."""
    if isinstance(subject, Referral):
        return agency_staff(subject.agency_id)
    role = Role.COMMUNE_CHAIR if clock.kind == case_clocks.PLAN_DECISION else Role.COMMUNE_OFFICER
    return staff_of_unit(clock.unit_path, role)


def case_code_of(subject: Case | Referral) -> str:
    return subject.case.code if isinstance(subject, Referral) else subject.code


def link_of(subject: Case | Referral) -> str:
    if isinstance(subject, Referral):
        return f"/referrals/{subject.pk}/"
    return f"/cases/{subject.pk}/"
