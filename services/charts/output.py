"""Figures in, bytes out: one place decides how a chart becomes SVG or PNG.

Only `matplotlib.figure.Figure` with the Agg canvas is used, never pyplot, because pyplot keeps
global figure state that leaks memory and is not thread-safe in a web server. Metadata that
changes between runs (date, software version) is left out so equal input gives equal bytes.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from .data import SIZES, ChartSize
from .style import configure_matplotlib

if TYPE_CHECKING:  # matplotlib is imported only where a chart is drawn
    from matplotlib.figure import Figure

FORMATS = ("svg", "png")
SVG_METADATA = {"Date": None, "Creator": None}
PNG_METADATA = {"Software": None}


def chart_size(size: str | ChartSize) -> ChartSize:
    """A named size ("tablet", "phone") or an explicit one."""
    if isinstance(size, ChartSize):
        return size
    try:
        return SIZES[size]
    except KeyError:
        raise ValueError(f"unknown chart size {size!r}; use one of {', '.join(SIZES)}") from None


def check_format(fmt: str) -> None:
    """Refuse an unknown format before any drawing is done."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown chart format {fmt!r}; use 'svg' or 'png'")


def new_figure(size: ChartSize) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    configure_matplotlib()
    figure = Figure(figsize=(size.width, size.height), dpi=size.dpi, facecolor="white")
    FigureCanvasAgg(figure)
    return figure


def figure_bytes(figure: Figure, fmt: str) -> bytes:
    """The figure as SVG or PNG, without run-dependent metadata."""
    check_format(fmt)
    buffer = io.BytesIO()
    if fmt == "svg":
        figure.savefig(buffer, format="svg", metadata=SVG_METADATA)
    else:
        figure.savefig(buffer, format="png", metadata=PNG_METADATA, dpi=figure.dpi)
    return buffer.getvalue()
