"""Two phones at the same instant (issue #18 part 3, needs PostgreSQL): one personal code opens
one turn, and one group answer sent several times at once is stored once."""

import json
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from services.groups.models import GroupRating, Turn
from tests.groups.test_turns import GROUP_ITEMS, join_url, make_meeting
from tests.ratings.test_concurrency import COPIES, at_once


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's concurrent writers (SQLite serialises all writes)")


@pytest.mark.django_db(transaction=True)
def test_one_code_typed_on_several_phones_at_once_opens_one_turn():
    url = join_url(make_meeting())

    def post():
        return Client().post(url, {"code": "GHJKM4"}).status_code

    assert at_once(post) == [302] + [409] * (COPIES - 1)
    assert Turn.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_group_answer_sent_at_once_is_stored_once():
    meeting = make_meeting()
    Client().post(join_url(meeting), {"code": "GHJKM4"})
    url = reverse("groups:turn", args=[Turn.objects.get().token])
    body = json.dumps(
        {"submission_key": str(uuid.uuid4()), "instrument": "gsrs", "items": GROUP_ITEMS}
    )

    def post():
        return Client().post(url, body, content_type="application/json").status_code

    assert at_once(post) == [200] * (COPIES - 1) + [201]
    assert GroupRating.objects.count() == 1
