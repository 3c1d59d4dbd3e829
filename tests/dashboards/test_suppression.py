"""Small-number protection: fewer than five people, no number (pure, no database)."""

import pytest

from services.dashboards.suppression import (
    MINIMUM,
    Figure,
    protect,
    protect_count,
    protect_counts,
    too_few,
)


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_a_figure_from_fewer_than_five_loses_its_number(n):
    figure = protect(0.75, n)
    assert figure == Figure(None, n, suppressed=True)
    assert not figure.shown


def test_five_or_more_is_shown_and_nothing_is_no_data():
    assert protect(0.75, MINIMUM) == Figure(0.75, 5)
    assert protect(0.75, 5).shown
    assert protect(0.75, 0) == Figure(None, 0)
    assert not protect(0.75, 0).suppressed
    assert protect(None, 12) == Figure(None, 12)


def test_counts_are_their_own_basis_and_zero_is_shown():
    assert protect_count(3).suppressed
    assert protect_count(0) == Figure(0, 0)
    assert protect_count(0).shown
    assert protect_count(17) == Figure(17, 17)


def test_too_few():
    assert [too_few(n) for n in (None, 0, 1, 4, 5)] == [False, False, True, True, False]


def test_one_small_count_takes_the_next_smallest_with_it():
    figures = protect_counts([0, 3, 12, 40, 7])
    assert [f.value for f in figures] == [0, None, 12, 40, None]
    assert [f.suppressed for f in figures] == [False, True, False, False, True]


def test_two_or_more_small_counts_need_no_secondary_suppression():
    figures = protect_counts([2, 3, 12, 40])
    assert [f.value for f in figures] == [None, None, 12, 40]


def test_nothing_small_nothing_hidden():
    assert [f.value for f in protect_counts([0, 5, 9])] == [0, 5, 9]


def test_a_single_small_count_with_no_other_to_hide_stays_hidden():
    assert [f.value for f in protect_counts([0, 4, 0])] == [0, None, 0]
