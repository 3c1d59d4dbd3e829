"""Goals and their scores are the client's data (issue #17): in the client's export with every
wording, gone with an erasure, and without their words after retention."""

import datetime
import json

import pytest
from django.urls import reverse

from services.clients.privacy import apply_retention
from services.goals.models import Goal, GoalRating, GoalStatus
from tests.factories import EpisodeFactory

from .conftest import START, goal, score

pytestmark = pytest.mark.django_db


@pytest.fixture
def goals(episode):
    old = goal(episode, "Sove", 1, status=GoalStatus.CHANGED, status_on=datetime.date(2026, 1, 20))
    new = goal(episode, "Sove hele natta", 1, replaces=old)
    score(old, episode.sessions.get(number=1), 2)
    score(new, episode.sessions.get(number=3), 6)
    return old, new


def test_the_export_lists_every_goal_with_its_scores(client, administrator, episode, goals):
    client.force_login(administrator)
    data = json.loads(client.get(reverse("export_client", args=[episode.client_id])).content)
    old, new = data["goals"]
    assert (old["text"], old["status"], old["status_on"], old["episode"]) == (
        "Sove",
        "changed",
        "2026-01-20",
        episode.code,
    )
    assert [(s["session"], s["score"]) for s in old["scores"]] == [(1, 2)]
    assert (new["text"], new["status"], new["earlier_wording"], new["set_on"]) == (
        "Sove hele natta",
        "open",
        "Sove",
        START.isoformat(),
    )
    assert [(s["session"], s["score"], s["method"]) for s in new["scores"]] == [(3, 6, "helper")]


def test_erasure_deletes_the_goals_and_their_scores(client, administrator, episode, goals):
    other = EpisodeFactory(client__service=episode.service)
    goal(other, "Another client's goal")
    client.force_login(administrator)
    url = reverse("erase_client", args=[episode.client_id])
    assert client.post(url, {"confirm": episode.client.code}).status_code == 302
    assert list(Goal.objects.values_list("text", flat=True)) == ["Another client's goal"]
    assert not GoalRating.objects.exists()


def test_retention_blanks_the_words_of_the_episodes_it_anonymises(service, episode, goals):
    episode.end_date, episode.end_reason = datetime.date(2020, 1, 10), "planned"
    episode.start_date = datetime.date(2020, 1, 1)
    episode.save()
    Goal.objects.update(created_on=datetime.date(2020, 1, 1))
    Goal.objects.filter(status=GoalStatus.CHANGED).update(status_on=datetime.date(2020, 1, 5))
    kept = EpisodeFactory(client=episode.client, start_date=datetime.date(2026, 1, 5), code="NY")
    goal(kept, "Still helped: kept")
    apply_retention(service, datetime.date(2026, 6, 1))
    assert sorted(Goal.objects.values_list("text", flat=True)) == ["", "", "Still helped: kept"]
    assert GoalRating.objects.count() == 2  # the scores still count, without the words
