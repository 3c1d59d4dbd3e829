"""Whose figures: a service, optionally narrowed to a team or a helper, within a period."""

import datetime
from dataclasses import dataclass, replace

from django.db.models import Q


@dataclass(frozen=True)
class Scope:
    """A service, optionally one team or one helper, within a period.

    The period is inclusive at both ends; None leaves that end open. Sessions belong to the
    helper who held them; episodes to their responsible helpers.
    """

    service_id: int
    start: datetime.date | None = None
    end: datetime.date | None = None
    team_id: int | None = None
    helper_id: int | None = None

    def dated(self, field: str) -> Q:
        q = Q()
        if self.start is not None:
            q &= Q(**{f"{field}__gte": self.start})
        if self.end is not None:
            q &= Q(**{f"{field}__lte": self.end})
        return q

    def period(self, start: datetime.date | None, end: datetime.date | None) -> "Scope":
        """The same service, team and helper over another period."""
        return replace(self, start=start, end=end)

    def unit(self, *, team_id: int | None = None, helper_id: int | None = None) -> "Scope":
        """The same period narrowed to a team or a helper."""
        return replace(
            self,
            team_id=team_id if team_id is not None else self.team_id,
            helper_id=helper_id if helper_id is not None else self.helper_id,
        )


def span(scopes) -> tuple[datetime.date | None, datetime.date | None]:
    """The smallest period holding every scope's period (None where any is open)."""
    scopes = list(scopes)
    starts = [s.start for s in scopes]
    ends = [s.end for s in scopes]
    start = None if any(d is None for d in starts) else min(starts, default=None)
    end = None if any(d is None for d in ends) else max(ends, default=None)
    return start, end
