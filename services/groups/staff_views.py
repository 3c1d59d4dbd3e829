"""The group leader's pages under /grupper/: their groups, a new group, one group with its
members and meetings, adding, leaving, a new code and ending, and the members' code cards.

Every group is found through `access.group_for` (a 404 unless the user leads it and helps in
its service), and a member through the group (another group's member is a 404 too). The writes
are services/groups/keeping.py's, each with its access-log row; a form with a mistake comes
back on the group's page with its message and a 400, having saved nothing.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from services.clients.access import helper_memberships

from . import keeping, staff_pages
from .access import group_for
from .staff_forms import ClientMemberForm, ConfirmForm, GroupForm, ParticipantForm


def _helper_services(user) -> list:
    services = {m.service_id: m.service for m in helper_memberships(user).select_related("service")}
    if not services:
        raise Http404
    return sorted(services.values(), key=lambda service: service.name)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    _helper_services(request.user)
    open_groups, ended_groups = staff_pages.index_groups(request.user)
    context = {"open_groups": open_groups, "ended_groups": ended_groups}
    return render(request, "groups/staff/index.html", context)


@login_required
def new(request: HttpRequest) -> HttpResponse:
    """Any helper starts a group in a service where they help, and leads it."""
    services = _helper_services(request.user)
    form = GroupForm(request.POST or None, services=services)
    if request.method == "POST" and form.is_valid():
        group = keeping.create_group(
            service=form.cleaned_data["service"],
            leader=request.user,
            name=form.cleaned_data["name"],
            kind=form.cleaned_data["kind"],
            request=request,
        )
        messages.success(
            request,
            _("The group %(name)s is made. Add its members, then a meeting.") % {"name": group},
        )
        return redirect("groups:detail", group.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "groups/staff/new.html", {"form": form}, status=status)


@login_required
def detail(request: HttpRequest, group_id: int) -> HttpResponse:
    return staff_pages.detail_page(request, group_for(request.user, group_id))


@require_POST
@login_required
def close(request: HttpRequest, group_id: int) -> HttpResponse:
    group = group_for(request.user, group_id)
    if group.is_open:
        form = ConfirmForm(request.POST, message=_("Tick “Yes, end the group” to end it."))
        if not form.is_valid():
            return staff_pages.detail_page(request, group, status=400, close_form=form)
    if keeping.close_group(group, request=request):
        messages.success(request, _("The group has ended. Its pages and figures are kept."))
    return redirect("groups:detail", group.pk)


def _refused(request, group, error: keeping.Refused, **bound) -> HttpResponse:
    for form in bound.values():
        form.add_error(None, error.message)
    return staff_pages.detail_page(request, group, status=400, **bound)


def _joined(request, member, came_back: bool, name: str) -> None:
    """The message after adding: the code itself is on the code cards, not on this page."""
    if came_back:
        text = _("%(name)s is back in the group. Their code card from before still works.")
    else:
        text = _("%(name)s is in the group. Their personal code is on the code cards.")
    messages.success(request, text % {"name": name})


@require_POST
@login_required
def add_client(request: HttpRequest, group_id: int) -> HttpResponse:
    group = group_for(request.user, group_id)
    form = ClientMemberForm(
        request.POST,
        group=group,
        candidates=staff_pages.candidates_for(request.user, group),
        members=staff_pages.members_of(group),
    )
    if not form.is_valid():
        return staff_pages.detail_page(request, group, status=400, client_form=form)
    episode = form.cleaned_data["episode"]
    try:
        member, came_back = keeping.add_client_member(group, episode, request=request)
    except keeping.Refused as error:
        return _refused(request, group, error, client_form=form)
    # One of the leader's own clients, offered by the form: they may see it, so it is named.
    _joined(request, member, came_back, staff_pages.member_name(member, {episode.pk}))
    return redirect("groups:detail", group.pk)


@require_POST
@login_required
def add_participant(request: HttpRequest, group_id: int) -> HttpResponse:
    group = group_for(request.user, group_id)
    form = ParticipantForm(request.POST, group=group, members=staff_pages.members_of(group))
    if not form.is_valid():
        return staff_pages.detail_page(request, group, status=400, participant_form=form)
    try:
        member, came_back = keeping.add_participant(
            group, form.cleaned_data["label"], request=request
        )
    except keeping.Refused as error:
        return _refused(request, group, error, participant_form=form)
    _joined(request, member, came_back, member.label)
    return redirect("groups:detail", group.pk)


@require_POST
@login_required
def member_left(request: HttpRequest, group_id: int, member_id: int) -> HttpResponse:
    """Asked first: the page's "Has left the group" opens the question, and only its "Yes"
    sends `confirmed`; without it nothing changes."""
    group = group_for(request.user, group_id)
    member = staff_pages.member_of(group, member_id)
    if member.left_on is not None:
        return redirect("groups:detail", group.pk)
    name = staff_pages.name_for(request.user, member)
    form = ConfirmForm(
        request.POST,
        message=_("%(name)s is still in the group: confirm with “Yes, they have left”.")
        % {"name": name},
    )
    if not form.is_valid():
        error = " ".join(form.errors["confirmed"])
        return staff_pages.detail_page(
            request, group, status=400, member_error=error, asked_member=member.pk
        )
    if keeping.member_left(group, member, request=request):
        messages.success(
            request,
            _("%(name)s has left the group. Their code no longer works at new meetings.")
            % {"name": name},
        )
    return redirect("groups:detail", group.pk)


@require_POST
@login_required
def new_code(request: HttpRequest, group_id: int, member_id: int) -> HttpResponse:
    """For a code that was lost or seen by someone else: the old one stops working."""
    group = group_for(request.user, group_id)
    member = staff_pages.member_of(group, member_id)
    try:
        keeping.new_code(group, member, request=request)
    except keeping.Refused as error:
        return staff_pages.detail_page(request, group, status=400, member_error=error.message)
    messages.success(
        request,
        _("%(name)s has a new code: print a new card.")
        % {"name": staff_pages.name_for(request.user, member)},
    )
    return redirect("groups:detail", group.pk)


@login_required
def codes(request: HttpRequest, group_id: int) -> HttpResponse:
    return staff_pages.codes_page(request, group_for(request.user, group_id))
