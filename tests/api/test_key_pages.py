"""The administrator's API key page: a key is shown once, stored hashed, and can be revoked."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from services.accounts.models import Role
from services.api.models import ApiKey, Scope
from services.audit.models import AuditEvent
from tests.factories import MembershipFactory, UserFactory
from tests.handovers import in_language

from .conftest import bearer

pytestmark = pytest.mark.django_db


def make(client, service, **changes):
    expires = timezone.localdate() + datetime.timedelta(days=90)
    data = {"name": "DIPS Front", "scope": Scope.READ, "expires": expires.isoformat()} | changes
    return client.post(reverse("api_keys:list", args=[service.code]), data)


def test_a_new_key_is_shown_once_and_works(client, administrator, service):
    client.force_login(administrator)
    response = make(client, service)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    text = response.context["key_text"]
    assert text.startswith("fbk_") and text in response.content.decode()
    key = ApiKey.objects.get()
    assert (key.name, key.scope, key.created_by) == ("DIPS Front", Scope.READ, administrator)
    assert text not in client.get(reverse("api_keys:list", args=[service.code])).content.decode()
    client.logout()
    assert client.get(reverse("api:client-list"), **bearer(text)).status_code == 200
    assert AuditEvent.objects.filter(object_type="apikey", detail="api key").count() == 1


@pytest.mark.parametrize("days", [0, -3, 800])
def test_a_key_must_expire_within_two_years(client, administrator, service, days):
    client.force_login(administrator)
    expires = (timezone.localdate() + datetime.timedelta(days=days)).isoformat()
    response = make(client, service, expires=expires)
    assert response.status_code == 400
    assert not ApiKey.objects.exists()


def test_a_revoked_key_stops_working_at_once(client, administrator, service):
    client.force_login(administrator)
    text = make(client, service).context["key_text"]
    key = ApiKey.objects.get()
    response = client.post(reverse("api_keys:revoke", args=[service.code, key.pk]), follow=True)
    assert in_language("nb", "The key %(name)s is revoked.") % {"name": "DIPS Front"} in (
        response.content.decode()
    )
    key.refresh_from_db()
    assert key.revoked_at is not None
    client.logout()
    assert client.get(reverse("api:client-list"), **bearer(text)).status_code == 401
    assert AuditEvent.objects.filter(object_type="apikey", detail="revoked").count() == 1


def test_an_administrator_of_another_service_cannot_revoke(client, service, other_service):
    from tests.api.conftest import make_key

    make_key(service)
    key = ApiKey.objects.get()
    outsider = UserFactory(username="bergenadmin")
    MembershipFactory(user=outsider, service=other_service, role=Role.ADMINISTRATOR)
    client.force_login(outsider)
    for code in (service.code, other_service.code):
        response = client.post(reverse("api_keys:revoke", args=[code, key.pk]))
        assert response.status_code == 404
    key.refresh_from_db()
    assert key.revoked_at is None


def test_a_key_works_to_the_end_of_the_chosen_day(client, administrator, service):
    client.force_login(administrator)
    day = timezone.localdate() + datetime.timedelta(days=30)
    make(client, service, expires=day.isoformat())
    expires = timezone.localtime(ApiKey.objects.get().expires_at)
    assert (expires.date(), expires.hour, expires.minute) == (day, 23, 59)
