"""Small-number protection: fewer than five people, no number (pure, no database)."""

from itertools import product

import pytest

from services.dashboards.suppression import (
    MINIMUM,
    Figure,
    hidden_cells,
    protect,
    protect_count,
    protect_counts,
    too_few,
)


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_a_figure_from_fewer_than_five_loses_its_number(n):
    figure = protect(0.75, n)
    # Issue #12 item 9: the basis of a suppressed figure is a small count too, so it goes
    # with the value (it was written beside "too few to show" in the exports).
    assert figure == Figure(None, None, suppressed=True)
    assert not figure.shown


def test_five_or_more_is_shown_and_nothing_is_no_data():
    assert protect(0.75, MINIMUM) == Figure(0.75, 5)
    assert protect(0.75, 5).shown
    assert protect(0.75, 0) == Figure(None, 0)
    assert not protect(0.75, 0).suppressed
    assert protect(None, 12) == Figure(None, 12)


def test_counts_are_their_own_basis_and_zero_is_shown():
    assert protect_count(3).suppressed
    assert protect_count(3).n is None  # Issue #12 item 9
    assert protect_count(0) == Figure(0, 0)
    assert protect_count(0).shown
    assert protect_count(17) == Figure(17, 17)


def test_too_few():
    assert [too_few(n) for n in (None, 0, 1, 4, 5)] == [False, False, True, True, False]


def test_one_small_count_takes_the_next_smallest_with_it():
    figures = protect_counts([0, 3, 12, 40, 7])
    assert [f.value for f in figures] == [0, None, 12, 40, None]
    assert [f.suppressed for f in figures] == [False, True, False, False, True]
    assert [f.n for f in figures] == [0, None, 12, 40, None]  # Issue #12 item 9


def test_two_small_counts_take_the_next_smallest_with_them():
    # Issue #12 item 9 (review): two small counts alone do not protect each other (2 + 3 = 5
    # over two rows of 1–4); the hidden rows need one row of five or more among them.
    figures = protect_counts([2, 3, 12, 40])
    assert [f.value for f in figures] == [None, None, None, 40]


def test_nothing_small_nothing_hidden():
    assert [f.value for f in protect_counts([0, 5, 9])] == [0, 5, 9]


def test_a_single_small_count_with_no_other_to_hide_stays_hidden():
    assert [f.value for f in protect_counts([0, 4, 0])] == [0, None, 0]


# Issue #12 item 9: complementary suppression for every breakdown shown beside its total.


@pytest.mark.parametrize(
    ("counts", "hidden"),
    [
        ([3, 8, 12], {0, 1}),  # a lone small team takes the next smallest with it
        ([12, 8, 3], {1, 2}),
        # Issue #12 item 9 (review): two small ones do not protect each other; 1 + 1 would
        # be given away, so a row of five or more is always hidden with them.
        ([3, 2, 12], {0, 1, 2}),
        ([0, 3, 0, 7, 9], {1, 3}),  # zeros reveal nobody and protect nobody
        ([6, 3, 6], {0, 1}),  # ties: the first of the smallest
        ([5, 9], set()),
        ([0, 4, 0], {1}),  # nothing else to hide: the total is as small (and hidden)
    ],
)
def test_hidden_cells(counts, hidden):
    assert hidden_cells(counts) == hidden


def test_a_spared_cell_is_never_the_second_one_hidden():
    """Closed episodes = included + left out by reason: the included count (shown with the
    outcome figures) is spared, and a zero reason is hidden when no other reason can be."""
    assert hidden_cells([6, 3, 30, 0], spare={0}) == {1, 2}
    # Issue #12 item 9 (review): the reasons' sum (3) is known from closed − included, so no
    # hidden zero can make it five; every reason is hidden and only that sum is learnt.
    assert hidden_cells([37, 3, 0, 0], spare={0}, zeros=True) == {1, 2, 3}
    assert hidden_cells([37, 3, 0, 0], spare={0}) == {1}
    assert hidden_cells([3, 30, 0, 0], spare={0}) == {0, 1}  # a small included count is hidden


def test_cells_already_hidden_count():
    """A breakdown over groups (months in two periods) adds to what another group hid."""
    assert hidden_cells([9, 8, 12], hidden={0}) == {0, 1}
    assert hidden_cells([9, 8, 12], hidden={0, 2}) == {0, 2}


@pytest.mark.parametrize(
    "counts", [[3, 8, 12], [1, 40, 41, 7], [0, 2, 0, 5, 6, 9], [4, 4, 30], [2, 50]]
)
def test_no_single_hidden_count_can_be_recovered_from_the_total(counts):
    figures = protect_counts(counts)
    hidden = [count for count, f in zip(counts, figures, strict=True) if f.suppressed]
    shown = sum(f.value for f in figures if not f.suppressed)
    assert len(hidden) != 1  # total − shown is then the sum of two or more hidden counts
    assert sum(counts) - shown == sum(hidden)


# Issue #12 item 9 (review): two small rows beside their total protect nobody. In [20, 1, 1, 10]
# the total minus the shown rows is 2, and two hidden rows of 1–4 can then only be 1 and 1.


def possible_values(counts, rule) -> list[set[int]]:
    """What a reader who knows `rule` can tell about each hidden row from the shown rows and
    the total: every value the row takes in some table that `rule` would show the same way."""
    hidden = sorted(rule(counts))
    difference = sum(counts[i] for i in hidden)
    values = [set() for _ in counts]
    for candidate in product(range(difference + 1), repeat=len(hidden)):
        if sum(candidate) != difference:
            continue
        table = list(counts)
        for i, value in zip(hidden, candidate, strict=True):
            table[i] = value
        if sorted(rule(table)) == hidden:
            for i, value in zip(hidden, candidate, strict=True):
                values[i].add(value)
    return [values[i] for i in hidden]


@pytest.mark.parametrize(
    "counts",
    [
        [20, 1, 1, 10],
        [1, 1, 30, 40],
        [3, 2, 12],
        [2, 2, 50, 9],
        [4, 3, 20],
        [3, 8, 12],
        [1, 40, 41, 7],
        [0, 2, 0, 5, 6, 9],
        [1, 1, 1, 1, 9, 9],
    ],
)
def test_no_hidden_count_can_be_worked_out_from_the_total(counts):
    assert hidden_cells(counts), "the table must hide something"
    for values in possible_values(counts, hidden_cells):
        assert len(values) > 1, f"{counts}: a hidden row can only be {values}"


def test_hidden_rows_sum_to_the_minimum_with_one_row_that_is_not_small():
    assert hidden_cells([20, 1, 1, 10]) == {1, 2, 3}
    assert hidden_cells([1, 1, 30, 40]) == {0, 1, 2}
    assert hidden_cells([4, 3, 20]) == {0, 1, 2}  # 4 + 3 = 7 is either 4 + 3 or 3 + 4
    assert hidden_cells([2, 2, 50, 9, 6]) == {0, 1, 4}


def test_where_the_spared_row_gives_the_rest_away_every_other_row_is_hidden():
    """Closed = included + reasons, and included is shown: the reasons' sum is known whatever
    is hidden. Below the minimum, every reason goes (zeros too), so that sum is all one learns."""
    assert hidden_cells([37, 1, 1, 0], spare={0}, zeros=True) == {1, 2, 3}
    for values in possible_values([37, 1, 1, 0], lambda c: hidden_cells(c, spare={0}, zeros=True)):
        assert len(values) > 1
