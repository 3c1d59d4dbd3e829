"""Django's admin is for platform operators, and what they read there is audited (issue #11, 3).

Found from outside: the demo made each service's administrator a superuser, and the admin of one
service read every client of another in /admin/ without a trace in the access log.
"""

import pytest
from django.urls import reverse

from services.accounts.models import Role
from services.audit.models import Action, AuditEvent
from services.dashboards import facts
from tests.factories import (
    ClientFactory,
    EpisodeFactory,
    MembershipFactory,
    RatingFactory,
    ServiceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def refused(response) -> bool:
    return response.status_code == 302 and reverse("admin:login") in response["Location"]


def test_a_service_administrator_is_not_let_into_the_admin(client, administrator):
    client.force_login(administrator)
    assert refused(client.get(reverse("admin:index")))
    assert refused(client.get(reverse("admin:clients_client_changelist")))


def test_a_superuser_who_works_in_a_service_is_not_let_in_either(client, service):
    user = UserFactory(is_staff=True, is_superuser=True)
    MembershipFactory(user=user, service=service, role=Role.ADMINISTRATOR)
    client.force_login(user)
    assert refused(client.get(reverse("admin:index")))


def test_an_inactive_superuser_is_not_let_in(client):
    user = UserFactory(is_staff=True, is_superuser=True, is_active=False)
    client.force_login(user)
    assert client.get(reverse("admin:index")).status_code == 302


def test_the_operator_gets_in_and_each_client_on_a_list_is_logged(client, operator):
    service = ServiceFactory(code="annen")
    shown = [ClientFactory(service=service) for _ in range(3)]
    client.force_login(operator)
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:clients_client_changelist")).status_code == 200
    logged = AuditEvent.objects.filter(user=operator, action=Action.VIEW)
    assert set(logged.values_list("client_id", "service_id")) == {(c.pk, service.pk) for c in shown}


@pytest.mark.parametrize(
    "model",
    [
        "clients_client",
        "clients_episode",
        "care_sessions_session",
        "ratings_rating",
        "dashboards_episodefact",
        "dashboards_sessionfact",
    ],
)
def test_every_client_data_page_in_the_admin_is_logged(client, operator, model):
    rating = RatingFactory(session__episode=EpisodeFactory())
    episode = rating.session.episode
    client.force_login(operator)
    facts.rebuild_all(episode.service_id)
    objects = {
        "clients_client": episode.client,
        "clients_episode": episode,
        "care_sessions_session": rating.session,
        "ratings_rating": rating,
    }
    listed = client.get(reverse(f"admin:{model}_changelist"))
    assert listed.status_code == 200
    assert AuditEvent.objects.filter(user=operator, client_id=episode.client_id).exists()
    if model in objects:
        before = AuditEvent.objects.filter(client_id=episode.client_id).count()
        page = client.get(reverse(f"admin:{model}_change", args=[objects[model].pk]))
        assert page.status_code == 200
        assert AuditEvent.objects.filter(client_id=episode.client_id).count() == before + 1


def test_a_change_through_the_admin_is_logged(client, operator):
    existing = ClientFactory(display_name="Kari")
    client.force_login(operator)
    url = reverse("admin:clients_client_change", args=[existing.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data |= {
        "display_name": "Kari N.",
        "episodes-TOTAL_FORMS": "0",
        "episodes-INITIAL_FORMS": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert AuditEvent.objects.filter(
        user=operator, action=Action.CHANGE, client_id=existing.pk
    ).exists()
