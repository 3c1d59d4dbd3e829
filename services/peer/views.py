"""The supervision group's pages: a member's groups, a group's cases, a case with its chart and
comments. Thin: `access` decides (a 404 for anyone else), `sharing` writes and logs; every page
that shows a case's data logs it with the client's id (see `sharing`)."""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from services.accounts.models import Membership, Role
from services.charts.cache import cached_chart
from services.charts.progress import progress_chart
from services.network.access import coordinated
from services.network.models import NetworkMember

from . import access, sharing, snapshot
from .forms import CommentForm
from .models import GroupMember


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The user's groups, and the networks they coordinate (to make groups in)."""
    groups = list(access.visible_groups(request.user).order_by("network__name", "name"))
    networks = list(coordinated(request.user))
    if not groups and not networks:
        raise Http404
    return render(request, "peer/index.html", {"groups": groups, "networks": networks})


def _member_rows(group) -> list[tuple]:
    """The group's members, each with the services they help in that are in the network now
    (none: they do not count until their service is a member again)."""
    members = list(GroupMember.objects.filter(group=group).select_related("user"))
    services = defaultdict(list)
    for membership in Membership.objects.filter(
        user__in=[member.user_id for member in members],
        role=Role.HELPER,
        service__in=NetworkMember.objects.active()
        .filter(network=group.network_id)
        .values("service"),
    ).select_related("service"):
        services[membership.user_id].append(membership.service.name)
    return [(member, services[member.user_id]) for member in members]


@login_required
def group_page(request: HttpRequest, pk: int) -> HttpResponse:
    group = access.group_for(request.user, pk)
    cases = list(
        access.cases_of(group)
        .select_related("shared_by", "episode__service")
        .annotate(comment_count=Count("comments"))
        .order_by("-shared_at", "-pk")
    )
    shown = [case for case in cases if not case.is_withdrawn]
    sharing.record_group_view(
        group, [(case.episode.client_id, case.episode.service_id) for case in shown], request
    )
    context = {
        "group": group,
        "cases": cases,
        "members": _member_rows(group),
        "coordinates": access.coordinates(request.user, group),
    }
    return render(request, "peer/group.html", context)


def _case_page(request, case, form, status=200) -> HttpResponse:
    context = {
        "case": case,
        "group": case.group,
        "form": form,
        "may_withdraw": access.may_withdraw(request.user, case),
        "comments": list(case.comments.select_related("author")),
    }
    if not case.is_withdrawn:
        frozen = case.snapshot
        data = snapshot.chart_data(frozen)
        chart = {
            size: cached_chart(
                progress_chart,
                data,
                model_version=frozen.get("model", ""),
                language=get_language() or "nb",
                fmt="svg",
                size=size,
            )
            for size in ("tablet", "phone")
        }
        sharing.record_view(case, request)
        context |= {
            # SVG drawn by our own chart module from the frozen numbers.
            "chart": mark_safe(chart["tablet"].decode()),
            "phone_chart": mark_safe(chart["phone"].decode()),
            "sessions": frozen.get("sessions", []),
            "signals": snapshot.described_signals(frozen),
            "outcome": snapshot.outcome_title(frozen),
            "age_group": snapshot.age_group_label(frozen),
            "is_open": frozen.get("open", True),
        }
    return render(request, "peer/case.html", context, status=status)


@login_required
def case_page(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.case_for(request.user, pk)
    return _case_page(request, case, CommentForm())


@login_required
@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.case_for(request.user, pk)
    if case.is_withdrawn:
        raise Http404
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case, form, status=400)
    sharing.comment(case, form.cleaned_data["text"], request=request)
    messages.success(request, _("Your comment is posted."))
    return redirect("peer:case", case.pk)
