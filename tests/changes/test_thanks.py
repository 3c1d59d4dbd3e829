"""After the form: the service's newest published "vi gjorde" in plain words, with a link to
all of them on the client's phone and none on the tablet, which must not leave the form; one
query more for the page."""

import pytest
from django.template import Context, Template
from django.urls import reverse

from services.changes.templatetags.changes import newest_change
from services.ratings.models import Handover
from tests.factories import EpisodeFactory
from tests.handovers import in_language, lock_tablet, marked_answered, remote_thanks

from .conftest import change

pytestmark = pytest.mark.django_db
HEADING = "You said – we did"


@pytest.fixture
def episode(helper, service, team):
    episode = EpisodeFactory(client__service=service, team=team)
    episode.helpers.add(helper)
    return episode


def test_the_phone_shows_the_newest_entry_and_a_link_to_all(client, episode, helper, changes):
    page = remote_thanks(client, marked_answered(episode, helper, "link")).content.decode()
    assert in_language("nb", HEADING) in page
    assert "Vanskelig å få time etter arbeid" in page and "Åpent til kl. 19 på tirsdager" in page
    assert "(mars 2026)" in page
    assert "Egen telefonvakt" not in page  # only the newest
    assert "Ny kaffetrakter" not in page and "Bergens endring" not in page
    assert 'href="/dere-sa-vi-gjorde/oslo/"' in page


def test_nothing_published_nothing_shown(client, episode, helper, service):
    change(service, "Kaffen er dårlig", "Ny kaffetrakter", "2026-04-01")
    page = remote_thanks(client, marked_answered(episode, helper, "link")).content.decode()
    assert in_language("nb", HEADING) not in page and "Ny kaffetrakter" not in page


def test_the_tablet_shows_the_entry_in_its_language_and_no_link_away(
    client, episode, helper, changes
):
    handover = marked_answered(episode, helper, "tablet")
    client.force_login(helper)
    lock_tablet(client, handover, "nn")
    page = client.get(reverse("ratings:kiosk_thanks")).content.decode()
    assert in_language("nn", HEADING) in page
    assert 'lang="nn">Vanskeleg å få time etter arbeid<' in page
    assert "/dere-sa-vi-gjorde/oslo/" not in page


def test_the_entry_costs_one_query(episode, helper, changes, django_assert_num_queries):
    """The thank-you views load the hand-over with its client; the include adds one query."""
    handover = Handover.objects.select_related("session__episode__client").get(
        pk=marked_answered(episode, helper, "link").pk
    )
    template = Template('{% include "changes/_for_client.html" %}')
    with django_assert_num_queries(1):
        page = template.render(Context({"handover": handover, "kiosk": False}))
    assert "Open until 7 pm on Tuesdays" in page  # unit tests read English
    assert newest_change(handover)["shown"].change == changes["evening"]
    assert newest_change(None) is None
