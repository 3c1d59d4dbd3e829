"""What the group leader's pages read and show, and the access-log rows for what they show.

Each page reads its group's members once (with their clients), which of their episodes the
leader may still see once, and its figures once, whatever the size of the group: a constant
number of queries. A client member is shown by name or code on these pages, so every page that
shows them logs one view per client member (`log_shown`), as the caseload does. A client whose
episode the leader may no longer see (moved team, taken off the episode) stays a member, but is
not named, linked or logged: "A client (you no longer have access)". The personal codes are on
the code cards alone, not on the pages that may be on a screen while the group meets.
"""

from dataclasses import dataclass

from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from services.audit import log
from services.clients.access import visible_episodes
from services.offers import qr

from . import figures
from .access import led_groups
from .models import Group, Meeting, Member
from .staff_forms import AttendanceForm, ClientMemberForm, MeetingForm, ParticipantForm

HIDDEN_CLIENT = gettext_lazy("A client (you no longer have access)")


@dataclass(frozen=True)
class MemberRow:
    member: Member
    name: str
    client_url: str  # the client's own page where the leader may see it, else ""
    attended: bool = False
    answered: bool = False


def seen_episodes(user, members: list[Member]) -> set[int]:
    """The client members' episodes the user may still see, in one query."""
    episode_ids = [m.episode_id for m in members if m.episode_id]
    if not episode_ids:
        return set()
    return set(visible_episodes(user).filter(pk__in=episode_ids).values_list("pk", flat=True))


def is_hidden(member: Member, seen: set[int]) -> bool:
    return bool(member.episode_id) and member.episode_id not in seen


def member_name(member: Member, seen: set[int]) -> str:
    """What the leader calls the member: the client's name or initials, else what the group
    calls them; a client the leader may no longer see is not named."""
    if member.episode_id:
        if member.episode_id not in seen:
            return str(HIDDEN_CLIENT)
        client = member.episode.client
        return client.display_name or client.code
    return member.label


def name_for(user, member: Member) -> str:
    """One member's name, for the message after a change."""
    return member_name(member, seen_episodes(user, [member]))


def member_of(group: Group, member_id: int) -> Member:
    """One member of the group; another group's member is a 404 like an unknown one."""
    member = group.members.select_related("episode__client").filter(pk=member_id).first()
    if member is None:
        raise Http404
    return member


def members_of(group: Group) -> list[Member]:
    """Current members first, then those who left, each in the order they joined."""
    members = list(group.members.select_related("episode__client"))
    return sorted(members, key=lambda m: m.left_on is not None)


def member_rows(members: list[Member], seen: set[int], attended=(), answered=()) -> list[MemberRow]:
    return [
        MemberRow(
            member=m,
            name=member_name(m, seen),
            client_url=(
                reverse("clients:detail", args=[m.episode.client_id])
                if m.episode_id in seen
                else ""
            ),
            attended=m.pk in attended or m.pk in answered,
            answered=m.pk in answered,
        )
        for m in members
    ]


def log_shown(request: HttpRequest, members: list[Member], seen: set[int], detail: str) -> None:
    """One view per client member the page names; those it does not name are not logged."""
    log.record_clients(
        request,
        [
            (m.episode.client_id, m.episode.client.service_id)
            for m in members
            if m.episode_id in seen
        ],
        detail=detail,
    )


def index_groups(user) -> tuple[list[Group], list[Group]]:
    """The user's open and ended groups, with their member count, meeting count, last meeting
    and today's meeting, in one query."""
    today = timezone.localdate()
    todays = Meeting.objects.filter(group=OuterRef("pk"), date=today).values("pk")[:1]
    groups = list(
        led_groups(user)
        .select_related("service")
        .annotate(
            member_count=Count("members", filter=Q(members__left_on__isnull=True), distinct=True),
            meeting_count=Count("meetings", distinct=True),
            last_meeting=Max("meetings__date"),
            todays_meeting=Subquery(todays),
        )
        .order_by("-closed_on", "name")
    )
    return [g for g in groups if g.is_open], [g for g in groups if not g.is_open]


def candidates_for(user, group: Group) -> list:
    """The open episodes of the group's service whose client the leader may see."""
    if not group.is_open:
        return []
    return list(
        visible_episodes(user)
        .filter(service_id=group.service_id, end_date__isnull=True)
        .select_related("client")
        .order_by("client__code", "start_date")
    )


def detail_page(
    request: HttpRequest,
    group: Group,
    *,
    status: int = 200,
    member_error: str = "",
    asked_member: int | None = None,
    **bound,
) -> HttpResponse:
    """The group's page; `bound` holds a form the leader sent with a mistake in it,
    `member_error` why a change to one member (`asked_member`) was not made."""
    members = members_of(group)
    seen = seen_episodes(request.user, members)
    meetings = figures.alliance_by_meeting(group)
    candidates = candidates_for(request.user, group)
    client_form = bound.get("client_form") or ClientMemberForm(
        group=group, candidates=candidates, members=members
    )
    forms = {
        "client_form": client_form,
        "participant_form": bound.get("participant_form")
        or ParticipantForm(group=group, members=members),
        "meeting_form": bound.get("meeting_form")
        or MeetingForm(group=group, meeting_dates=[row.date for row in meetings]),
    }
    log_shown(request, members, seen, "group page")
    in_group = client_form.member_clients
    log.record_clients(
        request,
        [(e.client_id, e.client.service_id) for e in candidates if e.client_id not in in_group],
        detail="clients to add to a group",
    )
    context = {
        "group": group,
        "rows": member_rows(members, seen),
        "current_count": sum(1 for m in members if m.left_on is None),
        "has_left": any(m.left_on is not None for m in members),
        "member_error": member_error,
        "asked_member": asked_member,
        "meetings": meetings,
        "has_candidates": len(client_form.fields["episode"].widget.choices) > 1,
        # A closed group's page has no forms to show their refusal beside.
        "refusals": [error for form in bound.values() for error in form.non_field_errors()],
        "close_form": bound.get("close_form"),
        **forms,
    }
    return render(request, "groups/staff/detail.html", context, status=status)


def codes_page(request: HttpRequest, group: Group) -> HttpResponse:
    """A card for each current member; a client the leader may no longer see gets none."""
    current = [m for m in members_of(group) if m.left_on is None]
    seen = seen_episodes(request.user, current)
    log_shown(request, current, seen, "group member cards")
    cards = [(member_name(m, seen), m.code) for m in current if not is_hidden(m, seen)]
    context = {"group": group, "cards": cards, "hidden": len(current) - len(cards)}
    return render(request, "groups/staff/codes.html", context)


def qr_svg(url: str) -> SafeString:
    """The group's QR code as inline SVG, scaled by the page, named for screen readers."""
    svg = qr.code(url).svg_inline(
        border=4,
        omitsize=True,
        dark="#000",
        light="#fff",
        svgclass="group-qr",
        title=_("The group's QR code. The address is written below it."),
    )
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))


@dataclass(frozen=True)
class AtMeeting:
    """The members listed at a meeting (members on its day, and anyone marked as there), who
    came and who answered the group form."""

    members: list[Member]
    attended: set[int]
    answered: set[int]
    used_code: set[int]  # members whose code opened a turn here, answered or not yet


def at_meeting(group: Group, meeting: Meeting) -> AtMeeting:
    used_code = set(meeting.turns.values_list("member_id", flat=True))
    attended = set(meeting.attendances.values_list("member_id", flat=True))
    answered = figures.answered_members([meeting.pk]).get(meeting.pk, set())
    members = [
        m
        for m in members_of(group)
        if m.was_member_on(meeting.date) or m.pk in attended or m.pk in answered
    ]
    return AtMeeting(members, attended, answered, used_code | answered)


def meeting_page(
    request: HttpRequest, group: Group, meeting: Meeting, *, form=None, status: int = 200
) -> HttpResponse:
    people = at_meeting(group, meeting)
    shown, attended, answered = people.members, people.attended, people.answered
    seen = seen_episodes(request.user, shown)
    log_shown(request, shown, seen, "group meeting page")
    rows = member_rows(shown, seen, attended, answered)
    join_url = join_url_of(request, meeting)
    context = {
        "group": group,
        "meeting": meeting,
        "rows": rows,
        "answered_rows": [row for row in rows if row.answered],
        "used_code_rows": [row for row in rows if row.member.pk in people.used_code],
        "form": form or AttendanceForm(members=shown),
        "is_open": group.is_open and meeting.is_open(timezone.now()),
        "join_url": join_url,
        "qr": qr_svg(join_url),
    }
    return render(request, "groups/staff/meeting.html", context, status=status)


def join_url_of(request: HttpRequest, meeting: Meeting) -> str:
    return request.build_absolute_uri(reverse("groups:join", args=[meeting.token]))


def qr_page(request: HttpRequest, group: Group, meeting: Meeting) -> HttpResponse:
    """The meeting's QR code for a screen or projector the whole room sees: the code, its
    address and the day, and nothing about any member, so it logs no view."""
    join_url = join_url_of(request, meeting)
    context = {
        "group": group,
        "meeting": meeting,
        "is_open": group.is_open and meeting.is_open(timezone.now()),
        "join_url": join_url,
        "qr": qr_svg(join_url),
    }
    return render(request, "groups/staff/qr.html", context)
