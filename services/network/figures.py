"""A network's figures: each member's beside the others, and the network's pooled.

Only sums leave a service: each member's dashboard sums (`dashboards.queries.collect`, counts
and sums of scores) are added up for the network, and every figure is computed from sums, so
the pooled figures are exactly what one service with all the members' episodes would show.

Two small-number rules on top of each member's own (`dashboards.suppression`):

- Beside the pooled figure, a member's withheld figure could be recovered by differencing (the
  pooled n minus the members shown). So a row withholds more members, smallest first, until the
  withheld ones are two or more, rest on at least MINIMUM together, and one of them on MINIMUM
  alone (`hidden_cells`); if the members run out first, the pooled figure goes too.
- A member's leader sees their own figure beside the network's ("nettverket"); the network
  minus their own is then the other members together. It is shown only when the others are two
  or more services with data and rest on at least MINIMUM together.
"""

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from services.accounts.models import Service
from services.dashboards.figures import (
    QUARTER_BASES,
    _quarter_bases,
    _quarter_point,
    _sum,
    _trend,
    _with_alliance_clients,
)
from services.dashboards.outcomes import reference_line, report_figures
from services.dashboards.periods import Period, add_months, month_start
from services.dashboards.queries import Request, Result, collect, month_starts
from services.dashboards.suppression import (
    MINIMUM,
    WITHHELD,
    Figure,
    hidden_cells,
    safe_beside_total,
    too_few,
)
from services.measures.models import Instrument

QUARTERS_IN_TREND = 6


@dataclass(frozen=True)
class Spec:
    key: str
    label: str
    style: str  # as the dashboard's rows: "count", "percent", "score", "decimal"
    value: Callable[[dict], float | int | None]
    basis: Callable[[dict], int]
    interval: Callable[[dict], tuple[float, float] | None] | None = None


def _count(key: str, label, name: str) -> Spec:
    return Spec(key, label, "count", lambda r: r[name], lambda r: r[name])


def _effect_interval(report: dict):
    ci = report["effect_size_ci"]
    return (ci["low"], ci["high"]) if ci else None


def _adjusted(report: dict):
    return report["severity_adjusted"]["estimate"]


# The figures the issue names: outcome shares of episodes that started in the clinical range,
# effect sizes with their intervals, completeness, dropout and alliance.
SPECS = (
    _count("clients", _("Active clients"), "clients_active"),
    _count("closed", _("Closed episodes"), "episodes_closed"),
    Spec(
        "clinical_improved",
        _("Clearly better, of those who started below the cutoff"),
        "percent",
        lambda r: _sum(r["clinical_outcomes"]["recovered"], r["clinical_outcomes"]["improved"]),
        lambda r: r["clinical_outcomes"]["n"],
    ),
    Spec(
        "clinical_deteriorated",
        _("Clearly worse, of those who started below the cutoff"),
        "percent",
        lambda r: r["clinical_outcomes"]["deteriorated"],
        lambda r: r["clinical_outcomes"]["n"],
    ),
    Spec(
        "effect_size",
        _("Pre–post effect size"),
        "decimal",
        lambda r: r["effect_size"],
        lambda r: r["outcomes"]["n"],
        _effect_interval,
    ),
    Spec(
        "saes",
        _("Severity-adjusted effect size"),
        "decimal",
        lambda r: _adjusted(r)["value"] if _adjusted(r) else None,
        lambda r: r["severity_adjusted"]["n"],
        lambda r: (_adjusted(r)["low"], _adjusted(r)["high"]) if _adjusted(r) else None,
    ),
    Spec(
        "ors",
        _("Sessions with ORS"),
        "percent",
        lambda r: r["completeness"]["ors"],
        lambda r: r["clients_active"],
    ),
    Spec(
        "srs",
        _("Sessions with SRS"),
        "percent",
        lambda r: r["completeness"]["srs"],
        lambda r: r["clients_active"],
    ),
    Spec(
        "dropout", _("Dropout"), "percent", lambda r: r["dropout"], lambda r: r["episodes_closed"]
    ),
    Spec(
        "alliance_mean",
        _("Mean SRS"),
        "score",
        lambda r: r["alliance"]["mean"],
        lambda r: r["alliance"]["clients"],
    ),
    Spec(
        "alliance_flagged",
        _("SRS below the alliance threshold"),
        "percent",
        lambda r: r["alliance"]["flagged"],
        lambda r: r["alliance"]["clients"],
    ),
)
# The dashboard's quarterly trend, of the network's pooled sums (`dashboards.figures._trend`):
# the quarters inside the period add up to its figure, so they get its complementary suppression.
TREND_ROWS = (
    ("improved", _("Clearly better (incl. recovered)"), "percent"),
    ("deteriorated", _("Clearly worse"), "percent"),
    ("effect_size", _("Pre–post effect size"), "decimal"),
)


@dataclass(frozen=True)
class Cell:
    """A figure and its interval, and the n it rests on even when withheld (never shown)."""

    figure: Figure
    basis: int
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class NetworkRow:
    spec: Spec
    members: tuple[Cell, ...]
    pooled: Cell


@dataclass(frozen=True)
class TrendRow:
    key: str
    label: str
    style: str
    quarters: tuple[Figure, ...]


@dataclass(frozen=True)
class NetworkFigures:
    services: tuple[Service, ...]
    period: Period
    rows: tuple[NetworkRow, ...]
    quarters: tuple[datetime.date, ...]
    trend: tuple[TrendRow, ...]


def pooled_sums(parts: Iterable[Mapping]) -> dict:
    """The sums of several slices, figure by figure; None where no slice had any."""
    total: dict = {}
    for part in parts:
        for name, value in part.items():
            if value is not None:
                total[name] = (total.get(name) or 0) + value
            else:
                total.setdefault(name, None)
    return total


def report_of(raw: Mapping, reference_raw: Mapping) -> dict:
    return _with_alliance_clients(report_figures(raw, reference_line(reference_raw)), dict(raw))


def _cell(spec: Spec, report: dict, shown: bool) -> Cell:
    basis = spec.basis(report) or 0
    value = spec.value(report)
    if not shown or too_few(basis):
        return Cell(WITHHELD, basis)
    figure = Figure(value if basis or spec.style == "count" else None, basis)
    interval = spec.interval(report) if spec.interval and figure.shown else None
    return Cell(figure, basis, *(interval or (None, None)))


def side_by_side(spec: Spec, reports: list[dict], pooled: dict) -> NetworkRow:
    """One row: each member's figure and the pooled one, protected against differencing."""
    bases = [spec.basis(report) or 0 for report in reports]
    withheld = hidden_cells(bases)
    pooled_shown = not withheld or safe_beside_total([bases[i] for i in withheld])
    members = tuple(_cell(spec, report, i not in withheld) for i, report in enumerate(reports))
    return NetworkRow(spec, members, _cell(spec, pooled, pooled_shown))


def benchmark_cell(spec: Spec, own: dict, pooled: dict, others_with_data: int) -> Cell:
    """The network's figure beside one member's own, if the others cannot be read off it."""
    rest = (spec.basis(pooled) or 0) - (spec.basis(own) or 0)
    shown = others_with_data >= 2 and rest >= MINIMUM
    return _cell(spec, pooled, shown)


def _quarters(period: Period) -> list[datetime.date]:
    """The last QUARTERS_IN_TREND quarters up to the period's end, by their first days."""
    start = add_months(month_start(period.end), -3 * (QUARTERS_IN_TREND - 1))
    return month_starts(start, period.end, 3)


def member_results(
    services: list[Service], period: Period, trend_start: datetime.date | None = None
) -> list[Result]:
    """Each member's sums for the period (and the trend from `trend_start`): two statements a
    member."""
    instruments = list(Instrument.objects.all())
    results = []
    for index, service in enumerate(services):
        request = Request(
            service.pk,
            {"current": (period.start, period.end)},
            trend=(trend_start, period.end) if trend_start else None,
            reference_end=period.end,
        )
        results.append(collect(request, instruments, refresh=index == 0))
    return results


def member_reports(results: list[Result]) -> tuple[list[dict], dict]:
    """Each member's report for the period, and the network's from the members' sums."""
    reports = [report_of(r.periods.get("current", {}), r.reference) for r in results]
    pooled = report_of(
        pooled_sums(r.periods.get("current", {}) for r in results),
        pooled_sums(r.reference for r in results),
    )
    return reports, pooled


def network_figures(services: list[Service], period: Period) -> NetworkFigures:
    quarters = _quarters(period)
    results = member_results(services, period, quarters[0])
    reports, pooled = member_reports(results)
    rows = tuple(side_by_side(spec, reports, pooled) for spec in SPECS)
    by_quarter = {q: pooled_sums(r.quarters.get(q, {}) for r in results) for q in quarters}
    points = _trend(
        quarters, by_quarter, _quarter_point, _quarter_bases, QUARTER_BASES, 3, [period]
    )
    trend = tuple(
        TrendRow(key, label, style, tuple(point.values[key] for point in points))
        for key, label, style in TREND_ROWS
    )
    return NetworkFigures(tuple(services), period, rows, tuple(quarters), trend)


@dataclass(frozen=True)
class BenchmarkRow:
    spec: Spec
    own: Cell
    network: Cell


def benchmark(service: Service, services: list[Service], period: Period) -> list[BenchmarkRow]:
    """The member's own figures beside the network's, for its leaders."""
    reports, pooled = member_reports(member_results(services, period))  # no trend on this page
    mine = [s.pk for s in services].index(service.pk)
    rows = []
    for spec in SPECS:
        others = sum(
            1 for i, report in enumerate(reports) if i != mine and (spec.basis(report) or 0) > 0
        )
        rows.append(
            BenchmarkRow(
                spec,
                _cell(spec, reports[mine], True),
                benchmark_cell(spec, reports[mine], pooled, others),
            )
        )
    return rows
