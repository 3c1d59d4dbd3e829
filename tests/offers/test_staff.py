"""The administrator's offers page: the service's own administrators only, every change in the
access log, and an offer taken off the list rather than deleted."""

import pytest
from django.urls import reverse

from services.accounts.models import Role
from services.audit.models import Action, AuditEvent
from services.offers.models import Kind, Offer
from tests.factories import MembershipFactory, ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW = {
    "kind": Kind.PEER,
    "title": "Erfaringskonsulent",
    "description": "Snakk med en som har vært der selv.",
    "audience": "Alle som får hjelp hos oss",
    "when_where": "Etter avtale",
    "no_referral": "on",
    "contact": "Ring 22 00 00 01",
    "link": "",
    "order": "0",
    "active": "on",
    "title_en": "Peer worker",
}


@pytest.fixture
def other_administrator():
    user = UserFactory(username="admin-bergen")
    MembershipFactory(user=user, service=ServiceFactory(code="bergen"), role=Role.ADMINISTRATOR)
    return user


def test_the_administrator_sees_every_offer_of_the_service(client, administrator, offers):
    client.force_login(administrator)
    response = client.get(reverse("offers:staff_list", args=["oslo"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nedlagt samtalegruppe" in page
    assert "Bergens eget kurs" not in page
    assert "http://testserver/tilbud/oslo/" in page
    assert reverse("offers:staff_list", args=["oslo"]) in page  # the tab


def test_helpers_and_leaders_of_the_service_are_refused(client, helper, leader, offers):
    course = offers["course"]
    for user in (helper, leader):
        client.force_login(user)
        assert client.get(reverse("offers:staff_list", args=["oslo"])).status_code == 404
        assert client.get(reverse("offers:new", args=["oslo"])).status_code == 404
        assert client.get(reverse("offers:edit", args=["oslo", course.pk])).status_code == 404


def test_another_services_administrator_is_refused_every_way(client, other_administrator, offers):
    client.force_login(other_administrator)
    course = offers["course"]
    assert client.get(reverse("offers:staff_list", args=["oslo"])).status_code == 404
    assert client.get(reverse("offers:edit", args=["oslo", course.pk])).status_code == 404
    # Their own service's code with this service's offer: still not theirs.
    assert client.get(reverse("offers:edit", args=["bergen", course.pk])).status_code == 404
    url = reverse("offers:set_active", args=["bergen", course.pk])
    assert client.post(url, {"active": "0"}).status_code == 404
    assert Offer.objects.get(pk=course.pk).active


def test_a_new_offer_belongs_to_the_service_and_is_logged(client, administrator, service):
    client.force_login(administrator)
    response = client.post(reverse("offers:new", args=["oslo"]), NEW)
    assert response.status_code == 302
    offer = Offer.objects.get()
    assert (offer.service, offer.title, offer.title_en) == (service, NEW["title"], "Peer worker")
    assert offer.no_referral and offer.active and offer.is_peer_or_self_help
    event = AuditEvent.objects.get(object_type="offer")
    assert (event.action, event.user, event.service_id) == (
        Action.CREATE,
        administrator,
        service.pk,
    )


def test_a_title_is_needed(client, administrator, service):
    client.force_login(administrator)
    response = client.post(reverse("offers:new", args=["oslo"]), NEW | {"title": ""})
    assert response.status_code == 400
    assert not Offer.objects.exists()


def test_editing_saves_and_logs_which_fields_changed(client, administrator, offers):
    client.force_login(administrator)
    walk = offers["walk"]
    url = reverse("offers:edit", args=["oslo", walk.pk])
    assert client.get(url).status_code == 200
    data = NEW | {"kind": Kind.ACTIVITY, "title": "Turgruppe på onsdager"}
    assert client.post(url, data).status_code == 302
    assert Offer.objects.get(pk=walk.pk).title == "Turgruppe på onsdager"
    event = AuditEvent.objects.get(object_type="offer", object_id=str(walk.pk))
    assert event.action == Action.CHANGE and "title" in event.detail


def test_an_offer_is_taken_off_the_clients_list_and_back(client, administrator, offers):
    client.force_login(administrator)
    course = offers["course"]
    url = reverse("offers:set_active", args=["oslo", course.pk])
    assert client.get(url).status_code == 405
    assert client.post(url, {"active": "0"}).status_code == 302
    assert not Offer.objects.get(pk=course.pk).active
    public = reverse("offers:public", args=["oslo"])
    assert "Kurs i mestring av depresjon" not in client.get(public).content.decode()
    client.post(url, {"active": "1"})
    assert Offer.objects.get(pk=course.pk).active
    assert AuditEvent.objects.filter(object_type="offer", action=Action.CHANGE).count() == 2
