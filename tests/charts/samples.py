"""Literal chart data (a 12-session episode with everything a chart can show) and readers
for the files the charts make."""

import datetime
import re
import struct
import xml.etree.ElementTree as ET

from services.charts.data import ChartData, ChartLabels, ChartPoint, ExpectedPoint, SignalMarker

SVG = "{http://www.w3.org/2000/svg}"
START = datetime.date(2026, 1, 7)
ORS = (14.2, 16.0, 19.5, None, 22.1, 24.0, 23.2, 26.5, 27.0, 28.3, 29.1, 30.0)
SRS = (33.0, 35.5, 36.2, 37.0, None, 38.0, 38.5, 39.0, 38.8, 39.2, 39.5, 39.6)
LABELS = ChartLabels(
    ors="Hvordan livet har vært (ORS)",
    srs="Samarbeid i timen (SRS)",
    session="Samtale",
    cutoff="Klinisk grense",
    reliable_change="Pålitelig endring fra start",
    expected="Forventet utvikling",
    expected_band="Forventet spenn",
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
