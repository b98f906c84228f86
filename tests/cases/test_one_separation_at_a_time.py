"""One separation proposal awaits the chair at a time, whichever way it is proposed (Decree
56/2017 Art. 32): an emergency declared while one is pending or in force may not propose
another, and the database refuses a second pending proposal of its own accord."""

from typing import Any

import pytest
from django.db import IntegrityError, transaction

from cases import services
from cases.models import SeparationDecision
from tests.cases.factories import advance, make_case, snapshot

EMERGENCY: dict[str, Any] = {
    "danger": "Bị đánh lại tối qua.",
    "measures_taken": "Đã báo công an xã.",
    "separation_proposed": True,
    "placement": "Nhà tạm lánh của huyện",
}


def proposed(demo, *then: str):
    """A case whose officer proposed a separation, then took the steps `then`."""
    case = make_case(demo["officer_a"], abuse_forms=("other",))
    return advance(
        case,
        "assess_initial",
        "propose_separation",
        *then,
        officer=demo["officer_a"],
        chair=demo["chair_a"],
    )


@pytest.mark.parametrize("then", [(), ("decide_separation",)], ids=["pending", "in_force"])
def test_an_emergency_proposes_no_second_separation(demo, api_as, then):
    case = proposed(demo, *then)
    before = snapshot(case)
    proposals = list(SeparationDecision.objects.filter(case=case).values_list("pk", "outcome"))

    response = api_as("officer_a").post(
        f"/api/v1/cases/{case.pk}/transitions/declare_emergency/", EMERGENCY, format="json"
    )

    assert response.status_code == 400, response.content
    assert response.json()["separation_proposed"] == [
        "Đã có đề xuất tách trẻ em hoặc quyết định tách trẻ em đang có hiệu lực."
    ]
    assert snapshot(case) == before
    assert list(SeparationDecision.objects.filter(case=case).values_list("pk", "outcome")) == (
        proposals
    )


def test_the_emergency_alone_is_still_declared_beside_a_pending_proposal(demo):
    case = proposed(demo)

    services.case_declare_emergency(
        actor=demo["officer_a"], case_id=case.pk, **{**EMERGENCY, "separation_proposed": False}
    )

    assert SeparationDecision.objects.filter(case=case, outcome="pending").count() == 1


def test_the_database_holds_one_pending_proposal_per_case(demo):
    case = proposed(demo)
    pending = SeparationDecision.objects.get(case=case)

    with pytest.raises(IntegrityError), transaction.atomic():
        SeparationDecision.objects.create(
            case=case, author=pending.author, placement="Nơi khác", grounds="Lần nữa"
        )
