"""Groups in the client's rights and the data's lifecycle (`services.clients.privacy`): the
export lists the groups the client took part in, the meetings they came to and their group
form answers; retention forgets the names of the participants who are not clients.

Erasure needs nothing here: a membership belongs to the client's episode, and its attendance,
turns and answers to the membership, so they are deleted with the client. A closed meeting's
published count and mean stay (`figures.freeze_closed`): made from five answers or more, they
are nobody's own answer, and changing them would give the erased member's answer away.
"""

import datetime

from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat

from services.accounts.models import Service

from .models import Attendance, GroupRating, Member


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def group_records(client) -> dict:
    """The client's group memberships with attendance and answers, as JSON-ready data."""
    members = list(
        Member.objects.filter(episode__client=client)
        .select_related("group", "episode")
        .order_by("joined_on", "pk")
    )
    came: dict[int, list[str | None]] = {}
    for member_id, date in (
        Attendance.objects.filter(member__in=members)
        .order_by("meeting__date")
        .values_list("member_id", "meeting__date")
    ):
        came.setdefault(member_id, []).append(_iso(date))
    answers: dict[int, list[dict]] = {}
    for rating in (
        GroupRating.objects.filter(member__in=members)
        .select_related("meeting", "instrument")
        .order_by("meeting__date", "pk")
    ):
        answers.setdefault(rating.member_id, []).append(
            {
                "meeting_date": _iso(rating.meeting.date),
                "form": f"{rating.instrument.key} v{rating.instrument.version}",
                "items": rating.items,
                "total": str(rating.total),
                "method": rating.method,
                "rated_at": _iso(rating.rated_at),
            }
        )
    return {
        "groups": [
            {
                "group": member.group.name,
                "kind": member.group.kind,
                "episode": member.episode.code,
                "joined": _iso(member.joined_on),
                "left": _iso(member.left_on),
                "meetings_attended": came.get(member.pk, []),
                "group_form_answers": answers.get(member.pk, []),
            }
            for member in members
        ]
    }


def forget_participant_names(service: Service, cutoff: datetime.date) -> int:
    """Replace the name of each participant who is not a client, in the service's groups that
    ended before `cutoff`, by a neutral "#<member number>"; how many were renamed.

    A participant is known only by what the group called them, and is no client whose episode
    retention could anonymise: with the name gone, their attendance and answers name no one.
    A client member needs nothing here (retention anonymises or deletes their episode). The
    neutral name keeps the rule that a participant has one; running it again renames nobody.
    """
    neutral = Concat(Value("#"), Cast("pk", CharField()), output_field=CharField())
    return (
        Member.objects.filter(
            group__service=service, group__closed_on__lt=cutoff, episode__isnull=True
        )
        .exclude(label=neutral)
        .update(label=neutral)
    )
