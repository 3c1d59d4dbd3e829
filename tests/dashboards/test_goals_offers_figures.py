"""Goals and offers on the leaders' dashboard (issue #17): the share of episodes with a goal,
the mean goal movement (latest minus first score, per goal scored twice), and how many clients
were told about peer and self-help offers and about any offer; for the service, a team or a
helper over the period shown, under the small-number rule, in two queries whatever the size."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from services.dashboards.goals_offers import goals_and_offers
from services.dashboards.scope import Scope
from services.dashboards.suppression import MINIMUM
from services.dashboards.templatetags.goals_offers import part
from services.goals.models import Goal, GoalMethod, GoalRating
from services.offers.models import Kind, Offer, OfferTalkedAbout
from tests.factories import EpisodeFactory, MembershipFactory, SessionFactory, TeamFactory

pytestmark = pytest.mark.django_db

START, END = datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)
IN_PERIOD = datetime.date(2026, 3, 2)
LATE = datetime.date(2026, 6, 22)  # sessions on 22 and 29 June, and 6 July


def episode_in(service, helper=None, team=None, *, sessions=3, first=IN_PERIOD):
    """An episode with `sessions` weekly sessions from `first`."""
    episode = EpisodeFactory(client__service=service, team=team, start_date=first)
    if helper is not None:
        episode.helpers.add(helper)
    for number in range(1, sessions + 1):
        SessionFactory(
            episode=episode, number=number, date=first + datetime.timedelta(weeks=number - 1)
        )
    return episode


def goal_with(episode, *scores, position=1, created_on=IN_PERIOD, at=None) -> Goal:
    """A goal scored `scores` at the episode's sessions `at` (by default 1, 2, … in turn)."""
    made = Goal.objects.create(
        episode=episode, position=position, text="Sove bedre", created_on=created_on
    )
    for number, value in zip(at or range(1, len(scores) + 1), scores, strict=True):
        GoalRating.objects.create(
            goal=made,
            session=episode.sessions.get(number=number),
            score=value,
            rated_at=datetime.datetime(2026, 3, 2, 12, tzinfo=datetime.UTC),
            method=GoalMethod.HELPER,
        )
    return made


def told(episode, offer, on=IN_PERIOD):
    return OfferTalkedAbout.objects.create(episode=episode, offer=offer, talked_on=on)


@pytest.fixture
def offers(service):
    return {
        "peer": Offer.objects.create(service=service, title="Erfaringskonsulent", kind=Kind.PEER),
        "self_help": Offer.objects.create(
            service=service, title="Selvhjelpsgruppe", kind=Kind.SELF_HELP
        ),
        "course": Offer.objects.create(service=service, title="KiD-kurs", kind=Kind.COURSE),
    }


def figures(service, start=START, end=END, **kwargs):
    return goals_and_offers(Scope(service.pk, start, end, **kwargs))


def test_shares_movement_and_offers_over_the_episodes_in_view(service, helper, offers):
    episodes = [episode_in(service, helper) for _ in range(8)]
    goal_with(episodes[0], 2, 6)  # +4
    goal_with(episodes[1], 3, 5, 7)  # +4: the latest minus the first, not the middle
    goal_with(episodes[2], 5, 4)  # −1
    goal_with(episodes[3], 6, 6)  # 0
    goal_with(episodes[4], 1, 2)  # +1
    goal_with(episodes[4], 4, position=2)  # one score: no movement yet
    goal_with(episodes[5])  # a goal without scores: has a goal, no movement
    told(episodes[0], offers["peer"])
    told(episodes[0], offers["course"])  # one episode, however many offers
    told(episodes[1], offers["self_help"])
    told(episodes[2], offers["course"])
    found = figures(service)
    assert found.episodes.value == 8
    assert (found.with_goal.count, found.with_goal.share.value) == (6, 6 / 8)
    assert found.movement.value == pytest.approx((4 + 4 - 1 + 0 + 1) / 5)
    assert (found.movement.n, found.moved_goals) == (5, 5)
    assert (found.told_peer.count, found.told_peer.share.value) == (2, 2 / 8)
    assert (found.told_any.count, found.told_any.share.value) == (3, 3 / 8)


def test_goals_of_few_episodes_are_withheld_however_many_goals(service, helper):
    """A client with three goals is one person: the movement rests on episodes, not goals."""
    episodes = [episode_in(service, helper) for _ in range(MINIMUM)]
    for episode in episodes[:2]:
        for place in (1, 2, 3):
            goal_with(episode, 2, 8, position=place)
    found = figures(service)
    assert found.episodes.value == MINIMUM and found.with_goal.share.shown
    assert found.movement.suppressed and found.movement.value is None
    assert found.moved_goals is None


def test_fewer_than_five_episodes_in_view_withhold_every_figure(service, helper, offers):
    episodes = [episode_in(service, helper) for _ in range(MINIMUM - 1)]
    for episode in episodes:
        goal_with(episode, 1, 9)
        told(episode, offers["peer"])
    found = figures(service)
    assert found.episodes.suppressed
    for share in (found.with_goal, found.told_peer, found.told_any):
        assert share.share.suppressed and share.count is None
    assert found.movement.suppressed


def test_the_period_decides_which_episodes_and_what_they_had_by_its_end(service, helper, offers):
    """Episodes without a session in the period are left out; goals set and offers talked
    about after the period's end do not count yet."""
    before = episode_in(service, helper, first=datetime.date(2025, 10, 6))
    goal_with(before, 0, 10, created_on=datetime.date(2025, 10, 6))
    told(before, offers["peer"], on=datetime.date(2025, 10, 6))
    late = [episode_in(service, helper, first=LATE) for _ in range(5)]
    for episode in late[:4]:
        goal_with(episode, created_on=LATE)
    goal_with(late[4], created_on=datetime.date(2026, 7, 1))
    told(late[2], offers["peer"], on=datetime.date(2026, 7, 1))
    told(late[3], offers["course"], on=END)
    found = figures(service)
    assert found.episodes.value == 5
    assert (found.with_goal.count, found.told_peer.count, found.told_any.count) == (4, 0, 1)
    later = figures(service, end=datetime.date(2026, 7, 31))
    assert (later.with_goal.count, later.told_peer.count, later.told_any.count) == (5, 1, 2)


def test_scores_given_after_the_period_do_not_move_its_goals(service, helper):
    """Sessions on 22 June and 6 July: by 30 June each goal has one score, no movement."""
    late = [episode_in(service, helper, first=LATE) for _ in range(5)]
    for episode in late:
        goal_with(episode, 1, 9, created_on=LATE, at=(1, 3))
    found = figures(service)
    assert found.movement.value is None and not found.movement.suppressed
    assert figures(service, end=datetime.date(2026, 7, 31)).movement.value == pytest.approx(8)


def test_a_team_and_a_helper_see_their_own_episodes(service, helper, team, offers):
    other_team = TeamFactory(service=service)
    colleague = MembershipFactory(service=service, team=other_team).user
    mine = [episode_in(service, helper, team) for _ in range(5)]
    theirs = [episode_in(service, colleague, other_team) for _ in range(6)]
    for episode in theirs:
        goal_with(episode, 2, 3)
        told(episode, offers["self_help"])
    goal_with(mine[0], 4, 9)
    service_wide = figures(service)
    assert (service_wide.episodes.value, service_wide.with_goal.count) == (11, 7)
    by_team = figures(service, team_id=team.pk)
    by_helper = figures(service, helper_id=helper.pk)
    for found in (by_team, by_helper):
        assert (found.episodes.value, found.with_goal.count, found.told_any.count) == (5, 1, 0)
        assert found.movement.suppressed  # one episode's goal
    assert figures(service, helper_id=colleague.pk).movement.value == pytest.approx(1.0)


def test_nothing_in_view_is_an_empty_state_not_a_zero(service):
    found = figures(service)
    assert found.empty
    assert not found.with_goal.share.shown and not found.movement.shown


@pytest.mark.parametrize("episodes", [6, 30])
def test_two_queries_whatever_the_size(
    service, helper, offers, episodes, django_assert_num_queries
):
    for n in range(episodes):
        episode = episode_in(service, helper)
        goal_with(episode, n % 10, (n * 3) % 11)
        told(episode, offers["peer" if n % 2 else "course"])
    with django_assert_num_queries(2):
        figures(service, helper_id=helper.pk)


def test_the_sentences_use_norwegian_numbers_and_a_real_minus(service, helper, offers):
    episodes = [episode_in(service, helper) for _ in range(10)]
    for episode in episodes[:5]:
        goal_with(episode, 6, 4)  # −2 each, and one +1 below: a mean of −1.5
    goal_with(episodes[5], 3, 4)
    told(episodes[0], offers["peer"])
    found = part(figures(service))
    lines = {line.key: line for line in found.lines}
    assert lines["movement"].value.value == pytest.approx(-1.5)
    assert "moved −1.5 points" in found.movement
    assert "6 in 10 had at least one goal" in found.goals
    assert "1 in 10 were told about a peer or self-help offer" in found.offers
    assert lines["with-goal"].counted == "6 of 10 episodes with a session in the period"
    assert lines["movement"].counted == "6 goals scored at two sessions or more, in 6 episodes"
    with translation.override("nb"):
        assert "−1,5" in part(figures(service)).movement


def test_the_dashboard_shows_the_part_with_its_empty_state(client, service, leader):
    client.force_login(leader)
    page = client.get(reverse("dashboards:service", args=[service.code])).content.decode()
    part_html = page[page.index('id="goals-offers"') :]
    assert "goals-offers-figures" not in part_html  # no table without episodes
    with translation.override("nb"):
        empty = translation.gettext("No episode had a session in this period.")
    assert empty in part_html


def test_the_dashboard_shows_the_figures_for_the_period(client, service, leader, helper, offers):
    month_ago = timezone.localdate() - datetime.timedelta(days=30)
    episodes = [episode_in(service, helper, first=month_ago) for _ in range(6)]
    for episode in episodes:
        goal_with(episode, 2, 5, created_on=month_ago)
    told(episodes[0], offers["peer"], on=month_ago)
    client.force_login(leader)
    page = client.get(reverse("dashboards:service", args=[service.code])).content.decode()
    part_html = page[page.index('id="goals-offers"') :]
    assert "+3,0" in part_html  # the movement, in points, with its sign
    assert "100,0 %" in part_html  # every episode has a goal
    assert "16,7 %" in part_html  # one of six told about a peer offer
