"""Calibrating a service's trajectories from its closed episodes, and choosing the model to use."""

import datetime
import io
import math
import random

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from services.measures.management.commands.calibrate_trajectories import closed_episode_scores
from services.measures.models import TrajectoryModel, current_trajectory_model
from services.measures.trajectory import CALIBRATED_METHOD, DEFAULT_MODEL, Trajectory
from services.ratings.models import Rater
from tests.factories import EpisodeFactory, RatingFactory, ServiceFactory, SessionFactory

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 1, 5)


def closed_episode(service, scores, *, end=datetime.date(2026, 4, 1), **episode):
    """An episode with a session per score (None: a session without an ORS)."""
    episode = EpisodeFactory(
        client__service=service, end_date=end, end_reason="planned" if end else "", **episode
    )
    for number, score in enumerate(scores, 1):
        session = SessionFactory(
            episode=episode, number=number, date=START + datetime.timedelta(days=7 * number)
        )
        if score is not None:
            RatingFactory(session=session, key="ors", score=score)
    return episode


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("calibrate_trajectories", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def service():
    return ServiceFactory(code="oslo")


def test_only_closed_episodes_with_two_client_ors_count(service):
    closed_episode(service, [20, 24, 26])
    closed_episode(service, [15, None, 19])
    closed_episode(service, [18])
    closed_episode(service, [18, 22], end=None)
    other = closed_episode(ServiceFactory(code="bergen"), [10, 20])
    parent = closed_episode(service, [20])
    RatingFactory(session=SessionFactory(episode=parent, number=2, date=START), rater=Rater.PARENT)
    RatingFactory(session=other.sessions.first(), key="srs", score=30)
    assert sorted(closed_episode_scores(service)) == [
        (15.0, [15.0, None, 19.0]),
        (20.0, [20.0, 24.0, 26.0]),
    ]


def test_sessions_are_counted_from_the_intake_rating(service):
    closed_episode(service, [None, 12, 14, None, 20])
    assert closed_episode_scores(service) == [(12.0, [12.0, 14.0, None, 20.0])]


def test_collecting_takes_the_same_queries_for_more_episodes(service):
    for _ in range(2):
        closed_episode(service, [20, 22])
    with CaptureQueriesContext(connection) as few:
        closed_episode_scores(service)
    for _ in range(6):
        closed_episode(service, [18, 20, 21])
    with CaptureQueriesContext(connection) as many:
        assert len(closed_episode_scores(service)) == 8
    assert len(few) == len(many) == 1


def test_too_few_episodes_keep_the_default_and_say_why(service):
    closed_episode(service, [20, 24])
    closed_episode(service, [16, 18, 23])
    output = run("--service", "oslo")
    assert "2 closed episode(s)" in output
    assert "Kept the default model" in output
    assert "200" in output
    assert not TrajectoryModel.objects.exists()
    assert current_trajectory_model(service).model is DEFAULT_MODEL


def test_enough_episodes_are_calibrated_and_stored(service):
    rng = random.Random(3)
    for _ in range(24):
        intake = round(rng.uniform(15, 19.9), 1)
        scores = [intake] + [
            round(intake + 5 * (1 - math.exp(-(n - 1) / 2)) + rng.gauss(0, 1), 1)
            for n in range(2, 7)
        ]
        closed_episode(service, scores)
    output = run("--service", "oslo", "--min-episodes", "20")
    stored = TrajectoryModel.objects.get()
    assert f"Stored calibrated model #{stored.pk} from 24 episodes" in output
    assert "15–20" in output
    assert stored.service == service
    assert stored.method == CALIBRATED_METHOD
    assert stored.n_episodes == 24
    model = stored.trajectory
    assert isinstance(model, Trajectory)
    assert [band.low_intake for band in model.bands] == [15.0]


def test_an_unknown_service_or_a_silly_minimum_is_refused(service):
    with pytest.raises(CommandError, match="No service"):
        run("--service", "nowhere")
    with pytest.raises(CommandError, match="min-episodes"):
        run("--service", "oslo", "--min-episodes", "0")


def stored_model(service, n_episodes: int, days_ago: int = 0) -> TrajectoryModel:
    model = Trajectory(method=CALIBRATED_METHOD, n_episodes=n_episodes)
    return TrajectoryModel.objects.create(
        service=service,
        method=model.method,
        n_episodes=n_episodes,
        fitted_at=timezone.now() - datetime.timedelta(days=days_ago),
        parameters=model.to_dict(),
    )


def test_without_a_stored_model_the_default_is_used_and_labelled(service):
    current = current_trajectory_model(service)
    assert current.model is DEFAULT_MODEL
    assert current.version == "default"
    assert "default" in current.label


def test_the_services_newest_model_wins_over_a_shared_one(service):
    stored_model(None, 900)
    stored_model(service, 250, days_ago=30)
    newest = stored_model(service, 310, days_ago=1)
    stored_model(ServiceFactory(code="bergen"), 999)
    current = current_trajectory_model(service)
    assert current.model.n_episodes == 310
    assert "310" in current.label
    assert current.version.startswith(f"{newest.pk}-")


def test_a_shared_model_is_used_when_the_service_has_none(service):
    stored_model(None, 900)
    current = current_trajectory_model(service)
    assert current.model.n_episodes == 900
    assert "900" in current.label
    assert "all services" in current.label
    assert current_trajectory_model(None).model.n_episodes == 900
