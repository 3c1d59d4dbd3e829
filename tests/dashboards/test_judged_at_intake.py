"""Issue #12 item 1: an episode is judged by the form and age group at its intake.

Age group used to be a plain field on the client and every rating of an episode was judged by
the client's current group: a child re-marked as adolescent had old child-form episodes judged
again, 24 → 29.5 "unchanged" under child norms (cutoff 32, reliable change 6) turning
"recovered" under adolescent norms (cutoff 28, reliable change 5).
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from services.dashboards import facts
from services.dashboards.models import CollateralFact, EpisodeFact
from tests.factories import EpisodeFactory, RatingFactory, SessionFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def child_episode(scores, *, key="cors"):
    episode = EpisodeFactory(
        client__age_group="child", start_date=D(2026, 1, 5), end_date=None, end_reason=""
    )
    sessions = []
    for number, score in enumerate(scores, start=1):
        session = SessionFactory(episode=episode, number=number, date=D(2026, 1, 5 + 7 * number))
        RatingFactory(session=session, key=key, score=score)
        sessions.append(session)
    episode.end_date, episode.end_reason = D(2026, 3, 1), "planned"
    episode.save()
    return episode, sessions


def test_a_child_later_marked_adolescent_keeps_the_child_norms():
    episode, _ = child_episode([24, Decimal("29.5")])
    episode.client.age_group = "adolescent"
    episode.client.save()
    facts.refresh_outdated()
    fact = EpisodeFact.objects.get(episode=episode)
    assert (fact.recovered, fact.improved, fact.clinical) == (0, 0, 1)
    assert fact.paired == 1


def test_a_form_change_starts_a_new_series_that_is_not_compared_with_the_intake():
    episode, _ = child_episode([24, 25])
    # The client turns 13: later sessions use the adolescent (ORS-style) form.
    episode.client.age_group = "adolescent"
    episode.client.save()
    for number in (3, 4):
        session = SessionFactory(episode=episode, number=number, date=D(2026, 2, 20 + number))
        RatingFactory(session=session, key="ors", score=36)
    facts.refresh_outdated()
    fact = EpisodeFact.objects.get(episode=episode)
    assert (fact.form, fact.age_group) == ("cors", "child")
    assert (fact.intake, fact.end, fact.ors_count) == (24.0, 25.0, 2)
    assert (fact.improved, fact.recovered) == (0, 0)


def test_the_young_child_form_is_unscored_and_left_out_with_a_count():
    episode = EpisodeFactory(
        client__age_group="young_child",
        start_date=D(2026, 1, 5),
        end_date=D(2026, 3, 1),
        end_reason="planned",
    )
    for number, score in enumerate((10, 35), start=1):
        session = SessionFactory(episode=episode, number=number, date=D(2026, 1, 5 + number))
        RatingFactory(session=session, key="ycors", score=score)
    facts.refresh_outdated()
    fact = EpisodeFact.objects.get(episode=episode)
    assert (fact.scored, fact.paired, fact.ors_count) == (0, 0, 2)
    assert (fact.improved, fact.recovered, fact.intake) == (0, 0, None)


def test_collateral_raters_get_their_own_facts_and_stay_out_of_the_clients():
    episode, sessions = child_episode([20, 22])
    for session, score in zip(sessions, (18, 30), strict=True):
        RatingFactory(
            session=session,
            key="cors",
            score=score,
            rater="parent",
            rater_name="Mor",
            rated_at=timezone.now(),
        )
    facts.refresh_outdated()
    fact = EpisodeFact.objects.get(episode=episode)
    assert (fact.intake, fact.end, fact.improved) == (20.0, 22.0, 0)
    parent = CollateralFact.objects.get(episode=episode)
    assert (parent.rater, parent.rater_name, parent.form, parent.age_group) == (
        "parent",
        "Mor",
        "cors",
        "child",
    )
    assert (parent.intake, parent.end, parent.change, parent.ratings) == (18.0, 30.0, 12.0, 2)
    assert (parent.paired, parent.improved, parent.recovered) == (1, 1, 0)
