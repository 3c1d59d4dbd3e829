"""The same submission sent twice at the same moment is stored once (needs PostgreSQL)."""

import json
import threading
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from services.ratings import kiosk, links
from services.ratings.models import Handover, Rating

from .conftest import ITEMS

COPIES = 4


def at_once(post) -> list[int]:
    """Run `post` in several threads released together; their status codes."""
    barrier = threading.Barrier(COPIES)
    statuses, errors = [], []

    def run():
        try:
            barrier.wait()
            statuses.append(post())
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(COPIES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return sorted(statuses)


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's concurrent writers (SQLite serialises all writes)")


@pytest.mark.django_db(transaction=True)
def test_the_same_link_answer_sent_at_once_is_stored_once(remote):
    url = reverse("ratings:remote", args=[links.token_for(remote)])
    body = json.dumps({"submission_key": str(uuid.uuid4()), "instrument": "ors", "items": ITEMS})

    def post():
        return Client().post(url, body, content_type="application/json").status_code

    assert at_once(post) == [200] * (COPIES - 1) + [201]
    assert Rating.objects.count() == 1
    assert Handover.objects.get().rating_id == Rating.objects.get().pk


@pytest.mark.django_db(transaction=True)
def test_the_same_tablet_answer_sent_at_once_is_stored_once(staff, tablet):
    session = staff.session
    session[kiosk.SESSION_KEY] = {"handover": tablet.pk, "language": "nb"}
    session.save()
    cookie = staff.cookies["sessionid"].value
    body = json.dumps(
        {
            "submission_key": str(uuid.uuid4()),
            "instrument": "ors",
            "handover": tablet.token.hex,
            "items": ITEMS,
        }
    )

    def post():
        device = Client()
        device.cookies["sessionid"] = cookie
        response = device.post(
            reverse("ratings:kiosk_submit"), body, content_type="application/json"
        )
        return response.status_code

    assert at_once(post) == [200] * (COPIES - 1) + [201]
    assert Rating.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_different_answers_to_one_link_at_once_store_only_one(remote):
    url = reverse("ratings:remote", args=[links.token_for(remote)])

    def post():
        body = {"submission_key": str(uuid.uuid4()), "instrument": "ors", "items": ITEMS}
        return Client().post(url, json.dumps(body), content_type="application/json").status_code

    assert at_once(post) == [201] + [410] * (COPIES - 1)
    assert Rating.objects.count() == 1
