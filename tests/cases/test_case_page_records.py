"""The case page shows the records of issue 11 (reviews, refusals of the plan, separations,
the closure proposal and the chair's decisions on open work, the Form 01 and Form 02 fields)
in the sections the reader may see, at a query count that does not grow with the records; and
a deadline ending at 24:00 reads as 24:00 of its last day (Civil Code Art. 148)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.closure import WorkChoice
from cases.models import Case
from cases.selectors import case_with_records
from core.models import Clock
from core.scope import scope_for
from core.working_days import display_due
from referrals import services as referral_services
from tests.cases.factories import advance, commune, make_case
from tests.referrals.helpers import refer, staff_of

INTERVENTION = ("assess_initial", "submit_plan", "approve_plan")

pytestmark = pytest.mark.django_db


def page(client, case: Case) -> str:
    response = client.get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200
    return response.text


def recorded_case(demo, **overrides) -> Case:
    """A case with Form 01's new fields, Form 02, an approved plan, a review, a refusal of the
    plan and an approved, extended separation."""
    officer, chair = demo["officer_a"], demo["chair_a"]
    child = services.ChildData(
        full_name="Nguyễn Thị Lan",
        sex="female",
        estimated_age=9,
        carers=({"name": "Nguyễn Văn Bố", "relation": "bố"},),
        family_circumstances="Gia đình khó khăn, bố nghiện rượu.",
    )
    case = make_case(
        officer,
        abuse_forms=("other",),
        child=child,
        reporter_address="Thôn Đông, xã Gia Viễn",
        likely_harm="Trẻ có thể bị thương nặng.",
        actions_taken="Hàng xóm đưa trẻ sang nhà bà.",
        receiving_body="Công an xã Gia Viễn",
        report_number="BC-117",
        **overrides,
    )
    case = advance(case, *INTERVENTION, officer=officer, chair=chair)
    measure = case.plans.get(outcome="approved").measures.get()
    services.case_record_review(
        actor=officer,
        case_id=case.pk,
        notes="Trẻ đi học đều, ngủ ngon hơn.",
        measure_progress={measure.pk: "Đã tư vấn 3 buổi."},
    )
    services.case_record_plan_refusal(
        actor=officer,
        case_id=case.pk,
        refused_by="Bố của trẻ",
        reasons="Không muốn trẻ đi tư vấn.",
        commune_action="Gặp gia đình giải thích.",
    )
    services.case_propose_separation(
        actor=officer, case_id=case.pk, placement="Nhà bà ngoại Đinh Thị Tư", grounds="Bố đánh."
    )
    services.case_decide_separation(
        actor=chair, case_id=case.pk, approve=True, period_days=10, decision_number="07/QĐ-UBND"
    )
    services.case_extend_separation(
        actor=chair, case_id=case.pk, days=4, reason="Gia đình chưa an toàn."
    )
    case.refresh_from_db()
    return case


def test_the_officer_sees_the_review_refusal_separation_and_form_fields(client, demo):
    case = recorded_case(demo)
    client.force_login(demo["officer_a"])
    text = page(client, case)

    # Form 01 and Form 02
    for shown in (
        "Nguyễn Văn Bố",
        "Gia đình khó khăn, bố nghiện rượu.",
        "Thôn Đông, xã Gia Viễn",
        "Trẻ có thể bị thương nặng.",
        "Hàng xóm đưa trẻ sang nhà bà.",
        "Công an xã Gia Viễn",
        "BC-117",
        "Ở nhà bà.",  # Form 02's temporary safety measures
        'data-confirmed="abuse"',
    ):
        assert shown in text, shown
    # The review with the progress of its measure, the refusal
    assert "Trẻ đi học đều, ngủ ngon hơn." in text
    assert "Đã tư vấn 3 buổi." in text
    assert "Không muốn trẻ đi tư vấn." in text
    assert "Gặp gia đình giải thích." in text
    # The separation: its place of care, the decision, its period, the extension, the placement
    separation = case.separationdecisions.get()
    assert separation.period_days == 14
    assert 'id="current-placement"' in text
    assert "Nhà bà ngoại Đinh Thị Tư" in text
    assert "07/QĐ-UBND" in text
    assert 'class="separation-period">14 ' in text
    assert separation.ends_at is not None
    assert display_due(separation.ends_at) in text
    assert text.count('class="separation-extension"') == 1
    assert "Gia đình chưa an toàn." in text


def test_the_officer_sees_the_closure_proposal_and_the_work_decisions(client, demo):
    officer, chair = demo["officer_a"], demo["chair_a"]
    case = advance(
        make_case(officer, abuse_forms=("other",)),
        *INTERVENTION,
        "start_review",
        "propose_closure",
        officer=officer,
        chair=chair,
    )
    client.force_login(officer)
    text = page(client, case)
    assert 'data-closure-outcome="proposed"' in text

    measure = case.plans.get(outcome="approved").measures.get()
    services.case_close(
        actor=chair,
        case_id=case.pk,
        decision_number="09/QĐ-ĐÓNG",
        work={f"measure:{measure.pk}": WorkChoice("completed")},
    )
    text = page(client, case)
    assert 'data-closure-outcome="closed"' in text
    assert "09/QĐ-ĐÓNG" in text
    assert f'data-work="measure:{measure.pk}"' in text


def test_an_agency_sees_none_of_the_sections_it_may_not_see(client, demo):
    case = recorded_case(demo)
    referral = refer(demo, case, "forensic_exam")
    forensic = staff_of(demo, "forensic_exam")
    referral_services.referral_accept(actor=forensic, referral_id=referral.pk)
    services.case_start_review(actor=demo["officer_a"], case_id=case.pk)

    client.force_login(forensic)
    text = page(client, case)
    # Forensic examination reads the child, the concern and the medical state only.
    assert "Nguyễn Thị Lan" in text
    for hidden in (
        "Trẻ đi học đều, ngủ ngon hơn.",  # review: plan
        "Không muốn trẻ đi tư vấn.",  # refusal: plan
        "Nhà bà ngoại Đinh Thị Tư",  # separation: assessments
        "Thôn Đông, xã Gia Viễn",  # reporter
        "Trẻ có thể bị thương nặng.",  # report
        "Công an xã Gia Viễn",  # report
        "Gia đình khó khăn, bố nghiện rượu.",  # carers
        'id="separations"',
        'id="plans"',
    ):
        assert hidden not in text, hidden


def test_the_case_page_costs_the_same_queries_whatever_its_records(client, demo):
    case = recorded_case(demo)
    client.force_login(demo["officer_a"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            page(client, case)
        return len(captured)

    few = queries()
    measure = case.plans.get(outcome="approved").measures.get()
    for index in range(3):
        services.case_record_review(
            actor=demo["officer_a"],
            case_id=case.pk,
            notes=f"Lần {index}.",
            measure_progress={measure.pk: "Tiếp tục."},
        )
        services.case_record_plan_refusal(
            actor=demo["officer_a"],
            case_id=case.pk,
            refused_by="Mẹ",
            reasons=f"Lý do {index}.",
            commune_action="Giải thích.",
        )
    services.case_extend_separation(
        actor=demo["chair_a"],
        case_id=case.pk,
        days=3,
        reason="Còn nguy hiểm.",
        authority_request="Công văn của Công an huyện",
    )
    many = queries()

    assert few == many


def test_a_deadline_ending_at_24_00_shows_as_24_00_of_its_last_day(client, demo):
    case = make_case(demo["officer_a"])
    end_of_day = timezone.make_aware(datetime.datetime(2031, 9, 10, 0, 0))
    assert Clock.objects.for_object(case).open().update(due_at=end_of_day)
    client.force_login(demo["officer_a"])

    text = page(client, case)
    assert "09/09/2031 24:00" in text
    assert "10/09/2031 00:00" not in text
    listing = client.get(reverse("cases:list")).text
    assert "09/09/2031 24:00" in listing
    assert "10/09/2031 00:00" not in listing


def test_the_records_come_with_their_people_one_query_per_kind_of_record(demo):
    # A prefetch through `__author` (or the measure's agency, a transfer's communes) read the
    # people with a query of their own for each kind of record the case has.
    officer = demo["officer_a"]
    case = recorded_case(demo)
    services.case_transfer_request(
        actor=officer,
        case_id=case.pk,
        to_commune=commune("14329"),
        reason="Trẻ chuyển nhà.",
    )
    scope_for(officer)  # the reader's roles, read once per request before the page

    with CaptureQueriesContext(connection) as captured:
        loaded = case_with_records(officer, case.pk)
    assert loaded is not None
    main_tables = [query["sql"].split(" FROM ")[1].split()[0] for query in captured]
    for table in ('"core_user"', '"core_agency"', '"core_unit"'):
        assert table not in main_tables, main_tables

    with CaptureQueriesContext(connection) as later:
        people = [
            *(record.author for record in loaded.initialassessments.all()),
            *(record.author for plan in loaded.plans.all() for record in plan.reviews.all()),
            *(record.author for plan in loaded.plans.all() for record in plan.refusals.all()),
            *(record.author for plan in loaded.plans.all() for record in plan.decisions.all()),
            *(
                measure.responsible_agency
                for plan in loaded.plans.all()
                for measure in plan.measures.all()
            ),
            *(
                record.author
                for separation in loaded.separationdecisions.all()
                for record in separation.extensions.all()
            ),
            *(
                (transfer.author, transfer.to_commune, transfer.from_commune)
                for transfer in loaded.casetransfers.all()
            ),
        ]
    assert len(later) == 0
    assert len(people) >= 7


def offered(reader, case: Case) -> dict[str, list[str]]:
    """What stops each step, asked as the case page asks it of the case it loaded: with no read
    of the separations or transfers of its own, and with the same answers as for the case read
    afresh (as a service reads it under its lock)."""
    loaded = case_with_records(reader, case.pk)
    assert loaded is not None
    with CaptureQueriesContext(connection) as captured:
        options = services.transitions_for(actor=reader, case=loaded)
    tables = " ".join(query["sql"] for query in captured)
    assert "cases_separationdecision" not in tables
    assert "cases_casetransfer" not in tables
    fresh = Case.objects.get(pk=case.pk)
    assert options == services.transitions_for(actor=reader, case=fresh)
    return {option.name: option.missing for option in options}


@pytest.mark.parametrize("chair_decides", [False, True])
def test_the_steps_on_offer_ask_the_separations_the_page_read(demo, chair_decides):
    # The workflow's guards (a separation pending, in force or open) each read the table again:
    # one statement per guard of every step on offer.
    officer, chair = demo["officer_a"], demo["chair_a"]
    case = advance(make_case(officer), *INTERVENTION, officer=officer, chair=chair)
    services.case_propose_separation(
        actor=officer, case_id=case.pk, placement="Nhà bà ngoại", grounds="Bố đánh."
    )
    if chair_decides:
        services.case_decide_separation(
            actor=chair, case_id=case.pk, approve=True, period_days=10, decision_number="07"
        )

    assert offered(officer, case)["propose_separation"] == [
        "A separation is already proposed or in force."
    ]
    by_chair = offered(chair, case)
    if chair_decides:
        assert by_chair["decide_separation"] == ["No separation awaits the chair's decision."]
        assert by_chair["extend_separation"] == []
    else:
        assert by_chair["decide_separation"] == []
        assert by_chair["extend_separation"] == ["No separation is in force."]


def test_the_steps_on_offer_ask_the_transfers_the_page_read(demo):
    officer = demo["officer_a"]
    case = make_case(officer)
    assert offered(officer, case)["dismiss"] == []
    services.case_transfer_request(
        actor=officer, case_id=case.pk, to_commune=commune("14329"), reason="Trẻ chuyển nhà."
    )

    assert offered(officer, case)["dismiss"] == [
        "The case is offered to another commune: its officer answers the offer first."
    ]
