"""A small builder for "one base, many sums" statements.

Each dashboard statement has one base: an ORM queryset (filters, joins, window functions, and
database-specific date truncation all done by Django) that the database reads once, as a common
table expression. A list of passes then sums that base for every slice the page shows (this
period, the previous one, each month, team or helper), as one `UNION ALL` statement:

    WITH base AS (<queryset>), … SELECT 0, key, SUM(…), … FROM base WHERE … GROUP BY key
    UNION ALL SELECT 1, …

Where many passes would read a large base, the base is read once instead and summed into small
cells (`grouped`): one row per team and the slices its rows fall in, say, with every count the
passes need taken in that one pass as a conditional aggregate (`count_if`, `sum_if`). The passes
then sum the cells.

Django cannot group a common table expression or a windowed subquery, nor return several
groupings from one query; building them as hundreds of filtered aggregates costs more than
running them. Column names are quoted by the connection and every value is a parameter.
"""

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import QuerySet


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def columns(expression: str) -> str:
    """Quote the {column} names in an SQL expression ("end" and "first" are keywords)."""
    return re.sub(r"\{(\w+)\}", lambda match: quote(match[1]), expression)


def date_param(day: datetime.date):
    return connection.ops.adapt_datefield_value(day)


def as_date(value) -> datetime.date | None:
    """A truncated date as the database returns it: a date, a timestamp or ISO text."""
    if value is None or type(value) is datetime.date:
        return value
    if isinstance(value, datetime.datetime):
        return value.date()
    return datetime.date.fromisoformat(str(value)[:10])


def compiled(queryset: QuerySet) -> tuple[str, list]:
    sql, params = queryset.query.sql_with_params()
    return sql, list(params)


def sum_if(expression: str, condition: str) -> str:
    """A sum over the rows where `condition` holds (None over none), in one pass with others.

    `FILTER (WHERE …)` where the database has it (PostgreSQL, SQLite 3.30+), which skips the
    other rows without evaluating the expression; the equivalent `CASE` elsewhere.
    """
    if connection.features.supports_aggregate_filter_clause:
        return f"SUM({expression}) FILTER (WHERE {condition})"
    return f"SUM(CASE WHEN {condition} THEN {expression} END)"


def count_if(condition: str) -> str:
    """The number of rows where `condition` holds (0 over none)."""
    if connection.features.supports_aggregate_filter_clause:
        return f"COUNT(*) FILTER (WHERE {condition})"
    return f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)"


def grouped(
    source: str,
    keys: Sequence[str],
    sums: Sequence[tuple[str, str]],
    where: "Condition | None" = None,
) -> tuple[str, list]:
    """A table expression summing `source` per value of `keys` (its columns): the cells.

    Each of `sums` is (name, aggregate over the source's {columns}); the cells have the keys'
    names and these. Reading a base once into cells costs one pass however many slices then
    sum the cells.
    """
    where = where or Condition()
    key_list = ", ".join(quote(key) for key in keys)
    values = ", ".join(f"{columns(expression)} AS {quote(name)}" for name, expression in sums)
    sql = (
        f"SELECT {key_list}, {values} FROM {quote(source)} AS src WHERE {where.sql()} "
        f"GROUP BY {key_list}"
    )
    return sql, list(where.params)


@dataclass
class Condition:
    """A WHERE clause built piece by piece, with its parameters."""

    parts: list[str] = field(default_factory=list)
    params: list = field(default_factory=list)

    def add(self, sql: str, *params) -> "Condition":
        self.parts.append(columns(sql))
        self.params.extend(params)
        return self

    def between(self, column: str, start, end) -> "Condition":
        if start is not None:
            self.add(f"{{{column}}} >= %s", date_param(start))
        if end is not None:
            self.add(f"{{{column}}} <= %s", date_param(end))
        return self

    def equals(self, column: str, value) -> "Condition":
        if value is not None:
            self.add(f"{{{column}}} = %s", value)
        return self

    def sql(self) -> str:
        return " AND ".join(self.parts) if self.parts else "1 = 1"


@dataclass
class Pass:
    """One SELECT over a table expression: sums for one slice, or per value of `group`."""

    name: str
    source: str
    sums: Sequence[tuple[str, str]]
    where: Condition = field(default_factory=Condition)
    group: str | None = None  # a column of the source
    params: list = field(default_factory=list)  # for parameters in `sums`


def run(ctes: Sequence[tuple[str, str, list]], passes: Sequence[Pass]) -> list[tuple]:
    """Run the statement; returns (pass name, group key as text, {figure: value}) per row."""
    width = max(len(p.sums) for p in passes)
    selects, params = [], []
    for _name, _sql, cte_params in ctes:
        params += cte_params
    for index, item in enumerate(passes):
        values = [f"CAST({columns(expression)} AS DOUBLE PRECISION)" for _, expression in item.sums]
        values += ["CAST(NULL AS DOUBLE PRECISION)"] * (width - len(values))
        key = quote(item.group) if item.group else None
        # Keys of different types (dates, ids) share one column, so all are text.
        key_text = f"CAST({key or 'NULL'} AS VARCHAR(40))"
        select = (
            f"SELECT {index} AS pass, {key_text} AS grp, {', '.join(values)} "
            f"FROM {quote(item.source)} AS src WHERE {item.where.sql()}"
        )
        if key:
            select += f" GROUP BY {key}"
        selects.append(select)
        params += item.params + item.where.params
    with_clause = ", ".join(f"{quote(name)} AS ({sql})" for name, sql, _ in ctes)
    statement = f"WITH {with_clause} " + " UNION ALL ".join(selects)
    out = []
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        for row in cursor.fetchall():
            item = passes[row[0]]
            sums = {name: value for (name, _), value in zip(item.sums, row[2:], strict=False)}
            out.append((item.name, row[1], sums))
    return out
