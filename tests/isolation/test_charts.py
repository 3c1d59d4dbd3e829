"""Cached charts and kept dashboard pages: never one service's bytes for another.

Charts are cached by their content (services/charts/cache.py: a hash of the drawing's data,
options and language), dashboard pages are kept under a key that names the service, team,
helper and period (services/dashboards/freshness.py). So B's pages are drawn with a cold cache
first; then the cache is filled with A's charts and pages, A's staff ask for B's charts (a
404 each), and B's pages are asked for again: they must be exactly what B got from the cold
cache, not anything A left there. The cache is shared, as production's Redis is (a file cache
here), so the dashboards keep whole pages in it as well as charts.
"""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from services.dashboards import freshness

pytestmark = pytest.mark.django_db

VOLATILE = [
    re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"'),
    re.compile(rb'nonce="[^"]+"'),
]
# Role, URL name, its arguments. Charts cached by content: drawn with matplotlib (PNG) and
# the client page's SVG curve.
DRAWN = [
    ("helper", "clients:chart_png", ("client", "episode")),
    ("helper", "clients:detail", ("client",)),
    ("helper", "groups:alliance_png", ("group",)),
]
# Pages kept whole in a shared cache (with their SVG charts), keyed by service and viewer.
KEPT = [
    ("helper", "dashboards:own_results", ()),
    ("leader", "dashboards:service", ("service",)),
]


@pytest.fixture
def shared_cache(settings, tmp_path):
    """A cache every process shares, as Redis is in production: charts are kept in it by
    content, and dashboard pages whole (in each process's own memory pages are not kept)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }
    cache.clear()
    assert freshness.shared()
    yield
    cache.clear()


def draw(client, user, name, args, objects) -> bytes:
    client.force_login(user)
    response = client.get(reverse(name, args=[objects[arg] for arg in args]))
    assert response.status_code == 200, (user.username, name)
    body = response.content
    for pattern in VOLATILE:
        body = pattern.sub(b"", body)
    return body


def test_no_service_is_served_another_s_cached_charts(client, world, shared_cache):
    charts = DRAWN + KEPT

    def b_charts():
        return {
            name: draw(client, world.b_users[role], name, args, world.objects_b)
            for role, name, args in charts
        }

    cold = b_charts()
    cache.clear()
    drawn_for_a = {
        name: draw(client, world.users[role], name, args, world.objects_a)
        for role, name, args in charts
    }
    assert freshness.generation() is not None  # A's dashboard pages are kept
    for role, name, args in charts:  # A's staff, B's chart addresses: nothing to see
        client.force_login(world.users[role])
        url = reverse(name, args=[world.objects_b[arg] for arg in args])
        if args:
            assert client.get(url).status_code == 404, (role, name)
    assert b_charts() == cold
    # Not vacuous: the two services' charts differ, so a mix-up would have been seen.
    for name in drawn_for_a:
        assert drawn_for_a[name] != cold[name], name
