"""The benchmark's table: rows of figures, their median and range, ratio and target, as Markdown.

Pure functions, no Django and no clock, so the tests can check the printing and the verdicts
without timing anything. A row holds one figure per repetition; the table shows their median
and range, the ratio to a reference row of the same run (hello for the login page, the login
page for the other pages: the machine's load falls on both alike), and whether the target is
met.
"""

import statistics
from dataclasses import dataclass, field

HEADER = ("path", "median", "range (min–max)", "ratio to reference", "target", "met?")


@dataclass(frozen=True)
class Target:
    """A bound on the median, or on its ratio to the row's reference."""

    bound: float
    at_least: bool  # the figure must be at least `bound`; otherwise at most
    on_ratio: bool = False
    strict: bool = False  # "<" or ">" rather than "≤" or "≥"

    def met(self, figure: float) -> bool:
        if self.at_least:
            return figure > self.bound if self.strict else figure >= self.bound
        return figure < self.bound if self.strict else figure <= self.bound

    def describe(self, unit: str, reference: str = "", percent: bool = True) -> str:
        sign = {(True, False): "≥", (True, True): ">", (False, False): "≤", (False, True): "<"}[
            (self.at_least, self.strict)
        ]
        if not self.on_ratio:
            return f"{sign} {figure_text(self.bound, unit)}"
        return f"{sign} {ratio_text(self.bound, percent)} {'of ' if percent else ''}{reference}"


@dataclass(frozen=True)
class Row:
    """One line of the table.

    `samples` has one figure per repetition. `reference` names (by `path`) the row this one is
    divided by (see `ratio_of`); `reference_name` is how the ratio calls it. A check that is not a
    number (nothing lost, hashed names) gives `text` and `passed` instead of samples. `error`
    says why a measurement failed, so one broken row does not take the table with it.
    """

    path: str
    unit: str = ""
    samples: tuple[float, ...] = ()
    reference: str = ""
    reference_name: str = ""
    percent: bool = True  # the ratio as a percentage (pages) or as a factor (charts)
    target: Target | None = None
    text: str = ""
    passed: bool | None = None
    target_text: str = ""  # the target of a check given as `text` and `passed`
    error: str = ""
    notes: tuple[str, ...] = field(default=())


def summary(samples: tuple[float, ...] | list[float]) -> tuple[float, float, float]:
    """Median, smallest and largest of the repetitions."""
    return statistics.median(samples), min(samples), max(samples)


def number_text(value: float) -> str:
    """Three significant figures at most below 1,000; whole numbers with separators above."""
    magnitude = abs(value)
    if magnitude >= 100:
        return f"{value:,.0f}"
    if magnitude >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def figure_text(value: float, unit: str) -> str:
    if unit == "×":
        return f"{value:.2f}×"
    if unit == "queries":
        return f"{value:.0f} queries"
    return f"{number_text(value)} {unit}".rstrip()


def ratio_text(ratio: float, percent: bool) -> str:
    if not percent:
        return f"{ratio:.2f}×"
    share = 100 * ratio
    return f"{share:.1f} %" if share < 10 else f"{share:.0f} %"


def ratio_of(row: Row, rows_by_path: dict[str, Row]) -> float | None:
    """The row's figure over its reference's: the median of each repetition's ratio when both
    have one figure per repetition (a page and its reference measured seconds apart share the
    machine's load of the moment, which a ratio of medians taken over the whole run does not),
    else the ratio of the medians."""
    reference = rows_by_path.get(row.reference) if row.reference else None
    if not row.samples or reference is None or not reference.samples:
        return None
    if len(row.samples) == len(reference.samples) and all(reference.samples):
        return statistics.median(
            mine / theirs for mine, theirs in zip(row.samples, reference.samples, strict=True)
        )
    below = statistics.median(reference.samples)
    return statistics.median(row.samples) / below if below else None


def verdict(row: Row, ratio: float | None) -> bool | None:
    """Whether the row meets its target: None when it has none or nothing was measured."""
    if row.error:
        return False if row.target is not None or row.passed is not None else None
    if row.passed is not None:
        return row.passed
    if row.target is None or not row.samples:
        return None
    if row.target.on_ratio:
        return None if ratio is None else row.target.met(ratio)
    return row.target.met(statistics.median(row.samples))


def cells(row: Row, rows_by_path: dict[str, Row]) -> tuple[str, ...]:
    ratio = ratio_of(row, rows_by_path)
    if row.error:
        median, spread = f"failed: {row.error}", "–"
    elif row.samples:
        middle, low, high = summary(row.samples)
        median = figure_text(middle, row.unit)
        spread = "–" if len(row.samples) < 2 else f"{number_text(low)}–{number_text(high)}"
        if row.unit == "×" and len(row.samples) >= 2:
            spread = f"{low:.2f}–{high:.2f}"
    else:
        median, spread = row.text or "–", "–"
    name = row.reference_name or row.reference
    shown_ratio = "–" if ratio is None else f"{ratio_text(ratio, row.percent)} of {name}"
    if ratio is not None and not row.percent:
        shown_ratio = f"{ratio_text(ratio, row.percent)} {name}"
    target = row.target_text or "–"
    if row.target is not None:
        target = row.target.describe(row.unit, name, row.percent)
    met = {None: "–", True: "yes", False: "**no**"}[verdict(row, ratio)]
    return tuple(
        text.replace("|", "\\|") for text in (row.path, median, spread, shown_ratio, target, met)
    )


def render_table(rows: list[Row]) -> str:
    """The rows as a Markdown table, columns padded so that it reads in a terminal too."""
    rows_by_path = {row.path: row for row in rows}
    lines = [HEADER, *(cells(row, rows_by_path) for row in rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(HEADER))]

    def joined(line: tuple[str, ...]) -> str:
        return "| " + " | ".join(text.ljust(w) for text, w in zip(line, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([joined(lines[0]), rule, *(joined(line) for line in lines[1:])])


def render_notes(rows: list[Row]) -> str:
    """The rows' notes (what was measured how, anything odd), one bullet each."""
    return "\n".join(f"- {row.path}: {note}" for row in rows for note in row.notes)
