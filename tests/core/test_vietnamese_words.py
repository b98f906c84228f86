"""Pages that read naturally: durations in Vietnamese words, people's names family name first in
either language, and a menu without what the user never uses."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from core import timewords

NOW = timezone.make_aware(datetime.datetime(2026, 11, 30, 9, 0))


@pytest.mark.parametrize(
    ("delta", "vietnamese", "english"),
    [
        (datetime.timedelta(days=95), "3 tháng", "3 months"),
        (datetime.timedelta(days=1, hours=23), "1 ngày 23 giờ", "1 day, 23 hours"),
        (datetime.timedelta(minutes=3), "3 phút", "3 minutes"),
        (datetime.timedelta(days=800), "2 năm 2 tháng", "2 years, 2 months"),
        (datetime.timedelta(days=15), "2 tuần 1 ngày", "2 weeks, 1 day"),
    ],
)
def test_durations_are_said_in_the_language_of_the_page(delta, vietnamese, english):
    def said(language: str) -> list[str]:
        with translation.override(language):
            words = [
                timewords.time_left(NOW - delta, NOW),
                timewords.time_left(NOW + delta, NOW),
                timewords.time_ago(NOW - delta, NOW),
            ]
        return [w.replace("\xa0", " ") for w in words]

    assert said("vi") == [f"quá hạn {vietnamese}", f"còn {vietnamese}", f"{vietnamese} trước"]
    assert said("en") == [f"overdue by {english}", f"{english} left", f"{english} ago"]


def test_django_s_own_filters_speak_vietnamese_too():
    page = Template("{{ later|timeuntil:now }}")
    context = Context({"later": NOW + datetime.timedelta(days=1, hours=23), "now": NOW})
    with translation.override("vi"):
        assert page.render(context).replace("\xa0", " ") == "1 ngày, 23 giờ"


def test_the_templates_say_how_long_is_left_in_words(client, demo):
    page = Template("{% load due_times %}{{ due|time_left }} · {{ sent|ago }}")
    now = timezone.now()
    context = Context({"due": now - datetime.timedelta(days=95), "sent": now})
    with translation.override("vi"):
        assert page.render(context).replace("\xa0", " ") == "quá hạn 3 tháng · 0 phút trước"


def test_a_person_is_named_family_name_first(demo, api_as):
    assert demo["officer_a"].get_full_name() == "Nguyễn Thị Lan"
    me = api_as("officer_a").get("/api/v1/me/").json()
    assert me["full_name"] == "Nguyễn Thị Lan"


@pytest.mark.parametrize(("username", "offered"), [("admin", True), ("officer_a", False)])
def test_the_menu_offers_the_api_to_the_sysadmin_and_its_docs_stay_reachable(
    client, demo, username, offered
):
    client.force_login(demo[username])
    page = client.get("/").content.decode()
    assert ('href="/api/docs/"' in page) is offered
    assert client.get("/api/docs/").status_code == 200
