"""The `score` template filter writes a score to one decimal the Norwegian way, rounded."""

from decimal import Decimal

import pytest
from django.utils import translation

from services.measures.templatetags.measures import score


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("32.4"), "32,4"),
        (32.4, "32,4"),  # a float mean: was cut to 32,3 (32.3999… as a Decimal)
        (Decimal("20.25"), "20,3"),
        ("7.0", "7,0"),
        (0, "0,0"),
        (None, "–"),
    ],
)
def test_a_score_is_written_with_a_decimal_comma_and_rounded(value, shown):
    with translation.override("nb"):
        assert score(value) == shown
