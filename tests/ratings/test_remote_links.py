"""The one-time link on the client's phone: one form, once, revealing nothing but the greeting."""

import json
import uuid

import pytest
from django.urls import reverse

from services.ratings import links
from services.ratings.models import Rating

from .conftest import ITEMS

pytestmark = pytest.mark.django_db


def url_of(handover):
    return reverse("ratings:remote", args=[links.token_for(handover)])


def page_key(page: str) -> str:
    start = page.index('name="submission_key" value="') + len('name="submission_key" value="')
    return page[start : start + 36]


def test_the_link_opens_only_the_form_with_the_greeting(client, remote, episode):
    episode.client.display_name = "Kari Nordmann"
    episode.client.save()
    response = client.get(url_of(remote))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Hei, Kari!" in page
    assert "Nordmann" not in page and episode.client.code not in page
    assert f'action="{url_of(remote)}"' in page
    assert reverse("ratings:unlock") not in page
    assert 'name="handover"' not in page
    assert page.count('role="slider"') == 4


def test_an_answer_through_the_link_is_stored_once_and_the_link_then_closes(client, remote):
    page = client.get(url_of(remote)).content.decode()
    data = {"submission_key": page_key(page), "instrument": "ors", "items": ITEMS}
    first = client.post(url_of(remote), json.dumps(data), content_type="application/json")
    assert first.status_code == 201
    assert first.json()["next"] == reverse("ratings:remote_thanks", args=[links.token_for(remote)])
    rating = Rating.objects.get()
    assert (rating.method, rating.session) == ("link", remote.session)
    remote.refresh_from_db()
    assert remote.used_at is not None and remote.rating == rating
    assert client.get(first.json()["next"]).status_code == 200
    again = client.get(url_of(remote))
    assert again.status_code == 410
    assert 'role="slider"' not in again.content.decode()


def test_the_link_also_takes_a_plain_form_post(client, remote):
    data = {f"item-{key}": value for key, value in ITEMS.items()}
    data |= {"submission_key": str(uuid.uuid4()), "instrument": "ors"}
    response = client.post(url_of(remote), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("ratings:remote_thanks", args=[links.token_for(remote)])
    assert Rating.objects.count() == 1


def test_an_altered_or_unknown_link_is_not_found(client, remote):
    token = links.token_for(remote)
    short = token.split(":")[0]
    unsigned_elsewhere = links.signing.Signer(salt="other").sign(short)
    for bad in [token[:-2] + "xx", uuid.uuid4().hex, "x", short, unsigned_elsewhere, "é:é"]:
        assert client.get(reverse("ratings:remote", args=[bad])).status_code == 404
        response = client.post(
            reverse("ratings:remote", args=[bad]), "{}", content_type="application/json"
        )
        assert response.status_code == 404


def test_a_tablet_handover_cannot_be_opened_as_a_link(client, tablet):
    signed = links.token_for(tablet)
    assert client.get(reverse("ratings:remote", args=[signed])).status_code == 404


def test_the_thank_you_waits_for_the_answer(client, remote):
    response = client.get(reverse("ratings:remote_thanks", args=[links.token_for(remote)]))
    assert response["Location"] == url_of(remote)


def test_an_address_that_hammers_remote_links_is_slowed_down(client, settings):
    settings.REMOTE_LINK_RATE_LIMIT = 3
    url = reverse("ratings:remote", args=["not-a-token"])
    assert [client.get(url).status_code for _ in range(4)] == [404, 404, 404, 429]
    assert "Vent noen minutter" in client.get(url).content.decode()
