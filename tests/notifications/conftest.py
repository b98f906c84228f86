import pytest


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
    """Run what a service queued for after commit, as the real commit would."""

    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run
