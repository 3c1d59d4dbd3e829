"""The access log page and the client's access report."""

import pytest
from django.urls import reverse

from services.audit.models import AppendOnlyError, AuditEvent
from tests.factories import EpisodeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def viewed(client, helper, service):
    episode = EpisodeFactory(client__service=service, client__code="K5")
    episode.helpers.add(helper)
    client.force_login(helper)
    client.get(reverse("clients:detail", args=[episode.client_id]))
    client.logout()
    return episode


def test_administrators_search_the_log_by_client_and_user(client, administrator, viewed):
    client.force_login(administrator)
    page = client.get(reverse("audit_log"), {"client": "K5"}).content.decode()
    assert "K5" in page and "Så på" in page
    page = client.get(reverse("audit_log"), {"user": "nobody"}).content.decode()
    assert "Ingen logglinjer" in page
    assert client.get(reverse("audit_log"), {"start": "not a date"}).status_code == 400


def test_the_access_report_lists_who_saw_the_client(client, administrator, viewed, helper):
    client.force_login(administrator)
    page = client.get(reverse("access_report", args=[viewed.client_id])).content.decode()
    assert "Test" in page  # the helper's name
    assert "Så på" in page
    assert "pasientjournalloven" in page


def test_helpers_leaders_and_other_services_see_no_log(client, helper, leader, viewed):
    for user in (helper, leader):
        client.force_login(user)
        assert client.get(reverse("audit_log")).status_code == 404
        assert client.get(reverse("access_report", args=[viewed.client_id])).status_code == 404


def test_audit_rows_cannot_be_changed_or_deleted(viewed):
    event = AuditEvent.objects.first()
    event.detail = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_the_admin_cannot_change_audit_rows(client, operator, viewed):
    # Only platform operators reach the Django admin since issue #11; even they cannot edit.
    client.force_login(operator)
    event = AuditEvent.objects.first()
    url = reverse("admin:audit_auditevent_change", args=[event.pk])
    response = client.post(url, {"detail": "x"})
    assert response.status_code == 403
    assert client.post(reverse("admin:audit_auditevent_delete", args=[event.pk])).status_code == 403
