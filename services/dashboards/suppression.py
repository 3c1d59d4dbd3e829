"""Small-number protection: a figure built from fewer than five people is not shown.

Leaders see figures, never individual clients. Any figure computed from fewer than `MINIMUM`
episodes or clients is replaced by "too few to show" before it reaches a template, a chart, an
export or the PDF: the number itself is dropped, not hidden, and so is the count it rests on
(its n), so neither can leak through a chart's data or a download. Zero is shown as "no data":
it reveals nobody.

Primary suppression alone is not enough where rows are shown beside their total (teams beside
the service, months beside the period, the reasons an episode is left out beside the closed
episodes): the total minus the shown rows would give a lone hidden row away. So every such
breakdown gets complementary suppression (`hidden_cells`): when exactly one row is hidden, the
next-smallest goes too, and subtracting only ever yields the sum of two or more.
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
    reason). Complementary: if exactly one row is withheld, the smallest other non-zero count
    goes too (the first of equals). Rows in `spare` are never the second one (the included
    episodes, whose count is the basis of every outcome figure). With `zeros`, a zero row is the
    second one when no non-zero row can be: where the total is known from elsewhere (closed
    minus included), a lone small reason is then hidden among two.
    """
    withheld = {i for i, count in enumerate(counts) if too_few(count)} | set(hidden)
    if len(withheld) != 1:
        return withheld
    candidates = [(count, i) for i, count in enumerate(counts) if i not in withheld | set(spare)]
    non_zero = [candidate for candidate in candidates if candidate[0]]
    if non_zero or (zeros and candidates):
        withheld.add(min(non_zero or candidates)[1])
    return withheld


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
