"""Dates are shown and typed day first, dd/mm/yyyy (dd/mm/yyyy hh:mm with a time), in Vietnamese
and in English alike (issue 14): every date of a web form is a text box, not the browser's
picker, which shows the browser's locale (mm/dd/yyyy in an English Chromium). ISO dates are still
taken, and the API keeps to them."""

import datetime
import html
import importlib
import inspect
import re
from collections.abc import Iterator

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework import serializers

from cases.models import Case
from core import forms as core_forms
from core.models import User
from inspections.models import Inspection
from tests.cases.test_views import intake_post
from tests.inspections.test_views import plan_post

WEB_FORM_MODULES = [
    "cases.forms",
    "referrals.forms",
    "inspections.forms",
    "notifications.forms",
    "reports.forms",
]
# `?month=yyyy-mm` of the inspection calendar's links: a query parameter, not a typed date.
NOT_TYPED = {"inspections.forms.MonthForm.month"}
LANGUAGES = ["vi", "en"]


def typed_dates() -> Iterator[tuple[str, forms.Field]]:
    """Every date and time field a web form declares, as `module.Form.field`."""
    for name in WEB_FORM_MODULES:
        module = importlib.import_module(name)
        for form in vars(module).values():
            if not (inspect.isclass(form) and issubclass(form, forms.Form | forms.ModelForm)):
                continue
            if form.__module__ != name:
                continue
            for field_name, field in form.base_fields.items():
                where = f"{name}.{form.__name__}.{field_name}"
                if (
                    isinstance(field, forms.DateField | forms.DateTimeField)
                    and where not in NOT_TYPED
                ):
                    yield where, field


FIELDS = dict(typed_dates())
DATE_FIELDS = {k: f for k, f in FIELDS.items() if isinstance(f, forms.DateField)}
DATETIME_FIELDS = {k: f for k, f in FIELDS.items() if isinstance(f, forms.DateTimeField)}


def a_recent_day() -> datetime.date:
    """A day inside every field's window: past, and not before anyone's birth."""
    return timezone.localdate() - datetime.timedelta(days=40)


def a_recent_moment() -> datetime.datetime:
    return (timezone.localtime() - datetime.timedelta(hours=3)).replace(second=0, microsecond=0)


def refusal(field: forms.Field, value: str) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        field.clean(value)
    return refused.value.messages


def input_tag(page: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    assert match, f"no input named {name}"
    return html.unescape(match.group(0))


def attribute(tag: str, name: str) -> str | None:
    match = re.search(rf'\s{name}="([^"]*)"', tag)
    return match.group(1) if match else None


# --- Every date of a form --------------------------------------------------------------------


def test_the_walk_sees_the_dates_of_every_app() -> None:
    assert {
        "cases.forms.IntakeForm.received_at",
        "cases.forms.IntakeForm.date_of_birth",
        "cases.forms.SubmitPlanForm.meeting_held_at",
        "cases.forms.SanctionForm.decided_on",
        "referrals.forms.OutcomeForm.decision_date",
        "referrals.forms.OutcomeForm.examined_at",
        "referrals.forms.ExtendForm.due_at",
        "referrals.forms.SuspensionForm.suspended_on",
        "inspections.forms.PlanForm.decision_date",
        "inspections.forms.RecommendationForm.due_date",
    } <= FIELDS.keys()


def test_every_date_of_a_form_is_a_day_first_text_box() -> None:
    wrong = [
        where
        for where, field in FIELDS.items()
        if not isinstance(field, core_forms.DateField | core_forms.DateTimeField)
        or field.widget.input_type != "text"
        or "type" in field.widget.attrs
    ]
    assert not wrong, "use core.forms.DateField or DateTimeField:\n" + "\n".join(wrong)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("where", sorted(DATE_FIELDS))
def test_a_date_is_shown_as_dd_mm_yyyy_with_its_placeholder(where: str, language: str) -> None:
    field = DATE_FIELDS[where]
    with translation.override(language):
        tag = field.widget.render("day", datetime.date(2026, 3, 5))
        placeholder = str(translation.gettext("dd/mm/yyyy"))
    assert attribute(tag, "type") == "text"
    assert attribute(tag, "value") == "05/03/2026"
    assert attribute(tag, "inputmode") == "numeric"
    assert attribute(tag, "placeholder") == html.escape(placeholder)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("where", sorted(DATETIME_FIELDS))
def test_a_time_is_shown_as_dd_mm_yyyy_hh_mm(where: str, language: str) -> None:
    field = DATETIME_FIELDS[where]
    moment = timezone.make_aware(datetime.datetime(2026, 3, 5, 14, 30))
    with translation.override(language):
        tag = field.widget.render("moment", field.prepare_value(moment))
        placeholder = str(translation.gettext("dd/mm/yyyy hh:mm"))
    assert attribute(tag, "type") == "text"
    assert attribute(tag, "value") == "05/03/2026 14:30"
    assert attribute(tag, "placeholder") == html.escape(placeholder)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("where", sorted(DATE_FIELDS))
def test_a_date_is_read_day_first_or_as_iso(where: str, language: str) -> None:
    field, day = DATE_FIELDS[where], a_recent_day()
    with translation.override(language):
        for typed in (
            f"{day:%d/%m/%Y}",
            f"{day.day}/{day.month}/{day.year}",
            f"{day:%d-%m-%Y}",
            f"{day:%d%m%Y}",  # a number pad without "/"
            f" {day:%d/%m/%Y} ",
            day.isoformat(),
        ):
            assert field.clean(typed) == day, typed


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("where", sorted(DATETIME_FIELDS))
def test_a_time_is_read_day_first_or_as_iso(where: str, language: str) -> None:
    field, moment = DATETIME_FIELDS[where], a_recent_moment()
    with translation.override(language):
        for typed in (
            f"{moment:%d/%m/%Y %H:%M}",
            f"{moment.day}/{moment.month}/{moment.year} {moment:%H:%M}",
            f"{moment:%d-%m-%Y %H:%M}",
            f"{moment:%Y-%m-%dT%H:%M}",
            f"{moment:%Y-%m-%d %H:%M:%S}",
        ):
            assert field.clean(typed) == moment, typed


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("where", sorted(DATE_FIELDS))
def test_a_date_that_does_not_exist_is_refused_in_the_users_language(
    where: str, language: str
) -> None:
    field = DATE_FIELDS[where]
    with translation.override(language):
        expected = str(core_forms.DateField.default_error_messages["invalid"])
        for typed in ("31/02/2026", "2026-13-01", "13/25/2026", "05/03/26", "5032026", "hôm qua"):
            assert refusal(field, typed) == [expected], typed
    assert "25/10/2026" in expected  # an example, day first


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("where", sorted(DATETIME_FIELDS))
def test_a_time_that_does_not_exist_is_refused_in_the_users_language(
    where: str, language: str
) -> None:
    field = DATETIME_FIELDS[where]
    with translation.override(language):
        expected = str(core_forms.DateTimeField.default_error_messages["invalid"])
        for typed in ("31/02/2026 10:00", "2026-13-01T10:00", "05/03/2026 25:00", "05/03/2026"):
            assert refusal(field, typed) == [expected], typed
    assert "25/10/2026 14:30" in expected


def test_the_messages_are_english_in_english() -> None:
    with translation.override("en"):
        assert refusal(core_forms.DateField(), "31/02/2026") == [
            "Enter a valid date as dd/mm/yyyy, for example 25/10/2026."
        ]
        assert refusal(core_forms.DateTimeField(), "31/02/2026 10:00") == [
            "Enter a valid date and time as dd/mm/yyyy hh:mm, for example 25/10/2026 14:30."
        ]
        assert core_forms.DateInput().attrs["placeholder"] == "dd/mm/yyyy"


# --- Django's formats in both languages (core/formats) -----------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_plain_django_date_field_reads_day_first_too(language: str) -> None:
    # The admin's forms and any form without core.forms' fields follow the format modules.
    with translation.override(language):
        assert forms.DateField().clean("05/03/2026") == datetime.date(2026, 3, 5)
        assert forms.DateField().clean("2026-03-05") == datetime.date(2026, 3, 5)
        assert 'value="05/03/2026"' in forms.DateInput().render("d", datetime.date(2026, 3, 5))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_short_formats_of_templates_are_day_first(language: str) -> None:
    template = Template(
        '{{ day|date:"SHORT_DATE_FORMAT" }} · {{ at|date:"SHORT_DATETIME_FORMAT" }}'
    )
    at = timezone.make_aware(datetime.datetime(2026, 3, 5, 14, 30))
    with translation.override(language):
        shown = template.render(Context({"day": datetime.date(2026, 3, 5), "at": at}))
    assert shown == "05/03/2026 · 05/03/2026 14:30"


def test_the_api_still_takes_iso_dates() -> None:
    with translation.override("vi"):
        assert serializers.DateField().run_validation("2026-03-05") == datetime.date(2026, 3, 5)
        moment = serializers.DateTimeField().run_validation("2026-03-05T14:30:00+07:00")
    assert moment == timezone.make_aware(datetime.datetime(2026, 3, 5, 14, 30))


# --- Through the pages ---------------------------------------------------------------------------


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_intake_page_shows_the_time_received_day_first(demo, language: str) -> None:
    page = signed_in(demo["officer_a"]).get(reverse("cases:intake"), HTTP_ACCEPT_LANGUAGE=language)
    with translation.override(language):
        date_placeholder = translation.gettext("dd/mm/yyyy")
        time_placeholder = translation.gettext("dd/mm/yyyy hh:mm")

    received = input_tag(page.text, "received_at")
    assert attribute(received, "type") == "text"
    # Now, to the minute, in Vietnam's time.
    value = attribute(received, "value") or ""
    assert re.fullmatch(rf"{timezone.localdate():%d/%m/%Y} \d\d:\d\d", value)
    assert attribute(received, "placeholder") == time_placeholder
    born = input_tag(page.text, "date_of_birth")
    assert attribute(born, "type") == "text"
    assert attribute(born, "placeholder") == date_placeholder


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_report_typed_day_first_is_recorded_on_that_day(demo, language: str) -> None:
    received = a_recent_moment()
    born = datetime.date(timezone.localdate().year - 8, 3, 5)  # 5 March, never 3 May
    data = intake_post(received_at=f"{received:%d/%m/%Y %H:%M}", date_of_birth=f"{born:%d/%m/%Y}")

    response = signed_in(demo["officer_a"]).post(
        reverse("cases:intake"), data, HTTP_ACCEPT_LANGUAGE=language
    )

    assert response.status_code == 302
    case = Case.objects.get()
    assert case.received_at == received
    assert case.child.date_of_birth == born


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_inspection_planned_day_first_is_saved_and_shown_day_first(demo, language: str) -> None:
    today = timezone.localdate()
    decided, end = today - datetime.timedelta(days=2), today + datetime.timedelta(days=5)
    data = plan_post(
        demo,
        decision_date=f"{decided:%d/%m/%Y}",
        planned_start=f"{today.day}/{today.month}/{today.year}",
        planned_end=f"{end:%d-%m-%Y}",
    )
    client = signed_in(demo["inspector"])

    response = client.post(reverse("inspections:plan"), data, HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 302
    inspection = Inspection.objects.get()
    assert (inspection.decision_date, inspection.planned_start, inspection.planned_end) == (
        decided,
        today,
        end,
    )
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE=language).text
    assert f"{today:%d/%m/%Y} – {end:%d/%m/%Y}" in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_date_that_does_not_exist_is_refused_on_the_page_in_its_language(
    demo, language: str
) -> None:
    data = plan_post(demo, decision_date="31/02/2026", planned_end="2026-13-01")

    response = signed_in(demo["inspector"]).post(
        reverse("inspections:plan"), data, HTTP_ACCEPT_LANGUAGE=language
    )

    assert response.status_code == 200
    assert not Inspection.objects.exists()
    with translation.override(language):
        expected = str(core_forms.DateField.default_error_messages["invalid"])
    assert response.context["form"].errors.keys() >= {"decision_date", "planned_end"}
    assert response.text.count(html.escape(expected)) == 2
    # What was typed stays in the box, to be corrected.
    assert attribute(input_tag(response.text, "decision_date"), "value") == "31/02/2026"
