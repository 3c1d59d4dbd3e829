"""How many queries an answer costs: the tablet's and the remote link's JSON submission.

The counts include the SAVEPOINT/RELEASE pairs that the test's wrapping transaction turns each
atomic block into (BEGIN/COMMIT in production, which Django does not count).
"""

import json
import uuid

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from services.ratings import kiosk, kiosk_views, links
from services.ratings.models import Handover, Rating

from .conftest import ITEMS

pytestmark = pytest.mark.django_db

TRANSACTION_CONTROL = ("SAVEPOINT", "RELEASE SAVEPOINT", "BEGIN", "COMMIT")


def tablet_body(tablet, key=None) -> str:
    key = key or str(uuid.uuid4())
    body = {"submission_key": key, "instrument": "ors", "handover": tablet.token.hex}
    return json.dumps(body | {"items": ITEMS})


def lock(staff, tablet):
    session = staff.session
    session[kiosk.SESSION_KEY] = {"handover": tablet.pk, "language": "nb"}
    session.save()


def work(queries) -> list[str]:
    """The statements that read or write, without the transaction control around them."""
    return [q["sql"] for q in queries if not q["sql"].startswith(TRANSACTION_CONTROL)]


def test_the_tablet_submission_itself_takes_at_most_8_queries(
    helper, tablet, django_assert_max_num_queries
):
    """The view alone: the signed-in user and the locked session are already at hand."""
    request = RequestFactory().post(
        reverse("ratings:kiosk_submit"), tablet_body(tablet), content_type="application/json"
    )
    request.user = helper
    request.session = SessionStore()
    request.session[kiosk.SESSION_KEY] = {"handover": tablet.pk, "language": "nb"}
    request._dont_enforce_csrf_checks = True
    with django_assert_max_num_queries(8):
        response = kiosk_views.submit(request)
    assert response.status_code == 201
    assert Rating.objects.count() == 1


def test_a_whole_tablet_submission_request_does_at_most_8_reads_and_writes(staff, tablet):
    """With the staff session's own reads and its idle-time write (SESSION_SAVE_EVERY_REQUEST)."""
    lock(staff, tablet)
    url = reverse("ratings:kiosk_submit")
    with CaptureQueriesContext(connection) as captured:
        response = staff.post(url, tablet_body(tablet), content_type="application/json")
    assert response.status_code == 201
    assert len(work(captured.captured_queries)) <= 8, "\n".join(work(captured.captured_queries))
    assert len(captured.captured_queries) <= 12


def test_the_remote_link_submission_takes_at_most_8_queries(
    client, remote, django_assert_max_num_queries
):
    url = reverse("ratings:remote", args=[links.token_for(remote)])
    body = {"submission_key": str(uuid.uuid4()), "instrument": "ors", "items": ITEMS}
    with django_assert_max_num_queries(8):
        response = client.post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 201
    assert Handover.objects.get().rating == Rating.objects.get()


def test_a_repeated_submission_costs_no_more_than_the_first(
    client, remote, django_assert_max_num_queries
):
    url = reverse("ratings:remote", args=[links.token_for(remote)])
    body = json.dumps({"submission_key": str(uuid.uuid4()), "instrument": "ors", "items": ITEMS})
    assert client.post(url, body, content_type="application/json").status_code == 201
    with django_assert_max_num_queries(8):
        again = client.post(url, body, content_type="application/json")
    assert again.status_code == 200 and again.json()["status"] == "already_stored"
    assert Rating.objects.count() == 1


def test_the_tablet_form_page_reads_only_what_it_shows(
    staff, tablet, django_assert_max_num_queries
):
    """The session, the user, the handover, and the session's idle-time write; no roles."""
    lock(staff, tablet)
    with CaptureQueriesContext(connection) as captured:
        response = staff.get(reverse("ratings:kiosk"))
    assert response.status_code == 200
    assert not any("accounts_membership" in q["sql"] for q in captured.captured_queries)
    assert len(work(captured.captured_queries)) <= 4


def test_the_remote_form_page_takes_one_query(client, remote, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get(reverse("ratings:remote", args=[links.token_for(remote)]))
    assert response.status_code == 200
