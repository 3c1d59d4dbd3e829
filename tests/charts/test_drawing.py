"""How the charts are drawn for speed (issue #14) changes no pixel.

The charts use their own panel instead of matplotlib's Axes (`panel.py`), their own Agg canvas
with renderers kept per thread and a faster letter loop (`agg.py`), and write their PNGs
themselves (`output.py`). Each is held here against what matplotlib itself draws.
"""

import hashlib
import io
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from services.charts.client import client_chart, client_figure
from services.charts.data import SIZES, ChartData
from services.charts.items import items_chart, items_figure
from services.charts.output import figure_bytes, new_figure, png_bytes
from services.charts.panel import Panel
from services.charts.progress import progress_chart, progress_figure

from .samples import LABELS, child_episode, episode

CHARTS = {
    "progress": (progress_chart, progress_figure),
    "client": (client_chart, client_figure),
    "items": (items_chart, items_figure),
}
EPISODES = {
    "sample": episode,
    "child": child_episode,
    "empty": lambda: ChartData(labels=LABELS, cutoff=25, reliable_change=5),
}


def pixels(png: bytes) -> numpy.ndarray:
    """The RGBA pixels of a PNG, as Pillow reads it."""
    return numpy.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))


def matplotlib_pixels(figure: Figure) -> numpy.ndarray:
    """The figure drawn by matplotlib's own Agg canvas and renderer."""
    FigureCanvasAgg(figure)
    figure.canvas.draw()
    return numpy.asarray(figure.canvas.buffer_rgba()).copy()


@pytest.mark.parametrize("size", sorted(SIZES))
@pytest.mark.parametrize("episode_name", sorted(EPISODES))
@pytest.mark.parametrize("chart", sorted(CHARTS))
def test_every_chart_has_the_pixels_matplotlib_draws(chart, episode_name, size):
    draw, figure = CHARTS[chart]
    data = EPISODES[episode_name]()
    ours = pixels(draw(data, fmt="png", size=size))
    assert numpy.array_equal(ours, matplotlib_pixels(figure(data, size)))


def test_text_of_every_kind_has_the_pixels_matplotlib_draws():
    """Sizes, weights, several lines, letters from a fallback font, a turned text, formulas and
    text without anti-aliasing: the letter loop must draw them all as matplotlib does."""

    def figure() -> Figure:
        figure = new_figure(SIZES["phone"])
        figure.text(0.05, 0.9, "Hvordan livet har vært → ÆØÅ æøå", fontsize=11)
        figure.text(0.05, 0.8, "Samarbeid i timen (SRS)", fontsize=13, fontweight="bold")
        figure.text(0.05, 0.7, "1\n07.01", fontsize=9, ha="center", va="top", linespacing=1.25)
        figure.text(0.5, 0.5, "Samtale", rotation=30, fontsize=10)
        figure.text(0.05, 0.3, r"$\sum_i x_i^2 \geq \frac{1}{2}$", fontsize=12)
        figure.text(0.05, 0.15, "Uten kantutjevning", fontsize=10, antialiased=False)
        return figure

    ours = pixels(figure_bytes(figure(), "png"))
    assert numpy.array_equal(ours, matplotlib_pixels(figure()))


def test_a_panel_draws_what_an_axes_with_the_same_parts_draws():
    """Lines and bands are clipped to the panel as on an Axes; texts and unclipped markers are
    not; the background and the bottom line are the Axes' patch and bottom spine."""

    def parts(place, line, text, band, hline, vline) -> None:
        band([1, 2, 3], [-5, 12, 14], [20, 22, 45], color="#56B4E9", alpha=0.3, linewidth=0)
        line([0.5, 2, 3.5], [10, 48, 30], color="#0072B2", linewidth=2.6)
        line([1, 3], [40, 40], marker="v", markersize=9, linestyle="none", clip_on=False)
        hline(25, color="black", linestyle=(0, (6, 3)), linewidth=1.2)
        vline(2.5, color="#595959", linestyle=(0, (1, 2)), linewidth=1.3)
        text(0, 30, "30", ha="right", va="center", fontsize=10, transform=place)

    def with_axes() -> Figure:
        from matplotlib.transforms import offset_copy

        figure = Figure(figsize=(4, 3), dpi=100, facecolor="white")
        axes = figure.add_axes((0.15, 0.2, 0.8, 0.7))
        for side in ("top", "right", "left"):
            axes.spines[side].set_visible(False)
        axes.spines["bottom"].set_color("#595959")
        axes.xaxis.set_visible(False)
        axes.yaxis.set_visible(False)
        axes.set_xlim(0.5, 3.5)
        axes.set_ylim(0, 40)
        place = offset_copy(axes.get_yaxis_transform(), fig=figure, x=-5, units="points")
        parts(place, axes.plot, axes.text, axes.fill_between, axes.axhline, axes.axvline)
        return figure

    def with_panel() -> Figure:
        from matplotlib.transforms import offset_copy

        figure = Figure(figsize=(4, 3), dpi=100, facecolor="white")
        panel = Panel(figure, 0.6, 0.6, 3.2, 2.1, "panel", line_colour="#595959")
        panel.set_xlim(0.5, 3.5)
        panel.set_ylim(0, 40)
        place = offset_copy(panel.y_data, fig=figure, x=-5, units="points")
        parts(place, panel.line, panel.text, panel.band, panel.hline, panel.vline)
        return figure

    assert numpy.array_equal(matplotlib_pixels(with_panel()), matplotlib_pixels(with_axes()))


def test_a_chart_is_the_same_whatever_was_drawn_before_it_on_the_thread():
    """The renderer a thread keeps is cleared and reused: nothing of one chart shows in the
    next, and a new process draws the same bytes."""
    first = progress_chart(episode(), fmt="png")
    items_chart(child_episode(), fmt="png")
    progress_chart(child_episode(), fmt="png", size="phone")
    assert progress_chart(episode(), fmt="png") == first
    script = (
        "import sys, hashlib; sys.path.insert(0, '.');"
        "from tests.charts.samples import episode;"
        "from services.charts.progress import progress_chart;"
        "print(hashlib.sha256(progress_chart(episode(), fmt='png')).hexdigest())"
    )
    other = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    ).stdout.strip()
    assert other == hashlib.sha256(first).hexdigest()


def test_charts_drawn_in_threads_at_once_are_the_charts_drawn_one_by_one():
    """Each thread has its own renderers, as a threaded web server needs."""
    jobs = [
        (chart, data, fmt, size)
        for chart in (progress_chart, client_chart, items_chart)
        for data in (episode(), child_episode())
        for fmt in ("png", "svg")
        for size in ("tablet", "phone")
    ]
    one_by_one = [chart(data, fmt=fmt, size=size) for chart, data, fmt, size in jobs]
    with ThreadPoolExecutor(max_workers=4) as pool:
        at_once = list(pool.map(lambda job: job[0](job[1], fmt=job[2], size=job[3]), jobs))
    assert at_once == one_by_one


@pytest.mark.parametrize("alpha", [255, 128])
def test_a_png_holds_exactly_the_pixels_and_resolution_given(alpha):
    generator = numpy.random.default_rng(14)
    rgba = generator.integers(0, 256, size=(37, 53, 4), dtype=numpy.uint8)
    rgba[:, :, 3] = alpha
    png = png_bytes(rgba, dpi=150)
    image = Image.open(io.BytesIO(png))
    assert image.mode == ("RGB" if alpha == 255 else "RGBA")
    # PNG stores whole pixels per metre: 150 per inch is 5906 per metre, read back as 150.01.
    assert [round(value) for value in image.info["dpi"]] == [150, 150]
    assert numpy.array_equal(pixels(png), rgba)


def test_a_charts_png_is_smaller_than_matplotlibs_own():
    figure = progress_figure(episode())
    ours = figure_bytes(figure, "png")
    theirs = io.BytesIO()
    figure.savefig(theirs, format="png", dpi=figure.dpi)
    assert numpy.array_equal(pixels(ours), pixels(theirs.getvalue()))
    assert len(ours) < len(theirs.getvalue())
