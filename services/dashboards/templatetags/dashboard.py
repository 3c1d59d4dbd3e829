"""Showing protected figures: numbers in the reader's locale, suppressed ones in words."""

from django import template
from django.utils import formats
from django.utils.translation import gettext as _

from services.dashboards.suppression import Figure

register = template.Library()

DECIMALS = {"count": 0, "percent": 1, "score": 1, "decimal": 2, "points": 1}
MINUS = "\u2212"


def number(value: float | int | None, style: str) -> str:
    """One value in a figure's style: 8 402, 41,6 %, 20,3, 0,63, +2,5 (points of change)."""
    if value is None:
        return "–"
    decimals = DECIMALS.get(style, 2)
    if style == "percent":
        # number_format cuts off decimals; round first so 41.58 reads 41,6, not 41,5.
        return f"{formats.number_format(round(value * 100, decimals), decimals)} %"
    if style == "points":
        rounded = round(value, decimals)
        sign = "+" if rounded > 0 else MINUS if rounded < 0 else "±"
        return sign + formats.number_format(abs(rounded), decimals)
    text = formats.number_format(round(value, decimals), decimals, force_grouping=style == "count")
    return text.replace("-", MINUS)


@register.filter
def figure_value(value: float | int | None, style: str = "decimal") -> str:
    """A plain number (a published figure, never a client's) in a figure's style."""
    return number(value, style)


@register.filter
def figure(value: Figure, style: str = "decimal") -> str:
    """A protected figure: its number, "too few to show", or "–" for no data."""
    if value.suppressed:
        return _("Too few to show")
    return number(value.value, style)


@register.filter
def change(row) -> str:
    """This period against the previous one: +2 · +1,3 percentage points · −0,05; empty when
    not both are shown. Shares change in percentage points, written out: "p.p." was jargon to
    leaders (issue #16)."""
    if not (row.current.shown and row.previous.shown):
        return ""
    delta = row.current.value - row.previous.value
    if row.style == "percent":
        delta = round(delta * 100, DECIMALS["percent"])
        text = formats.number_format(abs(delta), DECIMALS["percent"])  # already rounded
        unit = " " + _("percentage points")
    else:
        delta = round(delta, DECIMALS.get(row.style, 2))
        text = number(abs(delta), row.style)
        unit = ""
    if delta == 0:
        return f"±{text}{unit}"
    return f"{'+' if delta > 0 else '−'}{text}{unit}"


@register.filter
def interval(row) -> str:
    """A 95 % confidence interval in the reader's locale, e.g. "0,61–0,66"."""
    if row.low is None or row.high is None:
        return ""
    return f"{number(row.low, row.style)} – {number(row.high, row.style)}"
