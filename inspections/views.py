from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from inspections.selectors import inspection_list as visible_inspections


@login_required
def inspection_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "inspections/list.html", {"inspections": visible_inspections(request.user)}
    )
