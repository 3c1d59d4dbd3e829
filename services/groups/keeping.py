"""Every change a group leader makes to a group, its members and its meetings, in one place.

Each change is one transaction with its access-log row, so the log never names a change that
did not happen, and a change is never left without its row. A change that touches a client
member (added, left, back, a new code, attendance) names the client in the log, so "who has
touched my data" includes it; a code itself is never written to the log. The views check the
input (services/groups/staff_forms.py); what the database alone can decide (two meetings on one
day, one client twice) is decided here again, for the leader who presses the button twice or in
two tabs.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.audit import log
from services.audit.models import Action

from .models import Attendance, Group, GroupRating, Meeting, Member, Turn, new_member_code


class Refused(Exception):
    """A change that cannot be made, with the message that says why."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


ALREADY_MEMBER = _("This client is already in the group.")
MEETING_THAT_DAY = _("The group already has a meeting on this day. Open it in the list below.")
GROUP_ENDED = _("The group has ended: no members or meetings can be added.")
LEFT_NO_CODE = _("This member has left the group, so their code works at no new meeting.")
NO_FREE_CODE = _("No new code could be made just now. Try again.")
CLOSED_MEETING = _("Answers for this meeting are closed, so its answers stay as they are.")
NO_TURN = _("This member's code has not been used at this meeting.")


def end_of_day(day: datetime.date) -> datetime.datetime:
    """Midnight after `day` in local time: the group QR code works on the meeting's day only."""
    midnight = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    return timezone.make_aware(midnight, timezone.get_default_timezone())


def _log_member(action: str, member: Member, request, detail: str = "") -> None:
    """A change to a membership is in the client's access log when the member is a client."""
    client = member.episode.client if member.episode_id else None
    log.record(
        action,
        obj=member,
        client=client,
        service=member.group.service,
        request=request,
        detail=detail,
    )


@transaction.atomic
def create_group(*, service, leader, name: str, kind: str, request=None) -> Group:
    group = Group.objects.create(service=service, leader=leader, name=name, kind=kind)
    log.record(Action.CREATE, obj=group, service=service, request=request)
    return group


def _free_code(group: Group) -> str:
    """A personal code no member of the group has (a clash is one in millions, but possible)."""
    taken = set(group.members.values_list("code", flat=True))
    code = new_member_code()
    while code in taken:
        code = new_member_code()
    return code


def _require_open(group: Group) -> None:
    if not group.is_open:
        raise Refused(GROUP_ENDED)


def _back(group: Group, member: Member, *, request) -> Member:
    """A member who had left is in the group again, with the code and join date they had: the
    card they keep still works, and their earlier meetings stay theirs."""
    with transaction.atomic():
        # Two clicks at once: only the first finds them gone, so the log says it once.
        if not Member.objects.filter(pk=member.pk, left_on__isnull=False).update(left_on=None):
            raise Refused(ALREADY_MEMBER)
        member.left_on = None
        _log_member(Action.CHANGE, member, request, detail="back in the group")
    return member


def add_client_member(group: Group, episode, *, request=None) -> tuple[Member, bool]:
    """The client of `episode` joins the group, or comes back to it (True); one current
    membership per client. A client who left comes back in the same membership if it is the
    same episode; in a new episode they get a new one, as their answers now join its curve."""
    _require_open(group)
    theirs = list(group.members.filter(episode__client_id=episode.client_id))
    if any(m.left_on is None for m in theirs):
        raise Refused(ALREADY_MEMBER)
    same = next((m for m in theirs if m.episode_id == episode.pk), None)
    if same is not None:
        same.episode = episode  # the same row, with its client already read
        return _back(group, same, request=request), True
    try:
        with transaction.atomic():
            member = Member.objects.create(group=group, episode=episode, code=_free_code(group))
            _log_member(Action.CREATE, member, request)
    except IntegrityError:
        raise Refused(ALREADY_MEMBER) from None
    return member, False


def left_participant(group: Group, label: str) -> Member | None:
    """The participant who left under this name (the latest, if two did): added again by the
    same name, they come back rather than join as somebody new."""
    gone = group.members.filter(
        episode__isnull=True, label__iexact=label, left_on__isnull=False
    ).order_by("-pk")
    return gone.first()


def add_participant(group: Group, label: str, *, request=None) -> tuple[Member, bool]:
    """A participant who is not a client, known only by what the group calls them; one who
    left under the same name comes back (True)."""
    _require_open(group)
    gone = left_participant(group, label)
    if gone is not None:
        return _back(group, gone, request=request), True
    with transaction.atomic():
        member = Member.objects.create(group=group, label=label, code=_free_code(group))
        _log_member(Action.CREATE, member, request)
    return member, False


@transaction.atomic
def member_left(group: Group, member: Member, *, request=None) -> bool:
    """Mark the member as gone from today; False if they had left already."""
    if member.left_on is not None:
        return False
    member.left_on = max(timezone.localdate(), member.joined_on)
    member.save(update_fields=["left_on"])
    _log_member(Action.CHANGE, member, request, detail="left the group")
    return True


def new_code(group: Group, member: Member, *, request=None) -> str:
    """A fresh personal code for a member whose code was lost or seen by someone else: the old
    one stops working at once. The log says that the code changed, never the code."""
    _require_open(group)
    if member.left_on is not None:
        raise Refused(LEFT_NO_CODE)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                code = _free_code(group)
                Member.objects.filter(pk=member.pk).update(code=code)
                _log_member(Action.CHANGE, member, request, detail="new code")
        except IntegrityError:  # another member got the same code this very moment
            continue
        member.code = code
        return code
    raise Refused(NO_FREE_CODE)


@transaction.atomic
def close_group(group: Group, *, request=None) -> bool:
    """End the group today: its QR codes stop working; False if it had ended already."""
    if not group.is_open:
        return False
    group.closed_on = timezone.localdate()
    group.save(update_fields=["closed_on"])
    log.record(Action.CHANGE, obj=group, service=group.service, request=request, detail="closed")
    return True


def new_meeting(group: Group, day: datetime.date, *, user, request=None) -> Meeting:
    """The group's next meeting, numbered after the last one, answerable on its day only."""
    _require_open(group)
    try:
        with transaction.atomic():
            # Two leaders' clicks at once wait here, so they cannot take the same number.
            Group.objects.select_for_update().filter(pk=group.pk).first()
            if group.meetings.filter(date=day).exists():
                raise Refused(MEETING_THAT_DAY)
            last = group.meetings.aggregate(last=Max("number"))["last"] or 0
            meeting = Meeting.objects.create(
                group=group,
                number=last + 1,
                date=day,
                open_until=end_of_day(day),
                created_by=user,
            )
            log.record(Action.CREATE, obj=meeting, service=group.service, request=request)
    except IntegrityError:
        raise Refused(MEETING_THAT_DAY) from None
    return meeting


@transaction.atomic
def set_attendance(meeting: Meeting, members: list[Member], attended_ids, *, request) -> int:
    """Those of `members` in `attended_ids` came to the meeting, the others did not; a member
    who answered the group form came whatever the list says. Returns how many changed."""
    answered = set(GroupRating.objects.filter(meeting=meeting).values_list("member_id", flat=True))
    wanted = ({int(pk) for pk in attended_ids} | answered) & {m.pk for m in members}
    before = set(
        Attendance.objects.filter(meeting=meeting, member__in=members).values_list(
            "member_id", flat=True
        )
    )
    added, removed = wanted - before, (before - wanted)
    if removed:
        Attendance.objects.filter(meeting=meeting, member_id__in=removed).delete()
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, member_id=pk) for pk in sorted(added)],
        ignore_conflicts=True,
    )
    changed = added | removed
    if changed:
        service = meeting.group.service
        log.record(
            Action.CHANGE, obj=meeting, service=service, request=request, detail="attendance"
        )
        clients = [
            (m.episode.client_id, service.pk) for m in members if m.pk in changed and m.episode_id
        ]
        if clients:
            log.record_clients(request, clients, detail="group attendance", action=Action.CHANGE)
    return len(changed)


@transaction.atomic
def reopen_turn(meeting: Meeting, member: Member, *, request=None) -> bool:
    """The member's code works again at this open meeting: their turn and its group form
    answer go (someone else used the code, or the member must start again). Returns whether an
    outcome answer was given in that turn: it is in the client's own chart, and stays there
    until the client's helper corrects it, since only they may judge whose it was.

    Only while answers are open: the mean is not shown before the meeting closes, so taking
    one answer away gives nothing away, and a closed meeting's published figures never change.
    """
    if not (meeting.group.is_open and meeting.is_open(timezone.now())):
        raise Refused(CLOSED_MEETING)
    turn = (
        Turn.objects.select_for_update(of=("self",))
        .select_related("handover")
        .filter(meeting=meeting, member=member)
        .first()
    )
    if turn is None:
        raise Refused(NO_TURN)
    handover = turn.handover
    outcome_given = handover is not None and handover.used_at is not None
    if handover is not None and handover.used_at is None:
        handover.expires_at = timezone.now()  # the form of that turn can no longer be sent
        handover.save(update_fields=["expires_at"])
    GroupRating.objects.filter(meeting=meeting, member=member).delete()
    turn.delete()
    _log_member(Action.CHANGE, member, request, detail="code opened again")
    return outcome_given
