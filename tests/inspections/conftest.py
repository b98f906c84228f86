import pytest


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what a service queued for after commit (the outbox's delivery), as a commit would."""

    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run
