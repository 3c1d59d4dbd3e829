"""Handover mode: the tablet shows only the form until the helper unlocks it."""

import datetime
import json
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from services.accounts.pin import set_pin
from services.audit.models import AuditEvent
from services.ratings import kiosk
from services.ratings.models import Handover, Rating
from tests.factories import MembershipFactory, UserFactory

from .conftest import ITEMS

pytestmark = pytest.mark.django_db


def lock(staff, tablet):
    session = staff.session
    session[kiosk.SESSION_KEY] = {"handover": tablet.pk, "language": "nb"}
    session.save()


def answer(tablet, **overrides):
    body = {
        "submission_key": "0b9c7c39-2c5e-4a44-9d43-2f1a3f5f6a01",
        "instrument": tablet.instrument.key,
        "handover": tablet.token.hex,
        "items": ITEMS,
    }
    return body | overrides


def send(client, body):
    return client.post(
        reverse("ratings:kiosk_submit"), json.dumps(body), content_type="application/json"
    )


@pytest.fixture
def locked(staff, tablet):
    lock(staff, tablet)
    return staff


@pytest.mark.parametrize(
    "url",
    ["/", "/klienter/", "/klienter/1/", "/admin/", "/profil/pin/", "/finnes-ikke/", "/svar/x/"],
)
def test_every_staff_page_leads_back_to_the_form(locked, url):
    response = locked.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("ratings:kiosk")
    assert locked.post(url, {"x": "1"})["Location"] == reverse("ratings:kiosk")


def test_the_form_shows_the_greeting_and_nothing_about_the_client(locked, tablet, episode):
    tablet.greeting = "Hei, Kari!"
    tablet.save()
    episode.client.display_name = "Kari Nordmann"
    episode.client.save()
    page = locked.get(reverse("ratings:kiosk")).content.decode()
    assert "Hei, Kari!" in page
    assert "Nordmann" not in page
    assert episode.client.code not in page
    assert "bootstrap" not in page
    assert "<nav" not in page
    assert "<script>" not in page and "onclick" not in page
    assert page.count('role="slider"') == 4
    assert page.count('aria-valuemin="0"') == 4
    assert "rating/rating.css" in page and "rating/rating.js" in page


def test_the_submit_button_starts_disabled_and_lines_unmarked(locked):
    page = locked.get(reverse("ratings:kiosk")).content.decode()
    assert "disabled data-submit" in page
    assert "aria-valuenow" not in page
    assert page.count('name="item-') == 4
    assert page.count('value=""') >= 4


def test_each_drawing_of_the_form_carries_a_new_submission_key(locked):
    keys = set()
    for _ in range(2):
        page = locked.get(reverse("ratings:kiosk")).content.decode()
        start = page.index('name="submission_key" value="') + len('name="submission_key" value="')
        keys.add(page[start : start + 36])
    assert len(keys) == 2


def test_staff_pages_are_not_kept_in_the_browser_cache(staff, episode):
    response = staff.get(reverse("clients:detail", args=[episode.client_id]))
    assert "no-store" in response["Cache-Control"]


def test_the_answer_is_stored_once_and_the_thank_you_follows(locked, tablet):
    first = send(locked, answer(tablet))
    assert first.status_code == 201
    assert first.json()["next"] == reverse("ratings:kiosk_thanks")
    assert "total" not in first.json()
    again = send(locked, answer(tablet))
    assert again.status_code == 200
    assert again.json()["status"] == "already_stored"
    rating = Rating.objects.get()
    assert (rating.method, rating.total, rating.session) == (
        "tablet",
        Decimal("22.6"),
        tablet.session,
    )
    assert locked.get(reverse("ratings:kiosk"))["Location"] == reverse("ratings:kiosk_thanks")
    thanks = locked.get(reverse("ratings:kiosk_thanks")).content.decode()
    assert reverse("ratings:unlock") in thanks


def test_a_plain_form_post_works_too(locked, tablet):
    data = {f"item-{key}": value for key, value in ITEMS.items()}
    data |= {"submission_key": answer(tablet)["submission_key"], "instrument": "ors"}
    data["handover"] = tablet.token.hex
    response = locked.post(reverse("ratings:kiosk_submit"), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("ratings:kiosk_thanks")
    assert Rating.objects.count() == 1


def test_the_thank_you_waits_for_the_answer(locked):
    assert locked.get(reverse("ratings:kiosk_thanks"))["Location"] == reverse("ratings:kiosk")


def test_unlocking_with_the_pin_returns_to_the_client_page(locked, tablet, helper, episode):
    set_pin(helper, "2580")
    send(locked, answer(tablet))
    page = locked.get(reverse("ratings:unlock")).content.decode()
    assert 'inputmode="numeric"' in page
    response = locked.post(reverse("ratings:unlock"), {"pin": "2580"})
    assert response.status_code == 302
    assert response["Location"] == f"/klienter/{episode.client_id}/?episode={episode.pk}"
    assert kiosk.SESSION_KEY not in locked.session
    assert AuditEvent.objects.filter(action="unlock", user=helper).exists()
    page = locked.get(response["Location"]).content.decode()
    assert "22,6" in page


def test_the_password_works_when_there_is_no_pin(locked, tablet):
    page = locked.get(reverse("ratings:unlock")).content.decode()
    assert 'name="pin"' not in page
    response = locked.post(reverse("ratings:unlock"), {"password": "correct horse battery"})
    assert response.status_code == 302
    assert kiosk.SESSION_KEY not in locked.session


def test_the_password_works_as_a_fallback_for_the_pin(locked, helper):
    set_pin(helper, "2580")
    response = locked.post(
        reverse("ratings:unlock"), {"pin": "", "password": "correct horse battery"}
    )
    assert response.status_code == 302


def test_wrong_pins_are_throttled_and_then_even_the_right_one_waits(locked, helper):
    set_pin(helper, "2580")
    for _ in range(settings.PIN_FAILURE_LIMIT - 1):
        response = locked.post(reverse("ratings:unlock"), {"pin": "0000"})
        assert response.status_code == 400
    blocked = locked.post(reverse("ratings:unlock"), {"pin": "0000"})
    assert blocked.status_code == 429
    assert locked.post(reverse("ratings:unlock"), {"pin": "2580"}).status_code == 429
    assert kiosk.SESSION_KEY in locked.session
    assert locked.get(reverse("ratings:unlock")).status_code == 429
    helper.refresh_from_db()
    helper.unlock_locked_until = timezone.now() - datetime.timedelta(seconds=1)
    helper.save()
    assert locked.post(reverse("ratings:unlock"), {"pin": "2580"}).status_code == 302


def test_logging_out_is_always_possible(locked):
    response = locked.post(reverse("logout"))
    assert response.status_code == 302
    assert kiosk.SESSION_KEY not in locked.session
    assert locked.get(reverse("clients:caseload")).status_code == 302


def test_the_client_may_read_the_form_in_another_language_without_changing_the_helpers(
    locked, helper, episode
):
    assert 'lang="nb"' in locked.get(reverse("ratings:kiosk")).content.decode()
    response = locked.post(reverse("ratings:kiosk_language"), {"language": "en"})
    assert response["Location"] == reverse("ratings:kiosk")
    page = locked.get(reverse("ratings:kiosk")).content.decode()
    assert '<html lang="en">' in page
    assert "Put a mark on every line" in page
    helper.refresh_from_db()
    assert helper.language == ""
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    locked.post(reverse("ratings:unlock"), {"password": "correct horse battery"})
    page = locked.get(reverse("clients:detail", args=[episode.client_id])).content.decode()
    assert '<html lang="nb">' in page


def test_the_staff_language_switch_is_closed_while_the_client_holds_the_tablet(locked, helper):
    response = locked.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response["Location"] == reverse("ratings:kiosk")
    helper.refresh_from_db()
    assert helper.language == ""


def test_an_answer_waiting_on_the_device_can_be_sent_after_unlocking(staff, tablet, episode):
    response = send(staff, answer(tablet))
    assert response.status_code == 201
    assert response.json()["next"] == f"/klienter/{episode.client_id}/?episode={episode.pk}"


def test_an_answer_sent_without_a_login_stays_on_the_device(client, tablet):
    response = send(client, answer(tablet))
    assert response.status_code == 403
    assert response.json()["status"] == "error"
    assert not Rating.objects.exists()


def test_a_helper_without_access_cannot_send_anothers_tablet_answer(client, tablet, service):
    stranger = UserFactory(username="fremmed")
    MembershipFactory(user=stranger, service=service)
    client.force_login(stranger)
    assert send(client, answer(tablet)).status_code == 404
    assert not Rating.objects.exists()


def test_the_thank_you_shows_the_clients_curve_only_when_allowed(locked, tablet):
    send(locked, answer(tablet))
    assert "<svg" not in locked.get(reverse("ratings:kiosk_thanks")).content.decode()
    Handover.objects.filter(pk=tablet.pk).update(show_curve=True)
    page = locked.get(reverse("ratings:kiosk_thanks")).content.decode()
    assert "<svg" in page
    assert 'aria-labelledby="curve-caption"' in page
    Handover.objects.filter(pk=tablet.pk).update(rater="parent", rater_name="Mor")
    assert "<svg" not in locked.get(reverse("ratings:kiosk_thanks")).content.decode()
