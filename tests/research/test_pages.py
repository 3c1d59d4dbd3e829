"""The leader's way through: create, approve, download, withdraw; what is refused and to whom;
and the command, which goes through the same checks and the same audit."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from services.accounts.models import Role
from services.audit import words
from services.audit.models import Action, AuditEvent
from services.research.models import ResearchExport, ResearchProject
from tests.factories import (
    EpisodeFactory,
    MembershipFactory,
    ServiceFactory,
    SessionFactory,
    UserFactory,
)

from .conftest import make_project, read_zip

pytestmark = pytest.mark.django_db


def url(name, project=None, code="oslo"):
    return reverse(f"research:{name}", args=[code] if project is None else [code, project.pk])


@pytest.fixture
def project(service, leader):
    return make_project(service, leader, approved=False)


def test_a_leader_creates_approves_downloads_and_withdraws(client, service, leader):
    EpisodeFactory(client__service=service)
    client.force_login(leader)
    assert client.get(reverse("research:index")).url == url("projects")
    assert client.get(url("new")).status_code == 200
    today = timezone.localdate()
    response = client.post(
        url("new"),
        {
            "name": "Allianse og frafall",
            "purpose": "Sammenhengen mellom tidlig allianse og frafall.",
            "recipient": "NTNU, RKBU Midt-Norge",
            "period_start": "2026-01-01",
            "period_end": "2026-06-30",
            "expires_on": (today + datetime.timedelta(days=90)).isoformat(),
        },
    )
    project = ResearchProject.objects.get()
    assert response.url == url("detail", project)
    assert project.created_by == leader and not project.approved
    assert len(project.secret) == 64
    page = client.get(url("detail", project)).content.decode()
    assert url("approve", project) in page and project.secret not in page
    assert client.get(url("download", project)).status_code == 403  # not approved yet
    client.post(url("approve", project))
    project.refresh_from_db()
    assert project.approved_by == leader and project.approved
    response = client.get(url("download", project))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="oslo-research-')
    assert set(read_zip(response.content)) == {"data.csv", "dictionary.csv", "README.txt"}
    client.post(url("withdraw", project))
    project.refresh_from_db()
    assert project.withdrawn
    assert client.get(url("download", project)).status_code == 403
    client.post(url("approve", project))  # a withdrawn project is not approved again
    assert ResearchProject.objects.get().withdrawn
    logged = AuditEvent.objects.filter(object_type="researchproject").order_by("pk")
    assert [(e.action, e.detail) for e in logged] == [
        (Action.CREATE, ""),
        (Action.CHANGE, "approved"),
        (Action.EXPORT, f"research export {project.pk}"),
        (Action.CHANGE, "withdrawn"),
    ]
    assert all(words.is_known(e.detail) or e.detail == "" for e in logged)


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"period_end": "2026-01-01"}, "period_end"),  # not after the start
        ({"period_end": "2025-12-01"}, "period_end"),
        ({"expires_on": "2020-01-01"}, "expires_on"),
        ({"expires_on": "today"}, "expires_on"),
        ({"name": ""}, "name"),
    ],
)
def test_the_form_refuses_a_period_or_an_expiry_that_cannot_be(client, leader, values, field):
    client.force_login(leader)
    data = {
        "name": "P",
        "purpose": "Q",
        "recipient": "R",
        "period_start": "2026-01-01",
        "period_end": "2026-06-30",
        "expires_on": (timezone.localdate() + datetime.timedelta(days=9)).isoformat(),
        **values,
    }
    if data["expires_on"] == "today":
        data["expires_on"] = timezone.localdate().isoformat()
    response = client.post(url("new"), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not ResearchProject.objects.exists()


@pytest.mark.parametrize("why", ["waiting", "expired", "withdrawn"])
def test_no_download_unless_approved_and_current(client, service, leader, why):
    changes = {
        "waiting": {"approved": False},
        "expired": {"expires_on": timezone.localdate() - datetime.timedelta(days=1)},
        "withdrawn": {"withdrawn_at": timezone.now()},
    }[why]
    project = make_project(service, leader, **changes)
    client.force_login(leader)
    response = client.get(url("download", project))
    assert response.status_code == 403
    assert not ResearchExport.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_an_expired_project_is_not_approved(client, service, leader):
    project = make_project(
        service,
        leader,
        approved=False,
        period_start=datetime.date(2025, 1, 1),
        expires_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    client.force_login(leader)
    client.post(url("approve", project))
    project.refresh_from_db()
    assert not project.approved


def test_the_last_day_of_the_approval_still_downloads(client, service, leader):
    project = make_project(service, leader, expires_on=timezone.localdate())
    client.force_login(leader)
    assert client.get(url("download", project)).status_code == 200


@pytest.mark.parametrize("role", ["helper", "administrator", "other_leader", "council"])
def test_only_the_services_leaders_see_anything(client, service, leader, team, role):
    project = make_project(service, leader)
    user = UserFactory(username=f"u-{role}")
    if role == "other_leader":
        MembershipFactory(user=user, service=ServiceFactory(code="bergen"), role=Role.LEADER)
    else:
        MembershipFactory(user=user, service=service, role=role, team=team)
    client.force_login(user)
    for name in ("projects", "new"):
        assert client.get(url(name)).status_code == 404, name
    for name in ("detail", "download"):
        assert client.get(url(name, project)).status_code == 404, name
    for name in ("approve", "withdraw"):
        assert client.post(url(name, project)).status_code == 404, name
    if role != "other_leader":
        assert client.get(reverse("research:index")).status_code == 404
    assert not ResearchExport.objects.exists()
    assert not ResearchProject.objects.filter(withdrawn_at__isnull=False).exists()


def test_another_services_project_is_not_found_under_ones_own_code(client, service, leader):
    elsewhere = ServiceFactory(code="bergen")
    theirs = make_project(elsewhere, leader)
    client.force_login(leader)
    assert client.get(url("detail", theirs)).status_code == 404
    assert client.get(url("download", theirs)).status_code == 404


def test_the_dashboard_links_a_leader_to_the_research_page(client, service, leader):
    client.force_login(leader)
    page = client.get(reverse("dashboards:service", args=[service.code])).content.decode()
    assert reverse("research:index") in page


def test_the_command_writes_the_zip_and_is_logged_as_the_command(service, leader, tmp_path):
    project = make_project(service, leader)
    session = SessionFactory(episode__client__service=service)
    assert session.episode.start_date >= project.period_start
    target = tmp_path / "data.zip"
    call_command(
        "research_export",
        service="oslo",
        project=project.pk,
        output=str(target),
        stderr=io.StringIO(),
    )
    assert set(read_zip(target.read_bytes())) == {"data.csv", "dictionary.csv", "README.txt"}
    event = AuditEvent.objects.get(action=Action.EXPORT)
    assert (event.actor, event.user, event.client_id) == ("command research_export", None, None)
    assert ResearchExport.objects.get().actor == "command research_export"


def test_the_command_refuses_what_the_page_refuses(service, leader, tmp_path):
    waiting = make_project(service, leader, approved=False)
    target = tmp_path / "data.zip"
    with pytest.raises(CommandError, match="may not be exported"):
        call_command("research_export", service="oslo", project=waiting.pk, output=str(target))
    with pytest.raises(CommandError, match="No research project"):
        call_command("research_export", service="bergen", project=waiting.pk, output=str(target))
    assert not target.exists()
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()
