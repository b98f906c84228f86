"""The API answers in Vietnamese with the framework's own messages too (core/api_messages.py):
Django REST framework's Vietnamese catalogue translates 21 of its 125 messages, so "Must be a
valid boolean." reached a client reading Vietnamese in English."""

from pathlib import Path

import polib
import rest_framework
from django.utils import translation
from rest_framework.test import APIClient

FRAMEWORK_CATALOGUE = (
    Path(rest_framework.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.mo"
)


def test_every_message_of_the_framework_reads_in_vietnamese():
    """Fails when an upgrade brings a message no catalogue translates: list it in
    core/api_messages.py and run `make messages`."""
    messages = {entry.msgid for entry in polib.mofile(str(FRAMEWORK_CATALOGUE)) if entry.msgid}
    assert len(messages) > 100
    with translation.override("vi"):
        untranslated = sorted(m for m in messages if translation.gettext(m) == m)
    assert untranslated == []


def test_a_refused_filter_is_explained_in_the_readers_language(api_as):
    officer = api_as("officer_a")
    url = "/api/v1/cases/?overdue=banana"

    vietnamese = officer.get(url, HTTP_ACCEPT_LANGUAGE="vi")
    english = officer.get(url, HTTP_ACCEPT_LANGUAGE="en")

    assert vietnamese.status_code == english.status_code == 400
    assert vietnamese.json() == {"overdue": ["Phải là giá trị đúng/sai (true hoặc false) hợp lệ."]}
    assert english.json() == {"overdue": ["Must be a valid boolean."]}


def test_a_request_without_credentials_is_told_so_in_vietnamese(db):
    response = APIClient().get("/api/v1/cases/", HTTP_ACCEPT_LANGUAGE="vi")

    assert response.status_code in (401, 403)
    assert "Chưa cung cấp thông tin xác thực." in str(response.json())
