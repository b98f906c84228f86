import pytest

from notifications.outbox import one_notice_per_person


class RecordingSms:
    """An SMS backend that keeps what it was asked to send."""

    sent: list[dict] = []
    fail = False

    def send(self, *, phone: str, text: str, reference: str) -> None:
        if RecordingSms.fail:
            raise ConnectionError("gateway down")
        RecordingSms.sent.append({"phone": phone, "text": text, "reference": reference})


@pytest.fixture
def sms(settings):
    settings.CHECHO_SMS_BACKEND = "tests.notifications.conftest.RecordingSms"
    RecordingSms.sent = []
    RecordingSms.fail = False
    return RecordingSms


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a service as a request runs it: each person told once (notifications.middleware),
    and what it queued for after commit run as the real commit would."""

    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True), one_notice_per_person():
            return call(*args, **kwargs)

    return run
