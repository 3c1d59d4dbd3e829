"""One episode's row, by hand: the numbers the client page shows, quarters not dates, the period's
end cutting off later sessions, and nothing else about the client."""

import datetime
from decimal import Decimal

import pytest

from services.accounts.models import Role
from services.research import dataset, dictionary
from services.research.anonymity import DEFAULT_LADDER
from tests.factories import (
    EpisodeFactory,
    MembershipFactory,
    RatingFactory,
    ServiceFactory,
    SessionFactory,
    TeamFactory,
    UserFactory,
)

from .conftest import make_project

pytestmark = pytest.mark.django_db

D = datetime.date


def session(episode, number, day, ors=None, srs=None):
    made = SessionFactory(episode=episode, number=number, date=day)
    if ors is not None:
        RatingFactory(session=made, score=ors)
    if srs is not None:
        RatingFactory(session=made, key="srs", score=srs)
    return made


@pytest.fixture
def world():
    service = ServiceFactory(code="nord")
    team = TeamFactory(service=service, code="voksne")
    leader = UserFactory(username="leder-nord")
    MembershipFactory(user=leader, service=service, role=Role.LEADER)
    return service, team, leader


def test_a_closed_episode_row(world):
    service, team, leader = world
    episode = EpisodeFactory(
        client__service=service,
        client__code="K-SECRET",
        team=team,
        start_date=D(2026, 2, 10),
        end_date=D(2026, 5, 4),
        end_reason="planned",
    )
    session(episode, 1, D(2026, 2, 10), ors=12, srs=30)
    session(episode, 2, D(2026, 3, 10), srs=36)
    session(episode, 3, D(2026, 5, 4), ors=27.5, srs=39)
    project = make_project(service, leader, period_start=D(2026, 1, 1), period_end=D(2026, 6, 30))
    (row,) = dataset.episode_rows(project)
    assert row == {
        "project_id": dataset.project_id(project.secret, episode.pk),
        "service": "nord",
        "team": "voksne",
        "age_group": "adult",
        "start_quarter": "2026-Q1",
        "end_quarter": "2026-Q2",
        "status": "closed",
        "sessions": 3,
        "ors_ratings": 2,
        "intake_ors": "12.0",
        "last_ors": "27.5",
        "change": "15.5",
        "outcome": "recovered",  # adult ORS: cutoff 25, reliable change 5
        "srs_ratings": 3,
        "srs_first": "30.0",
        "srs_last": "39.0",
        "srs_mean": "35.0",
        "end_reason": "planned",
        dataset.PERSON: episode.client_id,
    }


def test_the_period_end_cuts_off_later_sessions_and_the_end(world):
    service, _team, leader = world
    episode = EpisodeFactory(
        client__service=service,
        team=None,
        start_date=D(2026, 3, 30),
        end_date=D(2026, 8, 1),
        end_reason="dropout",
    )
    session(episode, 1, D(2026, 3, 30), ors=20)
    session(episode, 2, D(2026, 6, 30), ors=19)
    session(episode, 3, D(2026, 7, 1), ors=35)  # after the period: not in the data
    EpisodeFactory(client__service=service, start_date=D(2025, 12, 31))  # started before
    project = make_project(service, leader, period_start=D(2026, 1, 1), period_end=D(2026, 6, 30))
    (row,) = dataset.episode_rows(project)
    assert (row["team"], row["status"], row["end_quarter"], row["end_reason"]) == (
        "",
        "open",
        "",
        "",
    )
    assert (row["sessions"], row["intake_ors"], row["last_ors"], row["change"]) == (
        2,
        "20.0",
        "19.0",
        "-1.0",
    )
    assert row["outcome"] == "unchanged"


def test_an_episode_with_one_rating_or_none(world):
    service, _team, leader = world
    one = EpisodeFactory(client__service=service, client__age_group="adolescent")
    session(one, 1, one.start_date, ors=18)
    EpisodeFactory(client__service=service, client__birth_year=2015)  # no session at all
    project = make_project(service, leader, period_start=D(2026, 1, 1), period_end=D(2026, 3, 31))
    rows = sorted(dataset.episode_rows(project), key=lambda row: row["sessions"])
    assert [(r["sessions"], r["outcome"], r["intake_ors"], r["last_ors"]) for r in rows] == [
        (0, "too_few", "", ""),
        (1, "too_few", "18.0", ""),
    ]
    assert [r["age_group"] for r in rows] == ["child", "adolescent"]  # by birth year, by rating
    assert rows[0]["srs_mean"] == ""


def test_another_services_episodes_are_not_in_it(world):
    service, _team, leader = world
    EpisodeFactory(client__service=ServiceFactory(code="sor"))
    project = make_project(service, leader, period_start=D(2026, 1, 1), period_end=D(2026, 3, 31))
    assert dataset.episode_rows(project) == []
    data = dataset.build(project)
    assert data.rows == [] and data.report.rows_in == 0


def test_the_build_sorts_by_id_and_keeps_only_the_columns(world):
    service, team, leader = world
    for _ in range(6):
        episode = EpisodeFactory(client__service=service, team=team)
        session(episode, 1, episode.start_date, ors=Decimal("20.0"))
    project = make_project(service, leader, period_start=D(2026, 1, 1), period_end=D(2026, 3, 31))
    data = dataset.build(project)
    assert len(data.rows) == 6
    assert all(tuple(row) == dataset.COLUMNS for row in data.rows)
    ids = [row["project_id"] for row in data.rows]
    assert ids == sorted(ids) and all(len(i) == dataset.ID_LENGTH for i in ids)


def test_the_dictionary_describes_every_column_and_every_step():
    assert tuple(column.name for column in dictionary.DICTIONARY) == dataset.COLUMNS
    assert set(dictionary.STEPS) == {step.name for step in DEFAULT_LADDER}
    assert all(column.nb and column.en and column.type for column in dictionary.DICTIONARY)
    assert dictionary.as_csv().splitlines()[0] == ",".join(dictionary.HEADER)
    assert len(dictionary.as_csv().splitlines()) == len(dataset.COLUMNS) + 1


def test_the_documentation_prints_the_same_dictionary():
    from django.conf import settings

    docs = (settings.BASE_DIR / "docs" / "research.md").read_text()
    assert dictionary.as_markdown() in docs
