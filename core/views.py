from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from core.navigation import panels_for
from core.scope import scope_for
from core.typing import AuthenticatedHttpRequest


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    return render(request, "core/home.html", {"panels": panels_for(request, scope)})
