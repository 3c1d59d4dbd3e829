"""The leaders' charts read at the size the page shows them (issue #16, item 4).

Numbers are written as the tables beside them write them (decimal comma, real minus sign,
grouped thousands, per language); every text is at least 11 px where the page shows the chart
and horizontal; legends sit beside the plot, never on it; time axes start at the first period
with data; a comparison of one team (with itself) or of nothing is not drawn (item 2).
"""

import itertools
import re
import types

import pytest
from django.utils import translation

from services.charts import dashboard as charts
from services.charts.numbers import NumberFormat, format_number, format_percent
from services.dashboards import visuals
from services.dashboards.figures import TrendPoint, Unit, UnitRow
from services.dashboards.suppression import WITHHELD, Figure
from services.dashboards.templatetags.dashboard import number

NB = charts.ChartText(too_few="For få til å vise", decimal_mark=",", thousands="\u00a0")
EN = charts.ChartText(too_few="Too few to show", decimal_mark=".", thousands=",")
MIN_PX = 11
MINUS = "\u2212"


def texts(svg: bytes) -> list[str]:
    return [t for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg.decode()) if t.strip()]


def caterpillar(text=NB, values=(-0.3, 0.4, 1.2)) -> charts.Caterpillar:
    return charts.Caterpillar(
        units=tuple(
            charts.Interval(name, v, v - 0.4, v + 0.4, 20)
            for name, v in zip(
                ("Team A", "Team rus og psykisk helse", "Team C"), values, strict=True
            )
        ),
        reference=0.5,
        reference_label="Whole service",
        x_label="Severity-adjusted effect size, 95 percent confidence interval",
        bands=((0.5, "some"), (0.8, "significant")),
        text=text,
    )


def categories(text=NB) -> charts.CategoryChart:
    return charts.CategoryChart(
        categories=("Reliably improved", "No reliable change", "Deteriorated"),
        bars=(
            charts.Bars("current", "This period", (0.36, None, 0.07), 0.25),
            charts.Bars("previous", "Previous period", (0.29, 0.5, 0.21), 0.21),
        ),
        inner_label="of which recovered",
        text=text,
    )


def trend(text=NB, months=24) -> charts.TrendChart:
    return charts.TrendChart(
        periods=tuple(["Jan", "Feb", "Mar", "Apr", "Mai", "Jun"] * 4)[:months],
        years=tuple(["2025"] * 12 + ["2026"] * 12)[:months],
        series=(
            charts.Series("ors", "Sessions with ORS", tuple(0.8 + i / 200 for i in range(months))),
            charts.Series("srs", "Sessions with SRS", tuple(0.7 + i / 300 for i in range(months))),
        ),
        text=text,
    )


def histogram(text=NB, counts=(None, 12, 1500, 2600, 900, 300, 40, None)) -> charts.Histogram:
    return charts.Histogram(
        bands=tuple(f"{i * 5}–{i * 5 + 5}" for i in range(8)),
        edges=tuple(str(i * 5) for i in range(9)),
        counts=counts,
        marker_at=5,
        marker_label="Adult cutoff (25)",
        y_label="New episodes",
        x_label="ORS at the start",
        text=text,
    )


def all_charts(text=NB):
    return [
        (charts.categories_chart, charts.categories_figure, categories(text)),
        (charts.trend_chart, charts.trend_figure, trend(text)),
        (charts.histogram_chart, charts.histogram_figure, histogram(text)),
        (charts.caterpillar_chart, charts.caterpillar_figure, caterpillar(text)),
    ]


def test_caterpillar_ticks_have_a_decimal_comma_and_a_real_minus():
    labels = texts(charts.caterpillar_chart(caterpillar()))
    ticks = [t for t in labels if re.fullmatch(r"[−\-]?[\d.,]+", t)]
    assert ticks, labels
    assert not [t for t in ticks if "." in t or "-" in t], ticks
    assert any(t.startswith(MINUS) and "," in t for t in ticks), ticks


def test_english_charts_write_numbers_as_the_english_tables_do():
    ticks = texts(charts.caterpillar_chart(caterpillar(EN)))
    assert any(t.startswith(MINUS) and "." in t for t in ticks), ticks
    assert not any("," in t for t in ticks if re.fullmatch(r"[−\-]?[\d.,]+", t))
    assert "2,000" in texts(charts.histogram_chart(histogram(EN)))


def test_counts_are_grouped_with_the_tables_separator():
    labels = texts(charts.histogram_chart(histogram()))
    assert "2\u00a0000" in labels, labels
    assert "2000" not in labels


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_chart_numbers_are_the_tables_numbers_in_every_language(language):
    with translation.override(language):
        style = visuals.text().numbers
        assert format_number(-0.1, 2, style) == number(-0.1, "decimal")
        assert format_number(0.25, 2, style) == number(0.25, "decimal")
        assert format_number(12345, 0, style) == number(12345, "count")
        assert format_percent(0.416, 1, style) == number(0.416, "percent")


def test_a_value_that_rounds_to_zero_has_no_sign():
    assert format_number(-0.004, 2, NumberFormat()) == "0,00"
    assert format_number(-1234.5, 1, NumberFormat()) == f"{MINUS}1\u00a0234,5"


def point(start, **values) -> TrendPoint:
    return TrendPoint(start, values)


def test_trends_start_at_the_first_period_with_data():
    import datetime

    none = Figure(None, 0)
    quarters = [
        point(datetime.date(2025, 1, 1), improved=none, deteriorated=none),
        point(datetime.date(2025, 4, 1), improved=none, deteriorated=none),
        point(datetime.date(2025, 7, 1), improved=WITHHELD, deteriorated=WITHHELD),
        point(datetime.date(2025, 10, 1), improved=Figure(0.4, 20), deteriorated=none),
        point(datetime.date(2026, 1, 1), improved=none, deteriorated=none),
    ]
    dashboard = types.SimpleNamespace(quarters=quarters)
    with translation.override("en"):
        chart = visuals.outcome_trend(dashboard)
        # The third quarter had episodes, too few to show: it is data, and stays in view; a
        # quarter with nothing after the first data stays too (a gap, not a shorter axis).
        assert chart.periods == ("Q3", "Q4", "Q1")
        assert chart.years == ("2025", "2025", "2026")
        figure = charts.trend_figure(chart)
        figure.canvas.draw()
        first = figure.axes[0].get_xticklabels()[0].get_text()
        assert first.splitlines() == ["Q3", "2025"]


def test_a_trend_with_no_data_at_all_keeps_its_periods_and_says_so():
    import datetime

    none = Figure(None, 0)
    months = [point(datetime.date(2025, m, 1), alliance_flagged=none, dropout=none) for m in (1, 2)]
    with translation.override("en"):
        chart = visuals.alliance_trend(types.SimpleNamespace(months=months))
    assert len(chart.periods) == 2
    assert 'id="no-data"' in charts.trend_chart(chart).decode()


def unit_row(name, saes, kind="team") -> UnitRow:
    shown = Figure(saes, 12) if saes is not None else WITHHELD
    return UnitRow(
        Unit(kind, hash(name) % 1000, name),
        *(Figure(12, 12),) * 5,
        saes=shown,
        saes_low=None if saes is None else saes - 0.3,
        saes_high=None if saes is None else saes + 0.3,
    )


def dashboard_with(*rows):
    service = types.SimpleNamespace(current=Figure(0.7, 40))
    return types.SimpleNamespace(units=list(rows), row=lambda key: service)


def test_a_comparison_of_one_team_is_not_drawn():
    assert visuals.caterpillar(dashboard_with(unit_row("Team A", 0.8)), "team") is None


def test_a_comparison_with_nothing_to_show_is_not_drawn():
    rows = [unit_row("Team A", None), unit_row("Team B", None), unit_row("Team C", 0.5)]
    assert visuals.caterpillar(dashboard_with(*rows), "team") is None


def test_a_comparison_of_two_teams_is_drawn():
    rows = [unit_row("Team A", 0.8), unit_row("Team B", 0.5), unit_row("Team C", None)]
    chart = visuals.caterpillar(dashboard_with(*rows), "team")
    assert chart is not None
    assert len(chart.units) == 3


@pytest.mark.parametrize("size", ["wide", "narrow"])
def test_every_text_is_readable_at_the_size_shown(size):
    """Sizes are in points, one point to one CSS pixel at the width the chart is made for
    (the narrowest column that shows it, see `charts.WIDTHS`)."""
    for render, _figure, chart in all_charts():
        svg = render(chart, size=size).decode()
        sizes = [float(s) for s in re.findall(r"font-size: ([\d.]+)px", svg)]
        assert sizes, render.__name__
        assert min(sizes) >= MIN_PX, (render.__name__, sorted(set(sizes)))
        rotated = re.findall(r"rotate\((-?[\d.]+)", svg)
        assert all(float(angle) == 0 for angle in rotated), (render.__name__, rotated)


@pytest.mark.parametrize("size", ["wide", "narrow"])
def test_legends_and_labels_stay_off_the_plot_and_inside_the_picture(size):
    for _render, make, chart in all_charts():
        figure = make(chart, size=size)
        figure.canvas.draw()
        renderer = figure.canvas.get_renderer()
        axes = figure.axes[0]
        plot = axes.get_window_extent(renderer)
        page = figure.bbox
        legend = axes.get_legend()
        if legend is not None:
            box = legend.get_window_extent(renderer)
            assert not box.overlaps(plot), make.__name__
        for text in figure.findobj(lambda a: hasattr(a, "get_text") and a.get_visible()):
            if not text.get_text().strip():
                continue
            box = text.get_window_extent(renderer)
            inside = (
                box.x0 >= page.x0 - 1
                and box.x1 <= page.x1 + 1
                and box.y0 >= page.y0 - 1
                and box.y1 <= page.y1 + 1
            )
            assert inside, (make.__name__, text.get_text(), box, page)


def test_month_ticks_fit_side_by_side_and_name_the_year_where_it_changes():
    for size in ("wide", "narrow"):
        figure = charts.trend_figure(trend(), size=size)
        figure.canvas.draw()
        renderer = figure.canvas.get_renderer()
        labels = [t for t in figure.axes[0].get_xticklabels() if t.get_text()]
        boxes = [t.get_window_extent(renderer) for t in labels]
        for left, right in itertools.pairwise(boxes):
            assert left.x1 < right.x0, size
        years = [t.get_text().splitlines()[1] for t in labels if "\n" in t.get_text()]
        assert years == ["2025", "2026"]


def test_the_page_gets_a_wide_and_a_narrow_picture_with_their_own_ids():
    wide = charts.categories_chart(categories())
    narrow = charts.categories_chart(categories(), size="narrow")
    markup = charts.responsive_svg(wide, narrow, "Outcomes")
    assert markup.count("<svg") == 2
    assert markup.count('aria-label="Outcomes"') == 2
    ids = re.findall(r' id="([^"]+)"', markup)
    assert len(ids) == len(set(ids))
    assert 'id="bar-current-0"' in markup
    references = re.findall(r'url\(#([^)]+)\)|href="#([^"]+)"', markup)
    for found in references:
        assert (found[0] or found[1]) in ids
