import datetime
import functools

import pytest
from django.urls import reverse
from django.utils import timezone

from services.ratings import links
from tests import handovers
from tests.factories import EpisodeFactory


@pytest.fixture
def episode(helper, service, team):
    """An open episode of an adult client that the helper is responsible for."""
    episode = EpisodeFactory(
        client__service=service,
        team=team,
        start_date=timezone.localdate() - datetime.timedelta(days=30),
    )
    episode.helpers.add(helper)
    return episode


answered = functools.partial(handovers.answered, purpose="alliance")


lock = handovers.lock_tablet


@pytest.fixture
def tablet(client, helper, episode):
    """The helper's tablet, locked to an answered SRS: the thank-you page is showing."""
    handover = answered(episode, helper)
    client.force_login(helper)
    lock(client, handover)
    return handover


THANKS = reverse("ratings:kiosk_thanks")


def comment(client, handover, text, url=THANKS):
    return client.post(url, {"handover": handover.token.hex, "text": text})


def link_thanks(handover) -> str:
    return reverse("ratings:short_thanks", args=[links.short_code_for(handover)])
