"""Scoring and change rules: pure functions over plain values.

Scores are Decimals so that 7.3 stays 7.3 and totals add up exactly; a skipped item is "not
answered", never 0, because a 0 would read as the worst possible week.
"""

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from .definitions import InstrumentDefinition, Norms


class ScoreError(ValueError):
    """Input that is not a valid score; `message` is translated, `field` names the item."""

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


# Plain ASCII digits with an optional decimal comma or point; a leading minus is read only to
# say "out of range" rather than "not a number". Unicode digits, signs, exponents, spaces and
# underscores are refused: what is stored must be what the person saw on the scale.
_SCORE_TEXT = re.compile(r"(?P<minus>-?)(?P<whole>[0-9]+)(?:[.,](?P<fraction>[0-9]+))?")


def _number(value: object, field) -> Decimal:
    """The exact number in `value`, or ScoreError if it is not plainly a number."""
    not_a_number = ScoreError(_("The score must be a number."), field)
    if isinstance(value, bool):
        raise not_a_number
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise not_a_number
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise not_a_number
        return value
    if isinstance(value, str):
        match = _SCORE_TEXT.fullmatch(value)
        if match is None:
            raise not_a_number
        return Decimal(f"{match['minus']}{match['whole']}.{match['fraction'] or 0}")
    raise not_a_number


def parse_score(value: object, *, maximum: Decimal, decimals: int = 1, field=None) -> Decimal:
    """A score from user input: a number from 0 to `maximum` with at most `decimals` decimals.

    The one reader of a score for every way in (tablet, link, paper, import). Text must be ASCII
    digits with a decimal comma (Norwegian users type one) or point; JSON numbers are taken as
    they are. Negative zero is refused like any negative, so "-0.0" can never be stored.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ScoreError(_("This item has not been answered."), field)
    number = _number(value, field)
    if number.is_signed() or number > maximum:
        raise ScoreError(
            _("The score must be between 0 and %(maximum)s.") % {"maximum": maximum}, field
        )
    step = Decimal(1).scaleb(-decimals)
    if number != number.quantize(step):
        raise ScoreError(
            _("The score can have at most %(decimals)d decimal(s).") % {"decimals": decimals},
            field,
        )
    return number.quantize(step)


@dataclass(frozen=True)
class Scored:
    """A validated rating: item scores (None for a total-only paper rating) and the total."""

    items: dict[str, Decimal] | None
    total: Decimal


def score_items(definition: InstrumentDefinition, values: Mapping[str, object]) -> Scored:
    """Validate every item of `definition` in `values` and add them up."""
    unknown = set(values) - set(definition.item_keys)
    if unknown:
        raise ScoreError(_("Unknown item(s): %(items)s.") % {"items": ", ".join(sorted(unknown))})
    items = {
        key: parse_score(
            values.get(key), maximum=definition.scale_max, decimals=definition.decimals, field=key
        )
        for key in definition.item_keys
    }
    return Scored(items=items, total=sum(items.values(), Decimal(0)))


def score_total_only(definition: InstrumentDefinition, total: object) -> Scored:
    """A paper form known only by its total: no items are invented."""
    return Scored(
        items=None,
        total=parse_score(
            total, maximum=definition.max_total, decimals=definition.decimals, field="total"
        ),
    )


class OutcomeCategory(StrEnum):
    RECOVERED = "recovered"
    IMPROVED = "improved"
    UNCHANGED = "unchanged"
    DETERIORATED = "deteriorated"


def change_category(intake: Decimal, end: Decimal, norms: Norms) -> OutcomeCategory:
    """Jacobson–Truax style category of the change from intake to end.

    Only an episode that starts below the cutoff can "recover": it must both change reliably and
    cross the cutoff.
    """
    change = end - intake
    if change >= norms.reliable_change:
        if intake < norms.cutoff <= end:
            return OutcomeCategory.RECOVERED
        return OutcomeCategory.IMPROVED
    if change <= -norms.reliable_change:
        return OutcomeCategory.DETERIORATED
    return OutcomeCategory.UNCHANGED


def effect_size_from_summary(
    mean_intake: float | None, mean_end: float | None, sd_intake: float | None
) -> float | None:
    """Pre–post effect size; None where undefined (no data, or intake scores all alike)."""
    if mean_intake is None or mean_end is None or sd_intake is None or sd_intake <= 0:
        return None
    return (float(mean_end) - float(mean_intake)) / float(sd_intake)


def sample_sd_from_sums(
    n: int, total: float | None, total_of_squares: float | None
) -> float | None:
    """Sample SD (n−1) from a count, a sum and a sum of squares, as databases aggregate them.

    Used instead of a database STDDEV because SQLite's fails on a single row.
    """
    if n < 2 or total is None or total_of_squares is None:
        return None
    variance = (float(total_of_squares) - float(total) ** 2 / n) / (n - 1)
    return math.sqrt(max(variance, 0.0))


def effect_size(
    intakes: Sequence[Decimal | float], ends: Sequence[Decimal | float]
) -> float | None:
    """(mean end − mean intake) / sample SD (n−1) of the intake scores."""
    if len(intakes) != len(ends):
        raise ValueError("intakes and ends must pair up")
    n = len(intakes)
    if n < 2:
        return None
    mean_intake = math.fsum(map(float, intakes)) / n
    mean_end = math.fsum(map(float, ends)) / n
    variance = math.fsum((float(x) - mean_intake) ** 2 for x in intakes) / (n - 1)
    return effect_size_from_summary(mean_intake, mean_end, math.sqrt(variance))
