"""What every part of the cases API shares: the documented errors and the enumerations' names."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cases.choices import (
    Level,
    Status,
)
from core import api_fields
from core.api_errors import DocumentedErrors
from core.models import Unit, UnitLevel

errors = DocumentedErrors(
    forbidden=_("Your role may not do this to this case."),
    not_found=_("No such case, or not visible to you."),
)


ENUM_NAMES: dict[type[models.TextChoices], str] = {Status: "CaseStatus", Level: "Rating"}


class CodeField(api_fields.CodeField):
    names = ENUM_NAMES


CollectingSerializer = api_fields.CollectingSerializer


def commune_valid_today(code: str) -> Unit:
    unit = (
        Unit.objects.valid_on(timezone.localdate())
        .filter(code=code, level=UnitLevel.COMMUNE)
        .first()
    )
    if unit is None:
        raise serializers.ValidationError(_("Choose a commune or ward valid today."))
    return unit
