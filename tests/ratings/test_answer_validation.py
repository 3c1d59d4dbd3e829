"""Every bad answer is refused with a translated message and a 4xx, and nothing is stored."""

import datetime
import json
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from services.ratings import kiosk, links
from services.ratings.models import Handover, Rating
from tests.factories import EpisodeFactory

from .conftest import ITEMS, hand_over

pytestmark = pytest.mark.django_db

KEY = "6f1b3c2e-8d7a-4f55-9b0e-1c2d3e4f5a6b"


def nb(message: str) -> str:
    with translation.override("nb"):
        return translation.gettext(message)


def body(form, **overrides):
    values = {
        "submission_key": KEY,
        "instrument": form.instrument.key,
        "handover": form.token.hex,
        "items": dict(ITEMS),
    }
    return values | overrides


def with_item(handover, key, value):
    return body(handover, items=ITEMS | {key: value})


def without(handover, key):
    return body(handover, items={k: v for k, v in ITEMS.items() if k != key})


BAD_ANSWERS = [
    ("above the scale", lambda h: with_item(h, "overall", "10.1"), 400, None),
    ("far above the scale", lambda h: with_item(h, "overall", 1e300), 400, None),
    ("below the scale", lambda h: with_item(h, "overall", "-0.1"), 400, None),
    ("not a number", lambda h: with_item(h, "overall", "mye"), 400, "The score must be a number."),
    ("not finite", lambda h: with_item(h, "overall", "NaN"), 400, "The score must be a number."),
    ("infinite", lambda h: with_item(h, "overall", "Infinity"), 400, "The score must be a number."),
    ("a boolean", lambda h: with_item(h, "overall", True), 400, "The score must be a number."),
    ("a list", lambda h: with_item(h, "overall", [5]), 400, "The score must be a number."),
    ("too many decimals", lambda h: with_item(h, "overall", "4.25"), 400, None),
    (
        "an empty line",
        lambda h: with_item(h, "overall", ""),
        400,
        "This item has not been answered.",
    ),
    (
        "a null line",
        lambda h: with_item(h, "overall", None),
        400,
        "This item has not been answered.",
    ),
    ("a missing line", lambda h: without(h, "socially"), 400, "This item has not been answered."),
    ("an unknown line", lambda h: with_item(h, "mood", "5"), 400, None),
    ("no lines", lambda h: body(h, items={}), 400, "This item has not been answered."),
    ("lines not a mapping", lambda h: body(h, items=["5", "5", "5", "5"]), 400, None),
    ("no items", lambda h: {k: v for k, v in body(h).items() if k != "items"}, 400, None),
    ("the wrong form", lambda h: body(h, instrument="srs"), 400, None),
    ("no form", lambda h: body(h, instrument=None), 400, None),
    ("a bad submission key", lambda h: body(h, submission_key="123"), 409, None),
    ("no submission key", lambda h: body(h, submission_key=None), 409, None),
]


def post_json(client, url, data):
    raw = data if isinstance(data, str | bytes) else json.dumps(data)
    return client.post(url, raw, content_type="application/json")


def assert_refused(response, status, message=None):
    assert response.status_code == status, response.content
    data = response.json()
    assert data["status"] == "error"
    assert data["message"]
    if message:
        assert data["message"] == nb(message)
    assert not Rating.objects.exists()


@pytest.fixture
def locked(staff, tablet):
    session = staff.session
    session[kiosk.SESSION_KEY] = {"handover": tablet.pk, "language": "nb"}
    session.save()
    return staff


@pytest.mark.parametrize(("case", "make", "status", "message"), BAD_ANSWERS)
def test_the_tablet_refuses_bad_answers(locked, tablet, case, make, status, message):
    response = post_json(locked, reverse("ratings:kiosk_submit"), make(tablet))
    assert_refused(response, status, message)
    tablet.refresh_from_db()
    assert tablet.used_at is None


@pytest.mark.parametrize(("case", "make", "status", "message"), BAD_ANSWERS)
def test_the_remote_link_refuses_bad_answers(client, remote, case, make, status, message):
    url = reverse("ratings:remote", args=[links.token_for(remote)])
    assert_refused(post_json(client, url, make(remote)), status, message)


@pytest.mark.parametrize("raw", [" ", "not json", "[1, 2]", '"text"', "null", "{", b"\xff\xfe"])
def test_an_unreadable_body_is_refused(locked, tablet, remote, raw):
    assert_refused(post_json(locked, reverse("ratings:kiosk_submit"), raw), 400)
    url = reverse("ratings:remote", args=[links.token_for(remote)])
    assert_refused(post_json(Client(), url, raw), 400)


def test_an_empty_post_is_refused(locked, remote):
    assert locked.post(reverse("ratings:kiosk_submit")).status_code == 400
    url = reverse("ratings:remote", args=[links.token_for(remote)])
    assert Client().post(url).status_code == 400
    assert not Rating.objects.exists()


def test_the_bad_answer_message_is_in_the_clients_language(locked, tablet, remote):
    locked.post(reverse("ratings:kiosk_language"), {"language": "en"})
    response = post_json(locked, reverse("ratings:kiosk_submit"), with_item(tablet, "overall", "x"))
    assert response.json()["message"] == "The score must be a number."
    phone = Client()
    phone.cookies["django_language"] = "nn"
    url = reverse("ratings:remote", args=[links.token_for(remote)])
    response = post_json(phone, url, with_item(remote, "overall", "x"))
    with translation.override("nn"):
        assert response.json()["message"] == translation.gettext("The score must be a number.")


def test_a_plain_form_post_with_a_bad_line_shows_the_form_again(locked, tablet):
    data = {f"item-{key}": value for key, value in ITEMS.items()} | {"item-overall": "11"}
    data |= {"submission_key": KEY, "instrument": "ors", "handover": tablet.token.hex}
    response = locked.post(reverse("ratings:kiosk_submit"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'role="alert"' in page
    assert 'role="slider"' in page
    assert not Rating.objects.exists()


def test_an_answer_for_a_session_of_another_client_is_not_found(locked, episode, service, helper):
    other = EpisodeFactory(client__service=service)
    theirs = hand_over(other, helper)
    response = post_json(locked, reverse("ratings:kiosk_submit"), body(theirs))
    assert response.status_code == 404
    assert not Rating.objects.exists()


def test_an_unknown_handover_is_not_found(locked, tablet):
    for token in [uuid.uuid4().hex, "nonsense", ""]:
        response = post_json(locked, reverse("ratings:kiosk_submit"), body(tablet, handover=token))
        assert response.status_code == 404
    assert not Rating.objects.exists()


def test_a_second_answer_to_the_same_form_is_refused(locked, tablet):
    assert post_json(locked, reverse("ratings:kiosk_submit"), body(tablet)).status_code == 201
    again = post_json(
        locked, reverse("ratings:kiosk_submit"), body(tablet, submission_key=str(uuid.uuid4()))
    )
    assert again.status_code == 410
    assert again.json()["message"] == nb("This form has already been answered.")
    assert Rating.objects.count() == 1


def test_a_submission_key_used_elsewhere_is_refused(locked, tablet, episode, helper):
    assert post_json(locked, reverse("ratings:kiosk_submit"), body(tablet)).status_code == 201
    second = hand_over(episode, helper, purpose="alliance")
    response = post_json(
        locked, reverse("ratings:kiosk_submit"), body(second, items=ITEMS, instrument="srs")
    )
    assert response.status_code == 410
    assert Rating.objects.count() == 1


def test_an_expired_link_is_refused(client, remote):
    remote.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    remote.save()
    url = reverse("ratings:remote", args=[links.token_for(remote)])
    response = post_json(client, url, body(remote))
    assert_refused(response, 410, "This link has expired.")
    assert client.get(url).status_code == 410


def test_a_reused_link_is_refused_but_a_repeat_gets_the_stored_answer(client, remote):
    url = reverse("ratings:remote", args=[links.token_for(remote)])
    assert post_json(client, url, body(remote)).status_code == 201
    repeat = post_json(client, url, body(remote, items=ITEMS | {"overall": "9.9"}))
    assert repeat.status_code == 200
    assert repeat.json()["status"] == "already_stored"
    reused = post_json(client, url, body(remote, submission_key=str(uuid.uuid4())))
    assert reused.status_code == 410
    assert reused.json()["message"] == nb("This form has already been answered.")
    assert str(Rating.objects.get().total) == "22.6"


def test_a_handover_made_before_the_client_declined_is_refused(locked, tablet, episode):
    episode.client.consent = "declined"
    episode.client.save()
    response = post_json(locked, reverse("ratings:kiosk_submit"), body(tablet))
    assert response.status_code == 409
    assert not Rating.objects.exists()
    assert not Handover.objects.filter(used_at__isnull=False).exists()


def both_endpoints(locked, tablet, remote):
    """(client, url, form) for the tablet and for the remote link."""
    return [
        (locked, reverse("ratings:kiosk_submit"), tablet),
        (Client(), reverse("ratings:remote", args=[links.token_for(remote)]), remote),
    ]


@pytest.mark.parametrize(
    "raw",
    [
        "[" * 100_000,
        "{" * 100_000,
        '{"a":' * 50_000,
        '{"items": ' + "[" * 5_000 + "]" * 5_000 + "}",
        "[" * 200 + "]" * 200,
    ],
    ids=["brackets", "braces", "objects", "deep items", "closed but deep"],
)
def test_deeply_nested_json_is_refused_before_parsing(locked, tablet, remote, raw):
    for client, url, _ in both_endpoints(locked, tablet, remote):
        response = post_json(client, url, raw)
        assert_refused(response, 400, "The answer could not be read. Try again.")
        assert response.json()["field"] == "body"


def test_a_body_larger_than_any_answer_is_refused(locked, tablet, remote):
    for client, url, form in both_endpoints(locked, tablet, remote):
        padded = json.dumps(body(form)) + " " * 16 * 1024
        response = post_json(client, url, padded)
        assert_refused(response, 400, "The answer could not be read. Try again.")
        assert response.json()["field"] == "body"
        data = {f"item-{key}": value for key, value in ITEMS.items()}
        data |= {"submission_key": KEY, "instrument": "ors", "handover": form.token.hex}
        assert client.post(url, data | {"padding": "x" * 16 * 1024}).status_code == 400
        assert not Rating.objects.exists()


def test_brackets_inside_strings_do_not_count_as_nesting(client, remote):
    url = reverse("ratings:remote", args=[links.token_for(remote)])
    response = post_json(client, url, body(remote, handover="[{" * 200))
    assert response.status_code == 201, response.content


ODD_NUMBERS = [
    "-0",
    "-0.0",
    "-0,0",
    -0.0,
    "\u0665",
    "\u0667.\u0665",
    "\uff15",
    "+5",
    "5e0",
    " 5 ",
    "5.",
    ".5",
    "0x5",
    "5_0",
    False,
    7.25,
]


@pytest.mark.parametrize("value", ODD_NUMBERS, ids=repr)
def test_odd_numbers_are_not_ratings(locked, tablet, remote, value):
    for client, url, form in both_endpoints(locked, tablet, remote):
        response = post_json(client, url, with_item(form, "overall", value))
        assert_refused(response, 400)
        assert response.json()["field"] == "overall"


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        ("7", "7.0"),
        ("7.5", "7.5"),
        ("7,5", "7.5"),
        ("10", "10.0"),
        ("10.0", "10.0"),
        ("0", "0.0"),
        (0, "0.0"),
        (7.5, "7.5"),
        (10, "10.0"),
    ],
    ids=repr,
)
def test_plain_numbers_are_ratings(client, remote, value, stored):
    url = reverse("ratings:remote", args=[links.token_for(remote)])
    response = post_json(client, url, with_item(remote, "overall", value))
    assert response.status_code == 201, response.content
    assert Rating.objects.get().items["overall"] == stored
