"""The URL walk for the API (issue #19): every API URL, called with every kind of key.

The pages' walk (tests/test_permissions.py) shows that a login opens none of them; this one
that a key opens its own service's objects only, a read key writes nothing, and a revoked,
expired or missing key opens nothing.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from services.api.models import ApiKey, Scope
from tests.test_permissions import API_URLS, url_names

from .conftest import bearer, make_key

pytestmark = pytest.mark.django_db

KEYS = ("own_read", "own_write", "other_service", "revoked", "expired", "none")
WRITES = ("api:client-list", "api:session-list", "api:rating-list")  # POST creates
LISTS = {name for name, args, _method in API_URLS if not args}
QUERIES = {"api:fhir-bundle": {"from": "2026-01-01", "to": "2026-06-30"}}


def expected(name: str, args: tuple, method: str, key: str) -> int:
    if key in ("revoked", "expired", "none"):
        return 401
    if method == "post":
        return 403 if key == "own_read" else 400  # an empty body: nothing to store
    if key == "other_service" and args and name != "api:instrument-detail":
        return 404  # forms are the same for every service; clients and theirs are not
    return 200


@pytest.fixture
def world(service, other_service, rated_episode):
    session = rated_episode.sessions.first()
    objects = {
        "instrument": session.ratings.first().instrument_id,
        "client": rated_episode.client_id,
        "episode": rated_episode.pk,
        "session": session.pk,
        "rating": session.ratings.first().pk,
    }
    texts = {
        "own_read": make_key(service, Scope.READ, name="read"),
        "own_write": make_key(service, Scope.READ_WRITE, name="write"),
        "other_service": make_key(other_service, Scope.READ_WRITE, name="other"),
        "revoked": make_key(service, Scope.READ_WRITE, name="revoked"),
        "expired": make_key(service, Scope.READ_WRITE, name="expired"),
    }
    ApiKey.objects.filter(name="revoked").update(revoked_at=timezone.now())
    ApiKey.objects.filter(name="expired").update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    return objects, texts


def test_the_walk_covers_every_api_url():
    data_urls = {name for name in url_names() if name.startswith("api:")} - {
        "api:schema",
        "api:docs",
    }
    assert data_urls == {name for name, _args, _method in API_URLS}
    assert set(WRITES) <= LISTS


@pytest.mark.parametrize(
    ("name", "args", "method"),
    [*API_URLS, *((name, (), "post") for name in WRITES)],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_each_key_gets_what_the_rules_say(client, world, name, args, method):
    objects, texts = world
    path = reverse(name, args=[objects[arg] for arg in args])
    seen, wanted = {}, {}
    for key in KEYS:
        headers = bearer(texts[key]) if key in texts else {}
        call = client.post if method == "post" else client.get
        extra = (
            {"data": {}, "content_type": "application/json"}
            if method == "post"
            else {"data": QUERIES.get(name, {})}
        )
        seen[key] = call(path, **extra, **headers).status_code
        wanted[key] = expected(name, args, method, key)
    assert seen == wanted
