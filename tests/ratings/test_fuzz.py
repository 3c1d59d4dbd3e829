"""Random POST bodies never cause a 500 and never leave a half rating behind."""

import json
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from services.ratings import kiosk, links
from services.ratings.models import Handover, Method, Rating

pytestmark = pytest.mark.django_db

KEYS = ["individually", "interpersonally", "socially", "overall"]
FUZZ = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

scores = st.one_of(
    st.decimals(min_value=-1, max_value=11, places=2).map(str),
    st.decimals(min_value=0, max_value=10, places=1).map(str),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.text(max_size=12),
    st.none(),
    st.booleans(),
    st.lists(st.integers(), max_size=2),
)
valid_score = st.decimals(min_value=0, max_value=10, places=1).map(str)
items = st.one_of(
    st.fixed_dictionaries({key: valid_score for key in KEYS}),
    st.fixed_dictionaries({key: scores for key in KEYS}),
    st.dictionaries(st.sampled_from([*KEYS, "mood", ""]), scores, max_size=6),
)
anything = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)


def bodies(token: str):
    return st.fixed_dictionaries(
        {},
        optional={
            "submission_key": st.one_of(st.uuids().map(str), st.text(max_size=40), anything),
            "instrument": st.one_of(st.sampled_from(["ors", "srs", "cors", ""]), anything),
            "handover": st.one_of(st.just(token), st.text(max_size=32), anything),
            "items": st.one_of(items, anything),
        },
    ) | st.fixed_dictionaries(
        {
            "submission_key": st.uuids().map(str),
            "instrument": st.just("ors"),
            "handover": st.just(token),
            "items": items,
        }
    )


def raw_bodies(token: str):
    return st.one_of(
        bodies(token).map(json.dumps),
        st.binary(max_size=64),
        st.text(max_size=64),
        anything.map(json.dumps),
    )


def form_bodies():
    values = st.one_of(scores.map(str), st.text(max_size=10))
    names = st.sampled_from(
        [*(f"item-{k}" for k in KEYS), "submission_key", "instrument", "handover", "total"]
    )
    return st.dictionaries(names, values, max_size=8)


def check_and_reset():
    """Every stored rating is whole; then start again so later examples can store too."""
    for rating in Rating.objects.all():
        if rating.method in (Method.TABLET, Method.LINK):
            assert sorted(rating.items) == sorted(rating.instrument.spec.item_keys)
        if rating.items is not None:
            values = [Decimal(v) for v in rating.items.values()]
            assert all(Decimal(0) <= v <= Decimal(10) for v in values)
            assert sum(values) == rating.total
        assert Decimal(0) <= rating.total <= Decimal(40)
    Rating.objects.all().delete()
    Handover.objects.update(used_at=None)


@pytest.fixture
def locked(staff, tablet):
    session = staff.session
    session[kiosk.SESSION_KEY] = {"handover": tablet.pk, "language": "nb"}
    session.save()
    return staff


def test_random_json_to_the_tablet_never_breaks(locked, tablet):
    @FUZZ
    @given(raw=raw_bodies(tablet.token.hex))
    def run(raw):
        response = locked.post(
            reverse("ratings:kiosk_submit"), raw, content_type="application/json"
        )
        event(f"status {response.status_code}")
        assert response.status_code < 500
        assert response.status_code in (200, 201) or not Rating.objects.exists()
        check_and_reset()

    run()


def test_random_json_to_a_remote_link_never_breaks(remote):
    url = reverse("ratings:remote", args=[links.token_for(remote)])
    anonymous = Client()

    @FUZZ
    @given(raw=raw_bodies(""))
    def run(raw):
        response = anonymous.post(url, raw, content_type="application/json")
        event(f"status {response.status_code}")
        assert response.status_code < 500
        assert response.status_code in (200, 201) or not Rating.objects.exists()
        check_and_reset()

    run()


def test_random_form_posts_never_break(locked, tablet, remote, episode, helper):
    remote_url = reverse("ratings:remote", args=[links.token_for(remote)])
    paper_url = reverse("ratings:paper", args=[episode.client_id, episode.pk])
    anonymous = Client()
    office = Client()
    office.force_login(helper)

    @FUZZ
    @given(
        data=form_bodies(),
        paper=st.dictionaries(
            st.sampled_from(
                [
                    "session",
                    "instrument",
                    "rater",
                    "rater_name",
                    "item1",
                    "item2",
                    "item3",
                    "item4",
                    "total",
                    "submission_key",
                ]
            ),
            st.one_of(st.text(max_size=10), st.integers().map(str), scores.map(str)),
            max_size=10,
        ),
    )
    def run(data, paper):
        assert locked.post(reverse("ratings:kiosk_submit"), data).status_code < 500
        check_and_reset()
        assert anonymous.post(remote_url, data).status_code < 500
        check_and_reset()
        assert office.post(paper_url, paper).status_code < 500
        check_and_reset()

    run()
