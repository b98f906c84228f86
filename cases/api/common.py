"""What every part of the cases API shares: the documented errors and the enumerations' names."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiResponse,
)
from rest_framework import serializers

from cases.choices import (
    Level,
    Status,
)
from core import api_fields
from core.models import Unit, UnitLevel

ERRORS = {
    400: OpenApiResponse(description=_("Bad input: {field: [messages]}; nothing changed.")),
    403: OpenApiResponse(description=_("Your role may not do this to this case.")),
    404: OpenApiResponse(description=_("No such case, or not visible to you.")),
    409: OpenApiResponse(
        description=_(
            'The state forbids it ("code": "invalid_transition") or a concurrent change won '
            '("code": "conflict"); nothing changed.'
        )
    ),
}


ENUM_NAMES: dict[type[models.TextChoices], str] = {Status: "CaseStatus", Level: "Rating"}


class CodeField(api_fields.CodeField):
    names = ENUM_NAMES


CollectingSerializer = api_fields.CollectingSerializer


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: ERRORS[code] for code in codes}


def commune_valid_today(code: str) -> Unit:
    unit = (
        Unit.objects.valid_on(timezone.localdate())
        .filter(code=code, level=UnitLevel.COMMUNE)
        .first()
    )
    if unit is None:
        raise serializers.ValidationError(_("Choose a commune or ward valid today."))
    return unit
