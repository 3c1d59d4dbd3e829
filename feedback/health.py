"""`/healthz` and `/readyz`: what a load balancer and a process manager ask a server process.

`/healthz` says only that the process answers (no database, no cache), so a supervisor restarts
a hung process but not a healthy one during a database outage. `/readyz` says whether this
process can serve requests now: the database and the cache answer, every migration on disk is
applied, and the hashed static files have been collected. A balancer sends traffic only to a
ready server, so a host started with new code before `migrate`, or without `collectstatic`, is
left out instead of answering errors.

A probe must get through without anything it cannot satisfy, so `HealthCheckMiddleware` sits
first in MIDDLEWARE and answers these two paths itself: no session or login (two-factor and
kiosk middleware), no HTTPS redirect (the balancer probes the app's private address over plain
HTTP), and no ALLOWED_HOSTS check (the probe's Host header is the backend address, e.g.
127.0.0.1:8000, which is not the public name). The bodies say nothing about the data: "ok", or
"not ready: <part>" with the reason in the log. The URL patterns name the same views, so
`reverse()` and the permission table know them.
"""

import functools
import logging
import uuid
from collections.abc import Callable

from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.cache import cache
from django.core.files.storage import storages
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.http import HttpRequest, HttpResponse
from django.urls import resolve
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def _plain(text: str, status: int = 200) -> HttpResponse:
    response = HttpResponse(text, content_type="text/plain; charset=utf-8", status=status)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def database_reachable() -> bool:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def cache_reachable() -> bool:
    """A write and a read of a key of this probe's own, so a shared cache is really used."""
    key, value = f"readyz:{uuid.uuid4().hex}", "1"
    cache.set(key, value, timeout=5)
    return cache.get(key) == value


@functools.cache
def latest_migrations() -> frozenset[tuple[str, str]]:
    """Each app's last migration in the code this process runs; read from disk once."""
    return frozenset(MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes())


def migrations_applied() -> bool:
    """Each app's last migration is recorded as applied: one query, not the whole graph again.

    Migrations are applied in dependency order, so when the last one is in, so are the others.
    """
    recorded = MigrationRecorder.Migration.objects.using(DEFAULT_DB_ALIAS)
    return latest_migrations() <= set(recorded.values_list("app", "name"))


def static_files_collected() -> bool:
    """With hashed names (DEBUG off) every `{% static %}` needs the manifest `collectstatic` writes.

    The storage reads the manifest once, when the process starts, so a process started before
    `collectstatic` stays not ready until it is restarted, as it should: it cannot serve pages.
    """
    storage = storages["staticfiles"]
    return not isinstance(storage, ManifestFilesMixin) or bool(storage.hashed_files)


CHECKS: tuple[tuple[str, Callable[[], bool]], ...] = (
    ("database", database_reachable),
    ("cache", cache_reachable),
    ("migrations", migrations_applied),
    ("static files", static_files_collected),
)


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    return _plain("ok")


@require_safe
def readyz(request: HttpRequest) -> HttpResponse:
    for name, check in CHECKS:
        try:
            ready = check()
        except Exception:
            logger.warning("Not ready: %s", name, exc_info=True)
            return _plain(f"not ready: {name}", status=503)
        if not ready:
            logger.warning("Not ready: %s", name)
            return _plain(f"not ready: {name}", status=503)
    return _plain("ok")


PROBES = {"/healthz": healthz, "/readyz": readyz}


class HealthCheckMiddleware:
    """Answers the probes before any other middleware runs (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = PROBES.get(request.path_info)
        if probe is not None:
            request.resolver_match = resolve(request.path_info)  # names the route in logs
            return probe(request)
        return self.get_response(request)
