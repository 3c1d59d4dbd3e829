"""The service administrator's page beside the staff pages: who supervises the helpers.

Found like every staff page (`staff.service_for`: a 404 outside the administrator's own
services); each grant and each removal writes one access-log row in its transaction.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from services.accounts import staff
from services.accounts.models import Membership, Role

from . import records
from .forms import GrantForm
from .models import SupervisorGrant


@login_required
def grants(request: HttpRequest, code: str) -> HttpResponse:
    service = staff.service_for(request.user, code)
    form = GrantForm(request.POST or None, service=service)
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["user"]
        records.grant(service, person, request=request)
        messages.success(request, _("%(name)s can now supervise.") % {"name": person})
        return redirect("supervision:grants", service.code)
    context = {
        "service": service,
        "form": form,
        "grants": SupervisorGrant.objects.filter(service=service).select_related(
            "user", "granted_by"
        ),
        "leaders": Membership.objects.filter(
            service=service, role=Role.LEADER, can_view_clients=True
        ).select_related("user"),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "supervision/grants.html", context, status=status)


@login_required
@require_POST
def revoke(request: HttpRequest, code: str, grant_id: int) -> HttpResponse:
    service = staff.service_for(request.user, code)
    made = (
        SupervisorGrant.objects.filter(service=service, pk=grant_id).select_related("user").first()
    )
    if made is None:
        raise Http404
    records.revoke(made, service=service, request=request)
    messages.success(request, _("%(name)s no longer supervises.") % {"name": made.user})
    return redirect("supervision:grants", service.code)
