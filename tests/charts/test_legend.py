"""The helper chart's legend says what each sample stands for (issue #15 item 5).

The beige band around the first rating is the zone where a score has not changed by more than
measurement error; its legend once read "Reliable change from the first rating", the very
opposite. Each legend entry now carries the id of the part it labels, so these tests can pair
every text with the part it describes instead of trusting the wording alone.
"""

import re
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest
from django.utils import translation

from services.charts.progress import progress_chart
from services.clients.progress import ProgressRules, chart_labels
from services.measures.models import CurrentTrajectory

from .samples import child_episode, episode, ids

RULES = ProgressRules(
    forms={},
    alliance_forms={},
    trajectories={(1, "adult"): CurrentTrajectory(None, "Default model.", "1")},
    signal_rules={},
)


def legend(svg: bytes) -> dict[str, str]:
    """Each legend text by the id of the part it labels."""
    root = ET.fromstring(svg)
    found = {}
    for element in root.iter():
        gid = element.get("id") or ""
        match = re.fullmatch(r"legend-(.+)-text", gid)
        if match:
            found[match[1]] = "".join(element.itertext()).strip()
    return found


def labelled_chart(language: str, data=None) -> bytes:
    with translation.override(language):
        data = data or episode()
        return progress_chart(replace(data, labels=chart_labels(RULES, None, 1, ())))


def test_the_band_around_the_first_rating_is_the_zone_of_no_reliable_change():
    entries = legend(labelled_chart("en"))
    text = entries["reliable-change-band"]
    assert "no reliable change" in text.lower()
    assert not text.lower().startswith("reliable change")


def test_in_norwegian_the_band_says_within_measurement_error():
    text = legend(labelled_chart("nb"))["reliable-change-band"]
    assert text.startswith("Innenfor målefeil")
    assert "ingen pålitelig endring" in text


@pytest.mark.parametrize("data", [episode(), child_episode()], ids=["adult", "form-change"])
def test_every_legend_entry_labels_a_part_that_is_drawn(data):
    svg = labelled_chart("en", data)
    entries = legend(svg)
    drawn = ids(svg)
    assert entries, "the legend names nothing"
    assert {part for part in entries if part not in drawn} == set()
    assert {f"legend-{part}" for part in entries} <= drawn, "each text has its sample beside it"


def test_the_legend_names_the_parts_by_what_they_mean():
    entries = legend(labelled_chart("en"))
    assert entries["cutoff-line"] == "Clinical cutoff (25)"
    assert entries["expected-trajectory"] == "Expected trajectory"
    assert entries["expected-band"] == "Expected range"
    assert entries["expected-lowest"].startswith("10th percentile")
    assert entries["signal-markers"] == "Signal"
    assert entries["alliance-threshold"] == "Alliance threshold (36)"
