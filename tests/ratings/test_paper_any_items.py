"""Paper entry with any number of lines, and only the forms the service has chosen (issue #12,
item 10)."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from services.measures import choosing
from services.ratings.models import Rating
from services.sessions.models import Session
from tests.factories import instrument
from tests.seven_items import ITEM_KEYS, load_seven_item_form

pytestmark = pytest.mark.django_db

SEVEN = {f"item{n}": str(n) for n in range(1, 8)}


@pytest.fixture
def session(episode):
    return Session.objects.create(episode=episode, number=1, date=datetime.date(2026, 3, 2))


@pytest.fixture
def seven(service, administrator):
    """The seven-item form, loaded and chosen for adults by the administrator."""
    form = load_seven_item_form()
    choosing.choose(service, "outcome", "adult", form, administrator)
    return form


def url_of(episode):
    return reverse("ratings:paper", args=[episode.client_id, episode.pk])


def post(staff, episode, session, form, **fields):
    data = {
        "session": session.pk,
        "instrument": form.pk,
        "rater": "client",
        "submission_key": str(uuid.uuid4()),
    }
    return staff.post(url_of(episode), data | fields)


def offered(page: str) -> str:
    forms = page[page.index('name="instrument"') :]
    return forms[: forms.index("</select>")]


def test_a_loaded_form_is_not_offered_until_the_service_chooses_it(staff, episode, session):
    form = load_seven_item_form()
    page = staff.get(url_of(episode)).content.decode()
    assert f'value="{form.pk}"' not in offered(page)
    assert f'value="{instrument("ors").pk}"' in offered(page)
    assert 'name="item5"' not in page


def test_seven_lines_are_entered_and_stored(staff, episode, session, seven):
    page = staff.get(url_of(episode)).content.decode()
    assert f'value="{seven.pk}"' in offered(page)
    assert 'name="item7"' in page and 'name="item8"' not in page
    response = post(staff, episode, session, seven, total="28", **SEVEN)
    assert response.status_code == 302
    rating = Rating.objects.get()
    stored = {key: Decimal(value) for key, value in rating.items.items()}
    assert stored == {key: Decimal(n) for n, key in enumerate(ITEM_KEYS, 1)}
    assert rating.total == Decimal(28)
    assert rating.age_group == "adult"


def test_a_missing_seventh_line_is_refused_on_its_field(staff, episode, session, seven):
    response = post(staff, episode, session, seven, **SEVEN | {"item7": ""})
    assert response.status_code == 400
    assert not Rating.objects.exists()


def test_a_four_line_form_with_a_fifth_line_is_refused(staff, episode, session, seven):
    srs = instrument("srs")
    lines = {f"item{n}": "9" for n in range(1, 5)}
    assert post(staff, episode, session, srs, **lines | {"item5": "3"}).status_code == 400
    assert not Rating.objects.exists()
    assert post(staff, episode, session, srs, **lines).status_code == 302
    assert Rating.objects.get().total == Decimal(36)


def test_the_total_only_of_a_seven_item_form_may_exceed_forty(staff, episode, session, seven):
    assert post(staff, episode, session, seven, total="52,5").status_code == 302
    rating = Rating.objects.get()
    assert (rating.items, rating.total) == (None, Decimal("52.5"))
