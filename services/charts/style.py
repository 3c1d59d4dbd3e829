"""Colours, line styles and the few global matplotlib settings the charts rely on.

Colours are from the Okabe–Ito palette, which stays distinguishable with the common forms of
colour blindness; every line that carries meaning also differs by dash or marker, so the chart
still reads in greyscale. The strong colours have at least 3:1 contrast on white (WCAG 2.1
non-text contrast); the pale ones are only used for bands behind the lines.
"""

import functools

BLUE = "#0072B2"
VERMILLION = "#D55E00"
GREEN = "#009E73"
SKY = "#56B4E9"
ORANGE = "#E69F00"
BLACK = "#000000"
GREY = "#595959"
LIGHT_GREY = "#BDBDBD"
GRID = "#E6E6E6"
TEXT_COLOUR = "#1A1A1A"

ORS_COLOUR = BLUE
SRS_COLOUR = GREEN
EXPECTED_COLOUR = GREY
EXPECTED_BAND_COLOUR = SKY
RELIABLE_CHANGE_COLOUR = ORANGE
CUTOFF_COLOUR = BLACK
SIGNAL_COLOUR = VERMILLION
CLIENT_REFERENCE_COLOUR = GREEN

CUTOFF_DASHES = (0, (6, 3))
THRESHOLD_DASHES = (0, (2, 2))
EXPECTED_DASHES = (0, (4, 2))


@functools.cache
def configure_matplotlib() -> None:
    """Make SVG output byte-stable and light (once, before the first figure is made).

    A fixed hash salt makes matplotlib's generated SVG ids the same on every run (it draws a
    random salt otherwise), which is what lets tests compare bytes and caches trust content.
    Text stays text (`fonttype` none): smaller files, faster rendering, and a screen reader or
    a test can find the labels. The browser falls back along a list of common sans-serif fonts.
    """
    import matplotlib

    matplotlib.rcParams["svg.hashsalt"] = "feedback-charts"
    matplotlib.rcParams["svg.fonttype"] = "none"
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["axes.unicode_minus"] = True
