"""Who reads the comments: the client's helper beside the score, leaders without the client.

Issue #17, part 2. The helper sees each comment on the client's page under its session's
alliance score; the leader sees the service's or a team's comments by month, without client
code, helper or day, and nothing at all when there are fewer than five.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from services.accounts.models import Role
from services.audit.models import AuditEvent
from services.comments.models import SessionComment
from services.dashboards.suppression import MINIMUM
from tests.factories import (
    EpisodeFactory,
    MembershipFactory,
    RatingFactory,
    SessionFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def commented(episode, number, text, *, date=None, score=31):
    session = SessionFactory(episode=episode, number=number, date=date or timezone.localdate())
    RatingFactory(session=session, key="ors", score=20)
    rating = RatingFactory(session=session, key="srs", score=score)
    return SessionComment.objects.create(rating=rating, text=text)


def detail(client, episode):
    return client.get(reverse("clients:detail", args=[episode.client_id]))


def test_the_helper_sees_the_comment_under_the_sessions_score(client, helper, episode):
    commented(episode, 1, "Mer tid til å snakke om jobben", score=31.5)
    client.force_login(helper)
    page = detail(client, episode).content.decode()
    assert "Mer tid til å snakke om jobben" in page
    sessions = page[page.index('id="sessions-heading"') : page.index('id="ratings-heading"')]
    assert "Mer tid til å snakke om jobben" in sessions
    assert "31,5" in sessions
    view = AuditEvent.objects.get(action="view", user=helper)
    assert view.client_id == episode.client_id


def test_a_helper_of_another_client_cannot_see_it(client, helper, service, episode):
    commented(episode, 1, "Hemmelig ønske")
    colleague = UserFactory(username="kollega")
    MembershipFactory(user=colleague, service=service, role=Role.HELPER)
    client.force_login(colleague)
    assert detail(client, episode).status_code == 404


def test_comments_cost_the_client_page_no_query(client, helper, episode):
    for number in (1, 2, 3):
        session = SessionFactory(episode=episode, number=number)
        RatingFactory(session=session, key="ors", score=20)
        RatingFactory(session=session, key="srs", score=35)
    client.force_login(helper)
    detail(client, episode)
    with CaptureQueriesContext(connection) as without:
        detail(client, episode)
    for number in (4, 5, 6):
        commented(episode, number, f"Kommentar {number}")
    detail(client, episode)
    with CaptureQueriesContext(connection) as with_comments:
        page = detail(client, episode).content.decode()
    assert all(f"Kommentar {n}" in page for n in (4, 5, 6))
    assert len(with_comments) == len(without)


def leader_page(client, service, **query):
    return client.get(reverse("comments:leader", args=[service.code]), query)


@pytest.fixture
def many(service, team):
    """Comments from six clients of the team over two months, and one of another team."""
    today = timezone.localdate()
    earlier = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=10)
    texts = ["Bra", "Alt for kort tid", "Ønsker kveldstimer", "Mer om søvn", "Fint", "Alt ok"]
    for index, text in enumerate(texts):
        episode = EpisodeFactory(client__service=service, team=team)
        commented(episode, 1, text, date=earlier if index % 2 else today)
    other = EpisodeFactory(client__service=service, team=TeamFactory(service=service))
    commented(other, 1, "Fra det andre teamet", date=today)
    return texts


def test_the_leader_sees_the_words_by_month_without_the_client(client, leader, service, many):
    client.force_login(leader)
    response = leader_page(client, service)
    assert response.status_code == 200
    page = response.content.decode()
    for text in [*many, "Fra det andre teamet"]:
        assert text in page
    for episode_client in SessionComment.objects.values_list(
        "rating__session__episode__client__code", flat=True
    ):
        assert episode_client not in page
    # Month, then the words: the earlier month's comments in alphabetical order first.
    order = ["Alt for kort tid", "Alt ok", "Mer om søvn", "Fint", "Ønsker kveldstimer"]
    assert [page.index(text) for text in order] == sorted(page.index(text) for text in order)
    event = AuditEvent.objects.get(action="view", user=leader)
    assert event.detail.startswith("clients' comments ")
    assert event.client_id is None


def test_a_team_sees_its_own(client, leader, service, team, many):
    client.force_login(leader)
    page = leader_page(client, service, team=team.pk).content.decode()
    assert "Ønsker kveldstimer" in page
    assert "Fra det andre teamet" not in page
    assert f"team={team.pk}" in AuditEvent.objects.get(action="view").detail


def test_fewer_than_five_are_not_shown_at_all(client, leader, service, team):
    for number in range(MINIMUM - 1):
        episode = EpisodeFactory(client__service=service, team=team)
        commented(episode, 1, f"Ord nummer {number}")
    client.force_login(leader)
    response = leader_page(client, service)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ord nummer" not in page
    assert "alert-secondary" in page


def test_a_narrow_period_is_widened_to_whole_months(client, leader, service, team):
    day = timezone.localdate().replace(day=1)
    for number in range(MINIMUM):
        episode = EpisodeFactory(client__service=service, team=team)
        commented(episode, 1, f"Ord {number}", date=day + datetime.timedelta(days=number % 2))
    client.force_login(leader)
    iso = day.isoformat()
    page = leader_page(client, service, period="custom", **{"from": iso, "to": iso})
    assert "alert-secondary" not in page.content.decode()
    assert all(f"Ord {n}" in page.content.decode() for n in range(MINIMUM))


def test_the_list_is_for_the_services_leaders_only(client, helper, service, many):
    client.force_login(helper)
    assert leader_page(client, service).status_code == 404
    stranger = UserFactory(username="annen-leder")
    MembershipFactory(user=stranger, service=TeamFactory().service, role=Role.LEADER)
    client.force_login(stranger)
    assert leader_page(client, service).status_code == 404
    client.logout()
    assert leader_page(client, service).status_code == 302


def test_the_dashboard_links_to_the_comments(client, leader, service):
    client.force_login(leader)
    page = client.get(reverse("dashboards:service", args=[service.code])).content.decode()
    assert reverse("comments:leader", args=[service.code]) in page
