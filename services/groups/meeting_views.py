"""A group's meetings as its leader runs them: a new meeting, its page with the one group QR
code, the QR code alone for a screen, who came, and sending the tablet round.

A meeting is found through its group (`access.group_for`), so another group's meeting is a 404.
Sending the tablet round logs the leader out on this device first: the tablet goes from hand
to hand, and no member may reach a staff page on it. The leader logs in again afterwards. The
device keeps the signed cookie of services/groups/tablet_round.py, by which the members' pages
know it is the meeting's passed-round tablet.
"""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import keeping, staff_pages
from . import tablet_round as round_cookie
from .access import group_for
from .models import Group, Meeting
from .staff_forms import AttendanceForm, MeetingForm


def _meeting_for(group: Group, meeting_id: int) -> Meeting:
    meeting = Meeting.objects.filter(group=group, pk=meeting_id).first()
    if meeting is None:
        raise Http404
    meeting.group = group
    return meeting


@require_POST
@login_required
def new(request: HttpRequest, group_id: int) -> HttpResponse:
    group = group_for(request.user, group_id)
    dates = group.meetings.values_list("date", flat=True)
    form = MeetingForm(request.POST, group=group, meeting_dates=dates)
    if not form.is_valid():
        return staff_pages.detail_page(request, group, status=400, meeting_form=form)
    try:
        meeting = keeping.new_meeting(
            group, form.cleaned_data["date"], user=request.user, request=request
        )
    except keeping.Refused as error:
        form.add_error(None, error.message)
        return staff_pages.detail_page(request, group, status=400, meeting_form=form)
    return redirect("groups:meeting", group.pk, meeting.pk)


@login_required
def meeting(request: HttpRequest, group_id: int, meeting_id: int) -> HttpResponse:
    group = group_for(request.user, group_id)
    return staff_pages.meeting_page(request, group, _meeting_for(group, meeting_id))


@login_required
def qr(request: HttpRequest, group_id: int, meeting_id: int) -> HttpResponse:
    group = group_for(request.user, group_id)
    return staff_pages.qr_page(request, group, _meeting_for(group, meeting_id))


@require_POST
@login_required
def attendance(request: HttpRequest, group_id: int, meeting_id: int) -> HttpResponse:
    group = group_for(request.user, group_id)
    meeting = _meeting_for(group, meeting_id)
    people = staff_pages.at_meeting(group, meeting)
    form = AttendanceForm(request.POST, members=people.members)
    if not form.is_valid():
        return staff_pages.meeting_page(request, group, meeting, form=form, status=400)
    keeping.set_attendance(meeting, people.members, form.cleaned_data["member"], request=request)
    messages.success(request, _("Attendance is saved."))
    return redirect("groups:meeting", group.pk, meeting.pk)


@require_POST
@login_required
def tablet_round(request: HttpRequest, group_id: int, meeting_id: int) -> HttpResponse:
    group = group_for(request.user, group_id)
    meeting = _meeting_for(group, meeting_id)
    if not (group.is_open and meeting.is_open(timezone.now())):
        messages.error(request, _("Answers for this meeting are closed, so the tablet stays here."))
        return redirect("groups:meeting", group.pk, meeting.pk)
    logout(request)
    response = redirect(reverse("groups:join", args=[meeting.token]))
    round_cookie.give(response, meeting)
    return response


@require_POST
@login_required
def reopen_turn(request: HttpRequest, group_id: int, meeting_id: int, member_id: int):
    """The member's code works again at this meeting (someone else used it, or they must start
    again); the group form answer given in that turn goes."""
    group = group_for(request.user, group_id)
    meeting = _meeting_for(group, meeting_id)
    member = staff_pages.member_of(group, member_id)
    try:
        outcome_given = keeping.reopen_turn(meeting, member, request=request)
    except keeping.Refused as error:
        messages.error(request, error.message)
        return redirect("groups:meeting", group.pk, meeting.pk)
    name = staff_pages.name_for(request.user, member)
    messages.success(request, _("%(name)s's code works again at this meeting.") % {"name": name})
    if outcome_given:
        messages.warning(
            request,
            _(
                "An answer about how life has been was given in that turn. It stays in the "
                "client's chart: if it was not theirs, their helper corrects it on the client's "
                "page."
            ),
        )
    return redirect("groups:meeting", group.pk, meeting.pk)
