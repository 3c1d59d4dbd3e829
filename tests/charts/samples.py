"""Literal chart data (a 12-session episode with everything a chart can show) and readers
for the files the charts make."""

import datetime
import re
import struct
import xml.etree.ElementTree as ET
from dataclasses import replace

from services.charts.data import (
    ChartData,
    ChartLabels,
    ChartPoint,
    CollateralSeries,
    ExpectedPoint,
    SignalMarker,
)

SVG = "{http://www.w3.org/2000/svg}"
START = datetime.date(2026, 1, 7)
ORS = (14.2, 16.0, 19.5, None, 22.1, 24.0, 23.2, 26.5, 27.0, 28.3, 29.1, 30.0)
SRS = (33.0, 35.5, 36.2, 37.0, None, 38.0, 38.5, 39.0, 38.8, 39.2, 39.5, 39.6)
LABELS = ChartLabels(
    ors="Hvordan livet har vært (ORS)",
    srs="Samarbeid i timen (SRS)",
    session="Samtale",
    cutoff="Klinisk grense",
    reliable_change="Innenfor målefeil: ingen pålitelig endring",
    expected="Forventet utvikling",
    expected_band="Forventet spenn",
    expected_lowest="10. persentil (under: rød sone)",
    alliance_threshold="Grense for samarbeid",
    signals="Signal",
    no_data="Ingen skåringer ennå",
    caption="Forventet utvikling: standardmodell.",
    items=("Meg selv", "Familie og nære relasjoner", "Arbeid, skole og venner", "Livet alt i alt"),
    total_only="Bare totalskår",
    client_title="Hvordan livet har vært",
    client_reference="Der mange har det",
    decimal_mark=",",
)


def point(number: int, ors: float | None, srs: float | None, items: bool = True) -> ChartPoint:
    quarter = None if ors is None else round(ors / 4, 1)
    return ChartPoint(
        session=number,
        date=START + datetime.timedelta(days=7 * (number - 1)),
        ors=ors,
        srs=srs,
        ors_items=(quarter,) * 4 if items and quarter is not None else None,
    )


def episode(ors=ORS, srs=SRS, **changes) -> ChartData:
    points = tuple(point(n, o, s) for n, (o, s) in enumerate(zip(ors, srs, strict=True), 1))
    expected = tuple(
        ExpectedPoint(
            n,
            14.2 + 8 * (1 - 0.7 ** (n - 1)),
            12 + 5 * (1 - 0.7 ** (n - 1)),
            16 + 12 * (1 - 0.7 ** (n - 1)),
            10 + 2 * (1 - 0.7 ** (n - 1)),
        )
        for n in range(1, len(ors) + 4)
    )
    values = {
        "points": points,
        "cutoff": 25,
        "reliable_change": 5,
        "expected": expected,
        "signals": (SignalMarker(len(ors), "off_track", "Utenfor forventet"),),
        "alliance_threshold": 36,
        "labels": LABELS,
    }
    values.update(changes)
    return ChartData(**values)


def ids(svg: bytes) -> set[str]:
    root = ET.fromstring(svg)
    return {element.get("id") for element in root.iter() if element.get("id")}


def element(svg: bytes, gid: str) -> ET.Element:
    root = ET.fromstring(svg)
    return next(e for e in root.iter() if e.get("id") == gid)


def line_runs(svg: bytes, gid: str) -> int:
    """How many separate runs the line drawn under `gid` has (a gap starts a new run)."""
    path = next(element(svg, gid).iter(f"{SVG}path"))
    return len(re.findall(r"M ", path.get("d")))


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", png[16:24])


# A 12-year-old's episode: four sessions on the child form, then the client turns 13 and moves
# to the adolescent form at session 5 (issue #12 item 1), with a parent and a teacher rating the
# child's outcome form beside them (issue #12 item 5).
CHILD_FORM = "Hvordan har du hatt det? (barn)"
TEEN_FORM = "Hvordan har du hatt det? (ungdom)"
CHILD_ORS = (24.5, 26.0, 27.8, 29.0, 27.5, 29.4, 30.8, 31.5)
CHILD_SRS = (34.0, 36.5, 37.0, 38.0, 36.0, 38.5, 39.0, 39.0)
MOTHER = CollateralSeries(
    "Forelder (Mor)", ((1, 20.1), (2, 21.5), (4, 24.0), (5, 23.0), (7, 26.2), (8, 27.5))
)
TEACHER = CollateralSeries("Lærer", ((1, 22.0), (4, 25.1), (8, 26.0)))


def child_episode(**changes) -> ChartData:
    """Sessions 1–4 on the child form (series 0), 5–8 on the adolescent form (series 1)."""
    gain = [1 - 0.7 ** (n - 1) for n in range(1, 11)]
    expected = tuple(
        ExpectedPoint(n, 24.5 + 8.5 * g, 21.0 + 4 * g, 28.0 + 9 * g) for n, g in enumerate(gain, 1)
    )
    data = episode(
        ors=CHILD_ORS,
        srs=CHILD_SRS,
        expected=expected,
        cutoff=32,
        reliable_change=6,
        signals=(),
        labels=replace(LABELS, client_rater="Barnet selv"),
        series_labels=(CHILD_FORM, TEEN_FORM),
        collateral=(MOTHER, TEACHER),
    )
    points = tuple(replace(p, series=0 if p.session < 5 else 1) for p in data.points)
    return replace(data, points=points, **changes)


def path_xs(svg: bytes, gid: str) -> list[float]:
    """The x coordinates of the path drawn under `gid` (in the SVG's own units)."""
    path = next(element(svg, gid).iter(f"{SVG}path"))
    numbers = re.findall(r"[ML] (-?[\d.]+) (-?[\d.]+)", path.get("d"))
    return [float(x) for x, _ in numbers]
