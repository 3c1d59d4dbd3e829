"""The leader's list of comments: de-identified, by month, five or more or none at all.

No client code, helper, score or day is read at all, so none can reach the page: only each
comment's month (the month of its session) and its words. A list of fewer than `MINIMUM`
comments is withheld whole, as any dashboard figure resting on fewer than five people is
(`services.dashboards.suppression`): with a handful, a leader who knows the caseload could tell
who wrote what. The order is month, then the words themselves, never the order they were
written in, which would follow the sessions of the day.
"""

import datetime
from dataclasses import dataclass
from itertools import groupby

from services.dashboards.periods import Period, add_months, month_start
from services.dashboards.suppression import MINIMUM

from .models import SessionComment


@dataclass(frozen=True)
class Month:
    month: datetime.date  # the 1st of the month
    comments: list[str]


@dataclass(frozen=True)
class Listing:
    start: datetime.date  # the period widened to whole months
    end: datetime.date
    count: int
    months: list[Month]  # empty when withheld

    @property
    def withheld(self) -> bool:
        return 0 < self.count < MINIMUM


def whole_months(period: Period) -> tuple[datetime.date, datetime.date]:
    """The period widened to whole months, so a narrow custom period cannot pick out a day."""
    end = add_months(month_start(period.end), 1) - datetime.timedelta(days=1)
    return month_start(period.start), end


def listing(service_id: int, period: Period, team_id: int | None = None) -> Listing:
    """The comments of the service's (or the team's) sessions in the period's months."""
    start, end = whole_months(period)
    comments = SessionComment.objects.filter(
        rating__session__episode__service_id=service_id,
        rating__session__date__range=(start, end),
    )
    if team_id is not None:
        comments = comments.filter(rating__session__episode__team_id=team_id)
    rows = sorted(
        (month_start(day), text.strip())
        for day, text in comments.values_list("rating__session__date", "text")
        if text.strip()
    )
    if len(rows) < MINIMUM:
        return Listing(start, end, len(rows), [])
    months = [
        Month(month, [text for _, text in group])
        for month, group in groupby(rows, key=lambda row: row[0])
    ]
    return Listing(start, end, len(rows), months)
