from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


@login_required
def intake(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


@login_required
def chair_queue(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    raise NotImplementedError
