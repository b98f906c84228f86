"""The cases pages, through the Django test client as the demo roles use them."""

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.consent import Consent
from cases.models import Case, CaseEvent, CaseNote, Child
from core.models import Agency, AuditEvent, Unit
from tests.cases.factories import advance, plan_payload

COMMUNE_A = "14428"
COMMUNE_B = "14329"


def commune(code: str) -> Unit:
    return Unit.objects.get(structure="2025", code=code)


def make_case(actor, code: str = COMMUNE_A, name: str = "Nguyễn Thị Lan", **overrides) -> Case:
    values: dict[str, Any] = {
        "commune": commune(code),
        "received_at": timezone.now() - datetime.timedelta(hours=1),
        "channel": "phone",
        "source": "neighbour",
        "description": "Trẻ bị đánh.",
        "situation": "abused",
        "abuse_forms": ["physical_violence"],
        "setting": "family",
        "child": services.ChildData(full_name=name, sex="female", estimated_age=9),
    }
    return services.case_create(actor=actor, **(values | overrides))


def intake_post(**overrides) -> dict:
    received = timezone.localtime() - datetime.timedelta(hours=2)
    data = {
        "received_at": received.strftime("%Y-%m-%dT%H:%M"),
        "channel": "phone",
        "source": "neighbour",
        "reporter_name": "Bà Hoa",
        "reporter_contact": "0912345678",
        "description": "Hàng xóm nghe tiếng trẻ khóc và bị đánh.",
        "situation": "abused",
        "abuse_forms": ["physical_violence"],
        "setting": "family",
        "perpetrator_relation": "parent",
        "full_name": "Lò Văn Khải",
        "sex": "male",
        "estimated_age": "8",
        "ethnicity": "03",
        "carers-TOTAL_FORMS": "2",
        "carers-INITIAL_FORMS": "0",
    }
    return data | overrides


@pytest.fixture
def officer_client(client, demo):
    client.force_login(demo["officer_a"])
    return client


def test_the_list_shows_only_the_officers_own_commune(officer_client, demo):
    own = make_case(demo["officer_a"], name="Trần Thị Mai")
    other = make_case(demo["officer_b"], code=COMMUNE_B, name="Phạm Văn Nam")

    response = officer_client.get(reverse("cases:list"))

    assert response.status_code == 200
    assert own.code in response.text
    assert other.code not in response.text


def test_the_list_searches_names_without_diacritics(officer_client, demo):
    lan = make_case(demo["officer_a"], name="Đỗ Thị Lan")
    mai = make_case(demo["officer_a"], name="Trần Thị Mai")

    response = officer_client.get(reverse("cases:list"), {"q": "do thi lan"})

    assert lan.code in response.text
    assert mai.code not in response.text


def test_an_empty_filter_says_no_cases_match(officer_client, demo):
    make_case(demo["officer_a"])

    response = officer_client.get(reverse("cases:list"), {"status": "closed"})

    assert "No cases match." in response.text or 'id="no-cases"' in response.text


def test_the_filter_form_shows_each_querys_choices_and_errors_in_its_language(officer_client, demo):
    """The form is rendered once per query and language (a cached fragment): each request still
    sees its own selection, its own errors and its own language, never another's."""
    url = reverse("cases:list")
    for _ in range(2):  # the second time from the cache
        chosen = officer_client.get(url, {"status": "received", "page": "2"}).text
        bogus = officer_client.get(url, {"status": "bogus"}).text
        plain = officer_client.get(url).text
        english = officer_client.get(url, HTTP_ACCEPT_LANGUAGE="en").text
        assert '<option value="received" selected>' in chosen
        assert "errorlist" in bogus and "errorlist" not in plain
        assert '<option value="received" selected>' not in plain
        assert ">Status:</label>" in english and ">Trạng thái:</label>" in plain


def test_the_list_query_count_does_not_grow_with_rows(officer_client, demo):
    def queries_for_list() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert officer_client.get(reverse("cases:list")).status_code == 200
        return len(captured)

    for index in range(5):
        make_case(demo["officer_a"], name=f"Trẻ Số {index}")
    five = queries_for_list()
    for index in range(5, 20):
        make_case(demo["officer_a"], name=f"Trẻ Số {index}")
    twenty = queries_for_list()

    assert five == twenty


def test_a_case_of_another_commune_is_not_found(client, demo):
    case = make_case(demo["officer_a"])
    client.force_login(demo["officer_b"])

    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404


def test_a_manager_cannot_open_a_case(client, demo):
    case = make_case(demo["officer_a"])
    client.force_login(demo["manager"])

    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404


def test_the_case_page_shows_the_reporter_to_the_commune_only(client, demo):
    case = make_case(demo["officer_a"], reporter_name="Bà Hoa Bí Mật")

    client.force_login(demo["officer_a"])
    assert "Bà Hoa Bí Mật" in client.get(reverse("cases:detail", args=[case.pk])).text
    client.force_login(demo["province"])
    page = client.get(reverse("cases:detail", args=[case.pk]))
    assert page.status_code == 200
    assert "Bà Hoa Bí Mật" not in page.text


def test_intake_records_a_case_and_opens_it(officer_client):
    response = officer_client.post(reverse("cases:intake"), intake_post())

    case = Case.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("cases:detail", args=[case.pk])
    assert case.commune.code == COMMUNE_A
    assert case.child.full_name == "Lò Văn Khải"
    assert case.abuse_forms == ["physical_violence"]
    assert case.reporter_name == "Bà Hoa"


def test_intake_with_bad_input_shows_errors_and_records_nothing(officer_client):
    data = intake_post(description="", estimated_age="", abuse_forms=[])

    response = officer_client.post(reverse("cases:intake"), data)

    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"description", "date_of_birth", "abuse_forms"}
    assert "errorlist" in response.text
    assert not Case.objects.exists()
    assert not Child.objects.exists()


def test_intake_shows_the_services_validation_error_on_the_form(officer_client):
    future = timezone.localtime() + datetime.timedelta(days=1)

    response = officer_client.post(
        reverse("cases:intake"), intake_post(received_at=future.strftime("%Y-%m-%dT%H:%M"))
    )

    assert "received_at" in response.context["form"].errors
    assert not Case.objects.exists()


def test_intake_proposes_a_known_child_and_links_to_it(officer_client, demo):
    earlier = make_case(demo["officer_a"], name="Lò Văn Khải")
    known = earlier.child

    response = officer_client.post(
        reverse("cases:intake"), intake_post(full_name="Lo Van Khai", estimated_age="9")
    )

    assert response.status_code == 200
    assert [c.pk for c in response.context["duplicates"]] == [known.pk]
    assert earlier.code in response.text
    assert Case.objects.count() == 1

    response = officer_client.post(
        reverse("cases:intake"),
        intake_post(full_name="Lo Van Khai", estimated_age="9", child_choice=str(known.pk)),
    )

    assert response.status_code == 302
    latest = Case.objects.exclude(pk=earlier.pk).get()
    assert latest.child_id == known.pk
    assert Child.objects.count() == 1


def test_intake_can_record_a_new_child_despite_a_similar_one(officer_client, demo):
    make_case(demo["officer_a"], name="Lò Văn Khải")

    response = officer_client.post(
        reverse("cases:intake"), intake_post(estimated_age="9", child_choice="new")
    )

    assert response.status_code == 302
    assert Child.objects.count() == 2


def test_a_hotline_operator_chooses_the_commune(client, demo):
    client.force_login(demo["hotline"])

    page = client.get(reverse("cases:intake"))
    assert page.status_code == 200
    assert page.context["form"].fields["commune"].queryset.count() > 2

    response = client.post(reverse("cases:intake"), intake_post(commune=str(commune(COMMUNE_B).pk)))
    assert response.status_code == 302
    assert Case.objects.get().commune.code == COMMUNE_B


def test_a_manager_may_not_record_a_report(client, demo):
    client.force_login(demo["manager"])

    assert client.get(reverse("cases:intake")).status_code == 403


def test_a_transition_changes_the_status(officer_client, demo):
    case = make_case(demo["officer_a"])
    url = reverse("cases:transition", args=[case.pk, "assess_initial"])

    assert officer_client.get(url).status_code == 200
    response = officer_client.post(
        url,
        {
            "harm_level": "medium",
            "findings": "Có vết bầm.",
            "confirmed": "abuse",
            "safety_measures": "Trẻ ở nhà bà ngoại.",
        },
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "assessment"


def test_a_transition_refused_by_the_state_changes_nothing(officer_client, demo):
    case = make_case(demo["officer_a"])
    events = case.events.count()
    url = reverse("cases:transition", args=[case.pk, "start_review"])

    response = officer_client.post(url, {"notes": "…"}, follow=True)

    case.refresh_from_db()
    assert case.status == "received"
    assert case.events.count() == events
    assert any(m.level_tag == "error" for m in response.context["messages"])


def test_a_transition_with_a_service_error_shows_it_on_the_form(officer_client, demo):
    case = make_case(demo["officer_a"])
    url = reverse("cases:transition", args=[case.pk, "declare_emergency"])

    response = officer_client.post(
        url,
        {
            "danger": "Cha say rượu đánh trẻ.",
            "measures_taken": "Đưa trẻ sang nhà hàng xóm.",
            "separation_proposed": "on",
            "placement": "",
            "harm_level": "high",
        },
    )

    assert response.status_code == 200
    assert "placement" in response.context["form"].errors
    assert "Cha say rượu đánh trẻ." in response.text  # what was typed comes back
    case.refresh_from_db()
    assert case.status == "received"


def test_immediate_danger_in_the_assessment_leads_to_the_emergency_with_what_was_typed(
    officer_client, demo
):
    case = make_case(demo["officer_a"])
    url = reverse("cases:transition", args=[case.pk, "assess_initial"])

    response = officer_client.post(
        url,
        {
            "harm_level": "high",
            "immediate_danger": "on",
            "findings": "Trẻ có nhiều vết bầm mới.",
            "confirmed": "abuse",
            "safety_measures": "Trẻ ở tạm nhà bà nội.",
        },
    )

    emergency = reverse("cases:transition", args=[case.pk, "declare_emergency"])
    assert response.status_code == 302 and response.url == emergency
    case.refresh_from_db()
    assert case.status == "received"  # nothing recorded until the emergency is declared
    form = officer_client.get(emergency).context["form"]
    assert form["harm_level"].value() == "high"
    assert form["confirmed"].value() == "abuse"  # the officer's answer is not asked twice
    assert form["findings"].value() == "Trẻ có nhiều vết bầm mới."
    assert form["measures_taken"].value() == "Trẻ ở tạm nhà bà nội."

    done = officer_client.post(
        emergency,
        {
            "danger": "Cha say rượu đánh trẻ.",
            "measures_taken": "Trẻ ở tạm nhà bà nội.",
            "harm_level": "high",
            "confirmed": "abuse",
            "findings": "Trẻ có nhiều vết bầm mới.",
        },
    )
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.status == "emergency"
    assessment = case.initialassessments.get()
    assert (assessment.findings, assessment.confirmed) == ("Trẻ có nhiều vết bầm mới.", "abuse")
    # Carried once: the next emergency form starts empty.
    assert officer_client.session.get(f"cases:emergency-from-assessment:{case.pk}") is None


def test_a_chair_may_not_run_an_officers_step(client, demo):
    case = make_case(demo["officer_a"])
    client.force_login(demo["chair_a"])
    url = reverse("cases:transition", args=[case.pk, "assess_initial"])

    response = client.post(url, {"harm_level": "medium", "findings": "…"})

    assert response.status_code == 403


def plan_post(**overrides) -> dict:
    data = {
        "assessment_summary": "Đánh giá chi tiết.",
        "needs": "Tâm lý.",
        "meeting_held_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "meeting_participants": "Cán bộ xã, gia đình",
        "meeting_minutes": "Biên bản.",
        "goals": "Trẻ an toàn.",
        "measures-TOTAL_FORMS": "3",
        "measures-INITIAL_FORMS": "0",
        "measures-MIN_NUM_FORMS": "0",
        "measures-MAX_NUM_FORMS": "10",
        "measures-0-service": "psychosocial",
        "measures-0-description": "Tư vấn tâm lý",
        "measures-0-timeframe_days": "14",
    }
    return data | overrides


def test_the_officer_submits_a_plan_and_the_chair_approves_it(client, demo):
    case = make_case(demo["officer_a"], abuse_forms=["other"])
    services.case_assess_initial(
        actor=demo["officer_a"],
        case_id=case.pk,
        harm_level="low",
        immediate_danger=False,
        confirmed="risk",
        safety_measures="Ở nhà bà.",
        findings="…",
    )
    client.force_login(demo["officer_a"])
    submit = reverse("cases:transition", args=[case.pk, "submit_plan"])
    assert client.post(submit, plan_post()).status_code == 302
    case.refresh_from_db()
    assert case.status == "plan_review"
    assert [m.service for m in case.plans.get().measures.all()] == ["psychosocial"]

    client.force_login(demo["chair_a"])
    queue = client.get(reverse("cases:queue"))
    assert case.code in queue.text
    approve = reverse("cases:transition", args=[case.pk, "approve_plan"])
    # The chair reads the plan where the decision is taken: its goals and each measure.
    for step in ("approve_plan", "return_plan"):
        page = client.get(reverse("cases:transition", args=[case.pk, step]))
        shown = page.text[page.text.index('id="plan-to-decide"') :]
        assert plan_post()["goals"] in shown and plan_post()["measures-0-description"] in shown
    assert client.post(approve, {"decision_number": "12/QĐ-UBND"}).status_code == 302
    case.refresh_from_db()
    assert case.status == "intervention"


def test_the_plan_form_reads_the_agencies_once_however_many_measures_it_shows(client, demo):
    # The next plan starts from the returned one: a row per measure, two empty ones and the
    # row "Add a measure" copies, each with the same select of agencies.
    officer, chair = demo["officer_a"], demo["chair_a"]
    hospital = Agency.objects.get(name="Bệnh viện Đa khoa tỉnh Ninh Bình")

    def returned_with(count: int) -> Case:
        case = advance(make_case(officer), "assess_initial", officer=officer, chair=chair)
        payload = plan_payload(case) | {
            "measures": [
                services.MeasureData("medical_care", f"Khám lần {n}", 7, hospital)
                for n in range(count)
            ],
            "consent": Consent("emergency"),
        }
        services.case_submit_plan(actor=officer, case_id=case.pk, **payload)
        return advance(case, "return_plan", officer=officer, chair=chair)

    client.force_login(officer)

    def agency_reads(case: Case) -> int:
        with CaptureQueriesContext(connection) as captured:
            page = client.get(reverse("cases:transition", args=[case.pk, "submit_plan"]))
        assert page.status_code == 200
        assert page.text.count(f'<option value="{hospital.pk}" selected>') == len(
            case.plans.get().measures.all()
        )
        return sum(query["sql"].startswith('SELECT "core_agency"') for query in captured)

    assert agency_reads(returned_with(1)) == agency_reads(returned_with(4)) == 1


def test_a_plan_without_measures_is_refused_on_the_form(officer_client, demo):
    case = make_case(demo["officer_a"])
    services.case_assess_initial(
        actor=demo["officer_a"],
        case_id=case.pk,
        harm_level="low",
        immediate_danger=False,
        confirmed="risk",
        safety_measures="Ở nhà bà.",
        findings="…",
    )
    data = plan_post(
        **{"measures-0-service": "", "measures-0-description": "", "measures-0-timeframe_days": ""}
    )

    response = officer_client.post(reverse("cases:transition", args=[case.pk, "submit_plan"]), data)

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    case.refresh_from_db()
    assert case.status == "assessment"


def test_a_plan_naming_an_agency_needs_the_ground_for_sharing(officer_client, demo):
    from core.models import Agency

    case = make_case(demo["officer_a"])
    services.case_assess_initial(
        actor=demo["officer_a"],
        case_id=case.pk,
        harm_level="low",
        immediate_danger=False,
        confirmed="risk",
        safety_measures="Ở nhà bà.",
        findings="…",
    )
    agency = Agency.objects.get(name="Bệnh viện Đa khoa tỉnh Ninh Bình")
    data = plan_post(**{"measures-0-responsible_agency": str(agency.pk)})

    response = officer_client.post(reverse("cases:transition", args=[case.pk, "submit_plan"]), data)

    assert "consent_basis" in response.context["form"].errors
    response = officer_client.post(
        reverse("cases:transition", args=[case.pk, "submit_plan"]),
        data | {"consent_basis": "emergency"},
    )
    assert response.status_code == 302


def test_the_officer_adds_a_note(officer_client, demo):
    case = make_case(demo["officer_a"])

    response = officer_client.post(reverse("cases:note", args=[case.pk]), {"text": "Đã gọi điện."})

    assert response.status_code == 302
    assert case.casenotes.get().text == "Đã gọi điện."


def test_a_transfer_is_offered_and_accepted(client, demo):
    case = make_case(demo["officer_a"])
    client.force_login(demo["officer_a"])
    response = client.post(
        reverse("cases:transfer", args=[case.pk]),
        {"to_commune": str(commune(COMMUNE_B).pk), "reason": "Gia đình chuyển nhà."},
    )
    assert response.status_code == 302

    client.force_login(demo["officer_b"])
    listing = client.get(reverse("cases:list"))
    transfer = listing.context["transfers"][0]
    response = client.post(reverse("cases:transfer_decide", args=[transfer.pk]), {"accept": "yes"})

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.commune.code == COMMUNE_B


def test_the_chair_decides_a_separation_from_the_queue(client, demo):
    case = make_case(demo["officer_a"])
    services.case_declare_emergency(
        actor=demo["officer_a"],
        case_id=case.pk,
        danger="Bị đánh hằng ngày.",
        measures_taken="Đưa trẻ đến nhà bà.",
        separation_proposed=True,
        placement="Nhà bà ngoại",
        harm_level="high",
        confirmed="abuse",
    )
    decision = case.separationdecisions.get()
    client.force_login(demo["chair_a"])
    url = reverse("cases:separation_decide", args=[decision.pk])
    prefix = f"separation-{decision.pk}"

    # Without a period the form comes back with the error on its field (Decree 56 Art. 32).
    response = client.post(url, {f"{prefix}-approve": "yes"})
    assert response.status_code == 200
    assert "period_days" in dict(response.context["separations"])[decision].errors

    response = client.post(
        url,
        {
            f"{prefix}-approve": "yes",
            f"{prefix}-placement": "Nhà bà ngoại",
            f"{prefix}-period_days": "10",
        },
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.outcome == "approved"


def test_the_home_panel_counts_open_cases(officer_client, demo):
    make_case(demo["officer_a"])

    response = officer_client.get(reverse("home"))

    assert 'id="cases-panel"' in response.text


def test_the_case_list_pages_in_order_in_the_same_queries_however_many_cases(
    client, demo, monkeypatch
):
    monkeypatch.setattr("cases.views.PAGE_SIZE", 2)
    officer = demo["officer_a"]
    client.force_login(officer)
    hours_ago = [5, 1, 3]
    cases = [
        make_case(officer, received_at=timezone.now() - datetime.timedelta(hours=hours))
        for hours in hours_ago
    ]
    newest_first = [case.code for _hours, case in sorted(zip(hours_ago, cases, strict=True))]

    def listed(query: str = "") -> tuple[list[str], int, str]:
        with CaptureQueriesContext(connection) as queries:
            html = client.get(f"/cases/{query}").content.decode()
        codes = [code for code in newest_first if f'data-case="{code}"' in html]
        return sorted(codes, key=html.index), len(queries), html

    first, few, html = listed()
    second, _, _ = listed("?page=2")
    assert first + second == newest_first
    assert "3" in html.split('class="pagination"')[1]  # "Page 1 of 2 (3 cases)"
    for _ in range(3):
        make_case(officer)
    _, many, _ = listed("?page=2")
    assert many == few


def test_a_long_list_stops_counting_and_says_so(client, demo, monkeypatch):
    monkeypatch.setattr("cases.views.PAGE_SIZE", 1)
    monkeypatch.setattr("cases.views.COUNT_AT_MOST", 2)
    officer = demo["officer_a"]
    client.force_login(officer)
    for _ in range(3):
        make_case(officer)
    html = client.get("/cases/").content.decode()
    nav = html.split('class="pagination"')[1].split("</nav>")[0]
    assert "2" in nav and ("more than" in nav or "hơn" in nav)
    assert 'href="?cursor=' in nav  # Next, by cursor: it walks past the bound (below)
    # The count stopped at two: by number, the page past it is not offered.
    last = client.get("/cases/?page=3").content.decode().split('class="pagination"')[1]
    assert "page=3" not in last.split("</nav>")[0] and "cursor=" not in last.split("</nav>")[0]


def test_the_history_shows_its_latest_steps_a_page_at_a_time(officer_client, demo):
    """A case followed for years gathers hundreds of steps: the page shows the latest fifty,
    and the earlier ones a page back, at the same cost however long the history."""
    case = make_case(demo["officer_a"])
    url = reverse("cases:detail", args=[case.pk])

    def add_notes(count: int) -> None:
        start = timezone.now()
        CaseEvent.objects.bulk_create(
            CaseEvent(
                case=case,
                actor=demo["officer_a"],
                at=start + datetime.timedelta(seconds=n),
                action="note",
                details={"n": n},
            )
            for n in range(count)
        )

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert officer_client.get(url).status_code == 200
        return len(captured)

    add_notes(60)
    queries()  # the first read fills Django's cache of content types
    sixty = queries()
    add_notes(120)
    assert queries() == sixty

    latest = officer_client.get(url)
    earlier = officer_client.get(url, {"history": "2"})
    beyond = officer_client.get(url, {"history": "nonsense"})
    total = CaseEvent.objects.filter(case=case).count()
    newest = CaseEvent.objects.filter(case=case).order_by("-at", "-id").first()
    assert len(latest.context["events"]) == 50
    assert latest.context["events"][-1]["event"] == newest
    last_page = officer_client.get(url, {"history": "4"})
    assert last_page.context["events"][0]["event"].action == "create"
    assert len(last_page.context["events"]) == total - 150
    assert 'id="history-earlier"' in latest.text and 'id="history-later"' not in latest.text
    assert 'id="history-later"' in earlier.text
    assert earlier.context["events"][-1]["event"].at < latest.context["events"][0]["event"].at
    assert f"50 trong {total} bước" in latest.text
    assert beyond.status_code == 200 and beyond.context["events"][-1]["event"] == newest


def test_the_notes_show_the_newest_twenty_a_page_at_a_time(officer_client, demo):
    case = make_case(demo["officer_a"])
    url = reverse("cases:detail", args=[case.pk])
    start = timezone.now()

    def add_notes(first: int, count: int) -> None:
        CaseNote.objects.bulk_create(
            CaseNote(
                case=case,
                author=demo["officer_a"],
                created_at=start + datetime.timedelta(minutes=n),
                text=f"Ghi chú số {n}.",
            )
            for n in range(first, first + count)
        )

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert officer_client.get(url).status_code == 200
        return len(captured)

    add_notes(0, 25)
    queries()  # the first read fills Django's cache of content types
    some = queries()
    add_notes(25, 40)
    assert queries() == some

    newest = officer_client.get(url).text
    oldest = officer_client.get(url, {"notes": "4"}).text
    assert "Ghi chú số 64." in newest and "Ghi chú số 45." in newest
    assert "Ghi chú số 44." not in newest
    assert newest.index("Ghi chú số 64.") < newest.index("Ghi chú số 45.")  # newest first
    assert "20 trong 65 ghi chú" in newest and 'id="notes-earlier"' in newest
    assert "Ghi chú số 0." in oldest and "5 trong 65 ghi chú" in oldest
    assert 'id="notes-later"' in oldest and 'id="notes-earlier"' not in oldest
    # Paging the notes keeps the history's page, and the other way round.
    kept = officer_client.get(url, {"history": "1", "notes": "2"}).text
    assert 'href="?history=1&amp;notes=3#notes"' in kept
    # The audit trail says which pages were read: asked for a page past the end, the last; a
    # case with no note yet says its page of notes too.
    bare = make_case(demo["officer_a"], name="Lê Thị Hoa")
    officer_client.get(reverse("cases:detail", args=[bare.pk]))
    first = AuditEvent.objects.filter(action="case.read", object_id=str(bare.pk)).get()
    assert first.details == {"view": "page", "history": 1, "notes": 1}
    officer_client.get(url, {"history": "99", "notes": "99"})
    read = AuditEvent.objects.filter(action="case.read", object_id=str(case.pk)).latest("pk")
    assert read.details == {"view": "page", "history": 1, "notes": 4}
