"""Issue #12 item 1 on the helper's pages: signals and chart follow the intake's form and age
group, not the client's current age group, and a form change starts a new series."""

import datetime
from decimal import Decimal

import pytest

from services.audit.models import AuditEvent
from services.clients.episodes import change_age
from services.clients.progress import chart_data, load_rules, signals_for
from services.measures.signals import Signal
from services.ratings.recording import record_rating
from services.ratings.series import episode_series
from tests.factories import EpisodeFactory, RatingFactory, SessionFactory, instrument, items_for

pytestmark = pytest.mark.django_db
D = datetime.date


def test_a_child_re_marked_adolescent_is_still_judged_by_the_child_norms():
    episode = EpisodeFactory(client__age_group="child")
    for number, score in enumerate((24, 24, 24, Decimal("29.5")), start=1):
        session = SessionFactory(episode=episode, number=number, date=D(2026, 1, number))
        RatingFactory(session=session, key="cors", score=score)
    episode.client.age_group = "adolescent"
    episode.client.save()
    records = episode_series([episode.pk])[episode.pk]
    rules = load_rules([episode.service_id])
    # 5.5 points: below the child form's reliable change of 6 (adolescent norms would say 5).
    assert Signal.NO_CHANGE in signals_for(records, episode.service_id, rules)
    data = chart_data(records, episode.service_id, rules)
    assert (data.cutoff, data.reliable_change) == (32, 6)


def test_a_form_change_starts_a_new_series_on_the_chart():
    episode = EpisodeFactory(client__age_group="child")
    for number in (1, 2):
        session = SessionFactory(episode=episode, number=number, date=D(2026, 1, number))
        RatingFactory(session=session, key="cors", score=20)
    episode.client.age_group = "adolescent"
    episode.client.save()
    session = SessionFactory(episode=episode, number=3, date=D(2026, 1, 3))
    RatingFactory(session=session, key="ors", score=35)
    records = episode_series([episode.pk])[episode.pk]
    rules = load_rules([episode.service_id])
    data = chart_data(records, episode.service_id, rules)
    assert [point.series for point in data.points] == [0, 0, 1]
    assert len(data.series_labels) == 2
    # 20 → 35 across two forms is not a change. The new form's series starts at 35, at or above
    # the adolescent cutoff (28); no SRS was ever given, so it is missing.
    signals = signals_for(records, episode.service_id, rules)
    assert signals == (Signal.MISSING, Signal.ABOVE_CUTOFF_AT_INTAKE)


def rated_episode(age_group, ratings):
    """An episode with (key, score) client ratings, one session each, all with an SRS of 38."""
    episode = EpisodeFactory(client__age_group=age_group)
    for number, (key, score) in enumerate(ratings, start=1):
        session = SessionFactory(episode=episode, number=number, date=D(2026, 1, number))
        group = "adolescent" if key == "ors" else age_group  # the child turned 13
        RatingFactory(session=session, key=key, score=score, age_group=group)
        alliance = "srs" if key == "ors" else "csrs"
        RatingFactory(session=session, key=alliance, score=38, age_group=group)
    return episode, episode_series([episode.pk])[episode.pk], load_rules([episode.service_id])


def test_live_signals_follow_the_current_form_after_a_change():
    # Review of issue #12: signals must not freeze on the old form's last rating.
    episode, records, rules = rated_episode(
        "child", [("cors", 20), ("cors", 14), ("ors", 30), ("ors", 34), ("ors", 36)]
    )
    signals = signals_for(records, episode.service_id, rules)
    assert Signal.DETERIORATED not in signals
    episode, records, rules = rated_episode(
        "child", [("cors", 20), ("cors", 22), ("ors", 20), ("ors", 12), ("ors", 8)]
    )
    assert Signal.DETERIORATED in signals_for(records, episode.service_id, rules)
    data = chart_data(records, episode.service_id, rules)
    assert (data.cutoff, data.reliable_change) == (28, 5)  # the ORS form's adolescent norms


def test_the_alliance_signal_fires_on_an_unscored_outcome_form():
    episode = EpisodeFactory(client__age_group="young_child")
    session = SessionFactory(episode=episode, number=1, date=D(2026, 1, 1))
    RatingFactory(session=session, key="ycors", score=30)
    RatingFactory(session=session, key="csrs", score=20)
    records = episode_series([episode.pk])[episode.pk]
    rules = load_rules([episode.service_id])
    assert signals_for(records, episode.service_id, rules) == (Signal.ALLIANCE,)


def test_a_birth_year_moves_the_rating_to_the_age_group_of_its_date():
    episode = EpisodeFactory(client__age_group="child", client__birth_year=2013)
    session = SessionFactory(episode=episode, number=1, date=D(2027, 2, 1))  # 13 in 2027
    with pytest.raises(Exception, match="not meant for the client's age group"):
        record_rating(
            session=session,
            instrument=instrument("cors"),
            submission_key="6b1f5a5c-1111-4a8e-9d4e-3b1c1d1e1f21",
            method="tablet",
            items=items_for("cors", 20),
        )
    recorded = record_rating(
        session=session,
        instrument=instrument("ors"),
        submission_key="6b1f5a5c-1111-4a8e-9d4e-3b1c1d1e1f22",
        method="tablet",
        items=items_for("ors", 20),
    )
    assert recorded.rating.age_group == "adolescent"


def test_a_helper_corrects_the_age_group_and_the_change_is_audited(client, helper, service):
    episode = EpisodeFactory(client__age_group="child", client__service=service)
    episode.helpers.add(helper)
    client.force_login(helper)
    url = f"/klienter/{episode.client_id}/alder/"
    bad = client.post(url, {"age_group": "child", "birth_month": "5"})
    assert bad.status_code == 400
    assert "Oppgi fødselsår også" in bad.content.decode()
    ok = client.post(url, {"age_group": "child", "birth_year": "2013", "birth_month": "5"})
    assert ok.status_code == 302
    episode.client.refresh_from_db()
    assert (episode.client.birth_year, episode.client.birth_month) == (2013, 5)
    # Review of issue #12: the audit log says what changed, never the birth year itself.
    events = AuditEvent.objects.filter(client_id=episode.client_id, action="change")
    assert events.filter(detail__contains="birth year").exists()
    assert not events.filter(detail__contains="2013").exists()


def test_a_birth_year_given_later_moves_old_ratings_where_their_form_allows():
    episode = EpisodeFactory(client__age_group="adult")
    child_days = SessionFactory(episode=episode, number=1, date=D(2025, 3, 1))
    adolescent_days = SessionFactory(episode=episode, number=2, date=D(2026, 6, 1))
    on_the_child_form = RatingFactory(session=child_days, key="cors", score=20, age_group="child")
    on_the_adult_form = RatingFactory(session=adolescent_days, key="ors", score=20)
    change_age(episode.client, age_group="adult", birth_year=2013, birth_month=1)
    on_the_child_form.refresh_from_db()
    on_the_adult_form.refresh_from_db()
    assert on_the_child_form.age_group == "child"  # 12 in March 2025
    assert on_the_adult_form.age_group == "adolescent"  # 13 in June 2026: ORS covers both
