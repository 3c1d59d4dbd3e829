"""The network's pages (issue #20 part 2): a coordinator of X sees nothing of Y, a member's
leader sees the network beside their own, an administrator accepts and leaves; all logged."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from services.accounts.models import Role
from services.audit.models import AuditEvent
from services.network.models import Network, NetworkMember
from tests.factories import MembershipFactory, ServiceFactory, UserFactory
from tests.handovers import in_language

from .conftest import closed_episodes

pytestmark = pytest.mark.django_db


def test_a_coordinator_sees_the_members_side_by_side(client, region):
    coordinator, _other = region["coordinators"]
    client.force_login(coordinator)
    page = client.get(reverse("network:detail", args=["agder"]), {"period": "12m"})
    assert page.status_code == 200
    text = page.content.decode()
    for name in ("Arendal", "Birkenes", "Froland"):
        assert name in text
    assert in_language("nb", "Too few to show") in text
    # No client code, ever ("A0" was once found inside a random CSRF token: codes are long now).
    assert "klient-" not in text
    assert AuditEvent.objects.filter(detail__startswith="network figures agder").count() == 1


def test_a_coordinator_of_x_sees_nothing_of_y(client, region):
    _coordinator_x, coordinator_y = region["coordinators"]
    client.force_login(coordinator_y)
    assert client.get(reverse("network:detail", args=["agder"])).status_code == 404
    page = client.get(reverse("network:detail", args=["indre"])).content.decode()
    assert "Arendal" not in page and "Birkenes" in page
    for path in (
        reverse("dashboards:service", args=["birkenes"]),
        reverse("network:benchmark", args=["birkenes"]),
        reverse("network:memberships", args=["birkenes"]),
        reverse("clients:caseload"),
    ):
        assert client.get(path).status_code in (302, 404), path


def test_the_coordinators_menu_and_start(client, region):
    coordinator, _other = region["coordinators"]
    coordinator.set_password("kor-2026")
    coordinator.save()
    client.post(reverse("login"), {"username": coordinator.username, "password": "kor-2026"})
    assert reverse("network:index") in client.get(reverse("home")).content.decode()
    assert client.get(reverse("network:index"))["Location"] == reverse(
        "network:detail", args=["agder"]
    )


def test_a_member_leader_compares_with_the_network(client, region):
    client.force_login(region["leaders"]["arendal"])
    dashboard = client.get(reverse("dashboards:service", args=["arendal"])).content.decode()
    assert reverse("network:benchmark", args=["arendal"]) in dashboard
    page = client.get(reverse("network:benchmark", args=["arendal"]), {"period": "12m"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "KOR Agder" in text and "Indre Agder" not in text
    assert "Birkenes" not in text and "Froland" not in text  # only "the network"
    assert client.get(reverse("network:detail", args=["agder"])).status_code == 404


def test_a_service_outside_networks_says_so(client, service, leader):
    client.force_login(leader)
    dashboard = client.get(reverse("dashboards:service", args=[service.code])).content.decode()
    assert reverse("network:benchmark", args=[service.code]) not in dashboard
    page = client.get(reverse("network:benchmark", args=[service.code])).content.decode()
    assert in_language("nb", "Compared with the network") in page


def test_an_administrator_accepts_and_leaves(client):
    service = ServiceFactory(code="grimstad", name="Grimstad")
    closed_episodes(service, 2, code="G")
    admin = UserFactory(username="grimstad-admin")
    MembershipFactory(user=admin, service=service, role=Role.ADMINISTRATOR)
    network = Network.objects.create(code="agder", name="KOR Agder")
    invited = NetworkMember.objects.create(network=network, service=service)
    client.force_login(admin)
    page = client.get(reverse("network:memberships", args=["grimstad"])).content.decode()
    assert "KOR Agder" in page and in_language("nb", "Invited") in page
    client.post(reverse("network:join", args=["grimstad", invited.pk]))
    invited.refresh_from_db()
    assert invited.is_active and invited.joined_by == admin
    client.post(reverse("network:leave", args=["grimstad", invited.pk]))
    invited.refresh_from_db()
    assert not invited.is_active and invited.left_at is not None
    details = list(
        AuditEvent.objects.filter(object_type="networkmember")
        .order_by("pk")
        .values_list("detail", flat=True)
    )
    assert details == ["joined network agder", "left network agder"]


def test_another_services_administrator_cannot_accept(client, region):
    outsider = UserFactory(username="outsider")
    MembershipFactory(
        user=outsider, service=ServiceFactory(code="lillesand"), role=Role.ADMINISTRATOR
    )
    invitation = NetworkMember.objects.get(network__code="agder", service__code="arendal")
    client.force_login(outsider)
    for code in ("lillesand", "arendal"):
        response = client.post(reverse("network:leave", args=[code, invitation.pk]))
        assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.is_active


def test_the_network_page_takes_a_few_queries_a_member(
    client, region, django_assert_max_num_queries
):
    coordinator, _other = region["coordinators"]
    client.force_login(coordinator)
    client.get(reverse("network:detail", args=["agder"]))  # facts built
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("network:detail", args=["agder"]))
    count = len(before)  # now: the next request empties the connection's query log
    assert count <= 20  # two statements a member, and the page's own
    a, _b, _c = region["services"]
    closed_episodes(a, 20, intake=12, end=15, code="X")
    client.get(reverse("network:detail", args=["agder"]))  # the new facts built
    with django_assert_max_num_queries(count):
        client.get(reverse("network:detail", args=["agder"]))
