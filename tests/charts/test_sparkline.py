"""The caseload sparkline: tiny, valid SVG, gaps kept."""

import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest

from services.charts.data import ChartData
from services.charts.sparkline import sparkline

from .samples import LABELS, episode

SVG = "{http://www.w3.org/2000/svg}"


def test_it_is_a_small_valid_svg_with_the_line_and_latest_point(data):
    svg = sparkline(data)
    root = ET.fromstring(svg)
    assert root.get("width") == "120"
    assert root.get("aria-label") == LABELS.ors
    found = {element.get("id") for element in root.iter() if element.get("id")}
    assert {"ors-line", "latest", "cutoff-line"} <= found
    assert len(svg) < 2000


def test_a_missing_rating_breaks_the_line(data):
    root = ET.fromstring(sparkline(data))
    assert len(list(root.iter(f"{SVG}polyline"))) == 2


def test_it_is_stable_and_follows_the_data(data):
    assert sparkline(data) == sparkline(episode())
    assert sparkline(data) != sparkline(replace(data, points=data.points[:-1]))


def test_one_rating_is_a_dot_and_none_is_a_dotted_line():
    one = sparkline(episode(ors=(20.0,), srs=(None,)))
    assert b"<polyline" not in one
    assert b'id="latest"' in one
    empty = sparkline(ChartData(labels=LABELS))
    assert b'id="no-data"' in empty
    ET.fromstring(empty)


def test_labels_are_escaped():
    svg = sparkline(ChartData(labels=replace(LABELS, ors='<"ORS" & co>')))
    assert ET.fromstring(svg).get("aria-label") == '<"ORS" & co>'


def test_it_is_svg_only(data):
    with pytest.raises(ValueError):
        sparkline(data, fmt="png")
