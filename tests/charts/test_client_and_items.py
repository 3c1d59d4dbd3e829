"""The client's chart (friendly, no clinical words) and the item small multiples."""

import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest

from services.charts.client import client_chart
from services.charts.data import SIZES, ChartData
from services.charts.items import items_chart

from .samples import LABELS, episode, ids, line_runs, png_size, point


def test_the_client_chart_shows_the_curve_and_the_latest_score(data):
    svg = client_chart(data)
    assert {"ors-line", "reference-band", "latest-value", "title"} <= ids(svg)
    text = svg.decode()
    assert "Hvordan livet har vært" in text
    assert "30,0" in text


def test_the_client_chart_has_no_clinical_parts_or_words(data):
    clinical = replace(data, labels=replace(LABELS, cutoff="CUTOFF-WORD", expected="EXPECTED"))
    svg = client_chart(clinical)
    found = ids(svg)
    for gid in ("cutoff-line", "expected-trajectory", "expected-band", "signal-markers"):
        assert gid not in found
    for word in ("CUTOFF-WORD", "EXPECTED", "Utenfor forventet", "SRS"):
        assert word not in svg.decode()


def test_the_reference_band_is_drawn_only_when_it_has_a_label(data):
    plain = replace(data, labels=replace(LABELS, client_reference=""))
    assert "reference-band" not in ids(client_chart(plain))
    assert "reference-band" not in ids(client_chart(replace(data, cutoff=None)))


@pytest.mark.parametrize("size", sorted(SIZES))
def test_the_client_chart_is_a_png_too(data, size):
    chart = SIZES[size]
    size_px = (round(chart.width * chart.dpi), round(chart.height * chart.dpi))
    assert png_size(client_chart(data, fmt="png", size=size)) == size_px


def test_the_client_chart_is_stable_and_keeps_gaps(data):
    svg = client_chart(data)
    assert svg == client_chart(episode())
    assert line_runs(svg, "ors-line") == 2


def test_the_client_chart_without_ratings_says_so():
    svg = client_chart(ChartData(labels=LABELS))
    assert "no-data" in ids(svg)


def test_the_items_chart_has_one_panel_per_item(data):
    svg = items_chart(data)
    found = ids(svg)
    for index in range(4):
        assert {f"item-panel-{index}", f"item-line-{index}"} <= found
    for label in LABELS.items:
        assert label in svg.decode()
    assert svg == items_chart(episode())


def test_a_total_only_rating_is_a_gap_in_every_item_with_a_note():
    points = (
        point(1, 12.0, 35.0),
        point(2, 14.0, 36.0, items=False),
        point(3, 16.0, 37.0),
        point(4, 18.0, 38.0),
    )
    svg = items_chart(replace(episode(), points=points))
    assert line_runs(svg, "item-line-0") == 2
    assert "total-only-note" in ids(svg)
    assert "Bare totalskår: 2" in svg.decode()


def test_only_total_only_ratings_give_a_message_instead_of_empty_panels():
    points = tuple(point(n, 15.0, 36.0, items=False) for n in (1, 2, 3))
    svg = items_chart(replace(episode(), points=points))
    assert "item-panel-0" not in ids(svg)
    assert "Bare totalskår" in svg.decode()
    assert "Ingen skåringer ennå" in items_chart(ChartData(labels=LABELS)).decode()


@pytest.mark.parametrize("size", sorted(SIZES))
def test_the_items_chart_is_a_png_too(data, size):
    png = items_chart(data, fmt="png", size=size)
    assert png_size(png)[0] == round(SIZES[size].width * SIZES[size].dpi)
    ET.fromstring(items_chart(data, size=size))
