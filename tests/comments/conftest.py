import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from services.ratings import kiosk, links
from services.ratings.handovers import prepare_handover, submit_answer
from tests.factories import EpisodeFactory, items_for


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


def answered(episode, user, *, purpose="alliance", method="tablet", **options):
    """A hand-over of the service's form, answered by the client."""
    handover = prepare_handover(episode, method=method, purpose=purpose, user=user, **options)
    key = handover.instrument.key
    submit_answer(
        handover,
        submission_key=uuid.uuid4(),
        items=items_for(key, 36 if purpose == "alliance" else 20),
        instrument_key=key,
    )
    handover.refresh_from_db()
    return handover


def lock(client, handover):
    session = client.session
    session[kiosk.SESSION_KEY] = {"handover": handover.pk, "language": "nb"}
    session.save()


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
