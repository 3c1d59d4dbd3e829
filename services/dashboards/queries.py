"""The database side of every figure: three statements, each reading its tables once.

- sessions: sessions held and the distinct clients seen;
- ratings: every client rating once — completeness and alliance sums, and, through window
  functions over each episode's client ORS ratings, each episode's intake and end (first and last
  by session date, number, time rated and id) with its outcome category, summed again;
- episodes: episodes closed (dropout, sessions per episode) and begun.

Each statement is a base built with the ORM and summed for every slice the caller asks for (see
`sql`): named periods (this period, the previous one) with every figure, months and quarters for
the trends, teams and helpers for the comparison, and the SAES reference (the service's closed
episodes up to the end of the period). The result is plain sums; `outcomes.report_figures` and
`statistics` turn them into figures. Three statements, whatever the data size.

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
    DecimalField,
    F,
    Q,
    QuerySet,
    RowRange,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import (
    FirstValue,
    LastValue,
    RowNumber,
    TruncMonth,
    TruncQuarter,
)

from services.clients.models import EndReason, Episode
from services.measures.models import Instrument, Purpose, norms_by_age_group
from services.ratings.models import Rater, Rating

from .scope import Scope
from .sql import Condition, Pass, as_date, columns, compiled, quote, run

SCORE = DecimalField(max_digits=4, decimal_places=1)
BIN_WIDTH = 5
BINS = 8  # 0–4.9, 5–9.9, …, 35–40: an ORS total in eight bands of five points
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

    def add(self, name: str, key, sums: dict) -> None:
        kind, _, period = name.partition(":")
        if kind == "period":
            target = self.periods.setdefault(period, {})
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
}  # fmt: skip


def _number(name: str, value):
    """Counts as int, sums as float (None stays None: a sum over no rows)."""
    if value is None:
        return None
    return round(value) if name in COUNTS else float(value)


def collect(request: Request, instruments: list[Instrument]) -> Result:
    result = Result()
    for statement in (_sessions, _ratings, _outcomes, _episodes):
        for name, key, sums in statement(request, instruments):
            result.add(name, key, sums)
    return result


def _unit_passes(request: Request, make) -> list[Pass]:
    passes = []
    if request.comparison:
        for unit in request.units:
            passes.append(make(f"{unit}:", request.comparison, unit))
    return passes


# -- sessions ---------------------------------------------------------------------------------

SESSION_SUMS = (("sessions", "COUNT(*)"), ("clients", "COUNT(DISTINCT {client})"))


def _sessions(request: Request, instruments) -> list:
    start, end = request.span()
    scope = Scope(request.service_id, start, end, request.team_id, request.helper_id)
    base = (
        scope.sessions()
        .order_by()
        .values(
            day=F("date"),
            month=TruncMonth("date"),
            in_team=F("episode__team_id"),
            held_by=F("helper_id"),
            client=F("episode__client_id"),
        )
    )

    def period(name, dates, group=None):
        return Pass(name, "s", SESSION_SUMS, Condition().between("day", *dates), group)

    passes = [period(f"period:{name}", dates) for name, dates in request.periods.items()]
    if request.trend:
        passes.append(period("months:", request.trend, "month"))
    passes += _unit_passes(request, lambda name, dates, unit: period(name, dates, GROUPS[unit]))
    return run([("s", *compiled(base))], passes)


# -- ratings and outcomes ---------------------------------------------------------------------

# Each episode's categories and products, from its first and last client ORS (docs/measures.md),
# worked out once per episode. Scores have one decimal; rounding the change keeps SQLite's binary
# floats from turning a change of exactly 5.0 into 4.999….
EPISODE_COLUMNS = (
    ("change", "ROUND({end} - {intake}, 1)"),
    ("paired", "CASE WHEN {ors_count} >= 2 AND {ended} IS NOT NULL THEN 1 ELSE 0 END"),
    ("clinical", "CASE WHEN {intake} < {cutoff} THEN 1 ELSE 0 END"),
    ("improved", "CASE WHEN ROUND({end} - {intake}, 1) >= {rci} THEN 1 ELSE 0 END"),
    (
        "recovered",
        "CASE WHEN ROUND({end} - {intake}, 1) >= {rci} AND {intake} < {cutoff} "
        "AND {end} >= {cutoff} THEN 1 ELSE 0 END",
    ),
    ("deteriorated", "CASE WHEN ROUND({end} - {intake}, 1) <= -{rci} THEN 1 ELSE 0 END"),
    (
        "band",
        "CASE "
        + " ".join(f"WHEN {{intake}} < {(i + 1) * BIN_WIDTH} THEN {i}" for i in range(BINS - 1))
        + f" ELSE {BINS - 1} END",
    ),
)
# Sums over the per-(day, team, helper) cells of client ratings.
RATING_SUMS = tuple(
    (name, f"SUM({{{name}}})") for name in ("ors_rated", "srs_n", "srs_sum", "srs_flagged")
)
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
)
TREND_SUMS = OUTCOME_SUMS[:8]
INTAKE_SUMS = (
    ("intake_n", "COUNT(*)"),
    ("intake_sum", "SUM({intake})"),
    ("intake_below", "SUM({clinical})"),
    *((f"bin{i}", f"SUM(CASE WHEN {{band}} = {i} THEN 1 ELSE 0 END)") for i in range(BINS)),
)


def _ratings(request: Request, instruments: list[Instrument]) -> list:
    """Client ratings summed per (day, team, helper) cell, then per slice.

    Joining ratings to their sessions is the costliest read of the page; the cells (a few
    thousand) are read once and every slice sums its cells, which is exact because these
    figures are all counts and sums.
    """
    start, end = request.span()
    q = Q(rater=Rater.CLIENT, session__episode__service_id=request.service_id)
    q &= Scope(request.service_id, start, end).dated("session__date")
    if request.team_id is not None:
        q &= Q(session__episode__team_id=request.team_id)
    if request.helper_id is not None:
        q &= Q(session__helper_id=request.helper_id)
    thresholds = Case(
        *[
            When(instrument_id=i.pk, then=Value(i.spec.alliance.threshold))
            for i in instruments
            if i.purpose == Purpose.ALLIANCE and i.spec.alliance is not None
        ],
        default=Value(None),
        output_field=SCORE,
    )
    ors, srs = Q(purpose=Purpose.OUTCOME), Q(purpose=Purpose.ALLIANCE)
    cells = (
        Rating.objects.order_by()
        .filter(q)
        .values(
            day=F("session__date"),
            month=TruncMonth("session__date"),
            in_team=F("session__episode__team_id"),
            held_by=F("session__helper_id"),
        )
        .annotate(
            ors_rated=Count("pk", filter=ors),
            srs_n=Count("pk", filter=srs),
            srs_sum=Sum("total", filter=srs),
            srs_flagged=Count("pk", filter=srs & Q(total__lt=thresholds)),
        )
    )

    def cells_of(name, dates, group=None):
        return Pass(name, "rc", RATING_SUMS, Condition().between("day", *dates), group)

    passes = [cells_of(f"period:{name}", dates) for name, dates in request.periods.items()]
    if request.trend:
        passes.append(cells_of("months:", request.trend, "month"))
    passes += _unit_passes(request, lambda name, dates, unit: cells_of(name, dates, GROUPS[unit]))
    return run([("rc", *compiled(cells))], passes)


def _outcome_base(request: Request) -> QuerySet:
    """Every client ORS of the episodes an outcome figure may need, each with its episode's
    first and last total and number of ratings (one window, so one sort)."""
    start, end = request.span()
    ended = Q(session__episode__end_date__isnull=False)
    if request.reference_end is not None:
        ended &= Q(session__episode__end_date__lte=request.reference_end)
    begun = _or_all(Scope(request.service_id, start, end).dated("session__episode__start_date"))
    q = Q(
        rater=Rater.CLIENT,
        purpose=Purpose.OUTCOME,
        session__episode__service_id=request.service_id,
    ) & (ended | begun)

    def window(expression):
        return Window(
            expression,
            partition_by=[F("session__episode_id")],
            order_by=[
                F("session__date").asc(),
                F("session__number").asc(),
                F("rated_at").asc(),
                F("pk").asc(),
            ],
            frame=RowRange(start=None, end=None),
        )

    return (
        Rating.objects.order_by()
        .filter(q)
        .values(
            in_team=F("session__episode__team_id"),
            episode=F("session__episode_id"),
            age_group=F("session__episode__client__age_group"),
            ended=F("session__episode__end_date"),
            started=F("session__episode__start_date"),
            quarter=TruncQuarter("session__episode__end_date"),
            row=window(RowNumber()),
            intake=window(FirstValue("total")),
            end=window(LastValue("total")),
            ors_count=window(Count("pk")),
        )
    )


def _case(column: str, values: list[tuple[object, object]]) -> tuple[str, list]:
    """CASE column WHEN … THEN … END with parameters (instrument configuration)."""
    whens = " ".join(f"WHEN {quote(column)} = %s THEN %s" for _ in values)
    params = [item for pair in values for item in pair]
    return f"CASE {whens} ELSE NULL END", params


def _outcomes(request: Request, instruments: list[Instrument]) -> list:
    """Outcome and intake sums per slice over one row per episode.

    Episodes of a helper are found through the episode–helper table, joined to the per-episode
    rows only in the passes that need it (a few thousand rows, not every rating).
    """
    base_sql, base_params = compiled(_outcome_base(request))
    norms = sorted(norms_by_age_group(instruments).items())
    cutoff, cutoff_params = _case("age_group", [(g, float(n.cutoff)) for g, n in norms])
    rci, rci_params = _case("age_group", [(g, float(n.reliable_change)) for g, n in norms])
    derived = ", ".join(f"{columns(sql)} AS {quote(name)}" for name, sql in EPISODE_COLUMNS)
    ctes = [
        ("rb", base_sql, base_params),
        (
            "normed",
            f"SELECT *, {cutoff} AS {quote('cutoff')}, {rci} AS {quote('rci')} FROM rb "
            f"WHERE {quote('row')} = 1",
            cutoff_params + rci_params,
        ),
        ("e", f"SELECT *, {derived} FROM normed", []),
    ]
    helper_join = f"JOIN {quote(HELPERS)} h ON h.episode_id = src.{quote('episode')}"

    def narrowed(where: Condition, unit_kind: str | None = None) -> tuple[str, str | None]:
        """The page's team and helper, and the join for a helper slice or grouping."""
        where.equals("in_team", request.team_id)
        if request.helper_id is not None:
            where.add("h.user_id = %s", request.helper_id)
        if request.helper_id is not None or unit_kind == "helper":
            return helper_join, "h.user_id" if unit_kind == "helper" else None
        return "", None

    def outcomes(name, dates, sums, group=None, unit_kind=None):
        where = Condition().add("{paired} = 1").between("ended", *dates)
        join, helper_group = narrowed(where, unit_kind)
        return Pass(name, "e", sums, where, helper_group or group, join)

    def intakes(name, dates):
        where = Condition().between("started", *dates)
        join, _ = narrowed(where)
        return Pass(name, "e", INTAKE_SUMS, where, None, join)

    passes = []
    for name, dates in request.periods.items():
        passes += [
            outcomes(f"period:{name}", dates, OUTCOME_SUMS),
            intakes(f"period:{name}", dates),
        ]
    reference = Condition().add("{paired} = 1").between("ended", None, request.reference_end)
    passes.append(Pass("reference", "e", CLINICAL_SUMS, reference))
    if request.trend:
        passes.append(outcomes("quarters:", request.trend, TREND_SUMS, "quarter"))
    for unit in request.units if request.comparison else ():
        passes.append(
            outcomes(
                f"{unit}:",
                request.comparison,
                TREND_SUMS + CLINICAL_SUMS,
                "in_team" if unit == "team" else None,
                unit,
            )
        )
    return run(ctes, passes)


# -- episodes ---------------------------------------------------------------------------------


def _episodes(request: Request, instruments) -> list:
    start, end = request.span()
    period = Scope(request.service_id, start, end)
    q = Q(service_id=request.service_id) & (
        (Q(end_date__isnull=False) & period.dated("end_date")) | _or_all(period.dated("start_date"))
    )
    if request.team_id is not None:
        q &= Q(team_id=request.team_id)
    if request.helper_id is not None:
        q &= Q(helpers=request.helper_id)
    base = (
        Episode.objects.order_by()
        .filter(q)
        .annotate(session_count=Count("sessions", distinct=True))
        .values(
            "end_reason",
            "session_count",
            episode=F("id"),
            ended=F("end_date"),
            started=F("start_date"),
            month=TruncMonth("end_date"),
            in_team=F("team_id"),
        )
    )

    def sums(dates) -> tuple:
        closed, closed_params = _range_sql("ended", dates)
        closed = f"({quote('ended')} IS NOT NULL AND {closed})"
        begun, begun_params = _range_sql("started", dates)
        dropout = f"{closed} AND {quote('end_reason')} = '{EndReason.DROPOUT}'"
        return (
            (
                ("closed", f"SUM(CASE WHEN {closed} THEN 1 ELSE 0 END)"),
                ("dropout", f"SUM(CASE WHEN {dropout} THEN 1 ELSE 0 END)"),
                ("closed_sessions", f"SUM(CASE WHEN {closed} THEN {{session_count}} END)"),
                ("new", f"SUM(CASE WHEN {begun} THEN 1 ELSE 0 END)"),
            ),
            closed_params * 3 + begun_params,
        )

    passes = []

    def make(name, dates, group=None, join=""):
        figures, params = sums(dates)
        return Pass(name, "ep", figures, Condition(), group, join, params)

    for name, dates in request.periods.items():
        passes.append(make(f"period:{name}", dates))
    if request.trend:
        passes.append(make("months:", request.trend, "month"))
    for unit in request.units if request.comparison else ():
        if unit == "team":
            passes.append(make("team:", request.comparison, "in_team"))
        else:
            join = f"JOIN {quote(HELPERS)} h ON h.episode_id = src.{quote('episode')}"
            passes.append(make("helper:", request.comparison, "h.user_id", join))
    return run([("ep", *compiled(base))], passes)


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
