"""The inspection pages, through the Django test client as the demo roles use them."""

import datetime
import zoneinfo
from typing import Any

import pytest
import time_machine
from django.contrib.messages import constants as message_levels
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import Agency, RoleMembership, User
from inspections import services
from inspections.models import Finding, InspectedSubject, Inspection, SubjectKind

LEAD = "Sở Y tế tỉnh Ninh Bình"
CULTURE = "Sở Văn hóa, Thể thao và Du lịch tỉnh Ninh Bình"


def lead_agency() -> Agency:
    return Agency.objects.get(name=LEAD)


def plan(demo, actor: str = "inspector", **overrides) -> Inspection:
    today = timezone.localdate()
    values: dict[str, Any] = {
        "kind": "interagency",
        "topic": "school_violence",
        "title": "Kiểm tra trường học",
        "lead_agency": lead_agency(),
        "decision_number": "01/QĐ-SYT",
        "decision_date": today - datetime.timedelta(days=3),
        "planned_start": today,
        "planned_end": today + datetime.timedelta(days=4),
    }
    return services.inspection_plan(actor=demo[actor], plan=services.Plan(**(values | overrides)))


def step(demo, inspection: Inspection, name: str, **payload) -> Inspection:
    return services.STEP_SERVICES[name](
        actor=demo["inspector"], inspection_id=inspection.pk, **payload
    )


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def detail(inspection: Inspection) -> str:
    return reverse("inspections:detail", args=[inspection.pk])


def error_messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"] if m.level == message_levels.ERROR]


@pytest.fixture
def outsider(demo) -> User:
    """An inspector of the demo inspector's agency who is on no team."""
    user = User.objects.create_user("inspector_2", password="x")
    RoleMembership.objects.create(user=user, role="inspector", agency=lead_agency())
    return user


@pytest.fixture
def inspector(demo) -> Client:
    return signed_in(demo["inspector"])


def plan_post(demo, **overrides) -> dict:
    today = timezone.localdate()
    data = {
        "kind": "thematic",
        "topic": "online_privacy",
        "title": "Kiểm tra quyền riêng tư trên mạng",
        "lead_agency": str(lead_agency().pk),
        "decision_number": "07/QĐ-SYT",
        "decision_date": (today - datetime.timedelta(days=2)).isoformat(),
        "planned_start": today.isoformat(),
        "planned_end": (today + datetime.timedelta(days=5)).isoformat(),
        "member_agencies": [str(Agency.objects.get(name=CULTURE).pk)],
    }
    return data | overrides


# --- The list -----------------------------------------------------------------------------------


def test_the_list_shows_an_inspector_only_the_inspections_of_their_teams(demo, outsider):
    mine = plan(demo, title="Của đoàn tôi")
    other = services.inspection_plan(
        actor=outsider,
        plan=services.Plan(
            kind="thematic",
            topic="other",
            title="Của đoàn khác",
            lead_agency=lead_agency(),
            decision_number="02/QĐ",
            decision_date=timezone.localdate(),
            planned_start=timezone.localdate(),
            planned_end=timezone.localdate(),
        ),
    )

    response = signed_in(demo["inspector"]).get(reverse("inspections:list"))

    assert response.status_code == 200
    assert f'data-inspection="{mine.pk}"' in response.text
    assert f'data-inspection="{other.pk}"' not in response.text
    assert 'id="plan-inspection"' in response.text


def test_the_list_filters_by_kind_topic_status_and_year(demo, inspector):
    school = plan(demo)
    online = plan(demo, kind="thematic", topic="online_privacy", title="Trên mạng")
    step(demo, online, "start")
    url = reverse("inspections:list")

    by_status = inspector.get(url, {"status": "in_progress"}).text
    by_topic = inspector.get(url, {"topic": "school_violence", "kind": "interagency"}).text
    by_year = inspector.get(url, {"year": timezone.localdate().year - 1}).text

    assert f'data-inspection="{online.pk}"' in by_status
    assert f'data-inspection="{school.pk}"' not in by_status
    assert f'data-inspection="{school.pk}"' in by_topic
    assert f'data-inspection="{online.pk}"' not in by_topic
    assert 'id="no-inspections"' in by_year


def test_the_filter_form_shows_each_querys_choices_errors_language_and_years(demo, inspector):
    """The form is rendered once per query, language and year (a cached fragment): each request
    still sees its own selection, its own errors, its own language and this year's choices."""
    url = reverse("inspections:list")
    this_year = timezone.localdate().year
    for _ in range(2):  # the second time from the cache
        chosen = inspector.get(url, {"status": "in_progress", "page": "2"}).text
        bogus = inspector.get(url, {"status": "bogus"}).text
        plain = inspector.get(url).text
        english = inspector.get(url, HTTP_ACCEPT_LANGUAGE="en").text
        assert '<option value="in_progress" selected>' in chosen
        assert "errorlist" in bogus and "errorlist" not in plain
        assert '<option value="in_progress" selected>' not in plain
        assert ">Kind:</label>" in english and ">Loại:</label>" in plain
        assert f'<option value="{this_year + 1}">' in plain

    # Twenty minutes apart, across New Year's midnight in the province: the fragment cached on
    # New Year's Eve is still fresh, but the year's choices have moved on.
    hanoi = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
    eve = datetime.datetime(this_year, 12, 31, 23, 50, tzinfo=hanoi)
    for moment, newest in (
        (eve, this_year + 1),
        (eve + datetime.timedelta(minutes=20), this_year + 2),
    ):
        with time_machine.travel(moment):
            page = signed_in(demo["inspector"]).get(url).text  # a session of that day
        assert f'<option value="{newest}">' in page
        assert f'<option value="{newest + 1}">' not in page


def test_the_rows_name_the_kind_topic_agency_and_state_in_the_readers_language(demo, inspector):
    inspection = plan(demo)

    vietnamese = inspector.get(reverse("inspections:list")).text
    english = inspector.get(reverse("inspections:list"), HTTP_ACCEPT_LANGUAGE="en").text

    row = f'<tr data-inspection="{inspection.pk}">'
    assert row in vietnamese and row in english
    assert LEAD in vietnamese
    assert ">Liên ngành</td>" in vietnamese and ">Inter-agency</td>" in english
    assert ">Bạo lực học đường</td>" in vietnamese and ">School violence</td>" in english
    assert 'data-label="Trạng thái"' in vietnamese and 'data-label="Status"' in english


def test_the_list_says_so_when_there_is_no_inspection(demo):
    response = signed_in(demo["province"]).get(reverse("inspections:list"))
    assert 'id="no-inspections"' in response.text
    assert 'id="plan-inspection"' not in response.text


def test_the_list_query_count_does_not_grow_with_rows(demo, inspector):
    def queries_for_list() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert inspector.get(reverse("inspections:list")).status_code == 200
        return len(captured)

    for index in range(3):
        plan(demo, title=f"Kiểm tra {index}")
    three = queries_for_list()
    for index in range(3, 12):
        plan(demo, title=f"Kiểm tra {index}")
    twelve = queries_for_list()

    assert three == twelve


# --- Who sees the inspection page ---------------------------------------------------------------


def test_an_inspector_not_on_the_team_gets_404(demo, outsider):
    inspection = plan(demo)
    assert signed_in(outsider).get(detail(inspection)).status_code == 404


def test_a_commune_officer_gets_404(demo):
    inspection = plan(demo)
    assert signed_in(demo["officer_a"]).get(detail(inspection)).status_code == 404


def test_the_province_sees_the_inspection_read_only(demo):
    inspection = plan(demo)
    step(demo, inspection, "start")

    response = signed_in(demo["province"]).get(detail(inspection))

    assert response.status_code == 200
    assert 'id="inspection-status" data-status="in_progress"' in response.text
    assert "<form" not in response.text.split("</header>", 1)[1]  # only the top bar's forms
    assert 'id="finding-form"' not in response.text
    assert "data-transition" not in response.text


def test_the_province_may_not_post_a_step(demo):
    inspection = plan(demo)
    url = reverse("inspections:transition", args=[inspection.pk, "start"])
    assert signed_in(demo["province"]).post(url).status_code == 403
    inspection.refresh_from_db()
    assert inspection.status == "planned"


def test_the_head_of_the_team_sees_the_steps_and_the_reasons_for_the_others(demo, inspector):
    inspection = plan(demo)
    response = inspector.get(detail(inspection))
    assert 'data-transition="start"' in response.text
    assert 'data-transition="cancel"' in response.text
    assert 'data-unavailable="conclude"' in response.text


# --- Planning -----------------------------------------------------------------------------------


def test_the_plan_form_creates_an_inspection(demo, inspector):
    subject = services.subject_register(
        actor=demo["inspector"],
        kind=SubjectKind.ONLINE_SERVICE,
        name="Mạng xã hội X",
        unit=lead_agency().jurisdiction,
    )
    data = plan_post(demo, subjects=[str(subject.pk)])

    response = inspector.post(reverse("inspections:plan"), data)

    inspection = Inspection.objects.get(title="Kiểm tra quyền riêng tư trên mạng")
    assert response.status_code == 302
    assert response["Location"] == detail(inspection)
    assert list(inspection.subjects.all()) == [subject]
    assert inspection.member_agencies.get().name == CULTURE
    assert inspection.team.get().user == demo["inspector"]


def test_bad_input_re_renders_the_plan_form_and_creates_nothing(demo, inspector):
    today = timezone.localdate()
    data = plan_post(
        demo,
        title="",
        # The service refuses this one: the decision comes after the start.
        decision_date=(today + datetime.timedelta(days=1)).isoformat(),
    )

    response = inspector.post(reverse("inspections:plan"), data)

    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"title"}
    assert not Inspection.objects.exists()

    response = inspector.post(reverse("inspections:plan"), data | {"title": "Có tên"})
    assert response.status_code == 200
    assert "decision_date" in response.context["form"].errors
    assert not Inspection.objects.exists()


def test_a_new_subject_is_registered_from_the_plan_form_and_kept_chosen(demo, inspector):
    unit = lead_agency().jurisdiction
    data = plan_post(
        demo,
        register_subject="1",
        **{"subject-kind": "school", "subject-name": "Trường THCS Mới", "subject-unit": unit.pk},
    )

    response = inspector.post(reverse("inspections:plan"), data)

    subject = InspectedSubject.objects.get(name="Trường THCS Mới")
    assert response.status_code == 200
    assert not Inspection.objects.exists()
    form = response.context["form"]
    assert str(subject.pk) in form.initial["subjects"]
    assert form.initial["title"] == "Kiểm tra quyền riêng tư trên mạng"


def test_someone_without_an_inspector_role_may_not_plan(demo):
    assert signed_in(demo["province"]).get(reverse("inspections:plan")).status_code == 403


# --- Findings, steps and recommendations --------------------------------------------------------


def test_a_finding_with_a_fine_is_recorded_through_the_form(demo, inspector):
    inspection = plan(demo)
    step(demo, inspection, "start")
    data = {
        "finding-description": "Không niêm yết số Tổng đài 111.",
        "finding-legal_basis": "Nghị định 130/2021/NĐ-CP",
        "finding-responsible": "Hiệu trưởng",
        "finding-sanction": "fine",
        "finding-fine_amount": "7500000",
        "finding-head_held_accountable": "on",
    }

    response = inspector.post(reverse("inspections:finding", args=[inspection.pk]), data)

    assert response.status_code == 302
    finding = Finding.objects.get(inspection=inspection)
    assert (finding.sanction, finding.fine_amount) == ("fine", 7_500_000)
    assert finding.head_held_accountable
    page = inspector.get(detail(inspection)).text
    assert 'data-fine="7500000"' in page
    assert "7.500.000" in page  # Vietnamese thousands separator


def test_a_fine_without_an_amount_re_renders_the_finding_form(demo, inspector):
    inspection = plan(demo)
    step(demo, inspection, "start")
    data = {
        "finding-description": "…",
        "finding-legal_basis": "…",
        "finding-responsible": "…",
        "finding-sanction": "fine",
    }

    response = inspector.post(reverse("inspections:finding", args=[inspection.pk]), data)

    assert response.status_code == 200
    assert "fine_amount" in response.context["finding_form"].errors
    assert not Finding.objects.exists()


def test_a_child_found_at_risk_opens_a_case_shown_by_its_code(demo, inspector):
    from core.models import Unit

    inspection = plan(demo)
    step(demo, inspection, "start")
    commune = Unit.objects.get(structure="2025", code="14428")
    data = {
        "finding-description": "Trẻ làm việc ban đêm tại cơ sở.",
        "finding-legal_basis": "Luật Trẻ em 2016, Điều 6",
        "finding-responsible": "Chủ cơ sở",
        "finding-sanction": "referred_to_police",
        "finding-child_found": "on",
        "finding-commune": str(commune.pk),
        "finding-child_name": "Lò Thị Mai",
        "finding-child_sex": "female",
        "finding-child_age": "14",
        "finding-situation": "at_risk",
        "finding-abuse_forms": ["exploitation"],
        "finding-child_description": "Trẻ phục vụ quán đến 23 giờ.",
    }

    response = inspector.post(reverse("inspections:finding", args=[inspection.pk]), data)

    assert response.status_code == 302
    finding = Finding.objects.select_related("case").get(inspection=inspection)
    assert finding.case is not None
    page = inspector.get(detail(inspection)).text
    assert f'data-case="{finding.case.code}"' in page
    assert reverse("cases:detail", args=[finding.case.pk]) not in page


def test_concluding_without_findings_is_refused_with_a_message_and_changes_nothing(demo, inspector):
    inspection = plan(demo)
    step(demo, inspection, "start")
    step(demo, inspection, "begin_reporting")
    events = inspection.events.count()
    url = reverse("inspections:transition", args=[inspection.pk, "conclude"])

    response = inspector.post(url, {"conclude-conclusion": "Đã kiểm tra."}, follow=True)

    assert response.redirect_chain[-1][0] == detail(inspection)
    assert error_messages(response)
    inspection.refresh_from_db()
    assert inspection.status == "reporting"
    assert inspection.events.count() == events


def test_concluding_without_a_conclusion_re_renders_the_form(demo, inspector):
    inspection = plan(demo)
    step(demo, inspection, "start")
    step(demo, inspection, "begin_reporting")
    url = reverse("inspections:transition", args=[inspection.pk, "conclude"])

    response = inspector.post(url, {"conclude-no_violation_found": "on"})

    assert response.status_code == 200
    conclude = next(s for s in response.context["steps"] if s.name == "conclude")
    assert "conclusion" in conclude.form.errors
    inspection.refresh_from_db()
    assert inspection.status == "reporting"


def test_a_step_the_state_forbids_is_refused_with_a_message(demo, inspector):
    inspection = plan(demo)
    url = reverse("inspections:transition", args=[inspection.pk, "close"])
    response = inspector.post(url, follow=True)
    assert error_messages(response)
    inspection.refresh_from_db()
    assert inspection.status == "planned"


def test_a_recommendation_is_made_and_marked_done(demo, inspector):
    inspection = plan(demo)
    step(demo, inspection, "start")
    step(demo, inspection, "begin_reporting")
    due = timezone.localdate() + datetime.timedelta(days=20)

    response = inspector.post(
        reverse("inspections:recommendation", args=[inspection.pk]),
        {
            "recommendation-action": "Niêm yết số 111",
            "recommendation-responsible": "Nhà trường",
            "recommendation-due_date": due.isoformat(),
        },
    )
    assert response.status_code == 302
    recommendation = inspection.recommendations.get()
    page = inspector.get(detail(inspection)).text
    assert f'data-recommendation="{recommendation.pk}" data-status="open"' in page
    assert 'data-resolve="waive"' in page

    done_url = reverse("inspections:resolve", args=[inspection.pk, recommendation.pk, "done"])
    response = inspector.post(done_url, {f"done-{recommendation.pk}-evidence": ""})
    assert response.status_code == 200  # the evidence is needed
    response = inspector.post(done_url, {f"done-{recommendation.pk}-evidence": "Ảnh chụp"})
    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.status == "done"


# --- The calendar and a subject's history -------------------------------------------------------


def test_the_calendar_shows_an_inspection_on_each_day_it_runs(demo, inspector):
    start = datetime.date(2031, 3, 30)
    inspection = plan(
        demo,
        decision_date=start,
        planned_start=start,
        planned_end=start + datetime.timedelta(days=3),
    )

    response = inspector.get(reverse("inspections:calendar"), {"month": "2031-03"})

    text = response.text
    assert 'data-month="2031-03"' in text
    assert 'href="?month=2031-02"' in text and 'href="?month=2031-04"' in text
    days = [
        week_day["date"]
        for week in response.context["weeks"]
        for week_day in week
        if inspection in week_day["inspections"]
    ]
    assert days == [start + datetime.timedelta(days=n) for n in range(4)]


def test_a_bad_month_shows_the_current_one(demo, inspector):
    response = inspector.get(reverse("inspections:calendar"), {"month": "nonsense"})
    assert response.status_code == 200
    assert response.context["month"] == timezone.localdate().replace(day=1)


def test_a_subject_page_lists_the_inspections_the_user_may_see(demo, inspector, outsider):
    subject = services.subject_register(
        actor=demo["inspector"],
        kind=SubjectKind.SCHOOL,
        name="Trường Tiểu học Nho Quan",
        unit=lead_agency().jurisdiction,
    )
    mine = plan(demo, subjects=(subject,))
    url = reverse("inspections:subject", args=[subject.pk])

    assert f'data-inspection="{mine.pk}"' in inspector.get(url).text
    assert f'data-inspection="{mine.pk}"' not in signed_in(outsider).get(url).text
    assert signed_in(demo["officer_a"]).get(url).status_code == 404
    assert reverse("inspections:subject", args=[subject.pk]) in inspector.get(detail(mine)).text


@pytest.mark.parametrize("field", ["member_agencies", "subjects", "members"])
@pytest.mark.parametrize("chosen", ["99999999999999999999999", "-1", "²"])
def test_an_id_no_row_can_have_among_the_plans_choices_is_a_form_error(client, demo, field, chosen):
    """Django looks several choices up with `pk__in`, which handed an id past the key's range to
    SQLite (a 500, found by a probe of the web forms)."""
    client.force_login(demo["inspector"])
    before = Inspection.objects.count()

    response = client.post(reverse("inspections:plan"), plan_post(demo, **{field: [chosen]}))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Inspection.objects.count() == before
