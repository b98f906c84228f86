"""The cases API's views: thin on purpose. Each parses its input with a serializer from
`inputs`, calls one service or selector and renders the case with `outputs`. Who may see or do
what is decided by the services, selectors and the workflow (cases/workflow.py), never here.
"""

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    extend_schema,
)
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cases import sections, selectors, services, visibility
from cases.api.common import errors
from cases.api.inputs import (
    STEP_PAYLOADS,
    CaseCorrectionSerializer,
    CaseCreateSerializer,
    DuplicateQuerySerializer,
    SanctionCreateSerializer,
    SeparationDecideSerializer,
    TransferDecisionSerializer,
    TransferRequestSerializer,
)
from cases.api.outputs import (
    AdministrativeSanctionSerializer,
    CaseDetailSerializer,
    CaseEventSerializer,
    CaseListFilterSerializer,
    CaseListSerializer,
    CaseNoteSerializer,
    CaseTransferSerializer,
    PossibleDuplicateSerializer,
    SeparationDecisionSerializer,
)
from cases.models import (
    Case,
)
from cases.rows import CaseRow, case_rows
from cases.workflow import CASE_WORKFLOW
from core.api_workflow import WorkflowActionsMixin
from core.errors import Forbidden, NotFound
from core.pagination import PageByIds
from core.typing import AuthenticatedRequest

# --- Views ---------------------------------------------------------------------------------------


def page_rows(ids: Sequence[int]) -> Sequence[CaseRow]:
    return case_rows(ids, abuse_forms=True)


def case_detail(request: AuthenticatedRequest, case_id: int) -> dict[str, Any]:
    case = selectors.case_with_records(request.user, case_id)
    if case is None:
        raise NotFound()
    return CaseDetailSerializer(case, context={"request": request}).data


class CaseViewSet(WorkflowActionsMixin[Case], viewsets.GenericViewSet):
    """Cases of children (DOMAIN §4) and their Decree 56 workflow (DOMAIN §5)."""

    workflow = CASE_WORKFLOW
    step_payloads = STEP_PAYLOADS
    step_response = CaseDetailSerializer
    step_errors = errors
    operation_prefix = "v1_cases"
    serializer_class = CaseDetailSerializer
    filter_backends: list = []
    lookup_value_regex = r"\d+"
    request: AuthenticatedRequest

    def get_queryset(self) -> QuerySet[Case]:
        filters = CaseListFilterSerializer(data=self.request.query_params.dict())
        filters.is_valid(raise_exception=True)
        return selectors.case_list(self.request.user, **filters.validated_data)

    @extend_schema(
        parameters=[CaseListFilterSerializer],
        responses={200: CaseListSerializer(many=True), **errors(400)},
    )
    def list(self, request: AuthenticatedRequest) -> Response:
        """The cases you may see, newest report first, with each one's next deadline."""
        pages = self.paginator
        assert isinstance(pages, PageByIds)
        # The page's rows read as plain rows (cases/rows.py), not instances.
        rows = pages.paginate_queryset(self.get_queryset(), request, self, rows=page_rows)
        if query := self.request.query_params.get("q", "").strip():
            assert pages.page is not None
            services.audit_search(request.user, query=query, results=pages.page.paginator.count)
        return self.get_paginated_response(CaseListSerializer(rows, many=True).data)

    @extend_schema(
        request=CaseCreateSerializer,
        responses={201: CaseDetailSerializer, **errors(400, 403)},
    )
    def create(self, request: AuthenticatedRequest) -> Response:
        """Record a report (Form 01), for a new child or a known one; the 12-hour clock starts."""
        payload = CaseCreateSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        child = data.pop("child", None)
        case = services.case_create(
            actor=request.user,
            received_at=data.pop("received_at", None) or timezone.now(),
            child=services.ChildData(
                **{
                    **child,
                    "special_circumstances": tuple(child["special_circumstances"]),
                    "carers": tuple(dict(carer) for carer in child["carers"]),
                }
            )
            if child
            else None,
            existing_child=data.pop("child_id", None),
            **data,
        )
        if not selectors.cases_visible_to(request.user).filter(pk=case.pk).exists():
            # Recorded for a commune the author does not serve (an inspector's finding): the case
            # is the commune's now, and the author keeps only its code.
            return Response({"id": case.pk, "code": case.code}, status=status.HTTP_201_CREATED)
        return Response(case_detail(request, case.pk), status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: CaseDetailSerializer, **errors(404)})
    def retrieve(self, request: AuthenticatedRequest, pk: str) -> Response:
        """The whole record; the read is audited."""
        case = services.case_open(actor=request.user, case_id=int(pk))
        return Response(case_detail(request, case.pk))

    @extend_schema(
        request=CaseCorrectionSerializer,
        responses={200: CaseDetailSerializer, **errors(400, 403, 404, 409)},
    )
    def partial_update(self, request: AuthenticatedRequest, pk: str) -> Response:
        """Correct or complete the recorded report (Form 01) and the child's facts, carers and
        family included: only the fields sent change, and the history keeps each previous value
        (the reporter's identity as “…”). The commune's officer, while the case is open."""
        # The order of refusal: 404, 403, 409, then the payload (400).
        services.correctable_case(actor=request.user, case_id=int(pk))
        payload = CaseCorrectionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.case_correct(
            actor=request.user,
            case_id=int(pk),
            **CaseCorrectionSerializer.service_kwargs(payload.validated_data),
        )
        return Response(case_detail(request, int(pk)))

    @extend_schema(responses={200: CaseEventSerializer(many=True), **errors(403, 404)})
    @action(detail=True, methods=["get"])
    def events(self, request: AuthenticatedRequest, pk: str) -> Response:
        """The case's history, oldest first."""
        case, shown = self.history_reader(request, pk)
        page = self.paginate_queryset(selectors.case_events(case))
        self.audit_page_read(request, case, page, view="events")
        events = CaseEventSerializer(page, many=True, context={"shown": shown})
        return self.get_paginated_response(events.data)

    @extend_schema(responses={200: CaseNoteSerializer(many=True), **errors(403, 404)})
    @action(detail=True, methods=["get"])
    def notes(self, request: AuthenticatedRequest, pk: str) -> Response:
        """The case's notes, newest first (its answer carries the latest twenty)."""
        case, _shown = self.history_reader(request, pk)
        page = self.paginate_queryset(selectors.case_notes(case))
        self.audit_page_read(request, case, page, view="notes")
        return self.get_paginated_response(CaseNoteSerializer(page, many=True).data)

    def history_reader(self, request: AuthenticatedRequest, pk: str) -> tuple[Case, frozenset[str]]:
        """The case and the sections the reader may see, for a reader of its history (steps
        and notes) only. Nothing is audited yet: a refusal is no read, and the page read is
        audited once it is known."""
        case = services.visible_case(actor=request.user, case_id=int(pk))
        shown = visibility.sections_for(request.user, case)
        if sections.HISTORY not in shown:
            raise Forbidden(_("Your service does not need the case's history."))
        return case, shown

    def audit_page_read(
        self, request: AuthenticatedRequest, case: Case, rows: Sequence[Any] | None, *, view: str
    ) -> None:
        """The page's number, and the ids of its first and last rows: a page reached by a cursor
        is numbered only as exactly as the list was stable, its rows are what was read."""
        page = self.paginator.page  # type: ignore[union-attr]  # set by paginate_queryset
        ends = {"first": rows[0].pk, "last": rows[-1].pk} if rows else {}
        services.audit_read(request.user, case, view, page=page.number, **ends)

    def visible_subject(self, request: AuthenticatedRequest, pk: str) -> Case:
        if request.method == "GET":  # the steps offered, and why not the others: a read
            return services.case_open(actor=request.user, case_id=int(pk), view="transitions")
        return services.visible_case(actor=request.user, case_id=int(pk))

    def run_step(
        self, request: AuthenticatedRequest, subject: Case, name: str, data: dict[str, Any]
    ) -> Case:
        payload = self.step_payloads[name]
        service = getattr(services, f"case_{name}")
        return service(actor=request.user, case_id=subject.pk, **payload.service_kwargs(data))

    def step_result(self, request: AuthenticatedRequest, subject: Case) -> dict[str, Any]:
        return case_detail(request, subject.pk)

    @extend_schema(
        request=TransferRequestSerializer,
        responses={201: CaseTransferSerializer, **errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def transfer(self, request: AuthenticatedRequest, pk: str) -> Response:
        """Offer the case to the commune the child moved to."""
        services.visible_case(actor=request.user, case_id=int(pk))
        payload = TransferRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        transfer = services.case_transfer_request(
            actor=request.user, case_id=int(pk), **payload.validated_data
        )
        return Response(CaseTransferSerializer(transfer).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        description=_(
            "The administrative sanctions recorded on the case, newest first: for the readers of "
            "the case's history."
        ),
        responses={200: AdministrativeSanctionSerializer(many=True), **errors(403, 404)},
    )
    @extend_schema(
        methods=["POST"],
        description=_(
            "Record an administrative sanction decided for the abuse reported in the case (by "
            "the commune's chair, the police or another competent authority), so that the yearly "
            "indicators count it. The officer or the chair of the case's commune."
        ),
        request=SanctionCreateSerializer,
        responses={201: AdministrativeSanctionSerializer, **errors(400, 403, 404)},
    )
    @action(detail=True, methods=["get", "post"])
    def sanctions(self, request: AuthenticatedRequest, pk: str) -> Response:
        if request.method != "POST":
            page = self.paginate_queryset(
                services.case_sanctions(actor=request.user, case_id=int(pk))
            )
            return self.get_paginated_response(
                AdministrativeSanctionSerializer(page, many=True).data
            )
        # The order of refusal: 404, 403, then the payload (400).
        services.sanction_case(actor=request.user, case_id=int(pk))
        payload = SanctionCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        sanction = services.case_record_sanction(
            actor=request.user, case_id=int(pk), **payload.validated_data
        )
        return Response(
            AdministrativeSanctionSerializer(sanction).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        parameters=[DuplicateQuerySerializer],
        responses={200: PossibleDuplicateSerializer(many=True), **errors(400, 403)},
    )
    @action(detail=False, methods=["get"])
    def duplicates(self, request: AuthenticatedRequest) -> Response:
        """Children already known in the commune with a similar name and the same birth year."""
        query = DuplicateQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        commune = query.validated_data["commune"]
        if not services.may_record_for(request.user, commune):
            raise Forbidden(_("You may not record reports for this commune."))
        children = list(
            selectors.possible_duplicates(
                request.user,
                full_name=query.validated_data["full_name"],
                birth_year=query.validated_data["birth_year"],
                commune=commune,
            )
        )
        services.audit_duplicates(request.user, child_ids=[child.pk for child in children])
        # Only the codes of cases this user may see: the hotline learns that a child is known,
        # not where the child's other cases stand.
        visible = selectors.cases_visible_to(request.user).filter(child__in=children)
        codes: dict[int, list[str]] = {}
        for child_id, code in visible.order_by("received_at").values_list("child_id", "code"):
            codes.setdefault(child_id, []).append(code)
        serializer = PossibleDuplicateSerializer(children, many=True, context={"codes": codes})
        return Response(serializer.data)


class TransferViewSet(viewsets.GenericViewSet):
    """A case offered to another commune; that commune's officer accepts or declines it."""

    serializer_class = CaseTransferSerializer
    filter_backends: list = []
    lookup_value_regex = r"\d+"

    def decide(self, request: AuthenticatedRequest, pk: str, *, accept: bool) -> Response:
        payload = TransferDecisionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        transfer = services.case_transfer_decide(
            actor=request.user, transfer_id=int(pk), accept=accept, **payload.validated_data
        )
        return Response(CaseTransferSerializer(transfer).data)

    @extend_schema(
        request=TransferDecisionSerializer,
        responses={200: CaseTransferSerializer, **errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: AuthenticatedRequest, pk: str) -> Response:
        """The case moves to your commune, history and all."""
        return self.decide(request, pk, accept=True)

    @extend_schema(
        request=TransferDecisionSerializer,
        responses={200: CaseTransferSerializer, **errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def decline(self, request: AuthenticatedRequest, pk: str) -> Response:
        return self.decide(request, pk, accept=False)


class SeparationViewSet(viewsets.GenericViewSet):
    """The chair's decision on separating a child from the carer (Form 07)."""

    serializer_class = SeparationDecisionSerializer
    filter_backends: list = []
    lookup_value_regex = r"\d+"

    @extend_schema(
        request=SeparationDecideSerializer,
        responses={200: SeparationDecisionSerializer, **errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def decide(self, request: AuthenticatedRequest, pk: str) -> Response:
        payload = SeparationDecideSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        decision = services.separation_decide(
            actor=request.user, decision_id=int(pk), **payload.validated_data
        )
        return Response(SeparationDecisionSerializer(decision).data)
