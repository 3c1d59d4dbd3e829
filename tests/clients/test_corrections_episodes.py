"""Episode corrections from the client's page (issue #15, item 8): reopen a closed episode, a
new episode for a returning client, and who is responsible; each audited, and the dashboard
facts and caseload summaries equal a rebuild after each."""

import datetime

import pytest
from django.urls import reverse

from services.accounts.models import Role
from services.audit.models import AuditEvent
from services.clients.episodes import (
    EpisodeError,
    next_episode_code,
    open_episode,
    reopen_episode,
)
from services.clients.models import Episode
from services.clients.privacy import apply_retention
from services.dashboards import facts
from services.dashboards.models import EpisodeSummary
from tests.dashboards.test_facts import assert_facts_are_true
from tests.factories import (
    EpisodeFactory,
    MembershipFactory,
    RatingFactory,
    SessionFactory,
    TeamFactory,
    UserFactory,
)

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(helper, service, team):
    """A client whose one episode closed, with two rated sessions."""
    episode = EpisodeFactory(
        client__service=service, client__code="K1", code="F1", team=team, start_date=D(2026, 1, 5)
    )
    episode.helpers.add(helper)
    for number, day in ((1, D(2026, 1, 5)), (2, D(2026, 1, 19))):
        RatingFactory(session=SessionFactory(episode=episode, number=number, date=day))
    episode.end_date, episode.end_reason = D(2026, 2, 1), "planned"
    episode.save()
    return episode


def post(client, name, *args, data=None):
    return client.post(reverse(name, args=args), data or {})


def test_episode_codes_count_on_from_the_highest():
    assert next_episode_code([]) == "F1"
    assert next_episode_code(["F2"]) == "F3"
    assert next_episode_code(["F1", "F10", "F9", "import-7"]) == "F11"


def test_a_new_episode_after_retention_deleted_an_old_one_gets_a_free_code(helper, service):
    """Counting episodes gave F2 again when F1 had gone and F2 was still there."""
    membership = helper.memberships.get()
    client = EpisodeFactory(
        client__service=service,
        code="F1",
        start_date=D(2000, 1, 1),
        end_date=D(2001, 1, 1),
        end_reason="planned",
    ).client
    second = EpisodeFactory(client=client, code="F2", start_date=D(2026, 1, 5))
    apply_retention(service, D(2026, 6, 1), delete=True)
    assert list(client.episodes.values_list("code", flat=True)) == ["F2"]
    second.end_date, second.end_reason = D(2026, 2, 1), "planned"
    second.save()
    assert open_episode(client, membership, start_date=None).code == "F3"


def test_a_closed_episode_is_reopened_and_audited(client, helper, closed):
    assert_facts_are_true()
    client.force_login(helper)
    response = post(client, "clients:reopen_episode", closed.client_id, closed.pk)
    assert response.status_code == 302
    closed.refresh_from_db()
    assert (closed.end_date, closed.end_reason) == (None, "")
    event = AuditEvent.objects.get(action="change", object_type="episode")
    assert event.detail == "reopened; was closed 2026-02-01 (planned)"
    page = client.get(response["Location"]).content.decode()
    assert "Forløpet er åpnet igjen." in page
    assert "Registrer samtale i dag" in page
    assert "Registrer en samtale på en tidligere dato" in page
    facts.refresh_outdated()
    assert EpisodeSummary.objects.filter(episode=closed).exists()
    assert_facts_are_true()
    response = post(client, "clients:reopen_episode", closed.client_id, closed.pk)
    assert response.status_code == 400
    assert "Forløpet er allerede åpent." in response.content.decode()


def test_only_the_latest_episode_reopens_and_never_beside_an_open_one(helper, closed):
    later = EpisodeFactory(client=closed.client, code="F9", start_date=D(2026, 3, 1))
    with pytest.raises(EpisodeError, match="another open episode"):
        reopen_episode(closed)
    later.end_date, later.end_reason = D(2026, 3, 20), "dropout"
    later.save()
    with pytest.raises(EpisodeError, match="latest episode"):
        reopen_episode(closed)
    assert not AuditEvent.objects.exists()


def test_a_returning_client_gets_a_new_episode(client, helper, closed, team):
    assert_facts_are_true()
    client.force_login(helper)
    page = client.get(reverse("clients:detail", args=[closed.client_id])).content.decode()
    changes = reverse("clients:episode_changes", args=[closed.client_id, closed.pk])
    assert f'href="{changes}#nytt"' in page
    page = client.get(changes).content.decode()
    assert "Nytt forløp" in page
    assert "Åpne forløpet igjen" in page
    assert AuditEvent.objects.filter(action="view", detail="episode changes").exists()
    url_args = ("clients:new_episode", closed.client_id)
    response = post(client, *url_args, data={"episode-start_date": "2026-01-20"})
    assert response.status_code == 400
    assert "Forrige forløp ble avsluttet 01.02.2026" in response.content.decode()
    response = post(client, *url_args, data={"episode-start_date": "2026-03-02"})
    assert response.status_code == 302
    opened = closed.client.episodes.get(end_date__isnull=True)
    assert (opened.code, opened.start_date, opened.team) == ("F2", D(2026, 3, 2), team)
    assert list(opened.helpers.all()) == [helper]
    assert response["Location"].endswith(f"?episode={opened.pk}")
    assert AuditEvent.objects.filter(object_type="episode", object_id=str(opened.pk)).exists()
    assert_facts_are_true()
    response = post(client, *url_args, data={"episode-start_date": "2026-03-03"})
    assert response.status_code == 400
    assert "Klienten har allerede et åpent forløp." in response.content.decode()
    assert closed.client.episodes.count() == 2


def test_the_new_client_form_links_to_a_returning_client_the_helper_may_see(
    client, helper, closed, service
):
    client.force_login(helper)
    response = client.post(reverse("clients:new"), {"code": "K1", "age_group": "adult"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "finnes allerede" in page
    assert reverse("clients:detail", args=[closed.client_id]) in page
    assert "K1 er allerede registrert." in page
    # A client the helper may not see: refused, with what to do, and no link.
    EpisodeFactory(client__service=service, client__code="K2")
    page = client.post(reverse("clients:new"), {"code": "K2", "age_group": "adult"}).content
    assert "en kollega som hjelper klienten" in page.decode()
    assert b"K2 er allerede registrert" not in page


def test_the_episode_is_handed_to_another_helper_and_team(client, helper, service, closed):
    episode = EpisodeFactory(client=closed.client, code="F2", start_date=D(2026, 3, 1))
    assert closed.code == "F1"
    episode.helpers.add(helper)
    RatingFactory(session=SessionFactory(episode=episode, number=1, date=D(2026, 3, 1)))
    colleague = UserFactory(username="kollega", first_name="Kari")
    other_team = TeamFactory(service=service, name="Team unge")
    MembershipFactory(user=colleague, service=service, role=Role.HELPER, team=other_team)
    outsider = UserFactory(username="utenfor")
    MembershipFactory(user=outsider, role=Role.HELPER)
    assert_facts_are_true()
    client.force_login(helper)
    changes = reverse("clients:episode_changes", args=[episode.client_id, episode.pk])
    page = client.get(changes).content.decode()
    assert f'value="{colleague.pk}"' in page
    assert f'value="{outsider.pk}"' not in page
    args = ("clients:responsible", episode.client_id, episode.pk)
    response = post(client, *args, data={"responsible-helpers": [outsider.pk]})
    assert response.status_code == 400
    response = post(client, *args, data={"responsible-team": other_team.pk})
    assert response.status_code == 400
    assert list(episode.helpers.all()) == [helper]
    response = post(
        client,
        *args,
        data={"responsible-helpers": [helper.pk, colleague.pk], "responsible-team": other_team.pk},
    )
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.team == other_team
    assert set(episode.helpers.all()) == {helper, colleague}
    event = AuditEvent.objects.get(object_type="episode", action="change")
    assert event.detail.startswith("responsible changed: helpers [")
    assert_facts_are_true()
    facts.refresh_outdated()
    assert EpisodeSummary.objects.get(episode=episode).team_id == other_team.pk
    # Handing it over altogether: the helper no longer sees the client, and lands on the caseload.
    response = post(client, *args, data={"responsible-helpers": [colleague.pk]})
    assert response["Location"] == reverse("clients:caseload")
    assert client.get(reverse("clients:detail", args=[episode.client_id])).status_code in (200, 404)
    assert not Episode.objects.filter(pk=episode.pk, helpers=helper).exists()
    client.force_login(colleague)
    assert client.get(reverse("clients:detail", args=[episode.client_id])).status_code == 200
    assert_facts_are_true()


def test_only_the_clients_helpers_change_the_episode(client, closed, service):
    leader = UserFactory(username="innsyn")
    MembershipFactory(user=leader, service=service, role=Role.LEADER, can_view_clients=True)
    client.force_login(leader)
    page = client.get(reverse("clients:detail", args=[closed.client_id])).content.decode()
    changes = reverse("clients:episode_changes", args=[closed.client_id, closed.pk])
    assert changes not in page
    assert client.get(changes).status_code == 404
    for name, args in [
        ("clients:reopen_episode", (closed.client_id, closed.pk)),
        ("clients:new_episode", (closed.client_id,)),
        ("clients:responsible", (closed.client_id, closed.pk)),
        ("clients:past_session", (closed.client_id, closed.pk)),
    ]:
        assert post(client, name, *args).status_code == 404
        assert client.get(reverse(name, args=args)).status_code == 405
    closed.refresh_from_db()
    assert not closed.is_open
