"""Template filters that show instrument texts in the reader's language."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils import formats
from django.utils.translation import get_language

from services.measures.definitions import translate

register = template.Library()


@register.filter
def instrument_name(instrument) -> str:
    return translate(instrument.spec.name, get_language() or "nb")


@register.filter
def item_scores(rating) -> str:
    """The item scores in the instrument's order, with Norwegian decimal commas."""
    if rating.items is None:
        return ""
    keys = rating.instrument.spec.item_keys
    return " · ".join(score(rating.items[key]) for key in keys if key in rating.items)


@register.filter
def score(value) -> str:
    """A score to one decimal, rounded half up: Django's number format cuts extra digits, and a
    float such as 32.4 is 32.3999… as a Decimal, so it is rounded here from its shortest text."""
    if value is None or value == "":
        return "–"
    rounded = Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return formats.number_format(rounded, decimal_pos=1)


@register.filter
def signed_score(value) -> str:
    if value is None:
        return "–"
    text = score(abs(value))
    return f"+{text}" if value > 0 else (f"−{text}" if value < 0 else text)
