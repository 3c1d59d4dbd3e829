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


CONTENT_TYPES = st.sampled_from(
    [
        "application/json",
        "application/json; charset=utf-8",
        "application/json; charset=latin-1",
        "application/json; charset=no-such-charset",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=fuzz",
        "multipart/form-data",
        "text/plain",
        "application/octet-stream",
        "",
    ]
)
OPENERS = st.sampled_from(["[", "{", '{"a":', '{"items":[', '[{"x":', '{"items":{"overall":['])


def nested_json():
    """Deep nesting, bare or inside an otherwise good answer, closed or left open."""
    deep = st.builds(
        lambda opener, depth, closed: opener * depth + ("]" * depth if closed else ""),
        OPENERS,
        st.integers(min_value=1, max_value=20_000),
        st.booleans(),
    )
    wrapped = st.builds(
        lambda depth, key: json.dumps(
            {"submission_key": str(key), "instrument": "ors", "items": {"overall": "X"}}
        ).replace('"X"', "[" * depth + "5" + "]" * depth),
        st.integers(min_value=1, max_value=20_000),
        st.uuids(),
    )
    return st.one_of(deep, wrapped)


def garbage():
    """Bodies that can never be a whole answer, as raw bytes."""
    return st.one_of(
        st.binary(max_size=256),
        nested_json().map(str.encode),
        st.text(max_size=64).map(lambda text: text.encode("utf-8", "surrogatepass")),
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
            assert not any(value.startswith("-") for value in rating.items.values())
            values = [Decimal(v) for v in rating.items.values()]
            assert all(Decimal(0) <= v <= Decimal(10) for v in values)
            assert sum(values) == rating.total
        assert Decimal(0) <= rating.total <= Decimal(40)
        assert not rating.total.is_signed()
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


@pytest.fixture
def unlimited_links(settings):
    """The fuzz is one address sending hundreds of requests; the rate limit is tested elsewhere."""
    settings.REMOTE_LINK_RATE_LIMIT = 1_000_000


def test_random_json_to_a_remote_link_never_breaks(remote, unlimited_links):
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


def test_raw_garbage_of_any_content_type_to_a_remote_link_never_breaks(remote, unlimited_links):
    url = reverse("ratings:remote", args=[links.token_for(remote)])
    anonymous = Client()

    @FUZZ
    @given(raw=garbage(), content_type=CONTENT_TYPES)
    def run(raw, content_type):
        response = anonymous.generic("POST", url, raw, content_type=content_type)
        event(f"status {response.status_code}")
        assert 400 <= response.status_code < 500
        assert not Rating.objects.exists()
        remote.refresh_from_db()
        assert remote.used_at is None

    run()


def test_raw_garbage_to_the_tablet_never_breaks(locked, tablet):
    @FUZZ
    @given(raw=garbage(), content_type=CONTENT_TYPES)
    def run(raw, content_type):
        response = locked.generic(
            "POST", reverse("ratings:kiosk_submit"), raw, content_type=content_type
        )
        event(f"status {response.status_code}")
        assert 400 <= response.status_code < 500
        assert not Rating.objects.exists()

    run()
