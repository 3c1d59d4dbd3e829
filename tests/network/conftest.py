import datetime

import pytest
from django.utils import timezone

from services.accounts.models import Role
from services.clients.models import EndReason
from services.network.models import Coordinator, Network, NetworkMember
from tests.factories import (
    EpisodeFactory,
    MembershipFactory,
    RatingFactory,
    ServiceFactory,
    SessionFactory,
    UserFactory,
)

START = datetime.date(2026, 1, 5)


def closed_episodes(service, count: int, *, intake=14.0, end=26.0, code="K"):
    """`count` episodes that started below the cutoff and ended clearly better, each with two
    rated sessions (ORS and SRS) inside this year."""
    for number in range(count):
        episode = EpisodeFactory(
            client__service=service,
            client__code=f"{code}{number}",
            start_date=START,
            end_date=START + datetime.timedelta(days=30),
            end_reason=EndReason.PLANNED,
        )
        for session_number, score in ((1, intake), (2, end)):
            session = SessionFactory(
                episode=episode,
                number=session_number,
                date=START + datetime.timedelta(days=14 * (session_number - 1)),
            )
            RatingFactory(session=session, score=score)
            RatingFactory(session=session, key="srs", score=37)


def member(network, service):
    return NetworkMember.objects.create(network=network, service=service, joined_at=timezone.now())


@pytest.fixture
def region():
    """Three services (12, 3 and 8 closed episodes) in two networks: X = A, B and C; Y = B, C."""
    a = ServiceFactory(code="arendal", name="Arendal")
    b = ServiceFactory(code="birkenes", name="Birkenes")
    c = ServiceFactory(code="froland", name="Froland")
    closed_episodes(a, 12, code="klient-arendal-")
    closed_episodes(b, 3, code="klient-birkenes-")
    closed_episodes(c, 8, code="klient-froland-")
    x = Network.objects.create(code="agder", name="KOR Agder")
    y = Network.objects.create(code="indre", name="Indre Agder")
    for service in (a, b, c):
        member(x, service)
    for service in (b, c):
        member(y, service)
    coordinator_x = UserFactory(username="koordinator")
    Coordinator.objects.create(network=x, user=coordinator_x)
    coordinator_y = UserFactory(username="indrekoordinator")
    Coordinator.objects.create(network=y, user=coordinator_y)
    leaders = {}
    for service in (a, b, c):
        leaders[service.code] = UserFactory(username=f"leder-{service.code}")
        MembershipFactory(user=leaders[service.code], service=service, role=Role.LEADER)
    return {
        "services": (a, b, c),
        "networks": (x, y),
        "coordinators": (coordinator_x, coordinator_y),
        "leaders": leaders,
    }
