"""The leaders' charts: what is drawn, what is not, and that the bytes are stable."""

import re

import pytest

from services.charts import dashboard as charts

TEXT = charts.ChartText(too_few="For få til å vise", decimal_mark=",")


def categories(current=(0.45, 0.45, 0.10), inner=0.2) -> charts.CategoryChart:
    return charts.CategoryChart(
        categories=("Improved", "No change", "Deteriorated"),
        bars=(
            charts.Bars("current", "This period", current, inner),
            charts.Bars("rct", "Trials", (0.675, 0.256, 0.07)),
        ),
        inner_label="of which recovered",
        text=TEXT,
    )


def gids(svg: bytes) -> set[str]:
    return set(re.findall(r'id="([^"]+)"', svg.decode()))


def test_category_bars_are_drawn_with_ids_and_norwegian_percentages():
    svg = charts.categories_chart(categories())
    ids = gids(svg)
    assert {"bar-current-0", "bar-current-1", "bar-current-2", "bar-rct-0", "inner-current"} <= ids
    assert "45 %" in svg.decode()
    assert "67,5" not in svg.decode()  # labels are rounded to whole percent
    assert "68 %" in svg.decode()


def test_a_suppressed_share_is_not_a_bar_but_words():
    svg = charts.categories_chart(categories(current=(None, None, None), inner=None))
    ids = gids(svg)
    assert not any(i.startswith("bar-current") for i in ids)
    assert {"suppressed-current-0", "suppressed-current-2"} <= ids
    assert "For få til å vise" in svg.decode()


def test_charts_are_byte_stable_in_every_format():
    for fmt in ("svg", "png", "pdf"):
        assert charts.categories_chart(categories(), fmt) == charts.categories_chart(
            categories(), fmt
        )
    assert charts.categories_chart(categories(), "pdf").startswith(b"%PDF")
    assert b"CreationDate" not in charts.categories_chart(categories(), "pdf")
    assert charts.categories_chart(categories(), "png").startswith(b"\x89PNG")
    with pytest.raises(ValueError, match="unknown chart format"):
        charts.categories_chart(categories(), "gif")


def test_trend_lines_leave_gaps_for_points_not_shown():
    chart = charts.TrendChart(
        periods=("jan", "feb", "mar"),
        series=(charts.Series("ors", "ORS", (0.9, None, 0.95)),),
        text=TEXT,
    )
    svg = charts.trend_chart(chart).decode()
    assert 'id="trend-ors"' in svg
    empty = charts.TrendChart(periods=("jan",), series=(charts.Series("ors", "ORS", (None,)),))
    assert 'id="no-data"' in charts.trend_chart(empty).decode()


def test_histogram_marks_hidden_bands_without_drawing_them():
    chart = charts.Histogram(
        bands=("0–5", "5–10", "10–15"),
        counts=(None, 12, None),
        marker_at=1,
        marker_label="Cutoff",
        text=TEXT,
    )
    ids = gids(charts.histogram_chart(chart))
    assert "bin-1" in ids
    assert "bin-0" not in ids and "bin-2" not in ids
    assert {"suppressed-0", "suppressed-2", "cutoff-line"} <= ids


def test_caterpillar_plots_units_with_intervals_and_counts_those_left_out():
    chart = charts.Caterpillar(
        units=(
            charts.Interval("Team A", 0.9, 0.7, 1.1, 40),
            charts.Interval("Team B", 0.4, 0.1, 0.7, 25),
            charts.Interval("Team C", None, None, None, 3),
        ),
        reference=0.7,
        reference_label="Service",
        left_out="{count} not shown",
        text=TEXT,
    )
    svg = charts.caterpillar_chart(chart)
    ids = gids(svg)
    assert {"point-0", "point-1", "ci-0", "ci-1", "reference-line", "left-out"} <= ids
    assert "point-2" not in ids
    text = svg.decode()
    assert "Team C" not in text
    assert "1 not shown" in text
    assert text.index("Team B") < text.index("Team A")  # sorted: lowest first, from the bottom


def test_inline_svg_has_an_accessible_name_and_no_xml_prologue():
    markup = charts.inline_svg(charts.categories_chart(categories()), 'Outcome "categories"')
    assert markup.startswith('<svg role="img" aria-label="Outcome &quot;categories&quot;"')
    assert "<?xml" not in markup
