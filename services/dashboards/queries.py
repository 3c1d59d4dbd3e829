"""The database side of every figure: two statements over the dashboard facts (`models`).

- activity: the session facts, summed per (day, team, helper) cell — sessions, distinct clients,
  completeness and alliance;
- episodes: the episode facts — each closed episode's intake, end and outcome category (decided
  when the fact was built), the intakes of new episodes, and episodes closed (dropout, sessions
  per episode, left out of the outcome figures by reason) and begun; and the collateral facts,
  per kind of collateral rater.

Each statement reads its bases (built with the ORM) once, summed into small cells in that one
pass, and sums the cells for every slice the caller asks for (see `sql`): named periods (this
period, the previous one) with every figure, months and quarters for the trends, teams and
helpers for the comparison, and the SAES reference (the service's closed episodes up to the end
of the period). The result is plain sums, of scores in whole tenths of a point, so the same facts
give the same sums to the last bit (`TENTHS`); `outcomes.report_figures` and `statistics` turn
them into figures. `collect` first rebuilds the facts of clients changed since
the last read (`facts.refresh_outdated`), then runs the two statements, whatever the data size.

Sessions and ratings belong to the helper who held the session; episodes to their responsible
helpers (an episode with two counts for both). A client rates at most one ORS and one SRS per
session (recording stores client ratings with an empty rater name, and session, purpose, rater
and rater name are unique together), so counting client ORS ratings counts rated sessions.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Round

from services.clients.models import EndReason, Episode
from services.measures.models import Instrument

from .facts import BINS, refresh_outdated
from .models import CollateralFact, DailyActivity, EpisodeFact, SessionFact
from .scope import Scope
from .sql import Condition, Pass, as_date, compiled, count_if, grouped, quote, run, sum_if

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


# Scores are summed in tenths of a point (every score has one decimal): whole numbers, which a
# binary float sums exactly in any order, so the same facts give the same figures to the last
# bit however the database reads them (and a chart drawn from them is not drawn again).
TENTHS = {"sx", "sy", "c_x", "c_y", "intake_sum", "col_change", "srs_sum"}
HUNDREDTHS = {"sxx", "syy", "sxy", "c_xx", "c_yy", "c_xy"}


def _number(name: str, value):
    """Counts as int, sums as float in points (None stays None: a sum over no rows)."""
    if value is None:
        return None
    if name in COUNTS:
        return round(value)
    if name in TENTHS:
        return float(value) / 10
    if name in HUNDREDTHS:
        return float(value) / 100
    return float(value)


def _tenths(column: str) -> Func:
    """A score in tenths of a point, a whole number (None stays None), as a binary float:
    Django's `Round` would make PostgreSQL round in `numeric`, several times slower to sum."""
    return Func(F(column) * 10, function="ROUND", output_field=FloatField())


def collect(request: Request, instruments: list[Instrument], *, refresh: bool = True) -> Result:
    """Every sum `request` asks for; first takes in pending changes unless the caller just did
    (`refresh=False`)."""
    if refresh:
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
            srs=Cast(Round(F("srs_sum") * 10), FloatField()),
            clients_month=F(FIRST_IN_MONTH[level]),
        )
    )

    def first_seen(level_: str | None, dates) -> Q:
        """Sessions in `dates` that are their client's first since the period began."""
        column = PREVIOUS[level_]
        first = Q(**{f"{column}__isnull": True})
        if dates[0] is not None:
            first |= Q(**{f"{column}__lt": dates[0]})
        return first & Scope(request.service_id, *dates).dated("day")

    firsts_of = {
        f"clients_{index}": first_seen(level, dates)
        for index, dates in enumerate(request.periods.values())
    }
    units = request.units if request.comparison else ()
    firsts_of |= {
        f"clients_{unit}": first_seen(
            _level(team or unit == "team", helper or unit == "helper"), request.comparison
        )
        for unit in units
    }
    starts = [dates[0] for dates in request.periods.values()]
    if units:
        starts.append(request.comparison[0])
    earliest = None if None in starts else min(starts)
    # Only a client's first session of a period counts, so the other sessions (most of them)
    # are left out before they are grouped: any of the counts' conditions.
    counted = Q()
    for first in firsts_of.values():
        counted |= first
    firsts = (
        SessionFact.objects.order_by()
        .filter(where & Scope(request.service_id, earliest, end).dated("day") & counted)
        .values(in_team=F("team_id"), held_by=F("helper_id"))
        .annotate(**{name: Count("pk", filter=first) for name, first in firsts_of.items()})
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

# Every figure of the closed episodes, summed once per cell (a day, team and, where a slice needs
# them, helper) in one pass over the episode facts; the slices then sum the cells. Outcome sums
# count the closed episodes with a scored intake and two or more ORS on its form (`paired`);
# the clinical ones those of them that started below the cutoff.
PAIRED = "{paired} = 1"
CLINICAL = "{paired} = 1 AND {clinical} = 1"


def _closed_cell_sums() -> tuple[tuple[str, str], ...]:
    """Per cell of closed episodes: how many, why they closed or were left out of the outcome
    figures (none, one, or unscored ratings), their sessions, and the outcome sums."""
    return (
        ("closed", "COUNT(*)"),
        ("dropout", count_if(f"{{end_reason}} = '{EndReason.DROPOUT}'")),
        ("left_none", count_if("{ors_count} = 0")),
        ("left_one", count_if("{ors_count} = 1")),
        ("left_unscored", count_if("{scored} = 0 AND {ors_count} >= 2")),
        ("closed_sessions", "SUM({session_count})"),
        ("outcome_n", count_if(PAIRED)),
        ("improved_any", sum_if("{improved}", PAIRED)),
        ("deteriorated", sum_if("{deteriorated}", PAIRED)),
        ("recovered", sum_if("{recovered}", PAIRED)),
        ("c_n", sum_if("{clinical}", PAIRED)),
        ("sx", sum_if("{intake_tenths}", PAIRED)),
        ("sy", sum_if("{end_tenths}", PAIRED)),
        ("sxx", sum_if("{intake_tenths} * {intake_tenths}", PAIRED)),
        ("syy", sum_if("{end_tenths} * {end_tenths}", PAIRED)),
        ("sxy", sum_if("{intake_tenths} * {end_tenths}", PAIRED)),
        ("c_x", sum_if("{intake_tenths}", CLINICAL)),
        ("c_y", sum_if("{change_tenths}", CLINICAL)),
        ("c_xx", sum_if("{intake_tenths} * {intake_tenths}", CLINICAL)),
        ("c_yy", sum_if("{change_tenths} * {change_tenths}", CLINICAL)),
        ("c_xy", sum_if("{intake_tenths} * {change_tenths}", CLINICAL)),
        ("c_improved", sum_if("{improved}", CLINICAL)),
        ("c_recovered", sum_if("{recovered}", CLINICAL)),
        ("c_deteriorated", sum_if("{deteriorated}", CLINICAL)),
    )


def _begun_cell_sums() -> tuple[tuple[str, str], ...]:
    """Per cell of begun episodes: how many, and their intake ORS (mean, below the cutoff,
    histogram in bands)."""
    rated = "{intake_tenths} IS NOT NULL"
    return (
        ("new", "COUNT(*)"),
        ("intake_n", count_if(rated)),
        ("intake_sum", "SUM({intake_tenths})"),
        ("intake_below", sum_if("{clinical}", rated)),
        *((f"bin{i}", count_if(f"{rated} AND {{band}} = {i}")) for i in range(BINS)),
    )


def _totals(*names: str) -> tuple[tuple[str, str], ...]:
    """Figures summed over the cells of a slice ("below_cutoff" counts the clinical intakes)."""
    column = {"below_cutoff": "c_n"}
    return tuple((name, f"SUM({{{column.get(name, name)}}})") for name in names)


CLINICAL_SUMS = _totals("c_n", "c_x", "c_y", "c_xx", "c_yy", "c_xy")
TREND_SUMS = _totals(
    "outcome_n", "improved_any", "deteriorated", "recovered", "below_cutoff", "sx", "sy", "sxx"
)
OUTCOME_SUMS = (
    *TREND_SUMS,
    *_totals("syy", "sxy"),
    *CLINICAL_SUMS,
    # The categories of the episodes that started below the cutoff: the subset compared with
    # published (clinical) samples.
    *_totals("c_improved", "c_recovered", "c_deteriorated"),
)
CLOSED_SUMS = _totals(
    "closed", "dropout", "left_none", "left_one", "left_unscored", "closed_sessions"
)
# What a team's or helper's row of the comparison shows: closed episodes, share improved, SAES.
UNIT_SUMS = _totals("closed", "outcome_n", "improved_any", *(name for name, _ in CLINICAL_SUMS))


def _unit_cell_sums() -> tuple[tuple[str, str], ...]:
    wanted = {name for name, _ in UNIT_SUMS}
    return tuple((name, sql) for name, sql in _closed_cell_sums() if name in wanted)


INTAKE_SUMS = _totals(
    "new", "intake_n", "intake_sum", "intake_below", *(f"bin{i}" for i in range(BINS))
)

COLLATERAL_SUMS = (
    ("col_series", "COUNT(*)"),  # one per rater (two parents of one child are two)
    ("col_episodes", "COUNT(DISTINCT {episode_id})"),
    ("col_improved", "SUM({improved})"),
    ("col_recovered", "SUM({recovered})"),
    ("col_deteriorated", "SUM({deteriorated})"),
    ("col_change", "SUM({change_tenths})"),
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
            in_team=F("team_id"),
            ended=F("end_date"),
            change_tenths=_tenths("change"),
        )
    )


def _dated(field: str, dates) -> Q:
    start, end = dates
    q = Q()
    if start is not None:
        q &= Q(**{f"{field}__gte": start})
    if end is not None:
        q &= Q(**{f"{field}__lte": end})
    return q


def _flag(field: str, dates) -> Case | Value:
    """1 where `field` falls in `dates` (inclusive, None open), else 0."""
    inside = _dated(field, dates)
    if not inside:
        return Value(1)
    return Case(When(inside, then=Value(1)), default=Value(0), output_field=IntegerField())


def _closed_slices(request: Request, *, reference: bool = True) -> dict[str, tuple]:
    """The stretches of time closed episodes are counted in, as flag columns: each named
    period, the trend, the comparison, and the SAES reference."""
    slices = {f"in_period_{i}": dates for i, dates in enumerate(request.periods.values())}
    if request.trend:
        slices["in_trend"] = request.trend
    if request.units and request.comparison:
        slices["in_comparison"] = request.comparison
    if reference:
        slices["in_reference"] = (None, request.reference_end)
    return slices


def _closed_base(service_id: int, start, end, slices: Mapping[str, tuple]) -> QuerySet:
    """The service's episodes closed between `start` and `end` (None: open), with what the
    closed cells sum and the slices each belongs to (the month and quarter only within the
    trend: older ones are summed together)."""
    trend = _dated("end_date", slices["in_trend"]) if "in_trend" in slices else None

    def in_trend(column: str):
        if trend is None:
            return Value(None, output_field=DateField())
        return Case(When(trend, then=F(column)), default=None, output_field=DateField())

    return (
        EpisodeFact.objects.order_by()
        .filter(Q(service_id=service_id, end_date__isnull=False) & _dated("end_date", (start, end)))
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
            in_team=F("team_id"),
            month=in_trend("end_month"),
            quarter=in_trend("end_quarter"),
            session_count=F("sessions"),
            intake_tenths=_tenths("intake"),
            end_tenths=_tenths("end"),
            change_tenths=_tenths("change"),
            **{name: _flag("end_date", dates) for name, dates in slices.items()},
        )
    )


def _compared_base(service_id: int, dates) -> QuerySet:
    """The service's episodes closed in `dates`, with only what a unit's row sums."""
    return (
        EpisodeFact.objects.order_by()
        .filter(Q(service_id=service_id, end_date__isnull=False) & _dated("end_date", dates))
        .values(
            "episode_id",
            "paired",
            "clinical",
            "improved",
            in_team=F("team_id"),
            intake_tenths=_tenths("intake"),
            change_tenths=_tenths("change"),
        )
    )


def _begun_base(request: Request) -> QuerySet:
    """The service's episodes begun in the span, with the named periods each belongs to."""
    return (
        EpisodeFact.objects.order_by()
        .filter(Q(service_id=request.service_id) & _dated("start_date", request.span()))
        .values(
            "episode_id",
            "clinical",
            "band",
            in_team=F("team_id"),
            intake_tenths=_tenths("intake"),
            **{
                f"in_period_{i}": _flag("start_date", dates)
                for i, dates in enumerate(request.periods.values())
            },
        )
    )


def _last_closed(request: Request):
    """The last day a closed episode can count on: the span's end or the reference's."""
    _, end = request.span()
    if end is None or request.reference_end is None:
        return None
    return max(end, request.reference_end)


def _episodes(request: Request, instruments) -> list:
    """Outcome, intake and episode sums per slice, from cells of the episode facts.

    The episode facts are read once into cells of closed episodes and once into cells of begun
    ones. A cell holds the episodes of one team that fall in the same slices (this period, the
    previous one, the trend, the comparison, the SAES reference), and in the trend of the same
    month: a few hundred cells at any size, which every slice then sums. The reference (every
    closed episode of the service up to the period's end) is why the closed cells hold the
    whole service; the page's team or helper narrows each other slice. Episodes of a helper are
    found through the episode–helper table, joined only where a slice needs it: on a helper's
    page, to that helper's episodes (cells of their own); for the helpers compared, to the
    episodes closed in the comparison, summed per helper at once.
    """
    start, end = request.span()
    service_id = request.service_id
    helper_page = request.helper_id is not None
    helper_units = "helper" in request.units and request.comparison is not None
    slices = _closed_slices(request)
    closed = _closed_base(service_id, None, _last_closed(request), slices)
    ctes = [
        ("closed", *compiled(closed)),
        ("begun", *compiled(_begun_base(request))),
        ("c", *compiled(_collateral_base(request))),
    ]
    keys = ("month", "quarter", "in_team")
    cells = [("closed_cells", *grouped("closed", (*keys, *slices), _closed_cell_sums()))]
    begun = "begun"
    if helper_page:
        narrow = _closed_slices(request, reference=False)
        ctes += [
            ("closed_span", *compiled(_closed_base(service_id, start, end, narrow))),
            _with_helpers("closed_helpers", "closed_span", request.helper_id),
            _with_helpers("begun_helpers", "begun", request.helper_id),
            _with_helpers("ch", "c", request.helper_id),
        ]
        cells.append(
            ("helper_cells", *grouped("closed_helpers", (*keys, *narrow), _closed_cell_sums()))
        )
        begun = "begun_helpers"
    if helper_units:
        # Summed per helper at once: no other slice needs the comparison's helpers.
        ctes += [
            ("closed_compared", *compiled(_compared_base(service_id, request.comparison))),
            _with_helpers("compared_helpers", "closed_compared", request.helper_id),
        ]
        in_team = Condition().equals("in_team", request.team_id)
        cells.append(
            (
                "helper_units",
                *grouped("compared_helpers", ("helper",), _unit_cell_sums(), in_team),
            )
        )
    periods = [f"in_period_{i}" for i in range(len(request.periods))]
    cells.append(("begun_cells", *grouped(begun, ("in_team", *periods), _begun_cell_sums())))
    closed = "helper_cells" if helper_page else "closed_cells"

    def narrowed(flag: str) -> Condition:
        """Cells of a slice and of the page's team (the helper's were chosen when joined)."""
        return Condition().add(f"{{{flag}}} = 1").equals("in_team", request.team_id)

    passes = []
    for flag, (name, dates) in zip(periods, request.periods.items(), strict=True):
        where = Condition().between("ended", *dates).equals("in_team", request.team_id)
        passes += [
            Pass(f"period:{name}", closed, OUTCOME_SUMS + CLOSED_SUMS, narrowed(flag)),
            Pass(f"period:{name}", "begun_cells", INTAKE_SUMS, narrowed(flag)),
            Pass(
                f"collateral:{name}",
                "ch" if helper_page else "c",
                COLLATERAL_SUMS,
                where,
                "rater",
            ),
        ]
    reference = Condition().add("{in_reference} = 1")
    passes.append(Pass("reference", "closed_cells", CLINICAL_SUMS, reference))
    if request.trend:
        passes += [
            Pass("quarters:", closed, TREND_SUMS, narrowed("in_trend"), "quarter"),
            Pass("months:", closed, CLOSED_SUMS, narrowed("in_trend"), "month"),
        ]
    if "team" in request.units and request.comparison:
        passes.append(Pass("team:", closed, UNIT_SUMS, narrowed("in_comparison"), "in_team"))
    if helper_units:
        passes.append(Pass("helper:", "helper_units", UNIT_SUMS, Condition(), "helper"))
    return run(ctes + cells, passes)


def _with_helpers(name: str, source: str, helper_id: int | None) -> tuple[str, str, list]:
    """A table expression: `source`'s rows once per responsible helper of their episode (only
    `helper_id`'s, where given)."""
    sql = (
        f"SELECT src.*, h.user_id AS {quote('helper')} FROM {quote(source)} AS src "
        f"JOIN {quote(HELPERS)} AS h ON h.episode_id = src.{quote('episode_id')}"
    )
    if helper_id is None:
        return name, sql, []
    return name, f"{sql} WHERE h.user_id = %s", [helper_id]


def month_starts(start: datetime.date, end: datetime.date, months: int = 1) -> list[datetime.date]:
    """First days of the months (or quarters, months=3) from `start`'s to `end`'s."""
    first = datetime.date(start.year, start.month - (start.month - 1) % months, 1)
    days = []
    while first <= end:
        days.append(first)
        month = first.month - 1 + months
        first = datetime.date(first.year + month // 12, month % 12 + 1, 1)
    return days
