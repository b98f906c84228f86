"""Pages that read naturally: durations in Vietnamese words, people's names family name first in
either language, and a menu without what the user never uses."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

NOW = timezone.make_aware(datetime.datetime(2026, 11, 30, 9, 0))


@pytest.mark.parametrize(
    ("delta", "vietnamese", "english"),
    [
        (datetime.timedelta(days=95), "3 tháng", "3 months"),
        (datetime.timedelta(days=1, hours=23), "1 ngày, 23 giờ", "1 day, 23 hours"),
        (datetime.timedelta(minutes=3), "3 phút", "3 minutes"),
        (datetime.timedelta(days=800), "2 năm, 2 tháng", "2 years, 2 months"),
        (datetime.timedelta(days=15), "2 tuần, 1 ngày", "2 weeks, 1 day"),
    ],
)
def test_durations_are_said_in_the_language_of_the_page(delta, vietnamese, english):
    page = Template(
        "{% load i18n %}{% blocktranslate with late=due|timesince:now %}overdue by {{ late }}"
        "{% endblocktranslate %} · {{ later|timeuntil:now }}"
    )
    context = Context({"due": NOW - delta, "later": NOW + delta, "now": NOW})
    with translation.override("vi"):
        assert page.render(context).replace("\xa0", " ") == f"quá hạn {vietnamese} · {vietnamese}"
    with translation.override("en"):
        assert page.render(context).replace("\xa0", " ") == f"overdue by {english} · {english}"


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
