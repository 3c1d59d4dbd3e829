"""Issue #12 items 1 and 5 on the charts: a form change inside an episode starts a new series
(not joined to the old one, marked and labelled, judged by the intake form only), and collateral
raters are drawn as their own lines on the helper's chart, never on the client's."""

import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest

from services.charts.cache import chart_cache_key
from services.charts.client import client_chart
from services.charts.data import SIZES, ChartData, ChartPoint, CollateralSeries
from services.charts.items import items_chart
from services.charts.progress import progress_chart

from .samples import (
    CHILD_FORM,
    MOTHER,
    TEACHER,
    TEEN_FORM,
    child_episode,
    element,
    ids,
    line_runs,
    path_xs,
    png_size,
)


@pytest.fixture
def child():
    return child_episode()


def test_the_ors_line_is_not_joined_across_a_form_change(child):
    svg = progress_chart(child)
    assert len(path_xs(svg, "ors-line")) == 4
    assert len(path_xs(svg, "ors-line-1")) == 4
    assert max(path_xs(svg, "ors-line")) < min(path_xs(svg, "ors-line-1"))


def test_a_form_change_is_marked_and_labelled_with_the_forms_name(child):
    svg = progress_chart(child)
    assert {"series-divider-1", "series-label-1"} <= ids(svg)
    text = svg.decode()
    assert TEEN_FORM in text
    assert CHILD_FORM in text  # in the legend, beside the adolescent form


def test_one_form_has_no_divider_and_no_form_legend(child):
    one_form = replace(child, points=tuple(replace(p, series=0) for p in child.points))
    svg = progress_chart(one_form)
    found = ids(svg)
    assert "series-divider-1" not in found
    assert "ors-line-1" not in found
    assert line_runs(svg, "ors-line") == 1
    assert CHILD_FORM not in svg.decode()


def test_norms_band_and_expected_trajectory_belong_to_the_current_form(child):
    # Changed after review of issue #12: the helper follows the form the client rates on now,
    # so the norms and the expected trajectory start with the new form's run (the leaders'
    # outcome figures still judge the episode by its intake form).
    svg = progress_chart(child)
    old_form_ends = max(path_xs(svg, "ors-line"))
    new_form_starts = min(path_xs(svg, "ors-line-1"))
    for gid in ("reliable-change-band", "cutoff-line"):
        assert min(path_xs(svg, gid)) > old_form_ends, gid
        assert max(path_xs(svg, gid)) > new_form_starts, gid
    if "expected-trajectory" in ids(svg):
        assert min(path_xs(svg, "expected-trajectory")) > old_form_ends


def test_without_a_form_change_the_norms_span_the_chart(child):
    one_form = replace(child, points=tuple(replace(p, series=0) for p in child.points))
    svg = progress_chart(one_form)
    last_session = max(path_xs(svg, "ors-line"))
    for gid in ("reliable-change-band", "cutoff-line"):
        assert max(path_xs(svg, gid)) > last_session, gid


def test_a_skipped_rating_at_the_change_does_not_join_the_forms(child):
    points = tuple(replace(p, ors=None, series=0) if p.session == 5 else p for p in child.points)
    svg = progress_chart(replace(child, points=points))
    assert line_runs(svg, "ors-line") == 1
    assert len(path_xs(svg, "ors-line-1")) == 3


def test_collateral_raters_are_their_own_lines_labelled_in_the_legend(child):
    svg = progress_chart(child)
    found = ids(svg)
    assert {"collateral-0", "collateral-1"} <= found
    text = svg.decode()
    for label in (MOTHER.label, TEACHER.label, CHILD_FORM, TEEN_FORM):
        assert label in text
    mother = element(svg, "collateral-0").find(".//{http://www.w3.org/2000/svg}path")
    client = element(svg, "ors-line").find(".//{http://www.w3.org/2000/svg}path")
    assert "stroke-dasharray" in mother.get("style")
    assert "stroke-dasharray" not in client.get("style")
    assert _stroke(mother) != _stroke(client)


def test_with_one_form_the_clients_own_line_is_named_beside_the_collateral_raters(child):
    one_form = replace(child, points=tuple(replace(p, series=0) for p in child.points))
    text = progress_chart(one_form).decode()
    for label in (MOTHER.label, TEACHER.label, "Barnet selv"):
        assert label in text
    assert "Barnet selv" not in progress_chart(replace(one_form, collateral=())).decode()


def test_a_collateral_line_is_broken_at_the_form_change_too(child):
    svg = progress_chart(child)
    assert line_runs(svg, "collateral-0") == 2
    assert line_runs(svg, "collateral-1") == 2


def test_collateral_ratings_are_not_part_of_the_change_band(child):
    bare = replace(child, collateral=())
    with_parent = progress_chart(child)
    without = progress_chart(bare)
    assert path_xs(with_parent, "reliable-change-band") == path_xs(without, "reliable-change-band")
    assert "collateral-0" not in ids(without)


def test_a_collateral_rater_alone_in_a_session_widens_the_chart():
    late = CollateralSeries("Lærer", ((1, 22.0), (11, 26.0)))
    svg = progress_chart(child_episode(collateral=(late,), expected=()))
    assert "11" in {t.text for t in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")}


def test_the_same_rater_in_two_entries_keeps_one_style_and_one_legend_entry(child):
    split = (
        CollateralSeries(MOTHER.label, MOTHER.points[:3]),
        CollateralSeries(MOTHER.label, MOTHER.points[3:]),
    )
    svg = progress_chart(replace(child, collateral=split))
    assert svg.decode().count(MOTHER.label) == 1
    first = element(svg, "collateral-0").find(".//{http://www.w3.org/2000/svg}path")
    second = element(svg, "collateral-1").find(".//{http://www.w3.org/2000/svg}path")
    assert _stroke(first) == _stroke(second)


def test_element_ids_stay_unique(child):
    root = ET.fromstring(progress_chart(child))
    found = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(found) == len(set(found))


@pytest.mark.parametrize("size", sorted(SIZES))
def test_it_draws_pngs_with_series_and_collateral(child, size):
    chart = SIZES[size]
    size_px = (round(chart.width * chart.dpi), round(chart.height * chart.dpi))
    assert png_size(progress_chart(child, fmt="png", size=size)) == size_px
    assert png_size(items_chart(child, fmt="png", size=size)) == size_px


def test_the_client_chart_ignores_collateral_raters(child):
    svg = client_chart(child)
    assert svg == client_chart(replace(child, collateral=()))
    text = svg.decode()
    for word in (MOTHER.label, TEACHER.label, "Barnet selv", CHILD_FORM, TEEN_FORM):
        assert word not in text
    assert not any(gid.startswith("collateral") for gid in ids(svg))


def test_the_client_curve_is_not_joined_across_a_form_change(child):
    assert line_runs(client_chart(child), "ors-line") == 2


def test_the_items_are_not_joined_across_a_form_change(child):
    svg = items_chart(child)
    for index in range(4):
        assert line_runs(svg, f"item-line-{index}") == 2
    assert "item-divider-0-1" in ids(svg)


@pytest.mark.parametrize(
    "change",
    [
        {"series_labels": (CHILD_FORM, "Annet skjema")},
        {"collateral": (MOTHER,)},
        {"collateral": (replace(MOTHER, label="Forelder (Far)"), TEACHER)},
        {"collateral": (replace(MOTHER, points=MOTHER.points[:-1]), TEACHER)},
    ],
)
def test_the_cache_key_changes_with_series_and_collateral(child, change):
    def key(data):
        return chart_cache_key(progress_chart, data, model_version="m", language="nb", fmt="svg")

    assert key(replace(child, **change)) != key(child)


def test_the_cache_key_changes_with_the_series_of_a_point(child):
    moved = tuple(replace(p, series=0 if p.session < 6 else 1) for p in child.points)
    key = chart_cache_key(progress_chart, child, model_version="m", language="nb", fmt="svg")
    other = chart_cache_key(
        progress_chart, replace(child, points=moved), model_version="m", language="nb", fmt="svg"
    )
    assert key != other


def _stroke(path: ET.Element) -> str:
    style = dict(part.split(": ") for part in path.get("style").split("; "))
    return style["stroke"]


def test_a_form_change_at_the_latest_session_is_labelled_before_its_divider(child):
    late = tuple(replace(p, series=0 if p.session < 8 else 1) for p in child.points)
    svg = progress_chart(replace(child, points=late), size="phone")
    label = element(svg, "series-label-1")
    assert "→" in "".join(label.itertext())
    assert "→" not in "".join(element(progress_chart(child), "series-label-1").itertext())


def test_the_caseload_sparkline_is_not_joined_across_a_form_change():
    from services.charts.sparkline import sparkline

    one_form = sparkline(ChartData(points=tuple(ChartPoint(n, ors=20 + n) for n in (1, 2, 3, 4))))
    two_forms = sparkline(
        ChartData(
            points=tuple(ChartPoint(n, ors=20 + n, series=0 if n < 3 else 1) for n in (1, 2, 3, 4))
        )
    )
    assert one_form.count(b"<polyline") == 1
    assert two_forms.count(b"<polyline") == 2
