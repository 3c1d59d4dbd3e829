"""A group led by the helper of tests/conftest.py: a client member (the helper's own client) and
a participant who is not a client, and a meeting today that is open for answers."""

import datetime

import pytest
from django.utils import timezone

from services.groups.keeping import end_of_day
from services.groups.models import Group, Meeting, Member
from tests.factories import EpisodeFactory


@pytest.fixture
def own_episode(helper, service, team):
    """An open episode of the helper's own client, who may join the helper's groups."""
    episode = EpisodeFactory(
        client__service=service, client__code="K1", client__display_name="Ola N", team=team
    )
    episode.helpers.add(helper)
    return episode


@pytest.fixture
def group(helper, service):
    return Group.objects.create(service=service, name="Mestringskurs", kind="course", leader=helper)


@pytest.fixture
def client_member(group, own_episode):
    return Member.objects.create(group=group, episode=own_episode, code="ACDEF3")


@pytest.fixture
def participant(group):
    return Member.objects.create(group=group, label="Kari", code="GHJKM4")


@pytest.fixture
def meeting(group, client_member, participant):
    today = timezone.localdate()
    return Meeting.objects.create(group=group, number=1, date=today, open_until=end_of_day(today))


def past_meeting(group, days_ago: int, number: int) -> Meeting:
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return Meeting.objects.create(group=group, number=number, date=day, open_until=end_of_day(day))
