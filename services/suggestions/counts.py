"""Notes by theme over the dashboard's period (issue #18), for the leader's service dashboard.

Counted in the database in one query: the service's notes received in the period, spam left
out, grouped by theme and by month (a period of up to six months) or quarter (longer). These
are counts of anonymous notes, not of people, and a note says nothing about who wrote it, so
the small-number rule for people (`dashboards.suppression`) does not apply: a theme with one
note shows 1. Notes belong to the service, not to a team or a helper, so the part is shown on
the service's own view only.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, DateField
from django.db.models.functions import Trunc
from django.utils import formats

from services.dashboards.periods import add_months
from services.dashboards.visuals import quarter_label
from services.offers.reading import text as shown_text

from .models import Note

MONTHS_BY_MONTH = 6


@dataclass(frozen=True)
class Row:
    name: str
    counts: tuple[int, ...]
    total: int


@dataclass(frozen=True)
class ThemeCounts:
    by: str  # "month" or "quarter"
    labels: tuple[str, ...]
    rows: tuple[Row, ...]
    totals: tuple[int, ...]
    total: int


def bucket_kind(start: datetime.date, end: datetime.date) -> str:
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    return "month" if months <= MONTHS_BY_MONTH else "quarter"


def buckets(start: datetime.date, end: datetime.date, kind: str) -> list[datetime.date]:
    """The first day of each month or quarter from the one holding `start` to `end`'s."""
    step = 1 if kind == "month" else 3
    month = start.month if kind == "month" else (start.month - 1) // 3 * 3 + 1
    day, found = datetime.date(start.year, month, 1), []
    while day <= end:
        found.append(day)
        day = add_months(day, step)
    return found


def count_rows(service_id: int, start: datetime.date, end: datetime.date, kind: str) -> list:
    """(bucket, theme id, names, order, count) rows: the one query."""
    notes = Note.objects.filter(
        service_id=service_id, is_spam=False, received_on__gte=start, received_on__lte=end
    )
    return list(
        notes.annotate(bucket=Trunc("received_on", kind, output_field=DateField()))
        .values(
            "bucket", "theme_id", "theme__name", "theme__name_nn", "theme__name_en", "theme__order"
        )
        .annotate(n=Count("pk"))
        .order_by()
    )


class _Names:
    """A theme's names from a row, read as `offers.reading.text` reads an offer's."""

    def __init__(self, row: dict):
        self.name = row["theme__name"]
        self.name_nn = row["theme__name_nn"]
        self.name_en = row["theme__name_en"]


def theme_counts(
    rows: list[dict], start: datetime.date, end: datetime.date, kind: str, language: str, other
) -> ThemeCounts:
    """The table: a row per theme (in the themes' order, notes without a theme last, named
    `other`), a column per month or quarter, and the totals."""
    days = buckets(start, end, kind)
    column = {day: index for index, day in enumerate(days)}
    themes: dict[int | None, tuple] = {}
    cells: dict[tuple[int | None, int], int] = {}
    for row in rows:
        bucket = row["bucket"]
        if isinstance(bucket, datetime.datetime):
            bucket = bucket.date()
        if bucket not in column:
            continue
        theme = row["theme_id"]
        if theme not in themes:
            name = str(shown_text(_Names(row), "name", language)) if theme else str(other)
            themes[theme] = (theme is None, row["theme__order"] or 0, name)
        cells[theme, column[bucket]] = cells.get((theme, column[bucket]), 0) + row["n"]
    table = []
    for theme, (_last, _order, name) in sorted(themes.items(), key=lambda item: item[1]):
        counts = tuple(cells.get((theme, index), 0) for index in range(len(days)))
        table.append(Row(name, counts, sum(counts)))
    totals = tuple(sum(row.counts[index] for row in table) for index in range(len(days)))
    labels = tuple(_label(day, kind) for day in days)
    return ThemeCounts(kind, labels, tuple(table), totals, sum(totals))


def _label(day: datetime.date, kind: str) -> str:
    return quarter_label(day) if kind == "quarter" else formats.date_format(day, "M Y")
