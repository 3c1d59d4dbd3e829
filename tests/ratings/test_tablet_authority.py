"""A handed-over tablet works on its own authority while the helper's staff session is gone.

Issue #15, item 1: the helper's idle session ran out while the client held the tablet, and the
client's answer waited on the device, blamed on the network, until the helper logged in again.
The hand-over now leaves a signed cookie on the tablet that names that one hand-over, for
TABLET_HANDOVER_HOURS: enough to draw the form, store its answer once and say thank you, and
nothing else of the app.
"""

import datetime
import json

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session as StaffSession
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from services.accounts.pin import set_pin
from services.audit.models import AuditEvent
from services.ratings import kiosk
from services.ratings.models import Handover, Rating

from .conftest import ITEMS, hand_over
from .test_outage import database_outage
from .test_tablet_pages import visible_text

pytestmark = pytest.mark.django_db

KEY = "4d0b0c8e-5f57-4b8e-9a53-8f0e2a6c1d11"


def handed_over(client, episode, **fields):
    """The tablet after the helper pressed "Give the tablet to the client"."""
    data = {"purpose": "outcome", "rater": "client", "method": "tablet"} | fields
    response = client.post(reverse("ratings:handover", args=[episode.client_id, episode.pk]), data)
    assert response["Location"] == reverse("ratings:kiosk")
    return Handover.objects.latest("pk")


def idle_timeout():
    """The helper's staff session runs out, as SESSION_IDLE_MINUTES of quiet on the tablet do."""
    StaffSession.objects.all().delete()


def answer(handover, key=KEY):
    body = {
        "submission_key": key,
        "instrument": handover.instrument.key,
        "handover": handover.token.hex,
        "items": ITEMS,
    }
    return json.dumps(body)


def send(client, handover, key=KEY):
    return client.post(
        reverse("ratings:kiosk_submit"),
        answer(handover, key),
        content_type="application/json",
        HTTP_ACCEPT="application/json",
    )


@pytest.fixture
def expired(staff, episode):
    """A tablet handed over to the client, whose helper's session has since run out."""
    handover = handed_over(staff, episode, greeting="Hei!")
    idle_timeout()
    return handover


def test_the_answer_is_stored_and_thanked_after_the_helpers_session_ran_out(
    staff, expired, episode
):
    form = staff.get(reverse("ratings:kiosk"))
    assert form.status_code == 200
    assert "Hei!" in form.content.decode()
    assert episode.client.code not in form.content.decode()

    response = send(staff, expired)
    assert response.status_code == 201, response.content
    assert response.json()["next"] == reverse("ratings:kiosk_thanks")
    again = send(staff, expired)
    assert again.status_code == 200
    assert again.json()["status"] == "already_stored"
    rating = Rating.objects.get()
    assert (rating.session, rating.method) == (expired.session, "tablet")
    assert AuditEvent.objects.filter(action="create", object_type="rating").count() == 1

    thanks = staff.get(reverse("ratings:kiosk_thanks"))
    assert thanks.status_code == 200
    assert thanks["Cache-Control"] == "no-store"
    assert reverse("ratings:unlock") in thanks.content.decode()
    assert staff.get(reverse("ratings:kiosk"))["Location"] == reverse("ratings:kiosk_thanks")


def test_give_the_tablet_back_asks_the_helper_to_log_in_and_never_blames_the_network(
    staff, expired, episode, helper
):
    set_pin(helper, "2580")
    send(staff, expired)
    page = staff.get(reverse("ratings:unlock"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Gi nettbrettet tilbake til hjelperen" in text
    assert "nettet" not in visible_text(text)  # only the script's message for when it is offline
    assert 'name="pin"' not in text  # nobody is signed in whose PIN it could be
    login = reverse("login")
    assert f'href="{login}?next=' in text

    # The helper logs in on the tablet and is back on the client's page; the tablet is theirs.
    response = staff.post(
        f"{login}?next={reverse('ratings:unlock')}",
        {"username": "hjelper", "password": "correct horse battery"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == (
        f"/klienter/{episode.client_id}/?episode={episode.pk}"
    )
    assert staff.cookies[kiosk.COOKIE].value == ""
    assert staff.get(reverse("ratings:kiosk"))["Location"] == reverse("home")


def test_the_helper_whose_session_is_alive_still_unlocks_with_the_pin(staff, episode, helper):
    set_pin(helper, "2580")
    handover = handed_over(staff, episode)
    assert send(staff, handover).status_code == 201
    response = staff.post(reverse("ratings:unlock"), {"pin": "2580"})
    assert response["Location"] == f"/klienter/{episode.client_id}/?episode={episode.pk}"
    assert staff.cookies[kiosk.COOKIE].value == ""
    idle_timeout()
    assert staff.get(reverse("ratings:kiosk"))["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/klienter/",
        "/klienter/{client}/",
        "/klienter/{client}/forlop/{episode}/papir/",
        "/profil/pin/",
        "/oversikt/",
        "/tilgangslogg/",
        "/admin/",
    ],
)
def test_the_hand_over_grants_no_staff_page(staff, expired, episode, url):
    url = url.format(client=episode.client_id, episode=episode.pk)
    for method in ("get", "post"):
        response = getattr(staff, method)(url)
        assert response.status_code == 302, (method, url)
        assert response["Location"] == reverse("ratings:kiosk"), (method, url)


def test_the_hand_over_names_one_form_only(staff, expired, episode, helper):
    other = hand_over(episode, helper, purpose="alliance")
    assert send(staff, other).status_code == 403
    assert not Rating.objects.exists()


def made_earlier(client, handover, **ago):
    """The hand-over as if it had been made that long ago: its row and the tablet's cookie."""
    created = timezone.now() - datetime.timedelta(**ago)
    Handover.objects.filter(pk=handover.pk).update(created_at=created)
    client.cookies[kiosk.COOKIE] = kiosk.cookie_value(handover.token.hex, "", created)


def test_the_hand_over_works_for_a_bounded_time(staff, expired, episode):
    made_earlier(staff, expired, hours=settings.TABLET_HANDOVER_HOURS, minutes=-1)
    assert staff.get(reverse("ratings:kiosk")).status_code == 200
    made_earlier(staff, expired, hours=settings.TABLET_HANDOVER_HOURS)
    response = send(staff, expired)
    assert response.status_code == 403  # kept on the device, sent when the helper logs in
    assert not Rating.objects.exists()
    assert staff.get(reverse("ratings:kiosk"))["Location"].startswith(reverse("login"))
    assert staff.get(reverse("clients:caseload"))["Location"].startswith(reverse("login"))


@override_settings(TABLET_HANDOVER_HOURS=1)
def test_the_bound_is_a_setting(staff, expired):
    made_earlier(staff, expired, minutes=61)
    assert send(staff, expired).status_code == 403
    # The row alone decides too, whatever a cookie says about its age.
    Handover.objects.filter(pk=expired.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=61)
    )
    staff.cookies[kiosk.COOKIE] = kiosk.cookie_value(expired.token.hex, "")
    assert send(staff, expired).status_code == 403
    assert not Rating.objects.exists()


def test_an_altered_cookie_is_no_authority(staff, expired):
    value = staff.cookies[kiosk.COOKIE].value
    staff.cookies[kiosk.COOKIE] = value[:-2] + ("AA" if not value.endswith("AA") else "BB")
    assert send(staff, expired).status_code == 403
    assert staff.get(reverse("ratings:kiosk"))["Location"].startswith(reverse("login"))
    assert not Rating.objects.exists()


def test_a_remote_link_is_not_a_tablet_hand_over(client, remote, episode):
    client.cookies[kiosk.COOKIE] = kiosk.cookie_value(remote.token.hex, "")
    assert send(client, remote).status_code == 403
    assert not Rating.objects.exists()


def test_the_client_may_choose_a_language_after_the_session_ran_out(staff, expired, helper):
    response = staff.post(reverse("ratings:kiosk_language"), {"language": "en"})
    assert response["Location"] == reverse("ratings:kiosk")
    page = staff.get(reverse("ratings:kiosk")).content.decode()
    assert '<html lang="en">' in page
    helper.refresh_from_db()
    assert helper.language == ""


def test_logging_out_ends_the_hand_over(staff, episode):
    handover = handed_over(staff, episode)
    staff.post(reverse("logout"))
    assert staff.cookies[kiosk.COOKIE].value == ""
    assert send(staff, handover).status_code == 403


def test_during_a_database_outage_the_answer_is_asked_to_wait(staff, expired, tmp_path):
    """The cookie is read before the view, as the session is; the outage is still a calm 503."""
    staff.raise_request_exception = False
    body = answer(expired)
    with database_outage(tmp_path):
        response = staff.post(
            reverse("ratings:kiosk_submit"), body, content_type="application/json"
        )
    assert response.status_code == 503
    assert response.json()["field"] == "server"
    assert not Rating.objects.exists()
    assert send(staff, expired).status_code == 201
