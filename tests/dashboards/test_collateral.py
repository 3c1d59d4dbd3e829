"""Issue #12 item 5: parents', teachers' and others' ratings are reported on the dashboards.

Apart from the client's own figures and never mixed into them: per kind of rater, the closed
episodes with two or more ratings from such a rater, the share improved and deteriorated and the
mean change, protected like every other figure.
"""

import datetime

import pytest
from django.urls import reverse

from services.dashboards import periods
from services.dashboards.exports import figures_csv
from services.dashboards.facts import refresh_outdated
from services.dashboards.figures import build_dashboard
from services.dashboards.models import CollateralFact
from services.dashboards.outcomes import Scope, outcome_report
from services.dashboards.suppression import Figure
from tests.dashboards import excel_csv
from tests.factories import EpisodeFactory, RatingFactory, SessionFactory

pytestmark = pytest.mark.django_db

PERIOD = periods.custom(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
END = datetime.date(2026, 3, 10)


def child_episode(service, own, by_parent=(), *, team=None, helper=None, parent="Mor"):
    """A child's closed episode: the child's own ratings and (optionally) a parent's."""
    episode = EpisodeFactory(
        client__service=service,
        client__age_group="child",
        team=team,
        start_date=datetime.date(2026, 2, 1),
        end_date=END,
        end_reason="planned",
    )
    if helper is not None:
        episode.helpers.add(helper)
    for number in range(1, max(len(own), len(by_parent)) + 1):
        session = SessionFactory(
            episode=episode, number=number, date=datetime.date(2026, 2, number * 7), helper=helper
        )
        if number <= len(own):
            RatingFactory(session=session, key="cors", score=own[number - 1])
        if number <= len(by_parent):
            RatingFactory(
                session=session,
                key="cors",
                score=by_parent[number - 1],
                rater="parent",
                rater_name=parent,
            )
    return episode


def fact(episode, rater, change, **flags):
    """A collateral fact written directly (the rule that judges it is tested in test_facts)."""
    return CollateralFact.objects.create(
        episode=episode,
        service=episode.service,
        client=episode.client,
        team=episode.team,
        rater=rater,
        rater_name=f"{rater} of {episode.pk}",
        end_date=episode.end_date,
        end_month=episode.end_date.replace(day=1),
        form="cors",
        age_group="child",
        ratings=2,
        intake=20.0,
        end=20.0 + change,
        change=float(change),
        scored=1,
        paired=1,
        clinical=1,
        improved=flags.get("improved", 0),
        recovered=flags.get("recovered", 0),
        deteriorated=flags.get("deteriorated", 0),
    )


@pytest.fixture
def episodes(service):
    made = [child_episode(service, [20, 30]) for _ in range(12)]
    refresh_outdated()  # their facts first, so the rows written below stay
    return made


def test_collateral_figures_per_kind_of_rater(service, episodes):
    for i, episode in enumerate(episodes[:7]):
        fact(episode, "parent", 8 if i < 4 else -7, improved=int(i < 4), deteriorated=int(i >= 4))
    fact(episodes[0], "parent", 2)  # a second parent of the same child: one more series
    for episode in episodes[7:12]:
        fact(episode, "teacher", 1)
    fact(episodes[0], "other", 6, improved=1)
    dashboard = build_dashboard(service, PERIOD)
    rows = {row.rater: row for row in dashboard.collateral}
    assert list(rows) == ["parent", "teacher", "other"]
    parents = rows["parent"]
    assert parents.episodes == Figure(7, 7)
    assert parents.improved.value == pytest.approx(4 / 8)  # of the raters' series
    assert parents.deteriorated.value == pytest.approx(3 / 8)
    assert parents.change.value == pytest.approx((4 * 8 - 3 * 7 + 2) / 8)
    # One other rater: too few; the kinds are a breakdown like any other, so the next
    # smallest (five teachers) goes with it.
    assert rows["other"].episodes.suppressed and rows["other"].change.n is None
    assert rows["teacher"].episodes.suppressed and rows["teacher"].improved.suppressed


def test_collateral_ratings_stay_out_of_the_clients_own_figures(service):
    for _ in range(6):
        child_episode(service, [20, 30], by_parent=[10, 12])
    dashboard = build_dashboard(service, PERIOD)
    own = dashboard.categories["current"]
    assert dashboard.outcome_n.value == 6
    assert own["improved"].value == pytest.approx(1.0)  # 20 → 30: reliable, below 32
    assert own["deteriorated"].value == 0
    parents = {row.rater: row for row in dashboard.collateral}["parent"]
    assert parents.episodes.value == 6
    assert parents.improved.value == 0  # 10 → 12 is no reliable change for a child
    assert parents.change.value == pytest.approx(2.0)
    report = outcome_report(Scope(service.pk))
    assert report["outcomes"]["n"] == 6
    assert report["collateral"]["parent"]["episodes"] == 6
    assert report["collateral"]["parent"]["mean_change"] == pytest.approx(2.0)


def test_collateral_figures_follow_the_team_and_helper(service, team, helper):
    for _ in range(5):
        child_episode(service, [20, 30], by_parent=[10, 20], team=team, helper=helper)
    for _ in range(5):
        child_episode(service, [20, 30], by_parent=[10, 20])
    everyone = {r.rater: r for r in build_dashboard(service, PERIOD).collateral}
    assert everyone["parent"].episodes.value == 10
    for kwargs in ({"team_id": team.pk}, {"helper_id": helper.pk}):
        mine = {r.rater: r for r in build_dashboard(service, PERIOD, **kwargs).collateral}
        assert mine["parent"].episodes.value == 5


def test_collateral_figures_cost_no_extra_query(service, django_assert_max_num_queries):
    for _ in range(6):
        child_episode(service, [20, 30], by_parent=[10, 20])
    build_dashboard(service, PERIOD)
    with django_assert_max_num_queries(7):
        build_dashboard(service, PERIOD)


def test_the_page_and_download_show_collateral_ratings(client, service, leader):
    for _ in range(6):
        child_episode(service, [20, 30], by_parent=[10, 20])
    client.force_login(leader)
    page = client.get(
        reverse("dashboards:service", kwargs={"code": service.code}),
        {"period": "custom", "from": "2026-03-01", "to": "2026-03-31"},
    ).content.decode()
    assert 'id="collateral-heading"' in page
    assert "Parents" in page or "Foreldre" in page
    # Issue #16: the figures CSV is written for Norwegian Excel; excel_csv reads it so.
    rows = excel_csv.rows(figures_csv(build_dashboard(service, PERIOD)))
    parents = {
        r["figure"]: r for r in rows if (r["section"], r["group"]) == ("collateral", "parent")
    }
    assert parents["episodes"]["value"] == "6"
    assert float(parents["improved"]["value"]) == pytest.approx(1.0)
    assert float(parents["mean_change"]["value"]) == pytest.approx(10.0)
