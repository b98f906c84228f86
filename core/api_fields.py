"""API building blocks the apps share: enumeration fields named once in the schema, and
serializers that report every mistake in one answer."""

from typing import Any, ClassVar, cast

from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent, build_choice_field
from rest_framework import serializers
from rest_framework.settings import api_settings

from core.typing import StrOrPromise


class CodeField(serializers.ChoiceField):
    """One code of a DOMAIN enumeration, named once in the schema.

    Several enumerations share field names (`status`, `kind`, `reason`) and one choice set serves
    several fields; a named component keeps the schema unambiguous for client generators. An app
    subclasses this with `names` mapping its enumerations to component names.
    """

    names: ClassVar[dict[type[models.TextChoices], str]] = {}

    def __init__(self, enumeration: type[models.TextChoices], **kwargs: Any) -> None:
        self.enumeration = enumeration
        super().__init__(choices=enumeration.choices, **kwargs)

    @property
    def component_name(self) -> str:
        return f"{self.names.get(self.enumeration, self.enumeration.__name__)}Enum"


class CodeFieldExtension(OpenApiSerializerFieldExtension):
    target_class = CodeField
    match_subclasses = True

    def map_serializer_field(self, auto_schema: Any, direction: str) -> dict[str, Any]:
        schema = build_choice_field(
            serializers.ChoiceField(choices=self.target.enumeration.choices)
        )
        schema.pop("x-spec-enum-id", None)
        component = ResolvedComponent(
            name=self.target.component_name,
            type=ResolvedComponent.SCHEMA,
            object=self.target.enumeration,
            schema=schema,
        )
        auto_schema.registry.register_on_missing(component)
        if self.target.allow_blank:
            return {"oneOf": [component.ref, {"type": "string", "enum": [""]}]}
        return component.ref


class LabelField(serializers.CharField):
    """The label of a model's choice (`status_display = LabelField(source="status")`), looked
    up in the field's choices translated once per list. `source="get_status_display"` costs each
    row DRF's inspection of the method's signature and Django's rebuilding of the translated
    choices: a third of a page of 50 referrals (docs/performance.md)."""

    def __init__(self, **kwargs: Any) -> None:
        self.labels: dict[Any, str] | None = None
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value: Any) -> str:
        if self.labels is None:  # a field serves one request, in one language
            self.labels = {code: str(label) for code, label in self.model_field().flatchoices}
        return self.labels.get(value, str(value))

    def model_field(self) -> models.Field:
        """The model field the source names, through the relations on its way."""
        model = cast(Any, self.parent).Meta.model  # a model serializer's
        *relations, name = self.source_attrs
        for relation in relations:
            model = model._meta.get_field(relation).related_model
        return model._meta.get_field(name)


class CollectingSerializer(serializers.Serializer):
    """Reports the field errors and the checks across fields in one answer, so a form can show
    every mistake at once instead of one round trip each."""

    def cross_field_errors(self, data: Any) -> dict[str, list[StrOrPromise]]:
        return {}

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        found: dict[str, Any] = {}
        value: dict[str, Any] = {}
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as error:
            # Field errors come as a mapping; a bare list can only be errors of the whole object.
            if isinstance(error.detail, dict):
                found = dict(error.detail)
            else:
                found = {api_settings.NON_FIELD_ERRORS_KEY: error.detail}
        if hasattr(data, "get"):
            for field, messages in self.cross_field_errors(data).items():
                found.setdefault(field, messages)
        if found:
            raise serializers.ValidationError(found)
        return value


def fine_amount_errors(data: dict[str, Any]) -> dict[str, list[StrOrPromise]]:
    """A sanction's amount goes with a fine and only with a fine (findings of inspections and
    sanctions recorded on a case share the code "fine")."""
    is_fine = data.get("sanction") == "fine"
    amount = data.get("fine_amount") not in (None, "")
    if is_fine and not amount:
        return {"fine_amount": [_("Give the amount of the fine in VND.")]}
    if amount and not is_fine:
        return {"fine_amount": [_("Only a fine has an amount.")]}
    return {}
