"""Administrators' privacy tools: find a client, export all their data, erase them."""

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from services.accounts.access import require_administrator
from services.audit import log
from services.audit.models import Action

from .models import Client
from .privacy import client_export, erase_client


class FindClientForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Client code"), max_length=40)


class EraseForm(forms.Form):
    confirm = forms.CharField(label=gettext_lazy("Type the client code to confirm"), max_length=40)

    def __init__(self, *args, client: Client, **kwargs):
        super().__init__(*args, **kwargs)
        self.client = client

    def clean_confirm(self):
        if self.cleaned_data["confirm"].strip() != self.client.code:
            raise forms.ValidationError(gettext_lazy("The code does not match."))
        return self.cleaned_data["confirm"]


def _administered_client(request: HttpRequest, pk: int) -> Client:
    services = require_administrator(request.user)
    client = Client.objects.filter(pk=pk, service__in=services).select_related("service").first()
    if client is None:
        raise Http404
    return client


@login_required
def privacy(request: HttpRequest) -> HttpResponse:
    services = require_administrator(request.user)
    form = FindClientForm(request.GET or None)
    found = None
    if form.is_valid():
        found = Client.objects.filter(service__in=services, code=form.cleaned_data["code"]).first()
        if found is None:
            form.add_error("code", _("No client with this code in your services."))
        else:
            log.record(Action.VIEW, obj=found, client=found, request=request, detail="privacy")
    return render(request, "clients/privacy.html", {"form": form, "found": found})


@login_required
def export_client(request: HttpRequest, pk: int) -> HttpResponse:
    client = _administered_client(request, pk)
    data = client_export(client)
    log.record(Action.EXPORT, obj=client, client=client, request=request, detail="client JSON")
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="klient-{client.code}.json"'
    return response


@login_required
def erase(request: HttpRequest, pk: int) -> HttpResponse:
    client = _administered_client(request, pk)
    form = EraseForm(request.POST or None, client=client)
    if request.method == "POST":
        if form.is_valid():
            erase_client(client, request=request)
            messages.success(request, _("The client and all their data are erased."))
            return redirect("privacy")
        return render(request, "clients/erase.html", {"client": client, "form": form}, status=400)
    log.record(Action.VIEW, obj=client, client=client, request=request, detail="erase form")
    return render(request, "clients/erase.html", {"client": client, "form": form})
