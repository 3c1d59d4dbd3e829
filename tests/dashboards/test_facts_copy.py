"""The facts written with COPY (feedback.bulk_insert, PostgreSQL) are the rows bulk_create wrote.

Issue #14: `_rebuild_batch` inserts its rows with COPY, which leaves each value's adaptation to
psycopg instead of the fields' `get_db_prep_save`. On SQLite both are bulk_create.
"""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from services.dashboards import facts
from services.dashboards.models import (
    CollateralFact,
    DailyActivity,
    EpisodeFact,
    EpisodeSummary,
    SessionFact,
)

pytestmark = pytest.mark.django_db

MODELS = (SessionFact, EpisodeFact, CollateralFact, EpisodeSummary, DailyActivity)


def _rows() -> dict[str, list[tuple]]:
    """Every fact row by its fields' values, without the ids the database draws."""
    found = {}
    for model in MODELS:
        fields = model._meta.concrete_fields
        names = [f.attname for f in fields if not f.primary_key or f.is_relation]
        found[model.__name__] = sorted(
            (tuple(row) for row in model.objects.values_list(*names)), key=repr
        )
    return found


def _bulk_create(objects) -> None:
    if objects:
        type(objects[0]).objects.bulk_create(objects)


def test_copied_facts_are_the_rows_bulk_create_writes(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: datetime.date(2026, 6, 1))
    call_command("seed_demo", clients=60, seed=5)  # children too: collateral (parent) facts
    copied = _rows()
    assert all(copied[model.__name__] for model in MODELS)
    monkeypatch.setattr(facts, "insert_objects", _bulk_create)
    facts.rebuild_all()
    assert _rows() == copied
