"""Nothing service A's staff see depends on service B's data.

The marker search (test_url_walk, test_lists) finds B's words on A's pages; a figure computed
over both services would carry no word of B's. So A's pages and exports are asked for, then
B's whole caseload is erased and B's dashboard facts rebuilt, and the same pages are asked for
again: every figure, row and list must be the same. Among them are the pages about a helper
who works in both services (`World.dual`), whose B sessions must count for nothing in A.
"""

import re

import pytest
from django.urls import reverse

from services.clients.models import Client
from services.dashboards import facts
from services.demo.wipe import delete_clients

pytestmark = pytest.mark.django_db

# Parts of a page that differ from one request to the next whatever the data.
VOLATILE = [
    re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"'),
    re.compile(rb'nonce="[^"]+"'),
    re.compile(rb"csrftoken=[^;\"]+"),
]


def pages(world):
    """(role, URL name, arguments, query): A's pages whose content rests on counting."""
    a, dual = world.service_a.code, world.dual.pk
    return [
        ("leader", "dashboards:service", [a], {}),
        ("leader", "dashboards:export_figures", [a, "csv"], {}),
        ("leader", "dashboards:export_figures", [a, "csv"], {"helper": dual}),
        ("leader", "dashboards:export_ratings", [a], {}),
        ("leader", "comments:leader", [a], {}),
        ("leader", "network:benchmark", [a], {}),
        ("leader_with_clients", "clients:caseload", [], {}),
        ("helper", "clients:caseload", [], {}),
        ("helper", "dashboards:own_results", [], {}),
        ("supervisor", "supervision:service", [a], {}),
        ("supervisor", "supervision:helper", [a, dual], {}),
        ("administrator", "staff:member", [a, dual], {}),
        ("dual", "dashboards:own_results", [], {"service": a}),
    ]


def content(client, world, role, name, args, query) -> bytes:
    user = world.dual if role == "dual" else world.users[role]
    client.force_login(user)
    response = client.get(reverse(name, args=args), query)
    assert response.status_code == 200, (role, name, query)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    for pattern in VOLATILE:
        body = pattern.sub(b"", body)
    return body


def read(client, world) -> dict:
    return {str(page): content(client, world, *page) for page in pages(world)}


def test_erasing_b_changes_nothing_a_sees(client, world):
    before = read(client, world)
    # The same helper's own results in B: the erasing is seen where it should be.
    control = ("dual", "dashboards:own_results", [], {"service": world.service_b.code})
    b_before = content(client, world, *control)
    delete_clients(Client.objects.filter(service=world.service_b))
    facts.rebuild_all(world.service_b.pk)
    assert content(client, world, *control) != b_before
    after = read(client, world)
    assert [key for key in before if after[key] != before[key]] == []
