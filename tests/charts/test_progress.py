"""The helper's progress chart: valid files, every part present, stable bytes, odd episodes."""

import hashlib
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest

from services.charts.data import SIZES, ChartData, ChartSize
from services.charts.progress import progress_chart

from .samples import LABELS, SVG, episode, ids, line_runs, png_size, point

PARTS = (
    "ors-panel",
    "srs-panel",
    "cutoff-line",
    "reliable-change-band",
    "expected-trajectory",
    "expected-band",
    "expected-lowest",
    "ors-line",
    "srs-line",
    "signal-markers",
    "alliance-threshold",
    "caption",
)


def test_it_draws_a_valid_svg_with_every_part(data):
    svg = progress_chart(data)
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert set(PARTS) <= ids(svg)


def test_element_ids_are_unique(data):
    root = ET.fromstring(progress_chart(data))
    found = [element.get("id") for element in root.iter() if element.get("id")]
    assert len(found) == len(set(found))


def test_it_shows_the_labels_it_was_given_as_text(data):
    text = progress_chart(data).decode()
    for label in ("Hvordan livet har vært (ORS)", "Klinisk grense (25)", "Forventet utvikling"):
        assert label in text
    assert "Utenfor forventet" in text


@pytest.mark.parametrize("size", sorted(SIZES))
def test_it_draws_a_png_of_the_size_asked_for(data, size):
    png = progress_chart(data, fmt="png", size=size)
    chart = SIZES[size]
    assert png_size(png) == (round(chart.width * chart.dpi), round(chart.height * chart.dpi))


def test_it_takes_an_explicit_size(data):
    png = progress_chart(data, fmt="png", size=ChartSize(width=6, height=4, dpi=150))
    assert png_size(png) == (900, 600)


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_the_same_data_gives_the_same_bytes(data, fmt):
    assert progress_chart(data, fmt=fmt) == progress_chart(episode(), fmt=fmt)


def test_the_bytes_are_the_same_in_another_process(data):
    """No random SVG ids or dates: what a cache or a test stores is what a new process draws."""
    script = (
        "import sys, hashlib; sys.path.insert(0, '.');"
        "from tests.charts.samples import episode;"
        "from services.charts.progress import progress_chart;"
        "print(hashlib.sha256(progress_chart(episode())).hexdigest())"
    )
    other = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    ).stdout.strip()
    assert other == hashlib.sha256(progress_chart(data)).hexdigest()


def test_different_data_gives_different_bytes(data):
    changed = episode(ors=(14.2, 16.0, 19.5, None, 22.1, 24.0, 23.2, 26.5, 27.0, 28.3, 29.1, 31.0))
    assert progress_chart(changed) != progress_chart(data)
    assert progress_chart(replace(data, cutoff=28)) != progress_chart(data)


def test_a_missing_rating_is_a_gap_not_a_zero(data):
    svg = progress_chart(data)
    assert line_runs(svg, "ors-line") == 2
    assert line_runs(svg, "srs-line") == 2


def test_an_episode_without_sessions_says_so():
    svg = progress_chart(ChartData(labels=LABELS, cutoff=25, reliable_change=5))
    found = ids(svg)
    assert "no-data" in found
    assert "Ingen skåringer ennå" in svg.decode()
    assert "reliable-change-band" not in found
    assert "srs-panel" not in found


def test_one_session_is_drawn(data):
    one = episode(ors=(14.2,), srs=(33.0,), signals=())
    svg = progress_chart(one)
    assert {"ors-line", "srs-line", "reliable-change-band", "cutoff-line"} <= ids(svg)
    assert "no-data" not in ids(svg)


def dates_shown(svg: bytes) -> list[str]:
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg.decode())
    return [text for text in texts if re.fullmatch(r"\d\d\.\d\d", text)]


@pytest.mark.parametrize(("size", "most"), [("tablet", 12), ("phone", 7)])
def test_many_sessions_get_fewer_ticks_so_labels_do_not_collide(size, most):
    many = episode(ors=tuple(15 + n * 0.5 for n in range(26)), srs=(38.0,) * 26)
    shown = dates_shown(progress_chart(many, size=size))
    assert 4 <= len(shown) <= most
    assert shown[0] == "07.01"


def test_without_any_alliance_rating_the_alliance_panel_is_left_out():
    no_srs = episode(srs=(None,) * 12)
    assert "srs-panel" not in ids(progress_chart(no_srs))
    assert "ors-line" in ids(progress_chart(no_srs))


def test_total_only_ratings_are_drawn_like_any_other():
    paper = replace(
        episode(),
        points=tuple(point(n, 15.0 + n, 36.0, items=False) for n in range(1, 6)),
    )
    svg = progress_chart(paper)
    assert line_runs(svg, "ors-line") == 1


def test_parts_without_data_are_left_out(data):
    bare = replace(
        data, cutoff=None, reliable_change=None, expected=(), signals=(), alliance_threshold=None
    )
    found = ids(progress_chart(bare))
    for gid in (
        "cutoff-line",
        "reliable-change-band",
        "expected-band",
        "expected-lowest",
        "signal-markers",
    ):
        assert gid not in found


def test_the_expected_band_shows_the_red_zone_below_the_10th_percentile(data):
    """Issue #12 item 3: two levels, orange below the band and red below the 10th percentile."""
    svg = progress_chart(data)
    assert "10. persentil (under: rød sone)" in svg.decode()
    assert {"expected-band", "expected-lowest"} <= ids(svg)


def test_without_a_10th_percentile_only_the_band_is_drawn(data):
    no_lowest = replace(data, expected=tuple(replace(p, lowest=None) for p in data.expected))
    svg = progress_chart(no_lowest)
    assert "expected-band" in ids(svg)
    assert "expected-lowest" not in ids(svg)
    assert "10. persentil" not in svg.decode()


@pytest.mark.parametrize(("fmt", "size"), [("gif", "tablet"), ("svg", "watch")])
def test_unknown_formats_and_sizes_are_refused(data, fmt, size):
    with pytest.raises(ValueError):
        progress_chart(data, fmt=fmt, size=size)
