"""The offers page beside the staff pages: the service's administrators keep the directory.

Found like every staff page (`staff.service_for`: a 404 outside the administrator's own
services, and an offer of another service is a 404 too); each change writes one access-log row
in its transaction. Offers are taken off the client's list, never deleted, so what a helper
noted as talked about keeps its offer.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from services.accounts import staff
from services.audit import log
from services.audit.models import Action

from . import listing, qr
from .forms import OfferForm
from .models import Offer


def _offer_for(service, offer_id: int) -> Offer:
    offer = listing.of_service(service).filter(pk=offer_id).first()
    if offer is None:
        raise Http404
    return offer


@login_required
def offer_list(request: HttpRequest, code: str) -> HttpResponse:
    service = staff.service_for(request.user, code)
    context = {
        "service": service,
        "offers": listing.of_service(service),
        "public_url": qr.public_url(request, service.code),
        "for_client": listing.FOR_CLIENT,
    }
    return render(request, "offers/staff/list.html", context)


def _form_page(request, service, form, offer=None) -> HttpResponse:
    status = 400 if request.method == "POST" else 200
    context = {"service": service, "form": form, "offer": offer}
    return render(request, "offers/staff/form.html", context, status=status)


@login_required
@transaction.atomic
def new(request: HttpRequest, code: str) -> HttpResponse:
    service = staff.service_for(request.user, code)
    form = OfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        offer = form.save(commit=False)
        offer.service = service
        offer.save()
        log.record(Action.CREATE, obj=offer, service=service, request=request)
        messages.success(request, _("The offer %(title)s is added.") % {"title": offer.title})
        return redirect("offers:staff_list", service.code)
    return _form_page(request, service, form)


@login_required
@transaction.atomic
def edit(request: HttpRequest, code: str, offer_id: int) -> HttpResponse:
    service = staff.service_for(request.user, code)
    offer = _offer_for(service, offer_id)
    form = OfferForm(request.POST or None, instance=offer)
    if request.method == "POST" and form.is_valid():
        changed = form.changed_data
        form.save()
        if changed:
            detail = f"offer fields {', '.join(changed)}"
            log.record(Action.CHANGE, obj=offer, service=service, request=request, detail=detail)
        messages.success(request, _("The offer is saved."))
        return redirect("offers:staff_list", service.code)
    return _form_page(request, service, form, _offer_for(service, offer_id))


@require_POST
@login_required
@transaction.atomic
def set_active(request: HttpRequest, code: str, offer_id: int) -> HttpResponse:
    """Shown to clients again ("active=1"), or taken off their list (anything else)."""
    service = staff.service_for(request.user, code)
    offer = _offer_for(service, offer_id)
    wanted = request.POST.get("active") == "1"
    if offer.active != wanted:
        offer.active = wanted
        offer.save(update_fields=["active", "updated_at"])
        detail = "shown to clients" if wanted else "taken off the clients' list"
        log.record(Action.CHANGE, obj=offer, service=service, request=request, detail=detail)
    if wanted:
        message = _("%(title)s is shown to clients again.")
    else:
        message = _("%(title)s is no longer shown to clients.")
    messages.success(request, message % {"title": offer.title})
    return redirect("offers:staff_list", service.code)
