"""The network's pages: the coordinator's figures, a member leader's benchmark, and the
administrator's invitations. Thin: `figures` computes, `access` decides, each view logs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from services.accounts import staff
from services.audit import log
from services.audit.models import Action
from services.dashboards import access as dashboard_access
from services.dashboards.suppression import MINIMUM
from services.dashboards.views import period_picker, requested_period

from . import access, figures
from .models import NetworkMember


@login_required
def index(request: HttpRequest) -> HttpResponse:
    networks = list(access.coordinated(request.user))
    if not networks:
        raise Http404
    if len(networks) == 1:
        return redirect("network:detail", networks[0].code)
    return render(request, "network/index.html", {"networks": networks})


@login_required
def detail(request: HttpRequest, code: str) -> HttpResponse:
    """The members' figures side by side, the network's pooled, and its trend."""
    network = access.network_for(request.user, code)
    period = requested_period(request)
    services = access.member_services(network)
    shown = figures.network_figures(services, period) if services else None
    log.record(
        Action.VIEW,
        request=request,
        detail=f"network figures {network.code} {period.start}..{period.end}",
    )
    context = {
        "network": network,
        "period": period,
        "figures": shown,
        "minimum": MINIMUM,
        **period_picker(request),
    }
    return render(request, "network/detail.html", context)


@login_required
def benchmark(request: HttpRequest, code: str) -> HttpResponse:
    """A member service's own figures beside each of its networks' ("nettverket")."""
    service = dashboard_access.service_for(request.user, code)
    period = requested_period(request)
    compared = [
        (network, figures.benchmark(service, access.member_services(network), period))
        for network in access.networks_of(service)
    ]
    log.record(
        Action.VIEW,
        service=service,
        request=request,
        detail=f"network benchmark {period.start}..{period.end}",
    )
    context = {
        "service": service,
        "period": period,
        "compared": compared,
        "minimum": MINIMUM,
        **period_picker(request),
    }
    return render(request, "network/benchmark.html", context)


@login_required
def memberships(request: HttpRequest, code: str) -> HttpResponse:
    """The service's networks and invitations, for its administrators."""
    service = staff.service_for(request.user, code)
    rows = NetworkMember.objects.filter(service=service).select_related("network", "joined_by")
    return render(request, "network/memberships.html", {"service": service, "rows": rows})


def _member(request, code: str, member_id: int) -> NetworkMember:
    service = staff.service_for(request.user, code)
    return get_object_or_404(
        NetworkMember.objects.select_for_update().select_related("network", "service"),
        service=service,
        pk=member_id,
    )


def _save(request, member: NetworkMember, fields: list[str], detail: str) -> None:
    """A membership's change, with its access-log row in the same transaction."""
    member.save(update_fields=fields)
    log.record(Action.CHANGE, obj=member, service=member.service, request=request, detail=detail)


def _back(request, member: NetworkMember, said: str) -> HttpResponse:
    messages.success(request, said % {"network": member.network.name})
    return redirect("network:memberships", member.service.code)


@require_POST
@login_required
@transaction.atomic
def join(request: HttpRequest, code: str, member_id: int) -> HttpResponse:
    member = _member(request, code, member_id)
    if not member.is_active:
        member.joined_at, member.joined_by, member.left_at = timezone.now(), request.user, None
        fields = ["joined_at", "joined_by", "left_at"]
        _save(request, member, fields, f"joined network {member.network.code}")
    return _back(
        request,
        member,
        _("The service is a member of %(network)s. Its coordinators see the service's figures."),
    )


@require_POST
@login_required
@transaction.atomic
def leave(request: HttpRequest, code: str, member_id: int) -> HttpResponse:
    member = _member(request, code, member_id)
    if member.is_active:
        member.left_at = timezone.now()
        _save(request, member, ["left_at"], f"left network {member.network.code}")
    return _back(
        request,
        member,
        _("The service has left %(network)s. Its figures are no longer shown there."),
    )


@require_POST
@login_required
@transaction.atomic
def trajectories(request: HttpRequest, code: str, member_id: int) -> HttpResponse:
    """The administrator's choice to chart the service's clients against the network's expected
    trajectories where the service has no model of its own (issue #20 part 3). The choice is
    kept with the membership and counts only while the service is an active member."""
    member = _member(request, code, member_id)
    use = request.POST.get("use") == "1"
    if member.use_network_trajectories != use:
        member.use_network_trajectories = use
        detail = f"network trajectories {'on' if use else 'off'} {member.network.code}"
        _save(request, member, ["use_network_trajectories"], detail)
    if use:
        said = _(
            "Where the service has no expected trajectories of its own, its charts use those "
            "of %(network)s."
        )
    else:
        said = _("The service's charts no longer use the expected trajectories of %(network)s.")
    return _back(request, member, said)
