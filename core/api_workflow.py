"""`…/{id}/transitions/` for every workflow of core.workflow, written once.

A viewset that mixes this in names its workflow, one request serializer per step and the service
call of a step; the mixin adds `GET …/transitions/` (what this user may do now, and why not) and
one `POST …/transitions/{step}/` operation per step, each with its own documented request body.

The order of refusal is the product's everywhere: the record is not visible → 404; visible but
not this user's step → 403; not possible in its state, or a guard stops it → 409, whatever the
payload; possible, but the payload is wrong → 400 naming each field.
"""

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Generic, TypeVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import Direction, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api_errors import RECORD_ERRORS, DocumentedErrors, as_sent
from core.typing import AuthenticatedRequest
from core.workflow import Workflow

Subject = TypeVar("Subject", bound=models.Model)


class StepPayload(serializers.Serializer):
    """The request body of one step; `service_kwargs` turns it into the service's arguments."""

    # {the service's name: the request's field}, where they differ: a refusal of the service
    # is answered under the field the client sent (core.api_errors.as_sent).
    sent_as: ClassVar[dict[str, str]] = {}

    @classmethod
    def service_kwargs(cls, data: dict[str, Any]) -> dict[str, Any]:
        return data


class NoInput(StepPayload):
    """A step that takes nothing but the call: an empty object, or no body at all. A field sent
    anyway is refused, so the documented body (no property) is the one the API accepts."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        sent = self.initial_data if isinstance(self.initial_data, Mapping) else {}
        unknown = sorted(set(sent) - set(self.fields))
        if unknown:
            raise serializers.ValidationError(
                {name: [_("This step takes no input.")] for name in unknown}
            )
        return attrs


class NoInputSchema(OpenApiSerializerExtension):
    """drf-spectacular drops a request body that has no property; a step that takes no input
    still documents its own body (an empty object), so every step operation shows one."""

    target_class = NoInput
    match_subclasses = True

    def map_serializer(self, auto_schema: AutoSchema, direction: Direction) -> dict[str, Any]:
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        return {**schema, "properties": {}, "additionalProperties": False}


class StepOptionSerializer(serializers.Serializer):
    name = serializers.CharField()
    # A field named like a Field attribute: DRF's metaclass takes declared fields off the class,
    # so nothing is shadowed at run time; the stubs see a class attribute of another type.
    label = serializers.CharField()  # type: ignore[assignment]
    allowed = serializers.BooleanField()
    missing = serializers.ListField(child=serializers.CharField())


class WorkflowActionsMixin(ABC, Generic[Subject]):
    """Adds the workflow's endpoints to a DRF viewset (see the module's docstring); `Subject` is
    the workflow's model. The endpoints are behind the API's IsAuthenticated default."""

    workflow: ClassVar[Workflow[Any]]
    # One request body per step; an empty serializer for a step that needs none.
    step_payloads: ClassVar[dict[str, type[StepPayload]]]
    # What a step answers with, for the schema.
    step_response: ClassVar[type[serializers.Serializer]]
    # How the step operations document their errors (the record's nouns).
    step_errors: ClassVar[DocumentedErrors] = RECORD_ERRORS
    # The prefix of the step operations' ids: "v1_cases" → "v1_cases_transitions_assess_initial".
    operation_prefix: ClassVar[str]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "step_payloads" not in cls.__dict__:
            return
        missing = set(cls.workflow.names) ^ set(cls.step_payloads)
        assert not missing, f"{cls.__name__}: steps without a payload, or unknown: {missing}"
        for name, payload in cls.step_payloads.items():
            setattr(cls, f"step_{name}", cls._step_action(name, payload))

    # --- What a viewset provides (abstract: a viewset without them cannot be instantiated) ------

    @abstractmethod
    def visible_subject(self, request: AuthenticatedRequest, pk: str) -> Subject:
        """The record if this user may see it; NotFound otherwise."""

    @abstractmethod
    def run_step(
        self, request: AuthenticatedRequest, subject: Subject, name: str, data: dict[str, Any]
    ) -> Subject:
        """Call the step's service with the validated payload."""

    @abstractmethod
    def step_result(self, request: AuthenticatedRequest, subject: Subject) -> dict[str, Any]:
        """The record as the step's answer, read again as this user may see it."""

    # --- The endpoints --------------------------------------------------------------------------

    @extend_schema(responses={200: StepOptionSerializer(many=True), **RECORD_ERRORS(404)})
    @action(detail=True, methods=["get"], pagination_class=None)
    def transitions(self, request: AuthenticatedRequest, pk: str) -> Response:
        """Every step with whether you may run it now and, if not, what is missing."""
        subject = self.visible_subject(request, pk)
        options = self.workflow.options(actor=request.user, subject=subject)
        return Response(StepOptionSerializer(options, many=True).data)

    @classmethod
    def _step_action(cls, name: str, payload: type[StepPayload]) -> Callable[..., Response]:
        step = cls.workflow[name]

        def run(
            self: WorkflowActionsMixin[Any], request: AuthenticatedRequest, pk: str
        ) -> Response:
            subject = self.visible_subject(request, pk)
            # The state is judged before the payload: a step not possible now is 409 whatever
            # was sent, and the service judges it again under the row lock.
            self.workflow.check(name, actor=request.user, subject=subject)
            body = payload(data=request.data)
            body.is_valid(raise_exception=True)
            try:
                result = self.run_step(request, subject, name, dict(body.validated_data))
            except DjangoValidationError as error:
                raise as_sent(error, payload.sent_as) from None
            return Response(self.step_result(request, result))

        run.__name__ = run.__qualname__ = f"step_{name}"
        routed = action(
            detail=True,
            methods=["post"],
            url_path=f"transitions/{name}",
            url_name=f"transitions-{name.replace('_', '-')}",
        )(run)
        # After `action`: drf-spectacular documents an action through what `action` set on it.
        return extend_schema(
            operation_id=f"{cls.operation_prefix}_transitions_{name}",
            summary=step.label,
            description=step.law,
            request=payload,
            responses={200: cls.step_response, **cls.step_errors(400, 403, 404, 409)},
        )(routed)
