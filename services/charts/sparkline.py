"""A tiny ORS trend for a caseload row, written as SVG directly.

A caseload page shows one of these per client, so it must cost microseconds, not the tens of
milliseconds a matplotlib figure costs. It is a handful of lines on a fixed 0–40 scale (the
same in every row, so rows compare), so writing the SVG by hand is simpler than drawing it.
Gaps stay gaps: a session without an ORS breaks the line.
"""

from xml.sax.saxutils import escape, quoteattr

from .data import ChartData
from .output import check_format
from .style import GREY, LIGHT_GREY, ORS_COLOUR

PAD = 3.0


def _segments(points: list[tuple[float, float | None]]) -> list[list[tuple[float, float]]]:
    """Runs of consecutive rated sessions; a missing rating ends a run."""
    segments: list[list[tuple[float, float]]] = [[]]
    for x, y in points:
        if y is None:
            if segments[-1]:
                segments.append([])
        else:
            segments[-1].append((x, y))
    return [segment for segment in segments if segment]


def _coordinates(segment: list[tuple[float, float]]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in segment)


def sparkline(data: ChartData, fmt: str = "svg", width: int = 120, height: int = 28) -> bytes:
    """The episode's ORS totals as a small SVG line, with the latest point as a dot; the line
    is broken where the form changes (`ChartPoint.series`).

    The cutoff, when given, is a faint horizontal line. `fmt` exists so the cache can treat
    every chart alike; only SVG is made.
    """
    check_format(fmt)
    if fmt != "svg":
        raise ValueError("the sparkline is made as SVG only")
    points = sorted(data.points, key=lambda point: point.session)
    first, last = (points[0].session, points[-1].session) if points else (1, 1)
    span = max(last - first, 1)
    top = float(data.max_total)

    def x_of(session: int) -> float:
        return PAD + (session - first) / span * (width - 2 * PAD)

    def y_of(score: float) -> float:
        return PAD + (1 - score / top) * (height - 2 * PAD)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label={quoteattr(data.labels.ors)}>',
        f"<title>{escape(data.labels.ors)}</title>",
    ]
    if data.cutoff is not None:
        y = y_of(float(data.cutoff))
        parts.append(
            f'<line id="cutoff-line" x1="0" x2="{width}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{LIGHT_GREY}" stroke-width="1" stroke-dasharray="2 2"/>'
        )
    scores = []
    series = None
    for point in points:
        if point.ors is not None and series is not None and point.series != series:
            scores.append((x_of(point.session), None))  # a new form is not the same curve
        if point.ors is not None:
            series = point.series
        scores.append((x_of(point.session), None if point.ors is None else y_of(float(point.ors))))
    parts.append('<g id="ors-line">')
    for segment in _segments(scores):
        if len(segment) == 1:
            x, y = segment[0]
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="1.5" fill="{ORS_COLOUR}"/>')
        else:
            parts.append(
                f'<polyline points="{_coordinates(segment)}" fill="none" '
                f'stroke="{ORS_COLOUR}" stroke-width="1.6" stroke-linejoin="round"/>'
            )
    parts.append("</g>")
    rated = [(x, y) for x, y in scores if y is not None]
    if rated:
        x, y = rated[-1]
        parts.append(
            f'<circle id="latest" cx="{x:.1f}" cy="{y:.1f}" r="2.4" fill="{ORS_COLOUR}" '
            f'stroke="white" stroke-width="0.8"/>'
        )
    else:
        parts.append(
            f'<line id="no-data" x1="{PAD}" x2="{width - PAD}" y1="{height / 2}" '
            f'y2="{height / 2}" stroke="{GREY}" stroke-width="1" stroke-dasharray="1 3"/>'
        )
    parts.append("</svg>")
    return "".join(parts).encode()
