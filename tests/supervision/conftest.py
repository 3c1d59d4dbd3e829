import datetime

import pytest

from services.accounts.models import Role
from services.supervision.models import SupervisorGrant
from tests.factories import (
    EpisodeFactory,
    MembershipFactory,
    RatingFactory,
    SessionFactory,
    UserFactory,
)

# An adult starting at 20 is expected near 23.5 by the third session, with its 10th percentile
# at 16.1: 16 there is below the expected range (off track) without being a reliable drop (5).
OFF_TRACK = [20, 20, 16]


def episode_with(helper, service, scores, *, start=None, team=None, **client):
    """An open adult episode of `helper` with one weekly session per score (None: no rating)."""
    start = start or datetime.date(2026, 1, 5)
    episode = EpisodeFactory(
        client__service=service,
        start_date=start,
        team=team,
        **{f"client__{key}": value for key, value in client.items()},
    )
    episode.helpers.add(helper)
    for number, score in enumerate(scores, start=1):
        session = SessionFactory(
            episode=episode,
            number=number,
            date=start + datetime.timedelta(days=7 * (number - 1)),
            helper=helper,
        )
        if score is not None:
            RatingFactory(session=session, score=score)
    return episode


@pytest.fixture
def supervisor(service):
    """A helper of the service whom the administrator made a supervisor."""
    user = UserFactory(username="veileder", first_name="Vera", last_name="Veileder")
    MembershipFactory(user=user, service=service, role=Role.HELPER)
    SupervisorGrant.objects.create(service=service, user=user)
    return user
