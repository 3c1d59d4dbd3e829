"""After the form: a short list of offers, peer and self-help first, and the way to all of them
(a link on the client's phone, a QR code on the tablet, which must not leave the form)."""

import pytest
from django.urls import reverse

from services.offers.listing import FOR_CLIENT
from services.offers.models import Kind
from tests.factories import EpisodeFactory
from tests.handovers import in_language, lock_tablet, marked_answered, remote_thanks

from .conftest import offer

pytestmark = pytest.mark.django_db
HEADING = "Other offers that may suit you"


@pytest.fixture
def episode(helper, service, team):
    episode = EpisodeFactory(client__service=service, team=team)
    episode.helpers.add(helper)
    return episode


def test_the_phone_shows_a_few_offers_peer_first_and_a_link_to_all(client, episode, helper, offers):
    page = remote_thanks(client, marked_answered(episode, helper, "link")).content.decode()
    assert in_language("nb", HEADING) in page
    assert page.index("Selvhjelpsgruppe") < page.index("Kurs i mestring av depresjon")
    assert page.index("Kurs i mestring av depresjon") < page.index("Turgruppe")
    assert "Nedlagt samtalegruppe" not in page and "Bergens eget kurs" not in page
    assert 'href="http://testserver/tilbud/oslo/"' in page


def test_the_list_is_short(client, episode, helper, service):
    for number in range(FOR_CLIENT + 3):
        offer(service, f"Gruppe nummer {number}", kind=Kind.GROUP, order=number)
    page = remote_thanks(client, marked_answered(episode, helper, "link")).content.decode()
    assert page.count('class="offer"') == FOR_CLIENT
    assert f"Gruppe nummer {FOR_CLIENT}" not in page


def test_no_offers_no_list(client, episode, helper):
    page = remote_thanks(client, marked_answered(episode, helper, "link")).content.decode()
    assert in_language("nb", HEADING) not in page


def test_the_tablet_shows_a_qr_code_in_its_language_and_no_link_away(
    client, episode, helper, offers
):
    handover = marked_answered(episode, helper, "tablet")
    client.force_login(helper)
    lock_tablet(client, handover, "nn")
    page = client.get(reverse("ratings:kiosk_thanks")).content.decode()
    assert in_language("nn", HEADING) in page
    assert 'lang="nn">Kurs i meistring av depresjon<' in page
    assert 'src="data:image/svg+xml' in page
    assert "http://testserver/tilbud/oslo/" in page
    assert 'href="http://testserver/tilbud/oslo/"' not in page
    # The curve's test tells it by "<svg": the QR code is an image, not inline SVG.
    assert "<svg" not in page
