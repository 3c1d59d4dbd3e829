"""The service's "Dere sa – vi gjorde" at a stable public address, readable without login.

It shows only published entries, which the service wrote about itself and which name no
client, so anyone may open it: the people who gave the feedback, their relatives, the council.
It reads no session and starts none.
"""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from services.accounts.models import Service

from . import listing, reading

PAGE_SIZE = 10


def public_list(request: HttpRequest, code: str) -> HttpResponse:
    service = Service.objects.filter(code=code).first()
    if service is None:
        raise Http404
    page = Paginator(listing.published(service.pk), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "service": service,
        "page": page,
        "changes": reading.shown_all(page.object_list, get_language() or "nb"),
    }
    return render(request, "changes/public.html", context)
