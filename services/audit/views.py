"""The administrators' view of the access log, and the client's access report."""

import datetime

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from services.accounts.access import require_administrator
from services.accounts.models import Membership
from services.clients.models import Client

from . import log, words
from .models import Action, AuditEvent

PAGE_SIZE = 50
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LogFilter(forms.Form):
    user = forms.CharField(label=_("Staff user"), required=False, max_length=150)
    client = forms.CharField(label=_("Client code"), required=False, max_length=40)
    start = forms.DateField(label=_("From"), required=False, widget=DATE)
    end = forms.DateField(label=_("To"), required=False, widget=DATE)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", "—"), *Action.choices]
    )


def _scoped_events(services) -> "Q":
    """Events about the administered services, and logins of their staff."""
    staff = Membership.objects.filter(service__in=services).values("user")
    return Q(service_id__in=services.values("pk")) | Q(service_id__isnull=True, user__in=staff)


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    services = require_administrator(request.user)
    form = LogFilter(request.GET or None)
    events = AuditEvent.objects.filter(_scoped_events(services)).select_related("user")
    if form.is_valid():
        data = form.cleaned_data
        if data["user"]:
            events = events.filter(actor__iexact=data["user"])
        if data["client"]:
            ids = Client.objects.filter(service__in=services, code=data["client"]).values("pk")
            events = events.filter(client_id__in=ids)
        if data["start"]:
            events = events.filter(at__date__gte=data["start"])
        if data["end"]:
            events = events.filter(at__date__lte=data["end"])
        if data["action"]:
            events = events.filter(action=data["action"])
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    codes = dict(
        Client.objects.filter(pk__in={e.client_id for e in page if e.client_id}).values_list(
            "pk", "code"
        )
    )
    for event in page:
        event.client_code = codes.get(event.client_id)
        event.what = words.describe(event.object_type, event.detail)
    shown = {e.client_id: e.service_id for e in page if e.client_id in codes}
    log.record_clients(request, shown.items(), detail="access log")
    status = 400 if form.is_bound and not form.is_valid() else 200
    context = {"form": form, "page": page}
    return render(request, "audit/log.html", context, status=status)


@login_required
def access_report(request: HttpRequest, client_id: int) -> HttpResponse:
    """Who has seen this client's data: printable for the client (pasientjournalloven)."""
    services = require_administrator(request.user)
    client = Client.objects.filter(pk=client_id, service__in=services).first()
    if client is None:
        raise Http404
    events = (
        AuditEvent.objects.filter(client_id=client.pk)
        .exclude(action=Action.LOGIN)
        .select_related("user")
        .order_by("at")
    )
    log.record(
        Action.VIEW, client=client, service=client.service, request=request, detail="access report"
    )
    context = {"client": client, "events": events, "today": datetime.date.today()}
    return render(request, "audit/access_report.html", context)
