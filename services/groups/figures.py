"""The group's alliance over its meetings, as its leader may see it.

A member's group alliance answer is their own: the leader sees the meeting's mean only when
five or more answered (the dashboards' small-number rule, `protect`), so a mean of two or three
answers cannot be read back to the one person who answered low. How many came and how many
answered is no one's answer, and is always shown.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count

from services.dashboards.suppression import Figure, protect

from .models import Group, GroupRating


@dataclass(frozen=True)
class MeetingAlliance:
    meeting_id: int
    number: int
    date: date
    attended: int
    answered: int
    mean: Figure  # the mean total; suppressed below five answers

    @property
    def shown(self) -> bool:
        return self.mean.shown


def one_decimal(mean) -> Decimal | None:
    """The mean to one decimal, rounded half up as a Decimal: a float's 32.4 is 32.3999… and
    the number formats of the tables cut it to 32,3 where the chart says 32,4."""
    if mean is None:
        return None
    return Decimal(str(mean)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def alliance_by_meeting(group: Group) -> list[MeetingAlliance]:
    """Each meeting of the group, oldest first, in one query whatever their number."""
    rows = (
        group.meetings.order_by("number")
        .annotate(
            attended=Count("attendances", distinct=True),
            answered=Count("ratings", distinct=True),
            mean=Avg("ratings__total"),
        )
        .values("pk", "number", "date", "attended", "answered", "mean")
    )
    return [
        MeetingAlliance(
            meeting_id=row["pk"],
            number=row["number"],
            date=row["date"],
            attended=row["attended"],
            answered=row["answered"],
            mean=protect(one_decimal(row["mean"]), row["answered"]),
        )
        for row in rows
    ]


def answered_members(meeting_ids) -> dict[int, set[int]]:
    """Meeting → the members who have answered the group form there (no scores)."""
    answered: dict[int, set[int]] = {}
    for meeting_id, member_id in GroupRating.objects.filter(
        meeting_id__in=list(meeting_ids)
    ).values_list("meeting_id", "member_id"):
        answered.setdefault(meeting_id, set()).add(member_id)
    return answered
