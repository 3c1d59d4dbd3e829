"""`manage.py create_service`: a platform operator opens a new service and invites its first
administrator, who from the first login sees that service and nothing of any other."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from services.accounts.models import Invitation, Membership, Role, Service, User
from services.audit.models import Action, AuditEvent
from tests.factories import ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db

ARGS = {
    "code": "fjordby",
    "name": "Lavterskel Fjordby",
    "admin_username": "fjordby-admin",
    "admin_email": "admin@fjordby.kommune.no",
    "admin_name": "Frida Fjord",
}


def create(**changes) -> str:
    out = io.StringIO()
    call_command(
        "create_service", **{"base_url": "https://tilbake.example", **ARGS, **changes}, stdout=out
    )
    return out.getvalue()


def test_the_service_and_its_invited_administrator_are_made(client):
    output = create()
    service = Service.objects.get(code="fjordby")
    admin = User.objects.get(username="fjordby-admin")
    assert service.name == "Lavterskel Fjordby"
    assert (admin.first_name, admin.last_name, admin.email) == (
        "Frida",
        "Fjord",
        "admin@fjordby.kommune.no",
    )
    assert not admin.is_active and not admin.has_usable_password()
    assert not admin.is_staff and not admin.is_superuser
    assert list(Membership.objects.filter(user=admin).values_list("service__code", "role")) == [
        ("fjordby", Role.ADMINISTRATOR)
    ]
    link = re.search(r"https://tilbake\.example(/\S+)", output).group(1)
    assert Invitation.objects.get(user=admin, service=service).created_by is None
    # Both steps in the access log, by the command.
    logged = AuditEvent.objects.filter(actor="create_service", service_id=service.pk)
    assert set(logged.values_list("action", "object_type")) == {
        (Action.CREATE, "service"),
        (Action.CREATE, "user"),
    }
    # The link works once; the administrator then runs this service, and no other.
    ServiceFactory(code="annen", name="Annen tjeneste")
    password = "en lang nok setning til passord"
    response = client.post(link, {"new_password1": password, "new_password2": password})
    assert response.status_code == 302
    assert client.get(reverse("staff:list", args=["fjordby"])).status_code == 200
    assert client.get(reverse("staff:list", args=["annen"])).status_code == 404
    assert client.get(reverse("dashboards:service", args=["fjordby"])).status_code == 200
    assert (
        client.post(link, {"new_password1": password, "new_password2": password}).status_code == 410
    )


def test_the_link_uses_site_url_when_no_base_url_is_given(settings):
    settings.SITE_URL = "https://feedback.kommune.example/"
    output = create(base_url="")
    assert re.search(r"https://feedback\.kommune\.example/\S+/", output)


def test_without_an_address_for_the_link_nothing_is_made(settings):
    settings.SITE_URL = ""
    with pytest.raises(CommandError, match="base-url"):
        create(base_url="")
    assert not Service.objects.filter(code="fjordby").exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"code": "Fjordby"}, "exists already"),
        ({"admin_username": "Tatt"}, "is taken"),
        ({"code": "mine-resultater"}, "code"),
        ({"code": "fjord by"}, "code"),
        ({"admin_email": "ikke en adresse"}, "[Ee]-?post|email|e-mail|adresse"),
        ({"admin_username": "@cmd"}, "cannot start"),
    ],
)
def test_a_taken_or_bad_code_username_or_address_is_refused(changes, message):
    ServiceFactory(code="fjordby")
    UserFactory(username="tatt")
    services, users, events = (
        Service.objects.count(),
        User.objects.count(),
        AuditEvent.objects.count(),
    )
    with pytest.raises(CommandError, match=message):
        create(**{**{"code": "ny-tjeneste"}, **changes})
    assert (Service.objects.count(), User.objects.count(), AuditEvent.objects.count()) == (
        services,
        users,
        events,
    )


def test_the_django_admin_adds_no_service(client, operator):
    """An operator changes services in the admin, but makes them with the command."""
    client.force_login(operator)
    assert client.get(reverse("admin:accounts_service_add")).status_code == 403
    service = ServiceFactory(code="fjordby")
    change = reverse("admin:accounts_service_change", args=[service.pk])
    assert client.get(change).status_code == 200


def test_a_first_administrator_who_lost_the_link_gets_a_new_one(client):
    first = re.search(r"https://tilbake\.example(/\S+)", create()).group(1)
    again = create(new_link=True, name="", admin_email="")
    second = re.search(r"https://tilbake\.example(/\S+)", again).group(1)
    assert "A new link" in again and second != first
    assert client.get(first).status_code == 410  # the old one stops working
    assert client.get(second).status_code == 200
    assert AuditEvent.objects.filter(
        actor="create_service", action=Action.CHANGE, detail="new invitation; password removed"
    ).exists()
    password = "en lang nok setning til passord"
    client.post(second, {"new_password1": password, "new_password2": password})
    with pytest.raises(CommandError, match="logged in already"):
        create(new_link=True)
    with pytest.raises(CommandError, match="no administrator"):
        create(new_link=True, admin_username="noen-andre")
    with pytest.raises(CommandError, match="No service"):
        create(new_link=True, code="finnes-ikke")


def test_a_new_service_needs_a_name_and_an_address():
    with pytest.raises(CommandError, match="--name and --admin-email"):
        create(name="")
    with pytest.raises(CommandError, match="--name and --admin-email"):
        create(admin_email="")
    assert not Service.objects.filter(code="fjordby").exists()
