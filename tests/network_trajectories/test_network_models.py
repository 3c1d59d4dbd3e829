"""A network's expected trajectories (issue #20 part 3): combined from the members' own models,
used by a member only after its administrator chose to and only while it has none of its own,
never by a service outside the network, and with a caption naming the source and size."""

import datetime
import io
import re
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from services.audit.models import AuditEvent
from services.clients.progress import chart_labels, load_rules
from services.jobs import tasks
from services.measures.combining import NETWORK_METHOD
from services.measures.models import (
    TrajectoryModel,
    current_trajectory_model,
    current_trajectory_models,
)
from services.measures.trajectory import DEFAULT_MODEL, MIN_EPISODES, Trajectory
from services.network.models import Network, NetworkMember
from tests.factories import ServiceFactory

from .conftest import own_model

pytestmark = pytest.mark.django_db


def combine(*args: str) -> str:
    out = io.StringIO()
    call_command("calibrate_trajectories", "--network", "agder", *args, stdout=out)
    return out.getvalue()


def adult(service):
    return current_trajectory_model(service, "adult")


def network_caption(stored: TrajectoryModel) -> str:
    when = date_format(timezone.localdate(stored.fitted_at), "SHORT_DATE_FORMAT")
    return (
        f"Expected trajectory for Adult (18+): calibrated on {stored.n_episodes} closed "
        f"episodes of this age group in the network KOR Agder ({stored.n_services} services, "
        f"{when})."
    )


def opt_in(client, agder, use: str = "1"):
    client.force_login(agder["admin"])
    member = agder["members"]["birkenes"]
    return client.post(reverse("network:trajectories", args=["birkenes", member.pk]), {"use": use})


def test_the_network_model_combines_the_active_members_own_models(agder):
    output = combine()
    stored = TrajectoryModel.objects.get(network=agder["network"])
    assert stored.service is None and stored.age_group == "adult"
    assert stored.method == NETWORK_METHOD
    assert (stored.n_services, stored.n_episodes) == (2, 550)  # Arendal and Grimstad only
    assert f"Stored network model #{stored.pk} for adult from 2 members' models" in output
    assert stored.trajectory.bands  # curves, not the default
    # Arendal's 40 child episodes are too few to contribute, and one member is not a network.
    assert "child" not in output
    output = combine("--min-episodes", "30")
    assert "agder child: 1 member(s) with a model of their own; 2 are needed" in output
    assert not TrajectoryModel.objects.filter(network__isnull=False, age_group="child").exists()


def test_combining_reads_only_the_members_models(agder):
    """Only the fitted percentiles leave a service: no rating, session, episode or client row
    is read while the network's model is combined."""
    with CaptureQueriesContext(connection) as queries:
        combine()
    tables = {
        table
        for query in queries
        for table in re.findall(r'(?:FROM|JOIN|INTO)\s+"?(\w+)"?', query["sql"], re.I)
    }
    assert "measures_trajectorymodel" in tables
    assert tables <= {
        "measures_trajectorymodel",
        "network_network",
        "network_networkmember",
        "accounts_service",
    }


def test_a_small_member_gets_the_network_model_only_after_choosing_it(client, agder):
    combine()
    birkenes = agder["services"]["birkenes"]
    before = adult(birkenes)
    assert before.model is DEFAULT_MODEL and "default model" in before.caption
    response = opt_in(client, agder)
    assert response.status_code == 302
    assert AuditEvent.objects.filter(detail="network trajectories on agder").count() == 1
    stored = TrajectoryModel.objects.get(network=agder["network"])
    after = adult(birkenes)
    assert after.model == stored.trajectory and after.model.method == NETWORK_METHOD
    assert after.caption == network_caption(stored)
    assert after.version != before.version  # the chart caches are drawn anew
    # The helper's chart says it too.
    rules = load_rules([birkenes.pk])
    labels = chart_labels(rules, None, birkenes.pk, ())
    assert labels.caption.startswith(network_caption(stored))
    # And the administrator can go back.
    page = client.get(reverse("network:memberships", args=["birkenes"])).content.decode()
    assert 'name="use" value="0"' in page
    opt_in(client, agder, use="0")
    assert adult(birkenes).model is DEFAULT_MODEL
    assert AuditEvent.objects.filter(detail="network trajectories off agder").count() == 1


def test_its_own_model_wins_once_it_has_enough_episodes(agder):
    """own (≥ 200 episodes) > the network's (chosen) > own smaller > shared > default."""
    combine()
    birkenes = agder["services"]["birkenes"]
    NetworkMember.objects.filter(service=birkenes).update(use_network_trajectories=True)
    small = own_model(birkenes, 6, 60, 0.7)  # fitted with a lowered --min-episodes
    assert adult(birkenes).model.method == NETWORK_METHOD
    enough = own_model(birkenes, 7, MIN_EPISODES, 0.7)
    when = date_format(timezone.localdate(enough.fitted_at), "SHORT_DATE_FORMAT")
    assert adult(birkenes).caption.endswith(f"in this service ({when}).")
    assert adult(birkenes).model.n_episodes == MIN_EPISODES
    enough.delete()
    NetworkMember.objects.filter(service=birkenes).update(use_network_trajectories=False)
    assert adult(birkenes).model.n_episodes == small.n_episodes  # own smaller beats shared
    # A member with a model of its own keeps it whatever it chose.
    arendal = agder["services"]["arendal"]
    NetworkMember.objects.filter(service=arendal).update(use_network_trajectories=True)
    assert "in this service" in adult(arendal).caption


def test_outsiders_and_former_members_never_get_it(agder):
    combine()
    services = agder["services"]
    shared = TrajectoryModel.objects.create(
        age_group="adult",
        method="calibrated",
        n_episodes=900,
        fitted_at=timezone.now() - datetime.timedelta(days=3),
        parameters=Trajectory(method="calibrated", n_episodes=900).to_dict(),
    )
    outsider = ServiceFactory(code="tromso")
    invited = ServiceFactory(code="lillesand")
    NetworkMember.objects.create(
        network=agder["network"], service=invited, use_network_trajectories=True
    )
    found = current_trajectory_models(
        [outsider, invited, services["froland"], services["bergen"]], ["adult"]
    )
    assert found[(outsider.pk, "adult")].model.n_episodes == 900  # the shared one
    assert "from all services" in found[(outsider.pk, "adult")].caption
    assert found[(invited.pk, "adult")].model.n_episodes == 900  # only invited, not a member
    assert found[(services["froland"].pk, "adult")].model.n_episodes == 220  # left: its own
    assert found[(services["bergen"].pk, "adult")].model.n_episodes == 260
    # A network's model is never the shared model of all services.
    shared.delete()
    assert adult(outsider).model is DEFAULT_MODEL
    assert current_trajectory_model(None, "adult").model is DEFAULT_MODEL
    TrajectoryModel.objects.filter(service=services["froland"]).delete()
    assert adult(services["froland"]).model is DEFAULT_MODEL  # left, though it had chosen it


def test_choosing_takes_a_fixed_number_of_queries(agder):
    combine()
    other = Network.objects.create(code="indre", name="Indre Agder")
    services = list(agder["services"].values())
    NetworkMember.objects.filter(service__in=services).update(use_network_trajectories=True)
    for service in services:
        NetworkMember.objects.get_or_create(
            network=other,
            service=service,
            defaults={"joined_at": timezone.now(), "use_network_trajectories": True},
        )
    call_command("calibrate_trajectories", "--network", "indre", stdout=io.StringIO())
    with CaptureQueriesContext(connection) as one:
        current_trajectory_models(services[2:3])
    with CaptureQueriesContext(connection) as many:
        found = current_trajectory_models(services)
    assert len(one) == len(many) == 3
    # Of two networks chosen, the one with more episodes (Indre: all four with models).
    birkenes = agder["services"]["birkenes"]
    assert (
        "1030 closed episodes of this age group in the network Indre Agder (4 services"
        in found[(birkenes.pk, "adult")].caption
    )


def test_the_monthly_job_combines_each_network_after_its_members(agder):
    scheduled = timezone.now() - datetime.timedelta(minutes=5)
    with mock.patch.object(tasks, "run_command", wraps=tasks.run_command) as run:
        # Arendal, Grimstad, Froland and Bergen were fitted since: only Birkenes, and then
        # the network.
        assert tasks.calibrate_trajectories(timestamp=int(scheduled.timestamp())) == 2
    assert run.call_args_list[-1] == mock.call("calibrate_trajectories", network="agder")
    assert TrajectoryModel.objects.filter(network=agder["network"]).count() == 1
    assert tasks.calibrate_trajectories(timestamp=int(scheduled.timestamp())) == 1  # a retry
    assert TrajectoryModel.objects.filter(network=agder["network"]).count() == 1
