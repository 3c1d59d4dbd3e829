"""Issue #17, part 1: after the outcome form the client marks, on the tablet or their own phone,
how close they are to each open goal (0–10). Asked only when there is something to score,
stored exactly once in one go, refused plainly with a 4xx, never a 500, never half saved."""

import datetime
import functools
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from services.audit import words
from services.audit.models import AuditEvent
from services.goals.models import Goal, GoalMethod, GoalRating
from services.goals.question import (
    ALREADY_SENT,
    EACH_GOAL,
    NOT_A_SCORE,
    NOT_CHOSEN,
    WINDOW,
    _store,
)
from services.goals.records import row_key
from services.ratings import kiosk, links
from services.ratings.models import Handover
from tests import handovers
from tests.factories import EpisodeFactory, SessionFactory

pytestmark = pytest.mark.django_db

THANKS = reverse("ratings:kiosk_thanks")
QUESTION = 'class="goals-form"'
DETAIL = "goal scores from the client"


def said(message) -> str:
    """A message as the page shows it in bokmål (escaped), translated or not yet."""
    with translation.override("nb"):
        return escape(gettext(str(message)))


@pytest.fixture
def episode(helper, service, team):
    episode = EpisodeFactory(
        client__service=service,
        team=team,
        start_date=timezone.localdate() - datetime.timedelta(days=30),
    )
    episode.helpers.add(helper)
    return episode


def add_goals(episode, *texts) -> list[Goal]:
    day = episode.start_date
    return [
        Goal.objects.create(episode=episode, position=place, text=text, created_on=day)
        for place, text in enumerate(texts, start=1)
    ]


@pytest.fixture
def goals(episode):
    return add_goals(episode, "Sove bedre", "Klare å handle alene")


answered = functools.partial(handovers.answered, purpose="outcome")


lock = handovers.lock_tablet


@pytest.fixture
def tablet(client, helper, episode, goals):
    """The helper's tablet, locked to an answered ORS: the thank-you page is showing."""
    handover = answered(episode, helper)
    client.force_login(helper)
    lock(client, handover)
    return handover


def send(client, handover, scores, *, key=None, url=THANKS, token=None):
    token = token or handover.token.hex
    data = {"handover": token, "submission_key": str(key or uuid.uuid4())}
    data |= {f"goal_{goal.pk}": value for goal, value in scores.items()}
    return client.post(url, data)


def link_thanks(handover) -> str:
    return reverse("ratings:short_thanks", args=[links.short_code_for(handover)])


def stored() -> list[tuple[str, int, str]]:
    return sorted(GoalRating.objects.values_list("goal__text", "score", "method"))


def test_the_thank_you_page_asks_for_each_open_goal(client, tablet, goals):
    page = client.get(THANKS).content.decode()
    assert QUESTION in page
    assert "Sove bedre" in page and "Klare å handle alene" in page
    for goal in goals:
        assert page.count(f'name="goal_{goal.pk}"') == 11  # 0 to 10
    assert tablet.token.hex in page  # the page's own hand-over, checked on the post
    assert 'name="submission_key"' in page
    assert "?mal=hopp-over" in page
    assert tablet.session.episode.client.code not in page
    assert 'id="comment-text"' not in page  # the comment belongs to the alliance form


def test_skipping_leaves_the_question_for_another_time(client, tablet):
    page = client.get(THANKS, {"mal": "hopp-over"})
    assert page.status_code == 200
    assert QUESTION not in page.content.decode()
    assert QUESTION in client.get(THANKS).content.decode()
    assert not GoalRating.objects.exists()


def test_nothing_is_asked_without_open_goals(client, helper, episode):
    add_goals(episode, "Gammelt mål")
    Goal.objects.update(status="reached", status_on=timezone.localdate())
    handover = answered(episode, helper)
    client.force_login(helper)
    lock(client, handover)
    page = client.get(THANKS)
    assert page.status_code == 200
    assert QUESTION not in page.content.decode()
    assert 'id="comment-text"' not in page.content.decode()
    assert send(client, handover, {}).status_code == 400
    assert client.post(THANKS, {"handover": handover.token.hex, "text": "Hei"}).status_code == 400
    assert not GoalRating.objects.exists()


def test_the_alliance_form_asks_for_the_comment_instead(client, helper, episode, goals):
    handover = answered(episode, helper, purpose="alliance")
    client.force_login(helper)
    lock(client, handover)
    page = client.get(THANKS).content.decode()
    assert QUESTION not in page and 'id="comment-text"' in page
    assert send(client, handover, {goals[0]: "5"}).status_code == 400
    assert not GoalRating.objects.exists()


def test_a_parent_answering_is_not_asked_the_clients_goals(client, helper, episode, goals):
    handover = answered(episode, helper, rater="parent", rater_name="Mor")
    client.force_login(helper)
    lock(client, handover)
    assert QUESTION not in client.get(THANKS).content.decode()
    assert send(client, handover, {goals[0]: "5", goals[1]: "6"}).status_code == 400
    assert not GoalRating.objects.exists()


def test_goals_the_helper_scored_at_this_session_are_not_asked_again(client, tablet, goals):
    GoalRating.objects.create(
        goal=goals[0], session=tablet.session, score=3, rated_at=timezone.now(), method="helper"
    )
    page = client.get(THANKS).content.decode()
    assert f'name="goal_{goals[0].pk}"' not in page
    assert f'name="goal_{goals[1].pk}"' in page
    assert send(client, tablet, {goals[1]: "8"}).status_code == 302
    assert stored() == [("Klare å handle alene", 8, "tablet"), ("Sove bedre", 3, "helper")]
    GoalRating.objects.filter(goal=goals[1]).delete()
    GoalRating.objects.filter(goal=goals[0]).update(score=4)
    Goal.objects.filter(pk=goals[1].pk).update(status="dropped", status_on=timezone.localdate())
    assert QUESTION not in client.get(THANKS).content.decode()  # every open goal has a score


def test_the_scores_are_stored_once_and_thanked(client, tablet, goals):
    key = uuid.uuid4()
    first = send(client, tablet, {goals[0]: "2", goals[1]: "7"}, key=key)
    assert (first.status_code, first["Location"]) == (302, THANKS)
    # A double tap sends the same page again: the same "sent", still one score per goal.
    again = send(client, tablet, {goals[0]: "2", goals[1]: "7"}, key=key)
    assert (again.status_code, again["Location"]) == (302, THANKS)
    assert stored() == [("Klare å handle alene", 7, "tablet"), ("Sove bedre", 2, "tablet")]
    rows = GoalRating.objects.all()
    assert {row.session_id for row in rows} == {tablet.session_id}
    assert {row.submission_key for row in rows} == {row_key(key, g.pk) for g in goals}
    assert {row.recorded_by_id for row in rows} == {None}
    page = client.get(THANKS).content.decode()
    assert QUESTION not in page and "notice-ok" in page


def test_other_scores_after_them_are_refused_and_change_nothing(client, tablet, goals):
    key = uuid.uuid4()
    assert send(client, tablet, {goals[0]: "2", goals[1]: "7"}, key=key).status_code == 302
    changed = send(client, tablet, {goals[0]: "9", goals[1]: "7"}, key=key)
    assert changed.status_code == 409
    assert said(ALREADY_SENT) in changed.content.decode()
    another_page = send(client, tablet, {goals[0]: "9", goals[1]: "9"})
    assert another_page.status_code == 409
    assert "notice-error" in another_page.content.decode()
    assert stored() == [("Klare å handle alene", 7, "tablet"), ("Sove bedre", 2, "tablet")]


def test_the_audit_log_has_one_row_in_words(client, tablet, goals):
    key = uuid.uuid4()
    send(client, tablet, {goals[0]: "2", goals[1]: "7"}, key=key)
    send(client, tablet, {goals[0]: "2", goals[1]: "7"}, key=key)
    event = AuditEvent.objects.get(detail=DETAIL)
    assert (event.action, event.object_type) == ("create", "session")
    assert event.client_id == tablet.session.episode.client_id
    assert event.object_id == str(tablet.session_id)
    assert words.is_known(DETAIL)


@pytest.mark.parametrize(
    "scores, message",
    [
        ({0: "4"}, NOT_CHOSEN),  # one goal left without a number
        ({}, NOT_CHOSEN),
        ({0: "11", 1: "3"}, NOT_A_SCORE),
        ({0: "-1", 1: "3"}, NOT_A_SCORE),
        ({0: "fem", 1: "3"}, NOT_A_SCORE),
        ({0: "4\x00", 1: "3"}, NOT_A_SCORE),
        ({0: "4.5", 1: "3"}, NOT_A_SCORE),
    ],
)
def test_bad_scores_are_refused_with_the_reason(client, tablet, goals, scores, message):
    response = send(client, tablet, {goals[index]: value for index, value in scores.items()})
    assert response.status_code == 400
    page = response.content.decode()
    assert said(message) in page
    assert said(EACH_GOAL) in page
    assert QUESTION in page  # the question stays, with what was chosen
    if scores.get(0) == "4":
        assert f'name="goal_{goals[0].pk}" value="4" checked' in page
    assert not GoalRating.objects.exists()
    assert not AuditEvent.objects.filter(detail=DETAIL).exists()


@pytest.mark.parametrize("key", ["", "not-a-key", "\x00"])
def test_a_page_without_its_submission_key_is_refused(client, tablet, goals, key):
    response = client.post(
        THANKS,
        {"handover": tablet.token.hex, "submission_key": key}
        | {f"goal_{goal.pk}": "5" for goal in goals},
    )
    assert response.status_code == 400
    assert not GoalRating.objects.exists()


def test_a_page_of_another_hand_over_cannot_score_this_clients_goals(
    client, helper, episode, tablet, goals
):
    """A thank-you page left open from an earlier client names its own hand-over; the tablet
    now shows the next one, and the scores must not land on that client's goals."""
    response = send(client, tablet, {goals[0]: "5", goals[1]: "5"}, token="0" * 32)
    assert response.status_code == 409
    earlier = answered(episode, helper, purpose="alliance")
    assert send(client, earlier, {goals[0]: "5", goals[1]: "5"}).status_code == 409
    assert not GoalRating.objects.exists()


def test_late_scores_are_refused(client, tablet, goals):
    Handover.objects.filter(pk=tablet.pk).update(used_at=timezone.now() - WINDOW)
    assert QUESTION not in client.get(THANKS).content.decode()
    assert send(client, tablet, {goals[0]: "5", goals[1]: "5"}).status_code == 410
    assert not GoalRating.objects.exists()


def test_a_closed_episode_takes_no_scores(client, tablet, goals):
    episode = tablet.session.episode
    episode.end_date, episode.end_reason = timezone.localdate(), "completed"
    episode.save()
    assert QUESTION not in client.get(THANKS).content.decode()
    assert send(client, tablet, {goals[0]: "5", goals[1]: "5"}).status_code == 410
    assert not GoalRating.objects.exists()


def test_the_link_asks_too_and_stores_once(client, helper, episode, goals):
    handover = answered(episode, helper, method="link")
    url = link_thanks(handover)
    assert QUESTION in client.get(url).content.decode()
    key = uuid.uuid4()
    scores = {goals[0]: "0", goals[1]: "10"}
    assert send(client, handover, scores, key=key, url=url).status_code == 302
    assert send(client, handover, scores, key=key, url=url).status_code == 302
    assert send(client, handover, {goals[0]: "1", goals[1]: "10"}, url=url).status_code == 409
    assert stored() == [("Klare å handle alene", 10, "tablet"), ("Sove bedre", 0, "tablet")]
    assert "notice-ok" in client.get(url).content.decode()


def test_an_expired_link_takes_no_scores(client, helper, episode, goals):
    handover = answered(episode, helper, method="link")
    past = timezone.now() - datetime.timedelta(minutes=1)
    Handover.objects.filter(pk=handover.pk).update(expires_at=past)
    url = link_thanks(handover)
    assert QUESTION not in client.get(url).content.decode()
    assert send(client, handover, {goals[0]: "5", goals[1]: "5"}, url=url).status_code == 410
    assert not GoalRating.objects.exists()


def test_the_tablet_cookie_alone_takes_the_scores(client, tablet, goals):
    """The helper's session may run out while the client holds the tablet: the scores are
    stored on the tablet's own authority, once."""
    client.logout()
    client.cookies[kiosk.COOKIE] = kiosk.cookie_value(tablet.token.hex, "nb", tablet.created_at)
    assert QUESTION in client.get(THANKS).content.decode()
    assert send(client, tablet, {goals[0]: "3", goals[1]: "4"}).status_code == 302
    assert stored() == [("Klare å handle alene", 4, "tablet"), ("Sove bedre", 3, "tablet")]


def test_without_a_hand_over_nothing_is_scored(client, tablet, goals):
    client.logout()
    response = send(client, tablet, {goals[0]: "3", goals[1]: "4"})
    assert response.status_code == 302  # to the login, as the page itself
    assert not GoalRating.objects.exists()


def test_a_goal_scored_at_the_same_moment_saves_none_of_them(rf, tablet, goals):
    """The helper scores one goal while the client's scores are on their way: the insert fails
    whole, so the client's other goal is not left half saved, and the reason is a 409."""
    GoalRating.objects.create(
        goal=goals[1], session=tablet.session, score=3, rated_at=timezone.now(), method="helper"
    )
    request = rf.post(THANKS, {})
    handover = Handover.objects.select_related("session__episode__client").get(pk=tablet.pk)
    question = _store(request, handover, [], {goals[0].pk: 5, goals[1].pk: 6}, uuid.uuid4())
    assert (question.status, question.sent) == (409, False)
    assert stored() == [("Klare å handle alene", 3, "helper")]
    assert not AuditEvent.objects.filter(detail=DETAIL).exists()


def test_the_helper_can_still_score_the_session_afterwards(client, helper, tablet, goals):
    """The helper's own entry corrects the client's score for the session, as it corrects its
    own: one score per goal and session, now the helper's."""
    assert send(client, tablet, {goals[0]: "2", goals[1]: "7"}).status_code == 302
    client.logout()  # the tablet is back with the helper, who logs in again
    client.force_login(helper)
    episode = tablet.session.episode
    url = reverse("goals:scores", args=[episode.client_id, episode.pk])
    data = {"session": tablet.session_id, "submission_key": str(uuid.uuid4())}
    response = client.post(url, data | {f"score_{goals[0].pk}": "4"})
    assert response.status_code == 302
    assert stored() == [("Klare å handle alene", 7, "tablet"), ("Sove bedre", 4, "helper")]


@pytest.mark.parametrize("count", [1, 3])
def test_the_page_costs_the_same_with_one_or_three_goals(
    client, helper, episode, count, django_assert_max_num_queries
):
    add_goals(episode, *[f"Mål {n}" for n in range(1, count + 1)])
    for number in (1, 2, 3):  # earlier sessions, each with every goal scored
        day = episode.start_date + datetime.timedelta(days=number)
        session = SessionFactory(episode=episode, number=number, date=day)
        GoalRating.objects.bulk_create(
            GoalRating(
                goal=goal, session=session, score=5, rated_at=timezone.now(), method="helper"
            )
            for goal in Goal.objects.all()
        )
    handover = answered(episode, helper)
    client.force_login(helper)
    lock(client, handover)
    # 10: one more for the newest "vi gjorde" entry under the thanks (issue #18, services/changes).
    with django_assert_max_num_queries(10):
        page = client.get(THANKS).content.decode()
    assert page.count('class="item goal-item"') == count
    goals = list(Goal.objects.all())
    key = uuid.uuid4()
    with django_assert_max_num_queries(10):
        response = send(client, handover, dict.fromkeys(goals, "6"), key=key)
    assert response.status_code == 302
    assert GoalRating.objects.filter(method=GoalMethod.TABLET).count() == count


def test_a_script_posting_again_and_again_is_slowed_down(client, tablet, goals):
    statuses = {send(client, tablet, {goals[0]: "x"}).status_code for _ in range(35)}
    assert statuses == {400, 429}
