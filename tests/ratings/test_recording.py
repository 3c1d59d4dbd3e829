"""record_rating: validated, stored exactly once, audited."""

import threading
import uuid
from decimal import Decimal

import pytest
from django.db import connection

from services.audit.models import AuditEvent
from services.ratings.models import Rating
from services.ratings.recording import RatingError, record_rating
from tests.factories import SessionFactory, instrument

pytestmark = pytest.mark.django_db

ITEMS = {"individually": "5.5", "interpersonally": "6", "socially": "7,1", "overall": "4.0"}


def record(session=None, **overrides):
    arguments = {
        "session": session or SessionFactory(),
        "instrument": instrument("ors"),
        "submission_key": uuid.uuid4(),
        "method": "tablet",
        "items": ITEMS,
    }
    return record_rating(**(arguments | overrides))


def test_it_stores_items_and_total_and_audits():
    recorded = record()
    assert recorded.created
    rating = Rating.objects.get()
    assert rating.total == Decimal("22.6")
    assert rating.items == {
        "individually": "5.5",
        "interpersonally": "6.0",
        "socially": "7.1",
        "overall": "4.0",
    }
    assert rating.purpose == "outcome"
    event = AuditEvent.objects.get()
    assert (event.action, event.object_type, event.object_id) == (
        "create",
        "rating",
        str(rating.pk),
    )
    assert event.client_id == rating.session.episode.client_id


def test_the_same_submission_key_is_stored_once():
    session, key = SessionFactory(), uuid.uuid4()
    first = record(session, submission_key=key)
    again = record(session, submission_key=key, items=ITEMS | {"overall": "9"})
    assert again.created is False
    assert again.rating.pk == first.rating.pk
    assert again.rating.total == Decimal("22.6")
    assert Rating.objects.count() == 1


def test_a_key_reused_for_another_session_is_refused():
    key = uuid.uuid4()
    record(submission_key=key)
    with pytest.raises(RatingError, match="already been used"):
        record(submission_key=key)


def test_a_second_form_of_the_same_kind_in_a_session_is_refused():
    session = SessionFactory()
    record(session)
    with pytest.raises(RatingError, match="already has an answer"):
        record(session)
    assert Rating.objects.count() == 1
    assert AuditEvent.objects.count() == 1


def test_a_collateral_rater_may_rate_the_same_session():
    session = SessionFactory()
    record(session)
    record(session, rater="parent", rater_name="Mor")
    assert Rating.objects.count() == 2


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"items": ITEMS | {"overall": "11"}}, "overall"),
        ({"items": ITEMS | {"overall": "x"}}, "overall"),
        ({"items": ITEMS | {"overall": "4.25"}}, "overall"),
        ({"items": {k: v for k, v in ITEMS.items() if k != "socially"}}, "socially"),
        ({"items": None}, "items"),
        ({"method": "fax"}, "method"),
        ({"rater": "neighbour"}, "rater"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(overrides, field):
    with pytest.raises(RatingError) as error:
        record(**overrides)
    assert error.value.field == field
    assert not Rating.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_form_for_another_age_group_is_refused():
    with pytest.raises(RatingError, match="age group"):
        record(instrument=instrument("cors"))


def test_paper_entry_may_be_a_total_only():
    recorded = record(method="paper", items=None, total="31,5")
    assert recorded.rating.items is None
    assert recorded.rating.total == Decimal("31.5")


@pytest.mark.django_db(transaction=True)
def test_the_same_key_sent_twice_at_once_is_stored_once():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's concurrent writers (SQLite serialises all writes)")
    session, key = SessionFactory(), uuid.uuid4()
    barrier = threading.Barrier(4)
    results, errors = [], []

    def submit():
        try:
            barrier.wait()
            results.append(record(session, submission_key=key).created)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(results) == [False, False, False, True]
    assert Rating.objects.filter(submission_key=key).count() == 1
