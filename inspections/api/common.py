"""What every part of the inspections API shares: the documented errors, the enumerations'
names and the check of a unit's code."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from core import api_fields
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

ERRORS = {
    400: OpenApiResponse(description=_("Bad input: {field: [messages]}; nothing changed.")),
    401: OpenApiResponse(description=_("Not signed in.")),
    403: OpenApiResponse(description=_("Your role may not do this to this inspection.")),
    404: OpenApiResponse(description=_("No such inspection, or not visible to you.")),
    409: OpenApiResponse(
        description=_(
            'The state forbids it ("code": "invalid_transition") or a concurrent change won '
            '("code": "conflict"); nothing changed.'
        )
    ),
}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    """The documented errors of an operation; every one answers 401 without credentials."""
    return {code: ERRORS[code] for code in sorted({*codes, 401})}


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
