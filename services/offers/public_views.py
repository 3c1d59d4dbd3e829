"""The service's offers at a stable public address, readable without login.

It names offers only, never a client, so anyone may open it: a client at home, a relative, a
GP. The same page prints as a sheet to take away, with a QR code back to the address.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from services.accounts.models import Service

from . import listing, qr, reading


def public_list(request: HttpRequest, code: str) -> HttpResponse:
    service = Service.objects.filter(code=code).first()
    if service is None:
        raise Http404
    url = qr.public_url(request, service.code)
    context = {
        "service": service,
        "offers": reading.shown_all(listing.active(service.pk), get_language() or "nb"),
        "url": url,
        "qr": qr.data_uri(url),
    }
    return render(request, "offers/public.html", context)
