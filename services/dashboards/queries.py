"""The database side of every figure: two statements over the dashboard facts (`models`).

- activity: the session facts, summed per (day, team, helper) cell — sessions, distinct clients,
  completeness and alliance;
- episodes: the episode facts — each closed episode's intake, end and outcome category (decided
  when the fact was built), the intakes of new episodes, and episodes closed (dropout, sessions
  per episode, left out of the outcome figures by reason) and begun; and the collateral facts,
  per kind of collateral rater.

Each statement is a base built with the ORM and summed for every slice the caller asks for (see
`sql`): named periods (this period, the previous one) with every figure, months and quarters for
the trends, teams and helpers for the comparison, and the SAES reference (the service's closed
episodes up to the end of the period). The result is plain sums; `outcomes.report_figures` and
`statistics` turn them into figures. `collect` first rebuilds the facts of clients changed since
the last read (`facts.refresh_outdated`), then runs the two statements, whatever the data size.

Sessions and ratings belong to the helper who held the session; episodes to their responsible
helpers (an episode with two counts for both). A client rates at most one ORS and one SRS per
session (recording stores client ratings with an empty rater name, and session, purpose, rater
and rater name are unique together), so counting client ORS ratings counts rated sessions.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import Count, F, FloatField, Q, QuerySet
from django.db.models.functions import Cast

from services.clients.models import EndReason, Episode
from services.measures.models import Instrument

from .facts import BINS, refresh_outdated
from .models import CollateralFact, DailyActivity, EpisodeFact, SessionFact
from .scope import Scope
from .sql import Condition, Pass, as_date, compiled, quote, run

HELPERS = Episode.helpers.through._meta.db_table
GROUPS = {"team": "in_team", "helper": "held_by"}  # base columns (named unlike model fields)


@dataclass(frozen=True)
class Request:
    """What one page needs, for one service (optionally narrowed to a team or a helper).

    `periods`: named periods with every figure. `trend`: the span for months and quarters.
    `units`: "team" and/or "helper", compared over `comparison` (the current period).
    `reference_end`: the SAES reference's last day (None: all time).
    """

    service_id: int
    periods: Mapping[str, tuple[datetime.date | None, datetime.date | None]]
    team_id: int | None = None
    helper_id: int | None = None
    trend: tuple[datetime.date, datetime.date] | None = None
    units: tuple[str, ...] = ()
    comparison: tuple[datetime.date | None, datetime.date | None] | None = None
    reference_end: datetime.date | None = None

    @classmethod
    def for_scope(cls, scope: Scope, **kwargs) -> "Request":
        return cls(
            scope.service_id,
            {"scope": (scope.start, scope.end)},
            scope.team_id,
            scope.helper_id,
            reference_end=scope.end,
            **kwargs,
        )

    def span(self) -> tuple[datetime.date | None, datetime.date | None]:
        """The smallest period holding every period, the trend and the comparison."""
        ranges = [*self.periods.values()]
        if self.trend:
            ranges.append(self.trend)
        if self.comparison:
            ranges.append(self.comparison)
        starts = [start for start, _ in ranges]
        ends = [end for _, end in ranges]
        start = None if None in starts else min(starts)
        end = None if None in ends else max(ends)
        return start, end


@dataclass
class Result:
    """Sums per named period, per month and quarter, per team and helper, and the reference."""

    periods: dict[str, dict] = field(default_factory=dict)
    months: dict[datetime.date, dict] = field(default_factory=dict)
    quarters: dict[datetime.date, dict] = field(default_factory=dict)
    team: dict[int, dict] = field(default_factory=dict)
    helper: dict[int, dict] = field(default_factory=dict)
    reference: dict = field(default_factory=dict)
    # Per named period and kind of collateral rater ("parent", "teacher", "other").
    collateral: dict[str, dict[str, dict]] = field(default_factory=dict)

    def add(self, name: str, key, sums: dict) -> None:
        kind, _, period = name.partition(":")
        if kind == "period":
            target = self.periods.setdefault(period, {})
        elif kind == "collateral":
            target = self.collateral.setdefault(period, {}).setdefault(str(key), {})
        elif kind == "reference":
            target = self.reference
        elif kind in ("months", "quarters"):
            target = getattr(self, kind).setdefault(as_date(key), {})
        else:
            target = getattr(self, kind).setdefault(None if key is None else int(key), {})
        for figure, value in sums.items():
            target[figure] = _number(figure, value)


COUNTS = {
    "sessions", "clients", "ors_rated", "srs_n", "srs_flagged", "closed", "dropout",
    "closed_sessions", "new", "outcome_n", "improved_any", "deteriorated", "recovered",
    "below_cutoff", "c_n", "intake_n", "intake_below", *(f"bin{i}" for i in range(BINS)),
    "left_none", "left_one", "left_unscored", "c_improved", "c_recovered", "c_deteriorated",
    "col_series", "col_episodes", "col_improved", "col_recovered", "col_deteriorated",
}  # fmt: skip


def _number(name: str, value):
    """Counts as int, sums as float (None stays None: a sum over no rows)."""
    if value is None:
        return None
    return round(value) if name in COUNTS else float(value)


def collect(request: Request, instruments: list[Instrument]) -> Result:
    refresh_outdated(instruments)
    result = Result()
    for statement in (_activity, _episodes):
        for name, key, sums in statement(request, instruments):
            result.add(name, key, sums)
    return result


# -- sessions and ratings ---------------------------------------------------------------------

# Each fact's "previous session" column for the level a figure counts clients at.
PREVIOUS = {
    None: "previous_any",
    "team": "previous_in_team",
    "helper": "previous_with_helper",
    "team and helper": "previous_in_team_with_helper",
}
FIRST_IN_MONTH = {
    None: "first_in_month_any",
    "team": "first_in_month_in_team",
    "helper": "first_in_month_with_helper",
    "team and helper": "first_in_month_in_team_with_helper",
}
ACTIVITY_SUMS = (  # (figure, column of the daily activity)
    ("sessions", "sessions"),
    ("ors_rated", "ors_rated"),
    ("srs_n", "srs_n"),
    ("srs_sum", "srs"),
    ("srs_flagged", "srs_flagged"),
)


def _level(team: bool, helper: bool) -> str | None:
    """Whose clients a slice counts: a helper's, a team's, both's, or the service's."""
    if team and helper:
        return "team and helper"
    return "helper" if helper else "team" if team else None


def _activity(request: Request, instruments) -> list:
    """Sessions, distinct clients, completeness and alliance.

    Everything but distinct clients is a sum of the daily activity rows (`DailyActivity`, a
    few thousand). Distinct clients are sums too, over the session facts: a client was seen in a
    period once for each session whose previous session (at the slice's level: any, in the same
    team, with the same helper, or both) came before the period's first day. Those counts are
    taken per team and helper in one pass over the sessions of the periods, and summed again per
    slice.
    """
    start, end = request.span()
    where = Q(service_id=request.service_id)
    if request.team_id is not None:
        where &= Q(team_id=request.team_id)
    if request.helper_id is not None:
        where &= Q(helper_id=request.helper_id)
    team, helper = request.team_id is not None, request.helper_id is not None
    level = _level(team, helper)
    cells = (
        DailyActivity.objects.order_by()
        .filter(where & Scope(request.service_id, start, end).dated("day"))
        .values(
            "day",
            "month",
            "sessions",
            "ors_rated",
            "srs_n",
            "srs_flagged",
            in_team=F("team_id"),
            held_by=F("helper_id"),
            srs=Cast("srs_sum", FloatField()),
            clients_month=F(FIRST_IN_MONTH[level]),
        )
    )

    def first_seen(level_: str | None, dates) -> Count:
        """Sessions in `dates` that are their client's first since the period began."""
        column = PREVIOUS[level_]
        first = Q(**{f"{column}__isnull": True})
        if dates[0] is not None:
            first |= Q(**{f"{column}__lt": dates[0]})
        return Count("pk", filter=first & Scope(request.service_id, *dates).dated("day"))

    clients = {
        f"clients_{index}": first_seen(level, dates)
        for index, dates in enumerate(request.periods.values())
    }
    units = request.units if request.comparison else ()
    clients |= {
        f"clients_{unit}": first_seen(
            _level(team or unit == "team", helper or unit == "helper"), request.comparison
        )
        for unit in units
    }
    starts = [dates[0] for dates in request.periods.values()]
    if units:
        starts.append(request.comparison[0])
    earliest = None if None in starts else min(starts)
    firsts = (
        SessionFact.objects.order_by()
        .filter(where & Scope(request.service_id, earliest, end).dated("day"))
        .values(in_team=F("team_id"), held_by=F("helper_id"))
        .annotate(**clients)
    )

    def summed(name, dates, group=None, figures=ACTIVITY_SUMS):
        return Pass(
            name,
            "cells",
            [(figure, f"SUM({{{column}}})") for figure, column in figures],
            Condition().between("day", *dates),
            group,
        )

    def clients_of(name, column, group=None):
        return Pass(name, "firsts", [("clients", f"SUM({{{column}}})")], Condition(), group)

    passes = []
    for index, (name, dates) in enumerate(request.periods.items()):
        passes += [
            summed(f"period:{name}", dates),
            clients_of(f"period:{name}", f"clients_{index}"),
        ]
    if request.trend:
        figures = (*ACTIVITY_SUMS, ("clients", "clients_month"))
        passes.append(summed("months:", request.trend, "month", figures))
    for unit in units:
        passes += [
            summed(f"{unit}:", request.comparison, GROUPS[unit]),
            clients_of(f"{unit}:", f"clients_{unit}", GROUPS[unit]),
        ]
    return run([("cells", *compiled(cells)), ("firsts", *compiled(firsts))], passes)


# -- episodes: outcomes, intakes, closed and new ------------------------------------------------

CLINICAL_SUMS = (
    ("c_n", "SUM({clinical})"),
    ("c_x", "SUM(CASE WHEN {clinical} = 1 THEN {intake} END)"),
    ("c_y", "SUM(CASE WHEN {clinical} = 1 THEN {change} END)"),
    ("c_xx", "SUM(CASE WHEN {clinical} = 1 THEN {intake} * {intake} END)"),
    ("c_yy", "SUM(CASE WHEN {clinical} = 1 THEN {change} * {change} END)"),
    ("c_xy", "SUM(CASE WHEN {clinical} = 1 THEN {intake} * {change} END)"),
)
OUTCOME_SUMS = (
    ("outcome_n", "COUNT(*)"),
    ("improved_any", "SUM({improved})"),
    ("deteriorated", "SUM({deteriorated})"),
    ("recovered", "SUM({recovered})"),
    ("below_cutoff", "SUM({clinical})"),
    ("sx", "SUM({intake})"),
    ("sy", "SUM({end})"),
    ("sxx", "SUM({intake} * {intake})"),
    ("syy", "SUM({end} * {end})"),
    ("sxy", "SUM({intake} * {end})"),
    *CLINICAL_SUMS,
    # The categories of the episodes that started below the cutoff: the subset compared with
    # published (clinical) samples.
    ("c_improved", "SUM(CASE WHEN {clinical} = 1 THEN {improved} ELSE 0 END)"),
    ("c_recovered", "SUM(CASE WHEN {clinical} = 1 THEN {recovered} ELSE 0 END)"),
    ("c_deteriorated", "SUM(CASE WHEN {clinical} = 1 THEN {deteriorated} ELSE 0 END)"),
)
TREND_SUMS = OUTCOME_SUMS[:8]
INTAKE_SUMS = (
    ("intake_n", "COUNT(*)"),
    ("intake_sum", "SUM({intake})"),
    ("intake_below", "SUM({clinical})"),
    *((f"bin{i}", f"SUM(CASE WHEN {{band}} = {i} THEN 1 ELSE 0 END)") for i in range(BINS)),
)


COLLATERAL_SUMS = (
    ("col_series", "COUNT(*)"),  # one per rater (two parents of one child are two)
    ("col_episodes", "COUNT(DISTINCT {episode_id})"),
    ("col_improved", "SUM({improved})"),
    ("col_recovered", "SUM({recovered})"),
    ("col_deteriorated", "SUM({deteriorated})"),
    ("col_change", "SUM({change})"),
)


def _collateral_base(request: Request) -> QuerySet:
    """Collateral raters' judged series of the episodes closed in the span (see `models`)."""
    start, end = request.span()
    return (
        CollateralFact.objects.order_by()
        .filter(
            Q(service_id=request.service_id, paired=1)
            & Scope(request.service_id, start, end).dated("end_date")
        )
        .values(
            "episode_id",
            "rater",
            "improved",
            "recovered",
            "deteriorated",
            "change",
            in_team=F("team_id"),
            ended=F("end_date"),
        )
    )


def _episode_base(request: Request) -> QuerySet:
    """The episodes any figure may need: ended by the reference's end, or begun in the span."""
    start, end = request.span()
    ended = Q(end_date__isnull=False)
    if request.reference_end is not None:
        ended &= Q(end_date__lte=request.reference_end)
    begun = _or_all(Scope(request.service_id, start, end).dated("start_date"))
    return (
        EpisodeFact.objects.order_by()
        .filter(Q(service_id=request.service_id) & (ended | begun))
        .values(
            "episode_id",
            "end_reason",
            "ors_count",
            "scored",
            "paired",
            "clinical",
            "improved",
            "recovered",
            "deteriorated",
            "band",
            "intake",
            "end",
            "change",
            in_team=F("team_id"),
            ended=F("end_date"),
            started=F("start_date"),
            month=F("end_month"),
            quarter=F("end_quarter"),
            session_count=F("sessions"),
        )
    )


def _episode_sums(dates) -> tuple[tuple, list]:
    """Episodes closed (and why, after how many sessions, and why left out of the outcome
    figures) and begun in `dates`.

    Left out: closed episodes without a rating, with one rating only on the intake's form, or
    with two or more on a form without scores for the client's age group at intake. With the
    ones counted (`paired`) they make up every closed episode.
    """
    closed, closed_params = _range_sql("ended", dates)
    closed = f"({quote('ended')} IS NOT NULL AND {closed})"
    begun, begun_params = _range_sql("started", dates)
    when_closed = {
        "closed": "1 = 1",
        "dropout": f"{quote('end_reason')} = '{EndReason.DROPOUT}'",
        "left_none": "{ors_count} = 0",
        "left_one": "{ors_count} = 1",
        "left_unscored": "{scored} = 0 AND {ors_count} >= 2",
    }
    sums = tuple(
        (name, f"SUM(CASE WHEN {closed} AND {condition} THEN 1 ELSE 0 END)")
        for name, condition in when_closed.items()
    )
    return (
        (
            *sums,
            ("closed_sessions", f"SUM(CASE WHEN {closed} THEN {{session_count}} END)"),
            ("new", f"SUM(CASE WHEN {begun} THEN 1 ELSE 0 END)"),
        ),
        closed_params * (len(sums) + 1) + begun_params,
    )


def _episodes(request: Request, instruments) -> list:
    """Outcome, intake and episode sums per slice, over one row per episode.

    The reference (every closed episode of the service up to the period's end) is why the base
    is the whole service; the page's team or helper narrows each other slice. Episodes of a
    helper are found through the episode–helper table, joined once, and only if a slice needs it.
    """
    ctes = [("e", *compiled(_episode_base(request))), ("c", *compiled(_collateral_base(request)))]
    if request.helper_id is not None or ("helper" in request.units and request.comparison):
        ctes.append(_with_helpers("eh", "e"))
    if request.helper_id is not None:
        ctes.append(_with_helpers("ch", "c"))

    def narrowed(where: Condition, unit_kind: str | None = None) -> tuple[str, str | None]:
        """The page's team and helper; the source (with helpers, where needed) and grouping."""
        where.equals("in_team", request.team_id)
        where.equals("helper", request.helper_id)
        if request.helper_id is not None or unit_kind == "helper":
            return "eh", "helper" if unit_kind == "helper" else None
        return "e", None

    def outcomes(name, dates, sums, group=None, unit_kind=None):
        where = Condition().add("{paired} = 1").between("ended", *dates)
        source, helper_group = narrowed(where, unit_kind)
        return Pass(name, source, sums, where, helper_group or group)

    def intakes(name, dates):
        where = Condition().add("{intake} IS NOT NULL").between("started", *dates)
        source, _ = narrowed(where)
        return Pass(name, source, INTAKE_SUMS, where)

    def counts(name, dates, group=None, unit_kind=None):
        sums, params = _episode_sums(dates)
        source, helper_group = narrowed(where := Condition(), unit_kind)
        return Pass(name, source, sums, where, helper_group or group, params=params)

    def collateral(name, dates):
        where = Condition().between("ended", *dates)
        source, _ = narrowed(where)
        return Pass(name, "ch" if source == "eh" else "c", COLLATERAL_SUMS, where, "rater")

    passes = []
    for name, dates in request.periods.items():
        passes += [
            outcomes(f"period:{name}", dates, OUTCOME_SUMS),
            intakes(f"period:{name}", dates),
            counts(f"period:{name}", dates),
            collateral(f"collateral:{name}", dates),
        ]
    reference = Condition().add("{paired} = 1").between("ended", None, request.reference_end)
    passes.append(Pass("reference", "e", CLINICAL_SUMS, reference))
    if request.trend:
        passes += [
            outcomes("quarters:", request.trend, TREND_SUMS, "quarter"),
            counts("months:", request.trend, "month"),
        ]
    for unit in request.units if request.comparison else ():
        group = "in_team" if unit == "team" else None
        passes += [
            outcomes(f"{unit}:", request.comparison, TREND_SUMS + CLINICAL_SUMS, group, unit),
            counts(f"{unit}:", request.comparison, group, unit),
        ]
    return run(ctes, passes)


def _with_helpers(name: str, source: str) -> tuple[str, str, list]:
    """A table expression: `source`'s rows once per responsible helper of their episode."""
    return (
        name,
        f"SELECT src.*, h.user_id AS {quote('helper')} FROM {quote(source)} AS src "
        f"JOIN {quote(HELPERS)} AS h ON h.episode_id = src.{quote('episode_id')}",
        [],
    )


def _or_all(q: Q) -> Q:
    """A period condition that is true for every row when the period is open at both ends.

    An empty Q() would vanish from `a | Q()`, leaving only `a`.
    """
    return q if q else Q(pk__isnull=False)


def _range_sql(column: str, dates) -> tuple[str, list]:
    condition = Condition().between(column, *dates)
    return f"({condition.sql()})", condition.params


def month_starts(start: datetime.date, end: datetime.date, months: int = 1) -> list[datetime.date]:
    """First days of the months (or quarters, months=3) from `start`'s to `end`'s."""
    first = datetime.date(start.year, start.month - (start.month - 1) % months, 1)
    days = []
    while first <= end:
        days.append(first)
        month = first.month - 1 + months
        first = datetime.date(first.year + month // 12, month % 12 + 1, 1)
    return days
