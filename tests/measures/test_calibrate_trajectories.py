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
from services.measures.models import (
    TrajectoryModel,
    current_trajectory_model,
    current_trajectory_models,
)
from services.measures.trajectory import (
    CALIBRATED_METHOD,
    DEFAULT_MODEL,
    DEFAULT_MODELS,
    Trajectory,
    default_model,
)
from services.ratings.models import Rater
from tests.factories import EpisodeFactory, RatingFactory, ServiceFactory, SessionFactory

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 1, 5)


def closed_episode(
    service, scores, *, end=datetime.date(2026, 4, 1), age_group="adult", forms=(), **episode
):
    """An episode with a session per score (None: a session without an ORS).

    Ratings are on the age group's form (`forms` may name one per session) and carry the age
    group, as `record_rating` stores them.
    """
    form = {"adult": "ors", "adolescent": "ors", "child": "cors", "young_child": "ycors"}
    episode = EpisodeFactory(
        client__service=service,
        client__age_group=age_group,
        end_date=end,
        end_reason="planned" if end else "",
        **episode,
    )
    for number, score in enumerate(scores, 1):
        session = SessionFactory(
            episode=episode, number=number, date=START + datetime.timedelta(days=7 * number)
        )
        if score is not None:
            key = forms[number - 1] if forms else form[age_group]
            RatingFactory(session=session, key=key, score=score)
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
    assert sorted(closed_episode_scores(service)["adult"]) == [
        (15.0, [15.0, None, 19.0]),
        (20.0, [20.0, 24.0, 26.0]),
    ]


def test_sessions_are_counted_from_the_intake_rating(service):
    closed_episode(service, [None, 12, 14, None, 20])
    assert closed_episode_scores(service) == {"adult": [(12.0, [12.0, 14.0, None, 20.0])]}


def test_episodes_are_grouped_by_the_age_group_at_intake(service):
    """Issue #12: a child who turns 13 during an episode stays a child episode."""
    episode = closed_episode(service, [26, 28, 30], age_group="child")
    episode.sessions.get(number=3).ratings.update(age_group="adolescent")
    closed_episode(service, [18, 22], age_group="adult")
    assert closed_episode_scores(service) == {
        "child": [(26.0, [26.0, 28.0, 30.0])],
        "adult": [(18.0, [18.0, 22.0])],
    }


def test_only_ratings_on_the_intakes_form_count(service):
    """A form change inside an episode starts a new series: never a change across forms."""
    closed_episode(
        service, [26, 28, 30, 33], age_group="child", forms=("cors", "cors", "ors", "cors")
    )
    closed_episode(service, [20, 30], age_group="child", forms=("cors", "ors"))
    assert closed_episode_scores(service) == {"child": [(26.0, [26.0, 28.0, None, 33.0])]}


def test_collecting_takes_the_same_queries_for_more_episodes(service):
    for _ in range(2):
        closed_episode(service, [20, 22])
    with CaptureQueriesContext(connection) as few:
        closed_episode_scores(service)
    for _ in range(6):
        closed_episode(service, [18, 20, 21])
    with CaptureQueriesContext(connection) as many:
        assert len(closed_episode_scores(service)["adult"]) == 8
    assert len(few) == len(many) == 1


def test_too_few_episodes_keep_the_default_and_say_why(service):
    closed_episode(service, [20, 24])
    closed_episode(service, [16, 18, 23])
    output = run("--service", "oslo")
    assert "oslo adult: 2 closed episode(s)" in output
    assert "Kept the default model for adult" in output
    assert "200" in output
    assert not TrajectoryModel.objects.exists()
    assert current_trajectory_model(service, "adult").model is DEFAULT_MODEL


def improving(rng: random.Random, low: float, high: float) -> list[float]:
    intake = round(rng.uniform(low, high), 1)
    return [intake] + [
        round(intake + 5 * (1 - math.exp(-(n - 1) / 2)) + rng.gauss(0, 1), 1) for n in range(2, 7)
    ]


def test_enough_episodes_are_calibrated_and_stored(service):
    rng = random.Random(3)
    for _ in range(24):
        closed_episode(service, improving(rng, 15, 19.9))
    output = run("--service", "oslo", "--min-episodes", "20")
    stored = TrajectoryModel.objects.get()
    assert f"Stored calibrated model #{stored.pk} for adult from 24 episodes" in output
    assert "15–20" in output
    assert stored.service == service
    assert stored.age_group == "adult"
    assert stored.method == CALIBRATED_METHOD
    assert stored.n_episodes == 24
    model = stored.trajectory
    assert isinstance(model, Trajectory)
    assert [band.low_intake for band in model.bands] == [15.0]
    assert model.parameters == DEFAULT_MODEL.parameters


def test_each_age_group_is_calibrated_when_it_has_enough_episodes(service):
    rng = random.Random(4)
    for _ in range(22):
        closed_episode(service, improving(rng, 22, 26.9), age_group="child")
    for _ in range(5):
        closed_episode(service, improving(rng, 15, 19.9), age_group="adult")
    for _ in range(3):
        closed_episode(service, [2, 3, 4], age_group="young_child")
    output = run("--service", "oslo", "--min-episodes", "20")
    stored = TrajectoryModel.objects.get()
    assert stored.age_group == "child"
    assert stored.trajectory.parameters == DEFAULT_MODELS["child"].parameters
    assert "Kept the default model for adult" in output
    assert "young_child: no expected trajectory" in output
    assert current_trajectory_model(service, "child").model == stored.trajectory
    assert current_trajectory_model(service, "adult").model is DEFAULT_MODEL


def test_an_unknown_service_or_a_silly_minimum_is_refused(service):
    with pytest.raises(CommandError, match="No service"):
        run("--service", "nowhere")
    with pytest.raises(CommandError, match="min-episodes"):
        run("--service", "oslo", "--min-episodes", "0")


def stored_model(
    service, n_episodes: int, days_ago: int = 0, age_group: str = "adult"
) -> TrajectoryModel:
    model = Trajectory(method=CALIBRATED_METHOD, n_episodes=n_episodes)
    return TrajectoryModel.objects.create(
        service=service,
        age_group=age_group,
        method=model.method,
        n_episodes=n_episodes,
        fitted_at=timezone.now() - datetime.timedelta(days=days_ago),
        parameters=model.to_dict(),
    )


@pytest.mark.parametrize("age_group", ["adult", "adolescent", "child"])
def test_without_a_stored_model_the_groups_default_is_used_and_labelled(service, age_group):
    current = current_trajectory_model(service, age_group)
    assert current.model is default_model(age_group)
    assert current.version == f"default-{age_group}"
    assert "default model" in current.label
    assert "not yet calibrated" in current.label


def test_an_age_group_without_a_sensible_model_gets_none_and_says_so(service):
    """Issue #12 item 2: no "off track" until an age group has a sensible model."""
    stored_model(service, 300, age_group="young_child")
    current = current_trajectory_model(service, "young_child")
    assert current.model is None
    assert "not shown" in current.label


def test_the_caption_states_the_expected_false_alarms(service):
    label = current_trajectory_model(service, "adult").label
    assert "false alarms" in label
    assert "sessions 3–6" in label


def test_the_services_newest_model_wins_over_a_shared_one(service):
    stored_model(None, 900)
    stored_model(service, 250, days_ago=30)
    newest = stored_model(service, 310, days_ago=1)
    stored_model(ServiceFactory(code="bergen"), 999)
    current = current_trajectory_model(service, "adult")
    assert current.model.n_episodes == 310
    assert "310" in current.label
    assert current.version.startswith(f"{newest.pk}-")


def test_a_shared_model_is_used_when_the_service_has_none(service):
    stored_model(None, 900)
    current = current_trajectory_model(service, "adult")
    assert current.model.n_episodes == 900
    assert "900" in current.label
    assert "all services" in current.label
    assert current_trajectory_model(None, "adult").model.n_episodes == 900


def test_a_model_is_only_used_for_its_own_age_group(service):
    stored_model(service, 310, age_group="adult")
    stored_model(None, 900, age_group="adolescent")
    assert current_trajectory_model(service, "adult").model.n_episodes == 310
    assert current_trajectory_model(service, "adolescent").model.n_episodes == 900
    assert current_trajectory_model(service, "child").model is DEFAULT_MODELS["child"]


def test_legacy_models_fitted_on_all_ages_are_ignored(service):
    stored_model(service, 310, age_group="")
    stored_model(None, 900, age_group="")
    for age_group in ("adult", "child"):
        assert current_trajectory_model(service, age_group).model is default_model(age_group)


def test_models_for_many_services_take_a_fixed_number_of_queries(service):
    others = [ServiceFactory(code=f"other-{n}") for n in range(4)]
    for other in others:
        stored_model(other, 300, age_group="child")
    with CaptureQueriesContext(connection) as one:
        current_trajectory_models([service])
    with CaptureQueriesContext(connection) as many:
        found = current_trajectory_models([service, *others])
    assert len(one) <= 3  # the models, the networks chosen (issue #20 part 3), the rows used
    assert len(many) <= 3
    assert found[(others[0].pk, "child")].model.n_episodes == 300
    assert found[(service.pk, "child")].model is DEFAULT_MODELS["child"]
    assert found[(service.pk, "young_child")].model is None
    assert found[(service.pk, "adult")].model is DEFAULT_MODEL
    assert found[(service.pk, "child")].version != found[(others[0].pk, "child")].version
