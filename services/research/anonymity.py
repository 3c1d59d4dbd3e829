"""k-anonymity for a research data set: generalise step by step, then suppress what is left.

A row is about one person's episode. The columns someone could know from outside (the
quasi-identifiers: service, team, age group, when the episode started and ended) could single
a person out when few rows share them. A data set is k-anonymous when every combination of
quasi-identifier values that occurs is shared by at least k rows (an "equivalence class"), so
whoever knows all of them about a person still has at least k rows to choose from.

The method is full-domain generalisation along a fixed ladder followed by suppression (Sweeney,
"Achieving k-anonymity privacy protection using generalization and suppression", 2002; the same
idea as ARX or sdcMicro, kept small enough to read). Each rung makes one column coarser for
*every* row (team → "all"; quarter → year → "all"; age group → "all"), so a column means the
same thing in the whole file and a researcher never has to mix "2026-Q1" with "2026". We climb
until the rows in classes smaller than k are few enough to drop (at most `max_suppressed` of
them), or the ladder ends; those rows are then suppressed, so every class left has k or more.

`person` makes a class count people instead of rows: a client with two episodes in one class
would otherwise count twice. `minimum_level` starts higher up the ladder, so a project's later
exports are never finer than its earlier ones (two files of the same rows at different levels,
joined by the row ids, would together be finer than either).

Pure functions over plain dicts: data in, data out, no database.
"""

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

ALL = "all"  # the value of a column generalised as far as it goes


@dataclass(frozen=True)
class Step:
    """One rung of the ladder: a name for the report and, per column, how a value gets coarser."""

    name: str
    columns: Mapping[str, Callable[[str], str]]

    def apply(self, row: dict) -> dict:
        changed = dict(row)
        for column, coarser in self.columns.items():
            changed[column] = coarser(row[column])
        return changed


@dataclass(frozen=True)
class Report:
    """What was done to reach k: the rungs climbed, the rows dropped, the classes left."""

    k: int
    rows_in: int
    rows_out: int
    suppressed: int
    steps: tuple[str, ...] = ()
    classes: int = 0
    smallest_class: int | None = None
    # Rows in classes under k at each level tried, from no generalisation up: why we climbed.
    at_risk: tuple[int, ...] = field(default_factory=tuple)

    @property
    def level(self) -> int:
        return len(self.steps)

    def as_dict(self) -> dict:
        return {
            "k": self.k,
            "rows_in": self.rows_in,
            "rows_out": self.rows_out,
            "suppressed": self.suppressed,
            "steps": list(self.steps),
            "classes": self.classes,
            "smallest_class": self.smallest_class,
            "at_risk": list(self.at_risk),
        }


def to_all(value: str) -> str:
    """Any value → "all"; empty stays empty: "not ended yet" is a fact the status column says
    anyway, not a value to coarsen."""
    return value if value == "" else ALL


def always_all(value: str) -> str:
    """Any value → "all", empty too: "all teams" takes in the episodes with no team."""
    return ALL


def quarter_to_year(value: str) -> str:
    """ "2026-Q1" → "2026"; a year or "all" stays as it is."""
    return value.split("-Q")[0] if "-Q" in value else value


DEFAULT_LADDER = (
    Step("team", {"team": always_all}),
    Step("quarter_to_year", {"start_quarter": quarter_to_year, "end_quarter": quarter_to_year}),
    Step("year_to_period", {"start_quarter": to_all, "end_quarter": to_all}),
    Step("age_group", {"age_group": to_all}),
)


def classes(
    rows: Sequence[Mapping], quasi_identifiers: Sequence[str], person: str | None = None
) -> dict[tuple, int]:
    """Each combination of quasi-identifier values and its size (rows, or distinct people)."""
    if person is None:
        return dict(Counter(tuple(row[c] for c in quasi_identifiers) for row in rows))
    people: dict[tuple, set] = defaultdict(set)
    for row in rows:
        people[tuple(row[c] for c in quasi_identifiers)].add(row[person])
    return {key: len(found) for key, found in people.items()}


def _at_risk(rows, quasi_identifiers, k: int, person) -> tuple[set[tuple], int]:
    """The classes under k and how many rows are in them."""
    sizes = classes(rows, quasi_identifiers, person)
    small = {key for key, size in sizes.items() if size < k}
    return small, sum(1 for row in rows if tuple(row[c] for c in quasi_identifiers) in small)


def k_anonymise(
    rows: Sequence[Mapping],
    quasi_identifiers: Sequence[str],
    k: int = 5,
    ladder: Sequence[Step] = DEFAULT_LADDER,
    *,
    max_suppressed: float = 0.05,
    person: str | None = None,
    minimum_level: int = 0,
) -> tuple[list[dict], Report]:
    """The rows made k-anonymous on `quasi_identifiers`, and a report of how.

    Climbs `ladder` from `minimum_level` until at most `max_suppressed` (a share) of the rows
    are in classes smaller than k, then drops those rows. The input is not changed.
    """
    if k < 1:
        raise ValueError("k must be 1 or more")
    if not 0 <= minimum_level <= len(ladder):
        raise ValueError("minimum_level is outside the ladder")
    current = [dict(row) for row in rows]
    steps: list[str] = []
    for step in ladder[:minimum_level]:
        current = [step.apply(row) for row in current]
        steps.append(step.name)
    budget = max_suppressed * len(current)
    small, risky = _at_risk(current, quasi_identifiers, k, person)
    at_risk = [risky]
    for step in ladder[minimum_level:]:
        if risky <= budget:
            break
        current = [step.apply(row) for row in current]
        steps.append(step.name)
        small, risky = _at_risk(current, quasi_identifiers, k, person)
        at_risk.append(risky)
    kept = [row for row in current if tuple(row[c] for c in quasi_identifiers) not in small]
    sizes = classes(kept, quasi_identifiers, person)
    return kept, Report(
        k=k,
        rows_in=len(current),
        rows_out=len(kept),
        suppressed=len(current) - len(kept),
        steps=tuple(steps),
        classes=len(sizes),
        smallest_class=min(sizes.values()) if sizes else None,
        at_risk=tuple(at_risk),
    )
