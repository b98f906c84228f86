"""What every part of the inspections API shares: the documented errors, the enumerations'
names and the check of a unit's code."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core import api_fields
from core.api_errors import DocumentedErrors
from core.models import Unit, UnitLevel
from inspections.models import (
    Kind,
    Membership,
    Recommendation,
    Sanction,
    Status,
    SubjectKind,
    Topic,
)

errors = DocumentedErrors(
    forbidden=_("Your role may not do this to this inspection."),
    not_found=_("No such inspection, or not visible to you."),
)


ENUM_NAMES: dict[type[models.TextChoices], str] = {
    Kind: "InspectionKind",
    Topic: "InspectionTopic",
    Status: "InspectionStatus",
    SubjectKind: "InspectedSubjectKind",
    Sanction: "Sanction",
    Recommendation.Status: "RecommendationStatus",
    Membership.Role: "InspectionTeamRole",
}


class CodeField(api_fields.CodeField):
    names = ENUM_NAMES


CollectingSerializer = api_fields.CollectingSerializer


def unit_valid_today(code: str, level: str | None = None) -> Unit:
    units = Unit.objects.valid_on(timezone.localdate()).filter(code=code)
    unit = (units.filter(level=level) if level else units).first()
    if unit is None:
        if level == UnitLevel.COMMUNE:
            raise serializers.ValidationError(_("Choose a commune or ward valid today."))
        raise serializers.ValidationError(_("Choose an administrative unit valid today."))
    return unit
