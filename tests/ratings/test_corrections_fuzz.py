"""Random input to the correction endpoints (issue #15, item 8) never gives a 500 and never
half-saves: every answer is either there or in the history, every history row is audited, and
the sessions stay numbered 1, 2, 3…"""

import datetime

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.audit.models import AuditEvent
from services.ratings.models import Rating
from services.sessions.models import RatingCorrection
from tests.factories import EpisodeFactory, RatingFactory, SessionFactory

pytestmark = pytest.mark.django_db
FUZZ = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "0", "-1", "5,5", "10", "11", "2026-01-20", "2026-02-30", "2099-01-01"]),
)
FIELDS = [
    "edit-item1",
    "edit-item2",
    "edit-item3",
    "edit-item4",
    "edit-total",
    "edit-rater",
    "edit-rater_name",
    "edit-reason",
    "move-session",
    "move-to",
    "move-reason",
    "delete-reason",
    "past-date",
    "past-kind",
    "episode-start_date",
    "responsible-helpers",
    "responsible-team",
]
bodies = st.dictionaries(st.sampled_from(FIELDS), text, max_size=8)
ACTIONS = st.sampled_from(
    [
        "ratings:edit_rating",
        "ratings:move_rating",
        "ratings:delete_rating",
        "clients:past_session",
        "clients:new_episode",
        "clients:reopen_episode",
        "clients:responsible",
    ]
)


@FUZZ
@given(action=ACTIONS, body=bodies)
def test_random_corrections_are_refused_or_done_whole(client, helper, service, action, body):
    episode = EpisodeFactory(client__service=service, start_date=datetime.date(2026, 1, 5))
    episode.helpers.add(helper)
    for number in (1, 2):
        session = SessionFactory(
            episode=episode, number=number, date=datetime.date(2026, 1, 5 + 7 * number)
        )
        rating = RatingFactory(session=session, score=10 + number)
    client.force_login(helper)
    if action.startswith("ratings:"):
        args = [episode.client_id, rating.pk]
    elif action == "clients:new_episode":
        args = [episode.client_id]
    else:
        args = [episode.client_id, episode.pk]
    response = client.post(reverse(action, args=args), body)
    assert response.status_code in (302, 400)
    history = RatingCorrection.objects.filter(episode=episode)  # examples share the database
    deleted = history.filter(kind="deleted").count()
    assert Rating.objects.filter(session__episode__client=episode.client).count() + deleted == 2
    audited = AuditEvent.objects.filter(
        client_id=episode.client_id, object_type="rating", detail__startswith="corrected:"
    )
    assert audited.count() == history.count()
    numbers = list(episode.sessions.order_by("number").values_list("number", flat=True))
    assert numbers == list(range(1, len(numbers) + 1))
    if response.status_code == 400:
        assert not history.exists()
