"""The client's form pages in plain words (issue #15, item 3), and the tablet's service worker."""

import html
import re

import pytest
from django.urls import reverse

from services.ratings import links

from .conftest import hand_over

pytestmark = pytest.mark.django_db


def visible_text(page: str) -> str:
    """The words a reader sees: no tags, no attributes (where the script keeps its messages)."""
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def remote_text(client, handover) -> str:
    response = client.get(reverse("ratings:remote", args=[links.token_for(handover)]))
    assert response.status_code == 200
    return visible_text(response.content.decode()).lower()


def test_the_child_form_calls_the_line_by_one_word(client, episode, helper):
    """The child forms ask for "et merke på hver strek"; the page's hint said "linje"."""
    episode.client.age_group = "child"
    episode.client.save()
    text = remote_text(client, hand_over(episode, helper, method="link"))
    assert "strek" in text
    assert "linje" not in text


def test_the_adult_form_says_linje_only(client, episode, helper):
    text = remote_text(client, hand_over(episode, helper, method="link"))
    assert "linje" in text
    assert "strek" not in text


def test_the_form_offers_reading_aloud_only_through_its_script(client, remote):
    page = client.get(reverse("ratings:remote", args=[links.token_for(remote)])).content.decode()
    assert re.search(r"<button[^>]*data-read-aloud[^>]*hidden", page)
    assert page.count("data-read-ends") == 4


def test_the_service_worker_is_served_for_the_tablets_pages_only(client):
    response = client.get(reverse("ratings:kiosk_worker"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    assert reverse("ratings:kiosk_worker").startswith(reverse("ratings:kiosk"))
    script = response.content.decode()
    assert '"/static/rating/rating.js"' in script
    assert 'var SCOPE = "/nettbrett/"' in script
