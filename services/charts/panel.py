"""A chart panel without matplotlib's Axes: a rectangle of the figure with its own data limits.

The session charts draw their own score and session labels and grid (see `axes.py`), so of an
Axes they use only its coordinate systems, its clipping and its SVG group. An Axes costs far
more than that: making one builds two axis objects with tick artists, locators and formatters,
four spines, three titles and a property cycle, and every line or patch added to it updates its
data limits for autoscaling, which these charts never use (they set their limits). Replacing
the progress chart's two Axes took its SVG from about 42 to 24 ms CPU (issue #14).

A `Panel` keeps the parts in use and draws the same pixels and the same SVG (see
`tests/charts/test_drawing.py`): the same transforms, the same clipping to the panel's
rectangle, a white background and a bottom line like the Axes' patch and bottom spine, and an
SVG group with the panel's id.

This module imports matplotlib, so it is imported only where a chart is drawn.
"""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.artist import Artist, allow_rasterization
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path
from matplotlib.text import Text
from matplotlib.transforms import (
    Bbox,
    BboxTransformFrom,
    BboxTransformTo,
    Transform,
    TransformedBbox,
    blended_transform_factory,
)

# The Axes' bottom spine: a patch of matplotlib's default axes line width, its ends squared.
BASELINE_WIDTH = 0.8
BASELINE_ZORDER = 2.5


class _Group(Artist):
    """Draws a panel's artists inside one SVG group named by the panel's id, in zorder (in the
    order they were added where the zorder is the same), as an Axes draws its children."""

    def __init__(self, gid: str, background: Artist) -> None:
        super().__init__()
        self.set_gid(gid)
        self.members: list[Artist] = []
        self.background = background

    def get_children(self) -> list[Artist]:
        return [self.background, *self.members]

    @allow_rasterization
    def draw(self, renderer) -> None:
        if not self.get_visible():
            return
        renderer.open_group("panel", gid=self.get_gid())
        self.background.draw(renderer)
        for member in sorted(self.members, key=lambda artist: artist.get_zorder()):
            member.draw(renderer)
        renderer.close_group("panel")
        self.stale = False


class Panel:
    """A rectangle of `figure` placed in inches from its lower left corner, with data limits.

    Coordinates, as matplotlib names them on an Axes:
    - `data`: the data limits set with `set_xlim` and `set_ylim`;
    - `area`: (0, 0) is the panel's lower left corner and (1, 1) its upper right;
    - `x_data`: x in data, y in `area` (things at a session, at a height in the panel);
    - `y_data`: x in `area`, y in data (things at a score, across the panel).
    """

    def __init__(
        self,
        figure: Figure,
        left: float,
        bottom: float,
        width: float,
        height: float,
        gid: str,
        line_colour: str,
    ) -> None:
        fig_width, fig_height = figure.get_size_inches()
        self.figure = figure
        self.width = width
        self.height = height
        self._limits = Bbox.unit()
        position = Bbox.from_bounds(
            left / fig_width, bottom / fig_height, width / fig_width, height / fig_height
        )
        self.area: Transform = BboxTransformTo(TransformedBbox(position, figure.transSubfigure))
        self.data: Transform = BboxTransformFrom(self._limits) + self.area
        self.x_data: Transform = blended_transform_factory(self.data, self.area)
        self.y_data: Transform = blended_transform_factory(self.area, self.data)
        self._clip = TransformedBbox(Bbox.unit(), self.area)
        background = Rectangle(
            (0, 0), 1, 1, transform=self.area, facecolor="white", edgecolor="none"
        )
        background.set_figure(figure)
        self._group = _Group(gid, background)
        figure.add_artist(self._group)
        self.add(
            PathPatch(
                Path([(0, 0), (1, 0)]),
                transform=self.area,
                facecolor="none",
                edgecolor=line_colour,
                linewidth=BASELINE_WIDTH,
                capstyle="projecting",
                zorder=BASELINE_ZORDER,
                clip_on=False,
            )
        )

    def set_xlim(self, left: float, right: float) -> None:
        self._limits.intervalx = (left, right)

    def set_ylim(self, bottom: float, top: float) -> None:
        self._limits.intervaly = (bottom, top)

    def get_xlim(self) -> tuple[float, float]:
        left, right = self._limits.intervalx
        return float(left), float(right)

    def add(self, artist: Artist) -> Artist:
        """Put `artist` in the panel: in data coordinates unless it has its own, and clipped
        to the panel unless it was made with `clip_on=False`."""
        artist.set_figure(self.figure)
        if not artist.is_transform_set():
            artist.set_transform(self.data)
        if artist.get_clip_on():
            artist.set_clip_box(self._clip)
        self._group.members.append(artist)
        return artist

    def line(self, xs: Sequence[float], ys: Sequence[float], **style) -> Line2D:
        """A line (or, with `linestyle="none"`, markers) through the points, clipped to the
        panel unless `clip_on=False`."""
        return self.add(Line2D(xs, ys, **style))

    def text(self, x: float, y: float, text: str, **style) -> Text:
        """A text at (x, y), never clipped: labels sit outside the panel too."""
        return self.add(Text(x, y, text, **{"clip_on": False, **style}))

    def band(
        self, xs: Sequence[float], low: Sequence[float], high: Sequence[float], **style
    ) -> PolyCollection:
        """The area between two lines over the same x, clipped to the panel (a collection, as
        `fill_between` makes: a polygon patch's anti-aliased edge comes out a shade darker)."""
        lower = list(zip(xs, low, strict=True))
        upper = list(zip(xs, high, strict=True))
        # The outline `fill_between` draws, from the upper start round to it again.
        outline = [upper[0], *lower, upper[-1], *reversed(upper)] if lower else []
        return self.add(PolyCollection([outline], **style))

    def hlines(self, ys: Sequence[float], **style) -> LineCollection:
        """Lines across the whole panel at each y, one artist for all of them."""
        segments = [[(0, y), (1, y)] for y in ys]
        return self.add(LineCollection(segments, transform=self.y_data, **style))

    def hline(self, y: float, **style) -> Line2D:
        """One line across the whole panel at `y`."""
        return self.line([0, 1], [y, y], transform=self.y_data, **style)

    def vline(self, x: float, **style) -> Line2D:
        """One line from the foot to the top of the panel at `x`."""
        return self.line([x, x], [0, 1], transform=self.x_data, **style)
