"""Inserting many rows at once: PostgreSQL's COPY where it runs, `bulk_create` elsewhere.

Why: at 10,000 clients, seeding and rebuilding the dashboard facts insert a few hundred
thousand rows, and most of `bulk_create`'s time went into the ORM's work for each value
(`get_db_prep_save` through `prepare_value`, some 2 million calls) rather than into the
database. COPY sends the rows as they are; psycopg adapts each Python value itself. The values
stored are the same: every caller's values are already of their fields' types (dates, decimals,
strings, numbers), and a JSON field's value is written as JSON text, as Django would write it.
"""

import json
from contextlib import contextmanager
from operator import attrgetter

from django.db import connection
from django.db.models import Model
from django.utils import timezone

BATCH = 2000  # objects per INSERT where bulk_create is used


def insert_objects(objects: list[Model], *, with_ids: bool = False) -> None:
    """Insert these new instances of one model.

    An auto-incremented primary key is left to the database, or, `with_ids`, drawn from its
    sequence first and set on each instance (as bulk_create sets it), for rows that others
    will point at. Any other primary key (a one-to-one parent) is written as given. A related
    instance given as an object counts by its id, as bulk_create counts it.
    """
    if not objects:
        return
    model = type(objects[0])
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects, batch_size=BATCH)
        return
    opts = model._meta
    auto = _auto_key(opts.pk)
    if auto and any(obj.pk is not None for obj in objects):
        raise ValueError(f"new {model.__name__} rows with their ids: use bulk_create")
    if auto and with_ids:
        for obj, pk in zip(objects, _next_ids(opts, len(objects)), strict=True):
            obj.pk = pk
    fields = [field for field in opts.concrete_fields if not (auto and field.primary_key)]
    if auto and with_ids:
        fields.insert(0, opts.pk)
    stamped = [field for field in fields if _stamped(field)]
    related = [field for field in fields if field.is_relation]
    values = attrgetter(*(field.attname for field in fields))
    json_at = [i for i, field in enumerate(fields) if field.get_internal_type() == "JSONField"]
    with _copying(opts, fields) as copy:
        for obj in objects:
            for field in stamped:
                field.pre_save(obj, add=True)
            for field in related:
                if getattr(obj, field.attname) is None and field.is_cached(obj):
                    parent = field.get_cached_value(obj)
                    setattr(obj, field.attname, None if parent is None else parent.pk)
            row = values(obj)
            if len(fields) == 1:
                row = (row,)
            copy.write_row(_as_json(row, json_at, fields) if json_at else row)
            obj._state.adding, obj._state.db = False, connection.alias


def insert_rows(model, fields: tuple[str, ...], rows: list[tuple]) -> list[int]:
    """Insert `rows` (values in the order of `fields`, by attribute name) and return their new
    ids in the same order; the model's other fields get their defaults, as `create` gives them.

    On PostgreSQL the ids are drawn from the table's own sequence first and the rows streamed
    with COPY, so no model instance is made at all.
    """
    if not rows:
        return []
    if connection.vendor != "postgresql":
        objects = model.objects.bulk_create(
            [model(**dict(zip(fields, row, strict=True))) for row in rows], batch_size=BATCH
        )
        return [obj.pk for obj in objects]
    opts = model._meta
    by_name = {field.attname: field for field in opts.concrete_fields}
    now = timezone.now()
    rest = [
        field for field in opts.concrete_fields if field.attname not in {*fields, opts.pk.attname}
    ]
    if any(field.has_default() and callable(field.default) for field in rest):
        raise ValueError(f"give {model.__name__}'s fields with a default per row in `fields`")
    defaults = tuple(now if _stamped(field) else field.get_default() for field in rest)
    columns = [opts.pk, *(by_name[name] for name in fields), *rest]
    json_at = [i for i, field in enumerate(columns) if field.get_internal_type() == "JSONField"]
    ids = _next_ids(opts, len(rows))
    with _copying(opts, columns) as copy:
        for pk, row in zip(ids, rows, strict=True):
            row = (pk, *row, *defaults)
            copy.write_row(_as_json(row, json_at, columns) if json_at else row)
    return ids


def _next_ids(opts, count: int) -> list[int]:
    """`count` new ids from the table's own sequence, as inserting would draw them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [opts.db_table, opts.pk.column, count],
        )
        return [pk for (pk,) in cursor.fetchall()]


@contextmanager
def _copying(opts, fields):
    """psycopg's COPY into these columns; its errors raised as Django's (IntegrityError…), as
    an INSERT's would be, for callers that catch them."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    statement = f"COPY {quote(opts.db_table)} ({columns}) FROM STDIN"
    with (
        connection.cursor() as cursor,
        connection.wrap_database_errors,
        cursor.cursor.copy(statement) as copy,
    ):
        yield copy


def _auto_key(field) -> bool:
    return field.primary_key and field.get_internal_type() in (
        "AutoField",
        "BigAutoField",
        "SmallAutoField",
    )


def _stamped(field) -> bool:
    return getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)


def _as_json(row: tuple, json_at: list[int], fields) -> list:
    row = list(row)
    for i in json_at:
        if row[i] is not None:
            row[i] = json.dumps(row[i], cls=fields[i].encoder)
    return row
