"""One request is one step of someone's work: whatever it publishes, each person is told once per
case or inspection (notifications/outbox.py)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from notifications.outbox import one_notice_per_person


class OneNoticePerRequest:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with one_notice_per_person():
            return self.get_response(request)
