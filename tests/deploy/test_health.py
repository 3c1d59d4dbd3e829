"""/healthz and /readyz answer a load balancer's probe, and say nothing about the data."""

import pytest
from django.db.utils import OperationalError
from django.test import override_settings

from feedback import health
from services.ratings import kiosk
from services.ratings.handovers import prepare_handover
from tests.factories import EpisodeFactory

pytestmark = pytest.mark.django_db

# A balancer probes the backend's own address over plain HTTP, while production settings name
# only the public host and redirect everything else to HTTPS.
PRODUCTION_LIKE = {
    "ALLOWED_HOSTS": ["kor.example.no"],
    "SECURE_SSL_REDIRECT": True,
    "TWO_FACTOR_REQUIRED": True,
}


def probe(client, path, **headers):
    return client.get(path, HTTP_HOST="127.0.0.1:8000", **headers)


def test_healthz_says_ok_with_no_store():
    from django.test import Client

    response = probe(Client(), "/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Cache-Control"] == "no-store"


def test_readyz_says_ok_when_database_cache_migrations_and_static_files_are_there(client):
    response = probe(client, "/readyz")
    assert (response.status_code, response.content) == (200, b"ok")
    assert response["Cache-Control"] == "no-store"


@override_settings(**PRODUCTION_LIKE)
def test_probes_pass_the_host_check_the_https_redirect_and_the_login(client, helper):
    assert client.get("/", HTTP_HOST="127.0.0.1:8000").status_code == 400  # the host check
    for path in ("/healthz", "/readyz"):
        assert probe(client, path).status_code == 200, path
    client.force_login(helper)  # signed in without a second factor: every page asks for one
    for path in ("/healthz", "/readyz"):
        assert probe(client, path).status_code == 200, path


def test_probes_get_through_a_tablet_locked_to_a_form(client, helper, service, team):
    episode = EpisodeFactory(client__service=service, team=team)
    episode.helpers.add(helper)
    handover = prepare_handover(episode, method="tablet", purpose="outcome", user=helper)
    client.force_login(helper)
    session = client.session
    session[kiosk.SESSION_KEY] = {"handover": handover.pk, "language": "nb"}
    session.save()
    assert client.get("/").status_code == 302  # back to the form
    assert probe(client, "/readyz").content == b"ok"


@pytest.mark.parametrize(
    ("part", "name"),
    [
        ("database_reachable", "database"),
        ("cache_reachable", "cache"),
        ("migrations_applied", "migrations"),
        ("static_files_collected", "static files"),
    ],
)
@pytest.mark.parametrize("failure", ["raises", "false"])
def test_readyz_names_the_part_that_is_not_ready(client, monkeypatch, part, name, failure):
    def broken():
        if failure == "raises":
            raise OperationalError("connection to server at 10.0.0.5 failed: secret detail")
        return False

    checks = tuple((n, broken if f.__name__ == part else f) for n, f in health.CHECKS)
    monkeypatch.setattr(health, "CHECKS", checks)
    response = probe(client, "/readyz")
    assert response.status_code == 503
    assert response.content == f"not ready: {name}".encode()
    assert response["Cache-Control"] == "no-store"


def test_a_database_that_does_not_answer_makes_readyz_503(client, monkeypatch):
    from django.db.backends.base.base import BaseDatabaseWrapper

    def refuse(self, *args, **kwargs):
        raise OperationalError("could not connect")

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", refuse)
    assert probe(client, "/readyz").content == b"not ready: database"
    assert probe(client, "/healthz").content == b"ok"  # the process itself is fine


def test_a_cache_that_does_not_answer_makes_readyz_503(client, monkeypatch):
    from django.core.cache import cache

    def refuse(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379")

    monkeypatch.setattr(cache, "set", refuse)
    assert probe(client, "/readyz").content == b"not ready: cache"


def test_unapplied_migrations_make_readyz_503(client, monkeypatch):
    assert health.migrations_applied()
    newer = health.latest_migrations() | {("ratings", "9999_from_newer_code")}
    monkeypatch.setattr(health, "latest_migrations", lambda: newer)
    assert probe(client, "/readyz").content == b"not ready: migrations"


def test_each_apps_latest_migration_is_known():
    assert {"accounts", "audit", "ratings"} <= {app for app, _ in health.latest_migrations()}


def test_hashed_static_files_without_collectstatic_make_readyz_503(client, tmp_path):
    manifest = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
    storages = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages | {"staticfiles": manifest}):
        assert probe(client, "/readyz").content == b"not ready: static files"


def test_probes_only_answer_get_and_head(client):
    assert client.post("/healthz", HTTP_HOST="127.0.0.1:8000").status_code == 405
    assert client.head("/readyz", HTTP_HOST="127.0.0.1:8000").status_code == 200
