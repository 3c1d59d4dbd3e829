"""From a protected Dashboard to the chart module's plain data, with translated labels.

Only protected figures reach a chart: a suppressed figure arrives here as None and is drawn as
"too few to show". Rendered charts are cached by their content (`charts.cache`: a hash of the
frozen chart data, the drawing function and the language), so after the facts change only the
charts whose data changed are drawn again, and a changed figure can never be served an old
picture. The figures are sums of whole numbers (see `queries`), so facts rebuilt without a
change give the same chart data to the last bit.
"""

import datetime

from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from services.charts import dashboard as charts
from services.charts.cache import cached_chart

from . import benchmarks
from .facts import BIN_WIDTH, BINS
from .figures import CLINICAL_CATEGORIES, Dashboard, bin_labels
from .statistics import Band, saes_band

CACHE_SECONDS = 24 * 3600
ADULT_CUTOFF_BAND = 5  # the adult cutoff (25) starts the sixth five-point band


def text(percent: bool = True) -> charts.ChartText:
    """The chart strings, and the active language's number marks: the same ones the tables
    take from Django's formats, so a chart never writes "0.25" beside a table's "0,25"."""
    return charts.ChartText(
        too_few=_("Too few to show"),
        no_data=_("No data"),
        decimal_mark=formats.get_format("DECIMAL_SEPARATOR"),
        thousands=formats.get_format("THOUSAND_SEPARATOR"),
        percent=percent,
    )


def month_short(day: datetime.date) -> str:
    """A month on a chart's axis ("Jan"); the year is written under it where it changes."""
    return formats.date_format(day, "M")


def quarter_label(day: datetime.date) -> str:
    return _("Q%(number)d %(year)d") % {
        "number": (day.month - 1) // 3 + 1,
        "year": day.year,
    }


def quarter_short(day: datetime.date) -> str:
    """A quarter on a chart's axis ("Q3"); the year is written under it where it changes."""
    return _("Q%(number)d") % {"number": (day.month - 1) // 3 + 1}


def _from_first_data(points: list, keys: tuple[str, ...]) -> list:
    """The periods from the first with data in any of `keys`: an axis does not open on empty
    months or quarters from before the service began. A period with too few to show has
    data, and stays. With no data at all every period stays, for the chart to say so."""
    first = next(
        (
            i
            for i, point in enumerate(points)
            if any(
                point.values[key].suppressed or point.values[key].value is not None for key in keys
            )
        ),
        0,
    )
    return points[first:]


def _trend(
    points: list, label, series: tuple[tuple[str, str], ...], **options
) -> charts.TrendChart:
    points = _from_first_data(points, tuple(key for key, _name in series))
    return charts.TrendChart(
        periods=tuple(label(p.start) for p in points),
        years=tuple(str(p.start.year) for p in points),
        series=tuple(charts.Series(key, name, _values(points, key)) for key, name in series),
        text=text(),
        **options,
    )


def categories(dashboard: Dashboard) -> charts.CategoryChart:
    def shares(figures) -> tuple:
        improved = (
            None
            if not (figures["recovered"].shown and figures["improved"].shown)
            else figures["recovered"].value + figures["improved"].value
        )
        return (
            improved,
            figures["unchanged"].value if figures["unchanged"].shown else None,
            figures["deteriorated"].value if figures["deteriorated"].shown else None,
        )

    current = dashboard.categories["current"]
    previous = dashboard.categories["previous"]
    bars = [
        charts.Bars(
            "current",
            _("This period"),
            shares(current),
            current["recovered"].value if current["recovered"].shown else None,
        ),
        charts.Bars(
            "previous",
            _("Previous period"),
            shares(previous),
            previous["recovered"].value if previous["recovered"].shown else None,
        ),
    ]
    return charts.CategoryChart(
        categories=(_("Clearly better"), _("No clear change"), _("Clearly worse")),
        bars=tuple(bars),
        inner_label=_("of which recovered"),
        text=text(),
    )


def benchmark_chart(dashboard: Dashboard) -> charts.CategoryChart | None:
    """The service's episodes that started below the cutoff beside published figures (with
    their source named in the legend); None when no published figure has a source."""
    if not benchmarks.BENCHMARKS:
        return None
    clinical = dashboard.clinical
    own = charts.Bars(
        "clinical",
        _("This period, intake below the cutoff"),
        tuple(clinical[key].value if clinical[key].shown else None for key in CLINICAL_CATEGORIES),
    )
    published = [
        charts.Bars(b.key, f"{b.label} ({b.short})", (b.improved, b.unchanged, b.deteriorated))
        for b in benchmarks.BENCHMARKS
    ]
    return charts.CategoryChart(
        categories=(_("Clearly better"), _("No clear change"), _("Clearly worse")),
        bars=(own, *published),
        text=text(),
    )


def _values(points, key: str) -> tuple:
    return tuple(p.values[key].value if p.values[key].shown else None for p in points)


def completeness_trend(dashboard: Dashboard) -> charts.TrendChart:
    return _trend(
        dashboard.months,
        month_short,
        (("ors", _("Sessions with ORS")), ("srs", _("Sessions with SRS"))),
    )


def outcome_trend(dashboard: Dashboard) -> charts.TrendChart:
    return _trend(
        dashboard.quarters,
        quarter_short,
        (("improved", _("Clearly better")), ("deteriorated", _("Clearly worse"))),
    )


def alliance_trend(dashboard: Dashboard) -> charts.TrendChart:
    return _trend(
        dashboard.months,
        month_short,
        (
            ("alliance_flagged", _("SRS below the alliance threshold")),
            ("dropout", _("Dropout")),
        ),
        y_max=0.5,
    )


def intake_histogram(dashboard: Dashboard) -> charts.Histogram:
    return charts.Histogram(
        bands=tuple(bin_labels()),
        edges=tuple(str(i * BIN_WIDTH) for i in range(BINS + 1)),
        x_label=_("ORS total at the start"),
        counts=tuple(f.value if f.shown else None for f in dashboard.intake_bins),
        marker_at=ADULT_CUTOFF_BAND,
        marker_label=_("Adult cutoff (25)"),
        y_label=_("New episodes"),
        text=text(percent=False),
    )


def caterpillar(dashboard: Dashboard, kind: str) -> charts.Caterpillar | None:
    """Teams or helpers side by side; None where fewer than two can be shown (issue #16): one
    team on a service page is the service itself, and a chart with nobody on it says nothing
    the table under it does not."""
    rows = [row for row in dashboard.units if row.unit.kind == kind]
    if sum(row.saes.shown for row in rows) < 2:
        return None
    saes = dashboard.row("saes").current
    return charts.Caterpillar(
        units=tuple(
            charts.Interval(
                row.unit.name,
                row.saes.value if row.saes.shown else None,
                row.saes_low,
                row.saes_high,
                row.saes.n or 0,
            )
            for row in rows
        ),
        reference=saes.value if saes.shown else None,
        reference_label=_("Whole scope"),
        x_label=_("Change, taking the start into account"),
        left_out=_("{count} not shown: too few episodes, or hidden to protect another"),
        bands=((0.5, _("some")), (0.8, _("significant"))),
        text=text(percent=False),
    )


def svg(chart, draw, label: str) -> str:
    """The chart as inline SVG markup, drawn for wide columns and for phones (the page shows
    the one that fits), each from the cache when the same chart was drawn before."""
    wide, narrow = (
        cached_chart(
            draw,
            chart,
            model_version="",
            language=get_language() or "",
            fmt="svg",
            timeout=CACHE_SECONDS,
            size=size,
        )
        for size in charts.SIZES
    )
    return charts.responsive_svg(wide, narrow, label)


def band_label(value: float) -> str:
    return {
        Band.SIGNIFICANT_IMPROVEMENT: _("significant improvement"),
        Band.SOME_IMPROVEMENT: _("some improvement"),
        Band.NO_CHANGE: _("no change"),
        Band.SOME_DETERIORATION: _("some deterioration"),
        Band.SIGNIFICANT_DETERIORATION: _("significant deterioration"),
    }[saes_band(value)]


def page_charts(dashboard: Dashboard) -> dict[str, str]:
    """Every chart of the dashboard page as inline SVG."""
    out = {
        "categories": svg(
            categories(dashboard),
            charts.categories_chart,
            _("Outcome categories of closed episodes"),
        ),
        "intake": svg(
            intake_histogram(dashboard),
            charts.histogram_chart,
            _("Intake ORS of new episodes"),
        ),
        "completeness": svg(
            completeness_trend(dashboard),
            charts.trend_chart,
            _("Completeness by month"),
        ),
        "outcomes": svg(outcome_trend(dashboard), charts.trend_chart, _("Outcomes by quarter")),
        "alliance": svg(
            alliance_trend(dashboard), charts.trend_chart, _("Alliance and dropout by month")
        ),
    }
    published = benchmark_chart(dashboard)
    if published is not None:
        out["benchmark"] = svg(
            published,
            charts.categories_chart,
            _("Episodes that started below the cutoff beside published figures"),
        )
    for kind, label in (("team", _("Teams compared")), ("helper", _("Helpers compared"))):
        chart = caterpillar(dashboard, kind)
        if chart is not None:
            out[kind] = svg(chart, charts.caterpillar_chart, label)
    return out
