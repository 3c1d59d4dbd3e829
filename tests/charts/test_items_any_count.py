"""The items chart with any number of items, e.g. a seven-item outcome form (issue #12, item 10).

Panels must stay readable: a form with more items makes the figure taller instead of squeezing
each panel to a sliver.
"""

import re
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest

from services.charts.data import SIZES
from services.charts.items import MIN_PANEL_HEIGHT, items_chart

from .samples import LABELS, SVG, episode

SEVEN = tuple(f"Linje {n}" for n in range(1, 8))


def seven_item_data():
    data = episode()
    points = tuple(
        replace(p, ors_items=tuple(float(n) for n in range(1, 8))) if p.ors_items else p
        for p in data.points
    )
    return replace(data, points=points, labels=replace(LABELS, items=SEVEN))


def panels(svg: bytes) -> dict[int, tuple[float, float, float, float]]:
    """Each item panel's box (left, top, right, bottom) in points, from its background patch."""
    boxes = {}
    for group in ET.fromstring(svg).iter(f"{SVG}g"):
        found = re.fullmatch(r"item-panel-(\d+)", group.get("id") or "")
        if found:
            path = next(group.iter(f"{SVG}path")).get("d")
            numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path)]
            xs, ys = numbers[0::2], numbers[1::2]
            boxes[int(found[1])] = (min(xs), min(ys), max(xs), max(ys))
    return boxes


def height_of(svg: bytes) -> float:
    return float(ET.fromstring(svg).get("height").removesuffix("pt"))


@pytest.mark.parametrize("size", sorted(SIZES))
def test_seven_items_get_seven_readable_panels(size):
    svg = items_chart(seven_item_data(), size=size)
    boxes = panels(svg)
    assert sorted(boxes) == list(range(7))
    for _left, top, _right, bottom in boxes.values():
        assert bottom - top >= MIN_PANEL_HEIGHT * 72 - 0.01
        assert top >= 0 and bottom <= height_of(svg)
    for a in boxes.values():
        for b in boxes.values():
            if a is not b:
                assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
    for label in SEVEN:
        assert label in svg.decode()
    assert len(re.findall(r'id="item-line-\d+"', svg.decode())) == 7


@pytest.mark.parametrize("size", sorted(SIZES))
def test_four_items_keep_the_usual_size(size):
    svg = items_chart(episode(), size=size)
    assert height_of(svg) == pytest.approx(SIZES[size].height * 72)
    assert len(panels(svg)) == 4


def test_a_seven_item_chart_is_a_png_too():
    assert items_chart(seven_item_data(), fmt="png", size="phone").startswith(b"\x89PNG")
