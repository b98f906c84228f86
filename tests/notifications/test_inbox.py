"""The bell, the list and marking read, in the app and the API."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications import outbox
from notifications.models import Notification


def notify(user, key="k"):
    outbox.notify(
        key=key, recipients=[user], event="case_received", params={"code": "37-2026-000007"}
    )
    return Notification.objects.get(key=key, recipient=user, channel="in_app")


def test_the_api_lists_my_notifications_with_their_text(demo, api_as):
    notify(demo["officer_a"])
    notify(demo["officer_b"], key="other")
    body = api_as("officer_a").get("/api/v1/notifications/").json()
    assert body["count"] == 1
    assert "37-2026-000007" in body["results"][0]["text"]
    assert body["results"][0]["is_read"] is False


def test_marking_read_through_the_api_and_404_for_someone_elses(demo, api_as):
    mine = notify(demo["officer_a"])
    assert api_as("officer_b").post(f"/api/v1/notifications/{mine.pk}/read/").status_code == 404
    response = api_as("officer_a").post(f"/api/v1/notifications/{mine.pk}/read/")
    assert response.status_code == 200 and response.json()["is_read"] is True
    unread = api_as("officer_a").get("/api/v1/notifications/?unread=true").json()
    assert unread["count"] == 0


def test_the_api_answers_401_without_credentials(api):
    assert api.get("/api/v1/notifications/").status_code == 401


def test_the_bell_shows_the_unread_count_and_the_list_marks_read(client, demo):
    first = notify(demo["officer_a"])
    notify(demo["officer_a"], key="second")
    client.force_login(demo["officer_a"])
    page = client.get("/")
    assert 'data-unread="2"' in page.content.decode()
    response = client.post(f"/notifications/{first.pk}/read/")
    assert response.status_code == 302 and response["Location"] == "/notifications/"
    assert 'data-unread="1"' in client.get("/").content.decode()


def test_a_user_chooses_the_channels(client, demo):
    client.force_login(demo["officer_a"])
    response = client.post(
        "/notifications/preferences/", {"in_app": "on", "sms": "on", "language": "en"}
    )
    assert response.status_code == 302
    preference = demo["officer_a"].notification_preference
    assert (preference.in_app, preference.email, preference.sms, preference.language) == (
        True,
        False,
        True,
        "en",
    )


def test_the_daily_digest_counts_overdue_items_once_a_day(demo):
    import datetime

    from django.utils import timezone

    from notifications.digest import send_daily_digests
    from tests.cases.test_services_workflow import record

    record(demo["officer_a"], received_at=timezone.now() - datetime.timedelta(hours=13))
    # The officer, the chair the breach escalates to, and the province overseeing the commune.
    assert send_daily_digests() == 3
    send_daily_digests()
    digests = Notification.objects.filter(event="daily_digest", channel="in_app")
    assert sorted(d.recipient.username for d in digests) == ["chair_a", "officer_a", "province"]
    assert all(d.params == {"count": 1} for d in digests)
    assert not Notification.objects.filter(event="daily_digest", recipient=demo["officer_b"])


def test_all_are_marked_read_at_once_on_the_page_and_only_ones_own(client, demo):
    for key in ("a", "b", "c"):
        notify(demo["officer_a"], key=key)
    others = notify(demo["officer_b"], key="theirs")
    client.force_login(demo["officer_a"])
    page = client.get("/notifications/").content.decode()
    assert 'id="read-all"' in page and "3" in page
    response = client.post("/notifications/read-all/", follow=True)
    text = response.content.decode()
    assert "3 thông báo đã được đánh dấu là đã đọc." in text  # said in Vietnamese
    assert 'data-unread="0"' in text and 'id="read-all"' not in text
    others.refresh_from_db()
    assert others.read_at is None  # nobody else's
    assert client.get("/notifications/read-all/").status_code == 405  # a GET changes nothing


def test_all_are_marked_read_through_the_api(demo, api_as):
    notify(demo["officer_a"], key="a")
    notify(demo["officer_a"], key="b")
    assert api_as("officer_a").post("/api/v1/notifications/read-all/").json() == {"marked": 2}
    assert api_as("officer_a").post("/api/v1/notifications/read-all/").json() == {"marked": 0}
    assert api_as("officer_a").get("/api/v1/notifications/?unread=true").json()["count"] == 0


def test_the_bell_counts_to_99_and_the_inbox_counts_them_all(client, demo):
    # The bell counted every unread notice on every page: a user who never reads them paid, on
    # each page, for all they had gathered.
    officer = demo["officer_a"]
    for number in range(120):
        notify(officer, key=f"k{number}")
    client.force_login(officer)

    with CaptureQueriesContext(connection) as captured:
        home = client.get("/").content.decode()
    assert 'data-unread="99+">99+</span>' in home
    counts = [q["sql"] for q in captured if "notifications_notification" in q["sql"]]
    assert len(counts) == 1 and "LIMIT 100" in counts[0], counts
    assert "ORDER BY" not in counts[0], counts  # the unread rows' index, not the list's

    inbox = client.get("/notifications/").content.decode()
    read_all = re.search(r'<button type="submit" id="read-all">([^<]*)</button>', inbox)
    assert read_all is not None and "120" in read_all.group(1), read_all

    client.post("/notifications/read-all/")
    notify(officer, key="one more")
    assert 'data-unread="1">1</span>' in client.get("/").content.decode()
