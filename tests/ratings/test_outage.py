"""While the database is down, people and the page script get a calm 503, never a 500.

The outage is real where it can be: the default connection is swapped for one that cannot
connect (a missing SQLite directory, or a closed PostgreSQL port), so the session middleware,
the login check and the view all meet the failure where they would in production.
"""

import contextlib
import json
import socket

import pytest
from django.db import connections
from django.db.utils import InterfaceError
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from feedback.outage import outage_response
from services.ratings import kiosk, links
from services.ratings.models import Rating

from .conftest import ITEMS

pytestmark = pytest.mark.django_db

KEY = "6f1b3c2e-8d7a-4f55-9b0e-1c2d3e4f5a6b"
CALM = "The service is not available right now. Try again in a few minutes."


def in_language(language: str, message: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def database_outage(tmp_path):
    """Every query in the block fails to connect, as when PostgreSQL is down."""
    working = connections["default"]
    settings_dict = dict(working.settings_dict)
    if working.vendor == "sqlite":
        settings_dict["NAME"] = str(tmp_path / "no-such-directory" / "db.sqlite3")
    else:
        settings_dict |= {"HOST": "127.0.0.1", "PORT": str(closed_port())}
    broken = type(working)(settings_dict, alias="default")
    connections["default"] = broken
    try:
        yield
    finally:
        broken.close()
        connections["default"] = working


def answer(form) -> str:
    return json.dumps(
        {
            "submission_key": KEY,
            "instrument": form.instrument.key,
            "handover": form.token.hex,
            "items": ITEMS,
        }
    )


def assert_calm_json(response, language="nb"):
    assert response.status_code == 503, response.content
    assert int(response["Retry-After"]) > 0
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {
        "status": "error",
        "message": in_language(language, CALM),
        "field": "server",
    }


def assert_calm_page(response, language="nb"):
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert f'lang="{language}"' in page
    assert in_language(language, CALM) in page
    assert "Server Error" not in page


@pytest.fixture
def phone():
    """The client's own phone; a 500 would come back as a response, as in production."""
    return Client(raise_request_exception=False)


@pytest.fixture
def tablet_in_hand(tablet, helper):
    """The helper's logged-in tablet, locked to the form (its session lives in the database)."""
    device = Client(raise_request_exception=False)
    device.force_login(helper)
    session = device.session
    session[kiosk.SESSION_KEY] = {"handover": tablet.pk, "language": ""}
    session.save()
    return device


def test_an_answer_through_a_link_during_an_outage_is_asked_to_wait(phone, remote, tmp_path):
    url = reverse("ratings:remote", args=[links.token_for(remote)])
    with database_outage(tmp_path):
        response = phone.post(url, answer(remote), content_type="application/json")
    assert_calm_json(response)
    assert not Rating.objects.exists()


def test_the_link_page_during_an_outage_is_calm_and_in_the_clients_language(
    phone, remote, tmp_path
):
    phone.cookies["django_language"] = "nn"
    url = reverse("ratings:remote", args=[links.token_for(remote)])
    with database_outage(tmp_path):
        response = phone.get(url)
    assert_calm_page(response, "nn")


def test_a_tablet_answer_during_an_outage_is_asked_to_wait(tablet_in_hand, tablet, tmp_path):
    """The session and the login are read from the database before the view even starts."""
    url = reverse("ratings:kiosk_submit")
    with database_outage(tmp_path):
        response = tablet_in_hand.post(
            url, answer(tablet), content_type="application/json", HTTP_ACCEPT="application/json"
        )
    assert_calm_json(response)
    assert not Rating.objects.exists()


def test_a_plain_form_post_from_the_tablet_during_an_outage_gets_a_calm_page(
    tablet_in_hand, tablet, tmp_path
):
    data = {f"item-{key}": value for key, value in ITEMS.items()}
    data |= {"submission_key": KEY, "instrument": "ors", "handover": tablet.token.hex}
    with database_outage(tmp_path):
        response = tablet_in_hand.post(reverse("ratings:kiosk_submit"), data)
    assert_calm_page(response)


def test_a_staff_page_during_an_outage_gets_the_calm_page(helper, tmp_path):
    office = Client(raise_request_exception=False)
    office.force_login(helper)
    with database_outage(tmp_path):
        response = office.get(reverse("clients:caseload"))
    assert_calm_page(response)


def test_a_lost_connection_in_the_view_is_an_outage_too(phone, remote, monkeypatch):
    def lost(token):
        raise InterfaceError("connection already closed")

    monkeypatch.setattr(links, "handover_for_token", lost)
    url = reverse("ratings:remote", args=[links.token_for(remote)])
    assert_calm_json(phone.post(url, answer(remote), content_type="application/json"))


def test_other_errors_are_still_server_errors(phone, remote, monkeypatch):
    def broken(token):
        raise RuntimeError("a bug")

    monkeypatch.setattr(links, "handover_for_token", broken)
    url = reverse("ratings:remote", args=[links.token_for(remote)])
    response = phone.post(url, answer(remote), content_type="application/json")
    assert response.status_code == 500


def test_the_outage_page_asks_nothing_of_the_database(helper, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = helper
    request.COOKIES["django_language"] = "en"
    with django_assert_num_queries(0):
        response = outage_response(request)
    assert_calm_page(response, "en")
