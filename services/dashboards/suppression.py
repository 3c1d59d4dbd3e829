"""Small-number protection: a figure built from fewer than five people is not shown.

Leaders see figures, never individual clients. Any figure computed from fewer than `MINIMUM`
episodes or clients is replaced by "too few to show" before it reaches a template, a chart, an
export or the PDF: the number itself is dropped, not hidden, and so is the count it rests on
(its n), so neither can leak through a chart's data or a download. Zero is shown as "no data":
it reveals nobody.

Primary suppression alone is not enough where rows are shown beside their total (teams beside
the service, months beside the period, the reasons an episode is left out beside the closed
episodes): the total minus the shown rows is the sum of the hidden rows. One hidden row is then
given away, and so are two small ones whose sum is small (1 + 1 = 2 can only be 1 and 1). So
every such breakdown gets complementary suppression (`hidden_cells`) by the common rule for
releasing small counts: the cells suppressed in a row must together reach the threshold, here
with at least one of them not itself below it (secondary cell suppression for frequency tables;
see Hundepool et al., Statistical Disclosure Control, Wiley 2012). Subtracting then only
ever yields a sum of five or more spread over two or more rows, one of them five or more, so no
small row's value follows from it.
"""

from collections.abc import Collection, Sequence
from dataclasses import dataclass

MINIMUM = 5


@dataclass(frozen=True)
class Figure:
    """A value as it may be shown, with the number of episodes or clients it rests on.

    A suppressed figure has neither: `value` and `n` are None.
    """

    value: float | int | None
    n: int | None
    suppressed: bool = False

    @property
    def shown(self) -> bool:
        return self.value is not None and not self.suppressed


WITHHELD = Figure(None, None, suppressed=True)


def too_few(n: int | None) -> bool:
    return n is not None and 0 < n < MINIMUM


def protect(value: float | int | None, n: int | None) -> Figure:
    """`value` if it rests on at least MINIMUM episodes or clients, else a suppressed Figure."""
    n = n or 0
    if too_few(n):
        return WITHHELD
    return Figure(value if n else None, n)


def protect_count(count: int | None) -> Figure:
    """A count of episodes or clients: it is its own basis; zero is shown as 0."""
    if not count:
        return Figure(0, 0)
    return protect(count, count)


def hidden_cells(
    counts: Sequence[int],
    *,
    hidden: Collection[int] = (),
    spare: Collection[int] = (),
    zeros: bool = False,
) -> set[int]:
    """The rows of a breakdown to withhold, given the count each row rests on.

    Primary: every count from 1 to MINIMUM − 1 (and the rows in `hidden`, withheld for another
    reason). Complementary: while the withheld rows are fewer than two, or sum to less than
    MINIMUM, or are all below MINIMUM, the smallest other non-zero count goes too (the first of
    equals). Rows in `spare` are never hidden for another row (the included episodes, whose
    count is the basis of every outcome figure). When no such row is left, the total gives the
    withheld rows' sum away whatever else is hidden: with `zeros` (where the total is known from
    elsewhere, as closed minus included), every other row is then hidden, zeros too, so that sum
    is all a reader learns and not which rows make it up.
    """
    withheld = {i for i, count in enumerate(counts) if too_few(count)} | set(hidden)
    if not withheld:
        return withheld
    candidates = sorted(
        (count, i) for i, count in enumerate(counts) if i not in withheld | set(spare)
    )
    non_zero = [i for count, i in candidates if count]
    while not _protected([counts[i] for i in withheld]) and non_zero:
        withheld.add(non_zero.pop(0))
    if zeros and not _protected([counts[i] for i in withheld]):
        withheld |= {i for _, i in candidates}
    return withheld


def safe_beside_total(values: list[int]) -> bool:
    """Whether withheld rows of these counts may stand beside their shown total."""
    return _protected(values)


def _protected(values: list[int]) -> bool:
    """Whether hidden rows of these counts are safe beside their total: two or more, summing
    to at least MINIMUM, at least one of them not itself too few."""
    return len(values) >= 2 and sum(values) >= MINIMUM and max(values) >= MINIMUM


def protect_counts(counts: list[int]) -> list[Figure]:
    """Counts shown together with their total, with complementary suppression."""
    withheld = hidden_cells(counts)
    return [WITHHELD if i in withheld else Figure(count, count) for i, count in enumerate(counts)]


def hidden_in_groups(counts: Sequence[int], groups: Sequence[Collection[int]]) -> set[int]:
    """Rows to withhold where several totals each cover some rows (months of two periods).

    Each group gets complementary suppression in turn, counting rows another group hid, until
    no group has exactly one hidden row left.
    """
    withheld = {i for i, count in enumerate(counts) if too_few(count)}
    changed = True
    while changed:
        changed = False
        for group in groups:
            rows = sorted(group)
            inside = hidden_cells(
                [counts[i] for i in rows], hidden={rows.index(i) for i in withheld if i in group}
            )
            added = {rows[j] for j in inside} - withheld
            if added:
                withheld |= added
                changed = True
    return withheld
