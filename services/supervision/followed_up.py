"""The share of off-track signals followed up within two sessions: a KOR quality indicator.

Definition. An off-track signal is raised at the session whose rating first puts the episode
below the expected range (`history.onsets`; it stays one signal while the episode stays below).
It is *followed up within two sessions* when a helper noted that the signal was talked about
with the client (`SignalFollowUp`) while the episode's latest session was that session or the
next one, that is, before the second session after it. Where fewer sessions followed (the
episode closed, or it is open with one session or none since), a follow-up recorded in what
there is counts.

Which signals count: those raised at a session in the period (by its date), in the service, or
its team, or the episodes a helper is responsible for. A signal whose window is still open (the
episode open, no second session since, no follow-up yet) is left out until it is decided; one
followed up already counts as followed up. The share rests on the decided signals and is shown
under the small-number rule (`suppression.protect`).

Computed in the database in one query, on every view: follow-ups are written by helpers at any
time, so the figure cannot be kept with the dashboard's figures (which change with the facts).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q

from services.dashboards.suppression import Figure, protect

from .access import responsible
from .history import TRACKED
from .models import RaisedSignal, SignalFollowUp


@dataclass(frozen=True)
class FollowedUp:
    share: Figure  # of the decided signals, protected
    followed: int | None  # None where the share is withheld
    decided: int | None


def in_time() -> Exists:
    """A follow-up of the raised signal, noted at its session or the next one."""
    return Exists(
        SignalFollowUp.objects.filter(
            episode_id=OuterRef("episode_id"),
            signal=OuterRef("signal"),
            session__number__gte=OuterRef("number"),
            session__number__lte=OuterRef("number") + 1,
        )
    )


def counts(
    service_id: int,
    start: datetime.date | None,
    end: datetime.date | None,
    *,
    team_id: int | None = None,
    helper_id: int | None = None,
) -> tuple[int, int]:
    """(followed up in time, decided) off-track signals raised in the period, in one query."""
    rows = RaisedSignal.objects.filter(service_id=service_id, signal=TRACKED.value)
    if start is not None:
        rows = rows.filter(day__gte=start)
    if end is not None:
        rows = rows.filter(day__lte=end)
    if team_id is not None:
        rows = rows.filter(team_id=team_id)
    if helper_id is not None:
        rows = rows.filter(responsible(helper_id))
    totals = rows.annotate(noted=in_time()).aggregate(
        followed=Count("pk", filter=Q(noted=True)),
        decided=Count("pk", filter=Q(noted=True) | Q(window_closed=True)),
    )
    return totals["followed"], totals["decided"]


def figure(followed: int, decided: int) -> FollowedUp:
    """The share, withheld (with its counts) below the small-number minimum."""
    share = protect(followed / decided if decided else None, decided)
    if share.suppressed:
        return FollowedUp(share, None, None)
    return FollowedUp(share, followed, decided)


def followed_up(service_id, start, end, *, team_id=None, helper_id=None) -> FollowedUp:
    return figure(*counts(service_id, start, end, team_id=team_id, helper_id=helper_id))
