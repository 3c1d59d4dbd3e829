"""How protected figures read on the page."""

from django.utils import translation

from services.dashboards.figures import Row
from services.dashboards.suppression import Figure, protect
from services.dashboards.templatetags.dashboard import change, figure, interval


def row(current, previous, style, low=None, high=None) -> Row:
    return Row("x", "X", protect(current, 10), protect(previous, 10), style, low, high)


def test_figures_read_in_norwegian():
    with translation.override("nb"):
        assert figure(Figure(8402, 8402), "count") in ("8 402", "8\xa0402", "8402")
        assert figure(Figure(0.4158, 50), "percent") == "41,6 %"
        assert figure(Figure(20.0197, 50), "score") == "20,0"
        assert figure(Figure(0.6324, 50), "decimal") == "0,63"
        assert figure(Figure(None, 0), "percent") == "–"
        assert interval(row(0.63, 0.5, "decimal", 0.61, 0.66)) == "0,61 – 0,66"


def test_suppressed_figures_are_words_not_numbers():
    assert figure(Figure(None, 3, suppressed=True), "percent") == "Too few to show"


def test_change_is_signed_and_rounded_as_shown():
    # Written out since issue #16: "p.p." was jargon to leaders.
    assert change(row(0.42, 0.40, "percent")) == "+2.0 percentage points"
    assert change(row(35.71, 35.74, "score")) == "±0.0"
    assert change(row(10, 12, "count")) == "−2"
    assert change(Row("x", "X", protect(1, 3), protect(2, 10), "count")) == ""
