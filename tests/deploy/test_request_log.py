"""One JSON line per request, with the route pattern and never a client's code, id or token."""

import io
import json
import logging

import pytest
from django.db.utils import OperationalError
from django.http import HttpResponse
from django.test import override_settings
from django.urls import path

from feedback.log_config import json_formatter
from feedback.request_log import RequestContextFilter
from services.ratings.handovers import prepare_handover
from services.ratings.links import token_for
from tests.factories import EpisodeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def log_lines():
    """What the production handler writes: the project's filter and JSON formatter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestContextFilter())
    handler.setFormatter(json_formatter())
    root = logging.getLogger()
    root.addHandler(handler)
    level = root.level
    root.setLevel(logging.INFO)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def request_lines(lines):
    return [line for line in lines if line["logger"] == "feedback.request"]


@pytest.fixture
def episode(helper, service, team):
    episode = EpisodeFactory(client__service=service, team=team, client__code="KODE-4471")
    episode.helpers.add(helper)
    return episode


def test_a_request_writes_one_json_line_with_its_facts(client, helper, episode, log_lines):
    client.force_login(helper)
    response = client.get(f"/klienter/{episode.client_id}/")
    assert response.status_code == 200
    (line,) = request_lines(log_lines())
    assert line["method"] == "GET"
    assert line["route"] == "/klienter/<int:pk>/"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] > 0
    assert line["user_id"] == helper.pk
    assert line["request_id"] == response["X-Request-ID"]
    assert line["level"] == "INFO" and "time" in line
    text = json.dumps(log_lines())
    assert f"/klienter/{episode.client_id}/" not in text
    assert "KODE-4471" not in text  # shown on the page, never in the log


def test_a_remote_link_token_never_reaches_the_log(client, helper, episode, log_lines):
    handover = prepare_handover(episode, method="link", purpose="outcome", user=helper)
    token = token_for(handover)
    assert client.get(f"/svar/{token}/").status_code == 200
    assert client.get(f"/svar/{token}x/").status_code in (404, 410)  # a broken token
    lines = log_lines()
    assert [line["route"] for line in request_lines(lines)] == ["/svar/<str:token>/"] * 2
    assert [line["user_id"] for line in request_lines(lines)] == [None, None]
    assert token not in json.dumps(lines)


def test_an_unknown_path_is_logged_without_it(client, log_lines):
    assert client.get("/klienter/KODE-4471/").status_code in (302, 404)
    assert client.get("/finnes-ikke/KODE-4471/").status_code == 404
    lines = log_lines()
    assert "KODE-4471" not in json.dumps(lines)
    assert {line["route"] for line in request_lines(lines)} == {None}


def test_a_safe_request_id_from_the_proxy_is_kept_and_returned(client, log_lines):
    response = client.get("/logg-inn/", HTTP_X_REQUEST_ID="a1b2c3d4-e5f6.haproxy:01")
    assert response["X-Request-ID"] == "a1b2c3d4-e5f6.haproxy:01"
    assert request_lines(log_lines())[0]["request_id"] == "a1b2c3d4-e5f6.haproxy:01"


@pytest.mark.parametrize("unsafe", ["two words", 'x"}{"user_id": 1', "a" * 101, "-leading", ""])
def test_an_unsafe_request_id_is_replaced(client, unsafe):
    response = client.get("/logg-inn/", HTTP_X_REQUEST_ID=unsafe)
    assert response["X-Request-ID"] != unsafe
    assert len(response["X-Request-ID"]) == 32


def broken_view(request, pk):
    raise OperationalError("the database went away")


def plain_view(request, pk):
    logging.getLogger("services.something").warning("Looked at %s", request.path)
    return HttpResponse("ok")


urlpatterns = [
    path("klienter/<int:pk>/", broken_view),
    path("andre/<int:pk>/", plain_view),
]


@override_settings(ROOT_URLCONF=__name__)
def test_other_lines_carry_the_request_id_and_the_route_not_the_path(client, log_lines):
    outage = client.get("/klienter/4471/")
    assert outage.status_code == 503
    client.get("/andre/4471/")
    lines = log_lines()
    assert "4471" not in json.dumps(lines)
    (unavailable,) = [line for line in lines if line["logger"] == "feedback.outage"]
    assert unavailable["message"] == "Database unavailable: /klienter/<int:pk>/"
    assert unavailable["request_id"] == outage["X-Request-ID"]
    (looked,) = [line for line in lines if line["logger"] == "services.something"]
    assert looked["message"] == "Looked at /andre/<int:pk>/"
