from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.pagination import PaginatorByIds
from core.typing import AuthenticatedHttpRequest
from notifications import inbox, texts
from notifications.forms import PreferenceForm
from notifications.models import Preference


@login_required
def notification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = PaginatorByIds(inbox.inbox_of(request.user), 25).page_of(request.GET)
    language = request.LANGUAGE_CODE
    rows = [(n, texts.render(n.event, n.params, language)) for n in page]
    context = {"page": page, "rows": rows, "unread": inbox.unread_count(request.user)}
    return render(request, "notifications/list.html", context)


@login_required
@require_POST
def mark_read(request: AuthenticatedHttpRequest, notification_id: int) -> HttpResponse:
    notification = inbox.mark_read(user=request.user, notification_id=notification_id)
    target = request.POST.get("next") or notification.link
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(target if target and safe else "notifications:list")


@login_required
@require_POST
def mark_all_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    count = inbox.mark_all_read(user=request.user)
    messages.success(
        request,
        ngettext(
            "%(count)d notification marked as read.",
            "%(count)d notifications marked as read.",
            count,
        )
        % {"count": count},
    )
    return redirect("notifications:list")


@login_required
def preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    preference, _created = Preference.objects.get_or_create(user=request.user)
    form = PreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your preferences are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
