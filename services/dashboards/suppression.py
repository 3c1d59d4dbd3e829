"""Small-number protection: a figure built from fewer than five people is not shown.

Leaders see figures, never individual clients. Any figure computed from fewer than `MINIMUM`
episodes or clients is replaced by "too few to show" before it reaches a template, a chart, an
export or the PDF: the number itself is dropped, not hidden, so it cannot leak through a chart's
data or a download. Zero is shown as "no data": it reveals nobody.

For a set of counts shown beside their total (the bars of the intake histogram), a single
suppressed count could be worked out as total minus the rest, so the next-smallest count is
suppressed with it (secondary suppression).
"""

from dataclasses import dataclass

MINIMUM = 5


@dataclass(frozen=True)
class Figure:
    """A value as it may be shown, with the number of episodes or clients it rests on."""

    value: float | int | None
    n: int
    suppressed: bool = False

    @property
    def shown(self) -> bool:
        return self.value is not None and not self.suppressed


def too_few(n: int | None) -> bool:
    return n is not None and 0 < n < MINIMUM


def protect(value: float | int | None, n: int | None) -> Figure:
    """`value` if it rests on at least MINIMUM episodes or clients, else a suppressed Figure."""
    n = n or 0
    if too_few(n):
        return Figure(None, n, suppressed=True)
    return Figure(value if n else None, n)


def protect_count(count: int | None) -> Figure:
    """A count of episodes or clients: it is its own basis; zero is shown as 0."""
    if not count:
        return Figure(0, 0)
    return protect(count, count)


def protect_counts(counts: list[int]) -> list[Figure]:
    """Counts shown together with their total, with secondary suppression.

    Primary: every count from 1 to MINIMUM − 1. Secondary: if exactly one count is suppressed,
    the smallest other non-zero count goes too, so the total cannot give the first one away.
    """
    hidden = {i for i, count in enumerate(counts) if too_few(count)}
    if len(hidden) == 1:
        others = [(count, i) for i, count in enumerate(counts) if i not in hidden and count > 0]
        if others:
            hidden.add(min(others)[1])
    return [
        Figure(None, count, suppressed=True) if i in hidden else Figure(count, count)
        for i, count in enumerate(counts)
    ]
