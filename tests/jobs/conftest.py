import functools

import pytest
from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections
from procrastinate.testing import InMemoryConnector

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

needs_queue = pytest.mark.skipif(
    not ON_POSTGRESQL,
    reason="the job queue lives in PostgreSQL: procrastinate is not installed on SQLite",
)

QUEUE_TABLES = (
    "procrastinate_events",
    "procrastinate_periodic_defers",
    "procrastinate_jobs",
    "procrastinate_workers",
)


@functools.cache
def bound_app():
    """The app the jobs are registered on: procrastinate's Django app, or on SQLite (where that
    is not installed) one made the same way, for the in-memory queue."""
    if apps.is_installed("procrastinate.contrib.django"):
        from procrastinate.contrib.django import app

        return app
    from procrastinate.contrib.django import DjangoApp

    from services.jobs.tasks import on_app_ready

    app = DjangoApp(connector=InMemoryConnector())
    on_app_ready(app)
    return app


@pytest.fixture
def in_memory_app(monkeypatch):
    """The jobs' app on procrastinate's in-memory queue (procrastinate.testing), any database.

    The worker runs each job in a thread of its own pool, which ends with the run; a database
    connection kept open there for reuse (CONN_MAX_AGE) would outlive the test unclosed. Without
    reuse, the app closes it after each job.
    """
    monkeypatch.setitem(connections.settings[DEFAULT_DB_ALIAS], "CONN_MAX_AGE", 0)
    with bound_app().replace_connector(InMemoryConnector()) as app:
        yield app


@pytest.fixture
def queue(transactional_db):
    """An empty PostgreSQL queue. Its tables are not Django's, so the flush after a
    transactional test leaves them alone: empty them before and after."""

    def empty():
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {', '.join(QUEUE_TABLES)} RESTART IDENTITY CASCADE")

    empty()
    yield
    empty()
