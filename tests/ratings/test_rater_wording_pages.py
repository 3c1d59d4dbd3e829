"""The form page speaks to the person answering: a parent answering a child form reads about
the child, the child reads about themselves (issue #12, item 5)."""

import html

import pytest
from django.urls import reverse

from services.ratings import kiosk, links

from .conftest import hand_over

pytestmark = pytest.mark.django_db


@pytest.fixture
def child_episode(episode):
    episode.client.age_group = "child"
    episode.client.birth_year = None
    episode.client.save()
    return episode


def remote_page(client, handover, language="nb") -> str:
    client.cookies["django_language"] = language
    response = client.get(reverse("ratings:remote", args=[links.token_for(handover)]))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def labels(page: str) -> list[str]:
    found = []
    for part in page.split('class="item-label"')[1:]:
        found.append(part[part.index(">") + 1 : part.index("</p>")])
    return found


def test_a_parent_reads_about_the_child(client, child_episode, helper):
    handover = hand_over(child_episode, helper, method="link", rater="parent", rater_name="Mor")
    page = remote_page(client, handover)
    assert handover.instrument.key == "cors"
    assert "Hvordan har barnet hatt det denne uken, slik du ser det?" in page
    assert labels(page) == ["Barnet", "Familien", "Skolen", "Alt sammen"]
    assert "Hvordan har du hatt det" not in page
    english = remote_page(client, handover, "en")
    assert "How has the child been this week" in english
    assert labels(english)[0] == "The child"


def test_the_child_reads_their_own_wording(client, child_episode, helper):
    handover = hand_over(child_episode, helper, method="link")
    page = remote_page(client, handover)
    assert "Hvordan har du hatt det denne uken?" in page
    assert labels(page) == ["Meg", "Familien", "Skolen", "Alt sammen"]
    assert "barnet" not in page.lower()


def test_a_teacher_on_the_tablet_reads_about_the_child_at_school(client, child_episode, helper):
    client.force_login(helper)
    client.cookies["django_language"] = "nn"
    handover = hand_over(child_episode, helper, rater="teacher", rater_name="Lærar")
    session = client.session
    kiosk_state = {"handover": handover.pk}
    session[kiosk.SESSION_KEY] = session.get(kiosk.SESSION_KEY, {}) | kiosk_state
    session.save()
    page = html.unescape(client.get(reverse("ratings:kiosk")).content.decode())
    assert "Korleis har barnet hatt det denne veka, slik du ser det på skulen?" in page
    assert labels(page) == ["Barnet", "Familien", "Skulen", "Alt saman"]


def test_a_parent_of_a_young_child_reads_about_the_child(client, child_episode, helper):
    child_episode.client.age_group = "young_child"
    child_episode.client.save()
    handover = hand_over(child_episode, helper, method="link", rater="parent", rater_name="Far")
    assert handover.instrument.key == "ycors"
    page = remote_page(client, handover)
    assert labels(page) == ["Barnet", "Familien", "Barnehagen", "Alt sammen"]


def test_an_adult_form_reads_the_same_for_every_rater(client, episode, helper):
    handover = hand_over(episode, helper, method="link", rater="parent", rater_name="Mor")
    assert labels(remote_page(client, handover))[0] == "Meg selv"
