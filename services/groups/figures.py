"""The group's alliance over its meetings, as its leader may see it.

A member's group alliance answer is their own: the leader sees the meeting's mean only when
five or more answered (the dashboards' small-number rule, `protect`), so a mean of two or three
answers cannot be read back to the one person who answered low. How many came and how many
answered is no one's answer, and is always shown.

Five answers are not enough on their own: a mean read while answers still arrive, and read
again after the next one (the meeting page names who answered), gives that person's total as
6·m6 − 5·m5; and so would a mean read before and after a member's erasure took their answer.
So a meeting shows no mean while it is open (until midnight of its day), and when it has closed
its count and mean are stored once (`freeze_closed`) and shown from there ever after: what
was published from five or more answers is no longer any one person's data, and stays as it
was.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, QuerySet
from django.utils import timezone

from services.dashboards.suppression import MINIMUM, Figure, protect

from .models import Group, GroupRating, Meeting

FROZEN_FIELDS = ["answered", "mean_total", "figures_frozen_at"]


@dataclass(frozen=True)
class MeetingAlliance:
    meeting_id: int
    number: int
    date: datetime.date
    attended: int
    answered: int
    mean: Figure  # the mean total; suppressed below five answers, empty while open
    closed: bool = True

    @property
    def shown(self) -> bool:
        return self.mean.shown

    @property
    def still_open(self) -> bool:
        """Answers may still arrive: no mean until the meeting has closed, at any count."""
        return not self.closed


def one_decimal(mean) -> Decimal | None:
    """The mean to one decimal, rounded half up as a Decimal: a float's 32.4 is 32.3999… and
    the number formats of the tables cut it to 32,3 where the chart says 32,4."""
    if mean is None:
        return None
    return Decimal(str(mean)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def freeze_closed(meetings: QuerySet[Meeting], now: datetime.datetime | None = None) -> int:
    """Store the count and mean of the answers of every meeting in `meetings` that has closed
    and is not frozen yet; returns how many were frozen.

    The mean is stored only from five answers or more: a mean of fewer is as good as their
    answers, and would outlive an erasure that takes them (a meeting where one answered would
    keep that person's total).

    One aggregate query, and one UPDATE when there is anything to store (PostgreSQL takes any
    number of meetings in it; SQLite's limit on parameters splits it every 199 meetings). A
    frozen meeting is never written again, also when two requests freeze at once: the UPDATE
    touches only rows still unfrozen, so the first one's figures stand.
    """
    now = now or timezone.now()
    rows = list(
        meetings.filter(open_until__lte=now, figures_frozen_at__isnull=True)
        .order_by()
        .annotate(n=Count("ratings"), mean=Avg("ratings__total"))
        .values_list("pk", "n", "mean")
    )
    if not rows:
        return 0
    frozen = [
        Meeting(
            pk=pk,
            answered=n,
            mean_total=one_decimal(mean) if n >= MINIMUM else None,
            figures_frozen_at=now,
        )
        for pk, n, mean in rows
    ]
    return Meeting.objects.filter(figures_frozen_at__isnull=True).bulk_update(frozen, FROZEN_FIELDS)


def _meeting_rows(group: Group) -> list[dict]:
    """The group's meetings with their counts and frozen figures; never a live mean, so an open
    meeting's mean does not even leave the database."""
    return list(
        group.meetings.order_by("number")
        .annotate(
            attended_now=Count("attendances", distinct=True),
            answered_now=Count("ratings", distinct=True),
        )
        .values(
            "pk",
            "number",
            "date",
            "open_until",
            "attended_now",
            "answered_now",
            "answered",
            "mean_total",
            "figures_frozen_at",
        )
    )


def _alliance(row: dict) -> MeetingAlliance:
    closed = row["figures_frozen_at"] is not None
    answered = row["answered"] if closed else row["answered_now"]
    return MeetingAlliance(
        meeting_id=row["pk"],
        number=row["number"],
        date=row["date"],
        attended=row["attended_now"],
        answered=answered,
        mean=protect(row["mean_total"], answered) if closed else Figure(None, None),
        closed=closed,
    )


def alliance_by_meeting(group: Group) -> list[MeetingAlliance]:
    """Each meeting of the group, oldest first: one query whatever their number, and three more
    when a meeting has closed since the last look (to freeze it, then read it frozen)."""
    now = timezone.now()
    rows = _meeting_rows(group)
    if any(r["figures_frozen_at"] is None and r["open_until"] <= now for r in rows):
        freeze_closed(group.meetings.all(), now)
        rows = _meeting_rows(group)
    return [_alliance(row) for row in rows]


def answered_members(meeting_ids) -> dict[int, set[int]]:
    """Meeting → the members who have answered the group form there (no scores)."""
    answered: dict[int, set[int]] = {}
    for meeting_id, member_id in GroupRating.objects.filter(
        meeting_id__in=list(meeting_ids)
    ).values_list("meeting_id", "member_id"):
        answered.setdefault(meeting_id, set()).add(member_id)
    return answered
