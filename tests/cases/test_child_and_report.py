"""The child and the report through the services (issue 11): who is a child (Law on Children
Art. 1), the groups of Art. 10, Form 01's family and report fields, Form 02's conclusion, what an
unfounded dismissal verified, and correcting the record with its history."""

import datetime
import importlib
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from cases import services
from cases.choices import ClosureReason, SexualAbuseForm, SpecialCircumstance
from cases.models import Case, Child, InitialAssessment, age_on, full_years
from core.errors import Forbidden, InvalidTransition, NotFound
from tests.cases.factories import make_case

migration = importlib.import_module("cases.migrations.0005_special_circumstances_law_codes")


def dismiss(case: Case, officer: Any) -> None:
    services.case_dismiss(
        actor=officer, case_id=case.pk, reason="unfounded", verification="Đã gặp gia đình."
    )


def assess(case: Case, officer: Any) -> None:
    services.case_assess_initial(
        actor=officer,
        case_id=case.pk,
        harm_level="medium",
        immediate_danger=False,
        findings="Vết bầm.",
        confirmed="abuse",
        safety_measures="Ở nhà bà.",
    )


def years_before(day: datetime.date, years: int) -> datetime.date:
    return day.replace(year=day.year - years)


def received_days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def report_day(received_at: datetime.datetime) -> datetime.date:
    return timezone.localtime(received_at).date()


# --- A child is a person under 16 (Law on Children Art. 1) -------------------------------------


def test_intake_refuses_a_person_of_16_on_the_reports_date_and_records_nothing(demo):
    received = received_days_ago(1)
    born = years_before(report_day(received), 16)  # the 16th birthday is the report's day
    child = services.ChildData(full_name="Lê Văn Tú", sex="male", date_of_birth=born)

    with pytest.raises(ValidationError) as refused:
        make_case(demo["officer_a"], received_at=received, child=child)

    message = refused.value.message_dict["date_of_birth"][0]
    assert "16" in message and "Art. 1" in message
    assert Case.objects.count() == 0
    assert Child.objects.count() == 0


def test_the_day_before_the_16th_birthday_is_still_a_child(demo):
    received = received_days_ago(1)
    born = years_before(report_day(received), 16) + datetime.timedelta(days=1)
    child = services.ChildData(full_name="Lê Văn Tú", sex="male", date_of_birth=born)

    case = make_case(demo["officer_a"], received_at=received, child=child)

    assert case.child.age_on(report_day(received)) == 15


def test_the_age_is_counted_on_the_reports_date_not_today_nor_by_year(demo):
    # 15 on the report's day, 16 today: still a child's report. Year minus year would say 16.
    received = received_days_ago(3)
    day = report_day(received)
    born = years_before(day, 16) + datetime.timedelta(days=1)
    if born.year == day.year - 15:  # the birthday falls in the next year: year-minus-year says 15
        pytest.skip("only meaningful when the birthday is in the report's own year")
    child = services.ChildData(full_name="Lê Văn Tú", sex="male", date_of_birth=born)

    case = make_case(demo["officer_a"], received_at=received, child=child)

    assert day.year - born.year == 16
    assert case.child.age_on(day) == 15


def test_an_estimated_age_of_16_is_refused_naming_the_field(demo):
    child = services.ChildData(full_name="Lê Văn Tú", sex="male", estimated_age=16)

    with pytest.raises(ValidationError) as refused:
        make_case(demo["officer_a"], child=child)

    assert set(refused.value.message_dict) == {"estimated_age"}


def test_an_estimated_age_counts_from_the_reports_date(demo):
    received = received_days_ago(2)
    case = make_case(demo["officer_a"], received_at=received, estimated_age=15)
    child = case.child

    assert child.estimated_on == report_day(received)
    assert child.age_on(report_day(received)) == 15
    a_year_later = child.estimated_on.replace(year=child.estimated_on.year + 1)
    assert child.age_on(a_year_later) == 16
    assert child.age_on(a_year_later - datetime.timedelta(days=1)) == 15


@override_settings(CHECHO_CHILD_AGE_LIMIT=18)
def test_the_age_limit_is_a_setting(demo):
    case = make_case(demo["officer_a"], estimated_age=17)

    assert case.child.estimated_age == 17
    with pytest.raises(ValidationError):
        make_case(demo["officer_a"], estimated_age=18, full_name="Trần Văn B")


def test_a_known_child_who_turned_16_cannot_have_a_new_report(demo):
    old = make_case(
        demo["officer_a"],
        received_at=received_days_ago(400),
        estimated_age=15,
    )

    with pytest.raises(ValidationError) as refused:
        make_case(demo["officer_a"], existing_child=old.child)

    assert set(refused.value.message_dict) == {"child_id"}
    assert Case.objects.count() == 1


def test_a_date_of_birth_after_the_report_is_refused(demo):
    received = received_days_ago(5)
    born = report_day(received) + datetime.timedelta(days=2)
    child = services.ChildData(full_name="Bé Na", sex="female", date_of_birth=born)

    with pytest.raises(ValidationError) as refused:
        make_case(demo["officer_a"], received_at=received, child=child)

    assert "date_of_birth" in refused.value.message_dict


def test_full_years_on_the_birthday_and_the_day_before():
    born = datetime.date(2010, 6, 15)
    assert full_years(born, datetime.date(2026, 6, 15)) == 16
    assert full_years(born, datetime.date(2026, 6, 14)) == 15
    assert full_years(datetime.date(2008, 2, 29), datetime.date(2024, 2, 28)) == 15
    assert full_years(datetime.date(2008, 2, 29), datetime.date(2024, 2, 29)) == 16


def test_no_age_before_the_date_of_birth():
    day = datetime.date(2026, 6, 15)
    born = {"estimated_age": None, "estimated_on": None}

    assert age_on(day, date_of_birth=day, **born) == 0
    assert age_on(day, date_of_birth=day + datetime.timedelta(days=1), **born) is None


def test_the_closure_reason_is_turned_16():
    assert "turned_16" in ClosureReason.values
    assert "turned_18" not in ClosureReason.values


# --- The 14 groups of Art. 10 ------------------------------------------------------------------


def test_the_groups_are_exactly_the_14_points_of_art_10():
    assert SpecialCircumstance.values == [
        "a", "b", "c", "d", "dd", "e", "g", "h", "i", "k", "l", "m", "n", "o",
    ]  # fmt: skip


def test_a_child_with_a_disability_is_in_group_d_and_groups_keep_the_laws_order(demo):
    child = services.ChildData(
        full_name="Hà Thị Mơ",
        sex="female",
        estimated_age=7,
        disability=True,
        special_circumstances=("l", "a"),
    )

    case = make_case(demo["officer_a"], child=child)

    assert case.child.special_circumstances == ["a", "d", "l"]


def test_a_group_outside_art_10_is_refused(demo):
    child = services.ChildData(
        full_name="Hà Thị Mơ", sex="female", estimated_age=7, special_circumstances=("left_behind",)
    )

    with pytest.raises(ValidationError) as refused:
        make_case(demo["officer_a"], child=child)

    assert set(refused.value.message_dict) == {"special_circumstances"}
    assert Case.objects.count() == 0


def test_the_data_migration_maps_the_old_codes_and_invents_nothing(demo):
    case = make_case(demo["officer_a"], received_at=received_days_ago(10), estimated_age=9)
    Child.objects.filter(pk=case.child_id).update(
        special_circumstances=["migrant", "orphan", "left_behind", "hiv", "dropped_out"],
        disability=True,
        estimated_on=None,
    )
    plain = make_case(demo["officer_a"], full_name="Vũ Văn Hải", estimated_age=5)
    Child.objects.filter(pk=plain.child_id).update(special_circumstances=[])
    Case.objects.filter(pk=plain.pk).update(
        status="closed", closed_at=timezone.now(), closure_reason="turned_18"
    )

    migration.forwards(apps, None)

    child = Child.objects.get(pk=case.child_id)
    assert child.special_circumstances == ["a", "d", "dd", "h", "o"]
    assert child.estimated_on == report_day(case.received_at)
    assert Child.objects.get(pk=plain.child_id).special_circumstances == []
    assert Case.objects.get(pk=plain.pk).closure_reason == "turned_16"


def test_every_old_code_maps_to_a_group_of_the_law_but_left_behind():
    assert set(migration.OLD_TO_NEW.values()) <= set(SpecialCircumstance.values)
    assert "left_behind" not in migration.OLD_TO_NEW
    assert SpecialCircumstance.values == migration.NEW_ORDER


def test_the_sexual_abuse_labels_follow_the_penal_code():
    labels = dict(SexualAbuseForm.choices)
    assert "13" in str(labels["rape"]) and "142" in str(labels["rape"])
    assert "13" in str(labels["intercourse_with_minor"]) and "145" in str(
        labels["intercourse_with_minor"]
    )


# --- Form 01: the family and the report --------------------------------------------------------


FORM_01: dict[str, Any] = {
    "reporter_address": "Thôn Đông, xã Nho Quan",
    "likely_harm": "Trẻ tiếp tục bị đánh.",
    "actions_taken": "Hàng xóm đưa trẻ sang nhà bà.",
    "receiving_body": "UBND xã Nho Quan",
    "report_number": "12/BC-UBND",
}


def test_form_01_records_the_family_and_the_report(demo):
    child = services.ChildData(
        full_name="Đinh Thị Hoa",
        sex="female",
        estimated_age=10,
        carers=(
            {"name": "Đinh Văn Ba", "relation": "bố", "age": 40, "occupation": "thợ xây"},
            {"name": "Lê Thị Tư", "relation": "mẹ", "contact": "0912"},
        ),
        family_circumstances="Hộ nghèo.",
    )

    case = make_case(demo["officer_a"], child=child, **FORM_01)

    case.refresh_from_db()
    for name, value in FORM_01.items():
        assert getattr(case, name) == value
    assert case.child.family_circumstances == "Hộ nghèo."
    assert case.child.carers == [
        {
            "name": "Đinh Văn Ba",
            "relation": "bố",
            "age": 40,
            "occupation": "thợ xây",
            "contact": "",
        },
        {"name": "Lê Thị Tư", "relation": "mẹ", "age": None, "occupation": "", "contact": "0912"},
    ]


def test_a_carer_without_a_name_is_refused(demo):
    child = services.ChildData(
        full_name="Đinh Thị Hoa", sex="female", estimated_age=10, carers=({"relation": "bố"},)
    )

    with pytest.raises(ValidationError) as refused:
        make_case(demo["officer_a"], child=child)

    assert set(refused.value.message_dict) == {"carers"}


# --- Form 02 and the dismissal -----------------------------------------------------------------


def test_form_02_records_whether_abuse_is_confirmed_and_the_safety_measures(demo):
    case = make_case(demo["officer_a"])

    services.case_assess_initial(
        actor=demo["officer_a"],
        case_id=case.pk,
        harm_level="medium",
        immediate_danger=False,
        findings="Vết bầm.",
        confirmed="risk",
        safety_measures="Trẻ ở với bà ngoại.",
    )

    record = InitialAssessment.objects.get(case=case)
    assert (record.confirmed, record.safety_measures) == ("risk", "Trẻ ở với bà ngoại.")


def test_form_02_without_its_conclusion_or_measures_is_refused_naming_them(demo):
    case = make_case(demo["officer_a"])

    with pytest.raises(ValidationError) as refused:
        services.case_assess_initial(
            actor=demo["officer_a"],
            case_id=case.pk,
            harm_level="medium",
            immediate_danger=False,
            findings="…",
            confirmed="maybe",
            safety_measures=" ",
        )

    assert set(refused.value.message_dict) == {"confirmed", "safety_measures"}
    case.refresh_from_db()
    assert case.status == "received"
    assert not InitialAssessment.objects.filter(case=case).exists()


def test_form_02_by_the_chair_is_forbidden(demo):
    case = make_case(demo["officer_a"])

    with pytest.raises(Forbidden):
        services.case_assess_initial(
            actor=demo["chair_a"],
            case_id=case.pk,
            harm_level="low",
            immediate_danger=False,
            findings="…",
            confirmed="risk",
            safety_measures="…",
        )


def test_an_unfounded_dismissal_records_what_was_verified(demo):
    case = make_case(demo["officer_a"])

    with pytest.raises(ValidationError) as refused:
        services.case_dismiss(actor=demo["officer_a"], case_id=case.pk, reason="unfounded")
    assert set(refused.value.message_dict) == {"verification"}
    case.refresh_from_db()
    assert case.status == "received"

    services.case_dismiss(
        actor=demo["officer_a"],
        case_id=case.pk,
        reason="unfounded",
        verification="Gặp trẻ và nhà trường: không có dấu hiệu bị đánh.",
    )
    case.refresh_from_db()
    assert case.status == "closed"
    assert case.dismiss_verification.startswith("Gặp trẻ")


def test_other_dismissals_need_no_verification(demo):
    first = make_case(demo["officer_a"])
    second = make_case(demo["officer_a"], full_name="Nguyễn Văn Hùng")

    services.case_dismiss(
        actor=demo["officer_a"],
        case_id=second.pk,
        reason="duplicate",
        duplicate_of_code=first.code,
    )

    second.refresh_from_db()
    assert (second.status, second.dismiss_verification) == ("closed", "")


# --- Correcting the record ---------------------------------------------------------------------


def test_carers_and_the_family_can_be_recorded_after_intake_with_the_history(demo):
    case = make_case(demo["officer_a"], reporter_address="Thôn Đông")

    services.case_correct(
        actor=demo["officer_a"],
        case_id=case.pk,
        changes={"likely_harm": "Bỏ học.", "reporter_address": "Thôn Tây", "report_number": "7"},
        child_changes={
            "carers": [{"name": "Bà Hoa", "relation": "bà", "age": 60, "occupation": "hưu trí"}],
            "family_circumstances": "Bố mẹ đi làm xa.",
        },
    )

    case.refresh_from_db()
    assert case.likely_harm == "Bỏ học."
    assert case.child.carers[0]["occupation"] == "hưu trí"
    changed = case.events.get(action="correct").details["changed"]
    assert changed["likely_harm"] == ["", "Bỏ học."]
    assert changed["report_number"] == ["", "7"]
    assert changed["reporter_address"] == "…"
    assert "Thôn" not in str(changed)
    assert changed["child"]["family_circumstances"] == ["", "Bố mẹ đi làm xa."]
    assert changed["child"]["carers"][0] == []


def test_removing_the_disability_removes_group_d_and_keeps_the_rest(demo):
    child = services.ChildData(
        full_name="Hà Thị Mơ",
        sex="female",
        estimated_age=7,
        disability=True,
        special_circumstances=("b",),
    )
    case = make_case(demo["officer_a"], child=child)

    services.case_correct(
        actor=demo["officer_a"], case_id=case.pk, child_changes={"disability": False}
    )

    case.child.refresh_from_db()
    assert (case.child.disability, case.child.special_circumstances) == (False, ["b"])
    services.case_correct(
        actor=demo["officer_a"], case_id=case.pk, child_changes={"special_circumstances": ["d"]}
    )
    case.child.refresh_from_db()
    assert (case.child.disability, case.child.special_circumstances) == (True, ["d"])


def test_a_correction_is_refused_by_role_state_scope_and_input(demo):
    case = make_case(demo["officer_a"])
    with pytest.raises(Forbidden):
        services.case_correct(actor=demo["chair_a"], case_id=case.pk, changes={"likely_harm": "x"})
    with pytest.raises(NotFound):
        services.case_correct(
            actor=demo["officer_b"], case_id=case.pk, changes={"likely_harm": "x"}
        )
    with pytest.raises(ValidationError) as refused:
        services.case_correct(
            actor=demo["officer_a"],
            case_id=case.pk,
            child_changes={"special_circumstances": ["left_behind"], "residence": None},
        )
    assert "residence" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.case_correct(
            actor=demo["officer_a"],
            case_id=case.pk,
            child_changes={"special_circumstances": ["zz"]},
        )
    assert set(refused.value.message_dict) == {"special_circumstances"}
    dismiss(case, demo["officer_a"])
    with pytest.raises(InvalidTransition):
        services.case_correct(
            actor=demo["officer_a"], case_id=case.pk, changes={"likely_harm": "x"}
        )
    assert not case.events.filter(action="correct").exists()


def test_an_emergency_from_received_keeps_its_measures_as_form_02s_safety_measures(demo):
    case = make_case(demo["officer_a"])

    services.case_declare_emergency(
        actor=demo["officer_a"],
        case_id=case.pk,
        danger="Bị đánh hằng ngày.",
        measures_taken="Đưa trẻ sang nhà bà ngoại.",
        harm_level="high",
        confirmed="abuse",
    )

    record = InitialAssessment.objects.get(case=case)
    assert (record.immediate_danger, record.safety_measures) == (True, "Đưa trẻ sang nhà bà ngoại.")


def test_a_corrected_date_of_birth_is_checked_against_the_report_date(api_as, demo):
    from tests.cases.factories import make_case

    case = make_case(demo["officer_a"], estimated_age=9)
    report_day = timezone.localtime(case.received_at).date()
    url = f"/api/v1/cases/{case.pk}/"
    too_old = report_day.replace(year=report_day.year - 17)

    refused = api_as("officer_a").patch(
        url, {"child": {"date_of_birth": too_old.isoformat()}}, format="json"
    )
    assert refused.status_code == 400, refused.json()
    assert "date_of_birth" in refused.json()
    case.child.refresh_from_db()
    assert case.child.date_of_birth is None and case.child.estimated_age == 9

    born = report_day.replace(year=report_day.year - 12)
    corrected = api_as("officer_a").patch(
        url, {"child": {"date_of_birth": born.isoformat()}}, format="json"
    )
    assert corrected.status_code == 200, corrected.json()
    case.child.refresh_from_db()
    assert case.child.date_of_birth == born and case.child.birth_year == born.year
    event = case.events.filter(action="correct").latest("at")
    assert event.details["changed"]["child"]["date_of_birth"][0] is None
    assert "birth_year" not in event.details["changed"]["child"]


def test_a_corrected_estimated_age_counts_on_the_report_date(api_as, demo):
    from tests.cases.factories import make_case

    case = make_case(demo["officer_a"], estimated_age=9)
    url = f"/api/v1/cases/{case.pk}/"

    refused = api_as("officer_a").patch(url, {"child": {"estimated_age": 16}}, format="json")
    assert refused.status_code == 400 and "estimated_age" in refused.json()

    corrected = api_as("officer_a").patch(url, {"child": {"estimated_age": 11}}, format="json")
    assert corrected.status_code == 200, corrected.json()
    case.child.refresh_from_db()
    report_day = timezone.localtime(case.received_at).date()
    assert case.child.estimated_age == 11 and case.child.birth_year == report_day.year - 11
