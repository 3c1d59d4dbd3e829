import datetime

import pytest
from django.utils import timezone

from services.accounts.models import Role
from services.api import keys
from services.api.models import Scope
from tests.factories import (
    EpisodeFactory,
    MembershipFactory,
    RatingFactory,
    ServiceFactory,
    SessionFactory,
    UserFactory,
)


def bearer(text: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {text}"}


def make_key(service, scope=Scope.READ_WRITE, *, days=30, name="DIPS"):
    _key, text = keys.issue(
        service,
        name=name,
        scope=scope,
        expires_at=timezone.now() + datetime.timedelta(days=days),
        created_by=None,
    )
    return text


@pytest.fixture
def write_key(service):
    return make_key(service, Scope.READ_WRITE)


@pytest.fixture
def read_key(service):
    return make_key(service, Scope.READ, name="Statistikk")


@pytest.fixture
def other_service():
    return ServiceFactory(code="bergen", name="Lavterskel Bergen")


@pytest.fixture
def other_key(other_service):
    return make_key(other_service, Scope.READ_WRITE, name="Bergen DIPS")


@pytest.fixture
def rated_episode(service, helper):
    """One client with two sessions and an ORS each, in `service`."""
    episode = EpisodeFactory(client__service=service, client__code="K1")
    episode.helpers.add(helper)
    for number, score in ((1, 18), (2, 24)):
        session = SessionFactory(
            episode=episode,
            number=number,
            date=datetime.date(2026, 1, 5) + datetime.timedelta(days=7 * number),
            helper=helper,
        )
        RatingFactory(session=session, score=score)
    return episode


@pytest.fixture
def foreign_episode(other_service):
    helper = UserFactory(username="bergenhjelper")
    MembershipFactory(user=helper, service=other_service, role=Role.HELPER)
    episode = EpisodeFactory(client__service=other_service, client__code="B1")
    session = SessionFactory(episode=episode, number=1, helper=helper)
    RatingFactory(session=session)
    return episode
