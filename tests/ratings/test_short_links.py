"""Short remote links (issue #15, item 4): an address that fits a text message, still
unguessable, one-time and bounded in time; the long signed links already sent keep working."""

import datetime
import json
import re

import pytest
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from services.ratings import links, short_codes
from services.ratings.models import Handover, Rating

from .conftest import ITEMS, hand_over

pytestmark = pytest.mark.django_db

HOST = "kommune.example.no"


def short_url(handover) -> str:
    return reverse("ratings:short", args=[links.short_code_for(handover)])


def answer(client, url: str, key: str = "0f8fad5b-d9cb-469f-a165-70867728950e"):
    data = {"submission_key": key, "instrument": "ors", "items": ITEMS}
    return client.post(url, json.dumps(data), content_type="application/json")


@override_settings(ALLOWED_HOSTS=[HOST])
def test_the_link_fits_a_text_message_with_a_real_host(remote):
    request = RequestFactory().get("/", HTTP_HOST=HOST, secure=True)
    url = links.link_url(request, remote)
    assert len(url) <= 40, url
    code = links.short_code_for(remote)
    assert url == f"https://{HOST}/s/{code}"
    assert re.fullmatch(f"[{short_codes.ALPHABET}]{{{short_codes.LENGTH}}}", code)


def test_the_code_is_unguessable_and_not_in_the_database(remote, episode, helper):
    assert len(short_codes.ALPHABET) ** short_codes.LENGTH >= 2**60
    # No look-alike characters, so a code read aloud or typed from paper survives.
    assert not set("0OIl") & set(short_codes.ALPHABET)
    others = [
        hand_over(episode, helper, method="link", rater="other", rater_name=f"N{n}")
        for n in range(20)
    ]
    codes = {links.short_code_for(handover) for handover in [remote, *others]}
    assert len(codes) == 21
    # The database alone opens nothing: it keeps a keyed digest, and the code needs the key.
    row = Handover.objects.filter(pk=remote.pk).values().get()
    code = links.short_code_for(remote)
    assert not any(code in str(value) for value in row.values())
    with override_settings(SECRET_KEY="another installation's key"):
        assert links.short_code_for(remote) is None
        assert links.handover_for_code(code) is None


def test_the_short_link_opens_the_form_once(client, remote):
    url = short_url(remote)
    page = client.get(url)
    assert page.status_code == 200
    assert "Hei, Kari!" in page.content.decode()
    assert f'action="{url}"' in page.content.decode()
    stored = answer(client, url)
    assert stored.status_code == 201
    thanks = reverse("ratings:short_thanks", args=[links.short_code_for(remote)])
    assert stored.json()["next"] == thanks
    assert client.get(thanks).status_code == 200
    rating = Rating.objects.get()
    assert (rating.method, rating.session) == ("link", remote.session)
    again = client.get(url)
    assert again.status_code == 410
    assert 'role="slider"' not in again.content.decode()
    assert answer(client, url, key="7c9e6679-7425-40de-944b-e07fc1f90ae7").status_code == 410
    # The same handover's long link is closed too: one answer per handover, whichever address.
    long_url = reverse("ratings:remote", args=[links.token_for(remote)])
    assert client.get(long_url).status_code == 410
    assert Rating.objects.count() == 1


def test_the_thank_you_waits_for_the_answer(client, remote):
    response = client.get(reverse("ratings:short_thanks", args=[links.short_code_for(remote)]))
    assert response.status_code == 302
    assert response["Location"] == short_url(remote)


def test_an_expired_short_link_is_closed(client, remote):
    Handover.objects.filter(pk=remote.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    response = client.get(short_url(remote))
    assert response.status_code == 410
    assert "gått ut" in response.content.decode()
    assert answer(client, short_url(remote)).status_code == 410
    assert not Rating.objects.exists()


def test_an_address_typed_with_a_slash_at_the_end_still_works(client, remote):
    assert client.get(short_url(remote) + "/").status_code == 200


def test_altered_or_unknown_codes_are_not_found(client, remote, tablet):
    code = links.short_code_for(remote)
    swapped = ("2" if code[0] != "2" else "3") + code[1:]
    assert links.short_code_for(tablet) is None  # a tablet hand-over is never a link
    for bad in [swapped, code[:-1], code + "x", "0" * short_codes.LENGTH, "é" * 11, "x"]:
        url = "/s/" + bad
        assert client.get(url).status_code == 404, bad
        assert answer(client, url).status_code == 404, bad
        assert "Be om en ny" in client.get(url).content.decode()
    assert not Rating.objects.exists()


def test_long_links_sent_before_the_short_ones_work_until_they_expire(
    client, remote, staff, episode, helper
):
    expired = hand_over(episode, helper, method="link", rater="parent")
    made_before = Handover.objects.filter(pk__in=[remote.pk, expired.pk])
    made_before.update(short_link_digest=None)
    Handover.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    remote.refresh_from_db()
    page = staff.get(reverse("ratings:link", args=[episode.client_id, remote.pk]))
    assert "http://testserver/svar/" in page.content.decode()
    assert (
        answer(client, reverse("ratings:remote", args=[links.token_for(remote)])).status_code == 201
    )
    assert client.get(reverse("ratings:remote", args=[links.token_for(expired)])).status_code == 410


def test_the_helper_is_shown_the_short_link_and_its_qr_code(staff, remote):
    page = staff.get(reverse("ratings:link", args=[remote.session.episode.client_id, remote.pk]))
    text = page.content.decode()
    assert f'value="http://testserver{short_url(remote)}"' in text
    assert "/svar/" not in text
    assert "<svg" in text


def test_short_links_survive_a_rotated_secret_key(client, remote, settings):
    code = links.short_code_for(remote)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "the new key after rotation"
    assert links.short_code_for(remote) == code
    assert client.get(short_url(remote)).status_code == 200


def test_guessing_short_links_is_slowed_down(client, settings):
    settings.REMOTE_LINK_RATE_LIMIT = 3
    url = "/s/" + "2" * short_codes.LENGTH
    assert [client.get(url).status_code for _ in range(4)] == [404, 404, 404, 429]
