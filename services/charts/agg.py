"""The Agg canvas the charts are drawn on: matplotlib's, with text drawn for less.

Text is most of what a PNG chart costs: some 370 letters, where a bare plot has 50. Two things
make matplotlib's text dearer than it needs to be, and both are put right here without changing
a pixel (`tests/charts/test_drawing.py` compares every chart with matplotlib's own canvas):

- each figure gets a new renderer, and with it an empty cache of text sizes, so the size of
  every label is worked out again for every chart, although most of a chart's labels (titles,
  legend, scores, caption) are the same in every chart. A renderer per thread and chart size is
  kept and reused instead, which keeps the cache; `draw` clears its pixels every time. This
  saves about 10 ms of a 52 ms PNG progress chart (CPU, with each chart another client's).
- matplotlib 3.11 draws a text letter by letter in Python and sets the font size again before
  every letter, which makes FreeType run the font's hinting program again for each one: more
  than half of the time a letter takes. `_Renderer` sets the size only when it changes, which
  saves another 10 ms. matplotlib has since sped this loop up itself (pull request 32120, not
  in a release yet); with any matplotlib but 3.11 the charts get matplotlib's own renderer
  (see `FAST_TEXT`), and only keep it per thread.

This module imports matplotlib, so it is imported only where a chart is drawn.
"""

from __future__ import annotations

import inspect
import math
import threading

import matplotlib
import numpy
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag

# The letter loop below is matplotlib 3.11's with the font size set once; it is used only with
# the matplotlib whose loop it copies.
FAST_TEXT = matplotlib.__version__.startswith("3.11.") and list(
    inspect.signature(getattr(RendererAgg, "_draw_text_glyphs_and_boxes", len)).parameters
) == ["self", "gc", "x", "y", "angle", "glyphs", "boxes"]
if FAST_TEXT:
    from matplotlib.ft2font import RenderMode
# Renderers kept per thread: the few chart sizes in use (a tall items chart adds one).
KEPT_RENDERERS = 4


class _Renderer(RendererAgg):
    """matplotlib's Agg renderer with the letter loop below (for matplotlib 3.11 only)."""

    def _draw_text_glyphs_and_boxes(self, gc, x, y, angle, glyphs, boxes):
        """matplotlib 3.11's letter loop, with the font size set only when it changes and the
        letter shape's matrix worked out once per slant and width."""
        cos = math.cos(math.radians(angle))
        sin = math.sin(math.radians(angle))
        load_flags = get_hinting_flag()
        antialiased = gc.get_antialiased()
        mode = RenderMode.NORMAL if antialiased else RenderMode.MONO
        sized = None
        matrices = {}
        for font, size, glyph_index, slant, extend, dx, dy in glyphs:  # dy is upwards.
            if sized != (font, size):
                font.set_size(size, self.dpi)
                sized = (font, size)
            matrix = matrices.get((slant, extend))
            if matrix is None:
                matrix = matrices[slant, extend] = (
                    (
                        0x10000
                        * numpy.array([[cos, -sin], [sin, cos]])
                        @ [[extend, extend * slant], [0, 1]]
                    )
                    .round()
                    .astype(int)
                )
            font._set_transform(
                matrix,
                [
                    round(0x40 * (x + dx * cos - dy * sin)),
                    # FreeType's y is upwards.
                    round(0x40 * (self.height - y + dx * sin + dy * cos)),
                ],
            )
            bitmap = font._render_glyph(glyph_index, load_flags, mode)
            buffer = bitmap.buffer
            if not antialiased:
                buffer *= 0xFF
            # draw_text_image's y is downwards & the bitmap bottom side.
            self._renderer.draw_text_image(
                buffer, bitmap.left, int(self.height) - bitmap.top + buffer.shape[0], 0, gc
            )
        if boxes:
            super()._draw_text_glyphs_and_boxes(gc, x, y, angle, (), boxes)


_kept = threading.local()


class Canvas(FigureCanvasAgg):
    """matplotlib's Agg canvas, drawing with this thread's renderer for the figure's size."""

    def get_renderer(self):
        width, height = self.get_width_height(physical=True)
        key = width, height, self.figure.dpi
        if not hasattr(_kept, "renderers"):
            _kept.renderers = {}
        renderers = _kept.renderers
        renderer = renderers.get(key)
        if renderer is None:
            if len(renderers) >= KEPT_RENDERERS:
                renderers.clear()
            renderer = (_Renderer if FAST_TEXT else RendererAgg)(width, height, self.figure.dpi)
            renderers[key] = renderer
        self.renderer = renderer
        return renderer
