"""Issue #12 item 1 on the helper's pages: signals and chart follow the intake's form and age
group, not the client's current age group, and a form change starts a new series."""

import datetime
from decimal import Decimal

import pytest

from services.audit.models import AuditEvent
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
    # 20 → 35 across two forms is not a change: no "improved", no deterioration either.
    signals = signals_for(records, episode.service_id, rules)
    assert Signal.DETERIORATED not in signals and Signal.MISSING not in signals


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
    assert AuditEvent.objects.filter(client_id=episode.client_id, detail__contains="2013").exists()
