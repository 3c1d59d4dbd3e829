"""The idle timeout slides with each request but is written at most once a minute (issue #14:
the session's write was three of a submission's queries)."""

import datetime
import time

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session as StoredSession
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from feedback.sessions import KEY, REFRESH_SECONDS

pytestmark = pytest.mark.django_db


def writes_to_sessions(queries) -> list[str]:
    return [q["sql"] for q in queries if "django_session" in q["sql"] and "SELECT" not in q["sql"]]


def test_a_page_seen_again_within_a_minute_writes_no_session(client, helper):
    client.force_login(helper)
    client.get(reverse("clients:caseload"))
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("clients:caseload")).status_code == 200
    assert writes_to_sessions(captured.captured_queries) == []


def test_the_idle_window_moves_on_once_the_last_write_is_a_minute_old(client, helper):
    client.force_login(helper)
    client.get(reverse("clients:caseload"))
    key = client.cookies["sessionid"].value
    stored = SessionStore(session_key=key)
    stored[KEY] = int(time.time()) - REFRESH_SECONDS
    stored.save()
    StoredSession.objects.filter(pk=key).update(
        expire_date=timezone.now() + datetime.timedelta(minutes=5)
    )
    assert client.get(reverse("clients:caseload")).status_code == 200
    expires = StoredSession.objects.get(pk=key).expire_date
    assert expires - timezone.now() > datetime.timedelta(minutes=29)


def test_a_visitor_gets_no_session(client):
    client.get(reverse("login"))
    assert not StoredSession.objects.exists()
