"""One's own notifications: the list, opening one (read, then its page), all read, and which
kinds also come by e-mail. A person sees only their own (404 for another's)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from chiso.web.accounts.access import AuthedRequest
from chiso.web.notifications import services
from chiso.web.notifications.models import EmailOff, Kind, Notification

PER_PAGE = 50


@login_required
@require_safe
def index(request: AuthedRequest) -> HttpResponse:
    notifications = Notification.objects.filter(person=request.user)
    page = Paginator(notifications, PER_PAGE).get_page(request.GET.get("page"))
    rows = [(item, item.leads_to_its_page(request.user)) for item in page.object_list]
    return render(request, "notifications/list.html", {"page": page, "rows": rows})


@login_required
@require_POST
def open_one(request: AuthedRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification, pk=pk, person=request.user)
    services.mark_read(notification)
    link = notification.link if notification.leads_to_its_page(request.user) else ""
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return redirect(link)
    return redirect("notifications:index")


@login_required
@require_POST
def read_all(request: AuthedRequest) -> HttpResponse:
    services.mark_all_read(request.user)
    return redirect("notifications:index")


@login_required
def preferences(request: AuthedRequest) -> HttpResponse:
    if request.method == "POST":
        services.set_emails(request.user, request.POST.getlist("email"))
        messages.success(request, _("Your e-mail settings are saved."))
        return redirect("notifications:preferences")
    off = set(EmailOff.objects.filter(person=request.user).values_list("kind", flat=True))
    kinds = [(kind.value, kind.label, kind.value not in off) for kind in Kind]
    return render(request, "notifications/preferences.html", {"kinds": kinds})
