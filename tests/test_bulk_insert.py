"""feedback.bulk_insert stores what bulk_create stores (COPY on PostgreSQL, issue #14)."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from feedback.bulk_insert import insert_objects, insert_rows
from services.ratings.models import Method, Rating
from services.sessions.models import Session
from tests.factories import EpisodeFactory, RatingFactory, instrument

pytestmark = pytest.mark.django_db


def test_new_objects_get_their_ids_stamps_and_parents_as_bulk_create_gives_them():
    episode = EpisodeFactory()
    sessions = [Session(episode=episode, number=n, date=datetime.date(2026, 2, n)) for n in (1, 2)]
    insert_objects(sessions, with_ids=True)
    assert all(s.pk and not s._state.adding for s in sessions)
    stored = Session.objects.order_by("number")
    assert [(s.pk, s.episode_id, s.number, s.date) for s in stored] == [
        (s.pk, episode.pk, s.number, s.date) for s in sessions
    ]
    assert all(s.created_at is not None for s in stored)


def test_json_decimals_and_times_are_stored_as_given():
    session = RatingFactory().session
    items = {"a": "1.5", "b": "10.0", "c": "0.0", "d": "9.9"}
    rating = Rating(
        session=session,
        instrument=instrument("srs"),
        purpose="alliance",
        rater="client",
        age_group="adult",
        items=items,
        total=Decimal("21.4"),
        method=Method.IMPORT,
        rated_at=timezone.now(),
        submission_key=uuid.uuid4(),
    )
    insert_objects([rating])
    stored = Rating.objects.get(purpose="alliance")
    assert (stored.items, stored.total) == (items, Decimal("21.4"))
    assert stored.rated_at == rating.rated_at


def test_rows_get_new_ids_in_order_and_defaults():
    episode = EpisodeFactory()
    ids = insert_rows(
        Session,
        ("episode_id", "number", "date"),
        [(episode.pk, n, datetime.date(2026, 3, n)) for n in (1, 2, 3)],
    )
    assert [s.pk for s in Session.objects.order_by("number")] == ids
    assert set(Session.objects.values_list("kind", flat=True)) == {"individual"}


def test_a_broken_constraint_is_djangos_integrity_error():
    """Callers retry on IntegrityError (facts.refresh_outdated): COPY raises it as INSERT does."""
    existing = RatingFactory()
    twin = Rating(
        session=existing.session,
        instrument=existing.instrument,
        purpose=existing.purpose,
        rater=existing.rater,
        age_group="adult",
        total=Decimal("20.0"),
        method=Method.TABLET,
        rated_at=timezone.now(),
        submission_key=existing.submission_key,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_objects([twin])
