"""The night jobs make each service's artefacts from that service's data only.

The jobs (services/jobs/tasks.py) run for every service in one process: the monthly report
archive, the dashboard facts and their warmed charts, retention, and the trajectory models.
Each artefact must name its service and rest on nothing of another's: A's stored report holds
no word of B's, A's facts and models are the same whether or not B has any data, and B's
retention period anonymises B's clients only.
"""

import pytest
from django.core.management import call_command
from django.db.models import Max
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from services.clients.models import Client, Episode
from services.dashboards import facts
from services.dashboards.models import (
    DailyActivity,
    EpisodeFact,
    EpisodeSummary,
    MonthlyReportFile,
    PendingChange,
    SessionFact,
)
from services.demo.wipe import delete_clients
from services.jobs import tasks
from services.measures.management.commands.calibrate_trajectories import closed_episode_scores
from services.measures.models import TrajectoryModel
from tests import pdftext
from tests.factories import RatingFactory, SessionFactory

from .conftest import b_markers

pytestmark = pytest.mark.django_db


def test_each_service_s_monthly_report_is_its_own(client, world):
    assert tasks.store_monthly_reports() == 2
    a = MonthlyReportFile.objects.get(service=world.service_a)
    b = MonthlyReportFile.objects.get(service=world.service_b)
    a_text = pdftext.text(bytes(a.pdf)) + pdftext.title(bytes(a.pdf))
    b_text = pdftext.text(bytes(b.pdf)) + pdftext.title(bytes(b.pdf))
    assert world.service_a.name in a_text and not b_markers(a_text)
    assert world.service_b.name in b_text  # the check would have seen B in A's
    # A's leader downloads A's stored report, not B's.
    client.force_login(world.users["leader"])
    url = reverse("dashboards:monthly_report", args=[world.service_a.code])
    response = client.get(url, {"month": f"{a.month:%Y-%m}"})
    assert response.content == bytes(a.pdf) != bytes(b.pdf)


def facts_of(service) -> dict:
    """Every dashboard fact and caseload summary row of a service, as plain values."""
    rows = {}
    for model in (SessionFact, EpisodeFact, DailyActivity, EpisodeSummary):
        found = model.objects.filter(service=service)
        values = [{k: v for k, v in model_to_dict(row).items() if k != "id"} for row in found]
        # By content, not id: a rebuild inserts the same rows again in whatever order the
        # database returns them (PostgreSQL's differs from SQLite's).
        rows[model.__name__] = sorted(values, key=lambda value: sorted(map(str, value.items())))
    return rows


def test_the_facts_job_rebuilds_b_without_touching_a(world):
    a_before, b_before = facts_of(world.service_a), facts_of(world.service_b)
    b_episode = Episode.objects.filter(service=world.service_b, end_date__isnull=True).first()
    last = b_episode.sessions.aggregate(number=Max("number"))["number"]
    session = SessionFactory(episode=b_episode, number=last + 1, date=timezone.localdate())
    RatingFactory(session=session, score=3)  # a very low answer: B's figures change
    assert PendingChange.objects.exists()
    assert tasks.rebuild_dashboard_facts(timestamp=0) >= 1
    assert not PendingChange.objects.exists()
    assert facts_of(world.service_a) == a_before
    assert facts_of(world.service_b) != b_before  # the job did take in B's change
    # Rebuilding A from scratch, with B erased, gives the same facts: none rest on B.
    delete_clients(Client.objects.filter(service=world.service_b))
    facts.rebuild_all(world.service_b.pk)
    facts.rebuild_all(world.service_a.pk)
    assert facts_of(world.service_a) == a_before
    assert not facts_of(world.service_b)["SessionFact"]


def test_retention_anonymises_the_service_whose_period_is_over_only(world):
    world.service_b.retention_years = 1
    world.service_b.save(update_fields=["retention_years"])
    a_clients = list(Client.objects.filter(service=world.service_a).values().order_by("pk"))
    oldest = Client.objects.filter(service=world.service_b).aggregate(
        last=Max("episodes__end_date")
    )
    assert oldest["last"] is not None
    output = tasks.apply_retention()
    assert "demo: nothing to do" in output
    assert "nabo (keeps 1 years)" in output
    assert list(Client.objects.filter(service=world.service_a).values().order_by("pk")) == (
        a_clients
    )
    assert Client.objects.filter(service=world.service_b, anonymised_at__isnull=False).exists()


def test_a_service_s_trajectory_model_rests_on_its_own_episodes(world, capsys):
    """Fitted on A's closed episodes; B's erasing changes not a number of it."""

    def fit() -> list[dict]:
        call_command("calibrate_trajectories", service=world.service_a.code, min_episodes=2)
        models = TrajectoryModel.objects.filter(service=world.service_a).order_by("pk")
        fitted = [
            {
                "age_group": m.age_group,
                "n": m.n_episodes,
                "parameters": {k: v for k, v in m.parameters.items() if k != "fitted_at"},
            }
            for m in models
        ]
        models.delete()
        return fitted

    first = fit()
    assert first, "no model fitted: nothing to compare"
    own = closed_episode_scores(world.service_a)
    assert {m["age_group"]: m["n"] for m in first} == {
        group: len(own[group]) for group in {m["age_group"] for m in first}
    }
    assert not TrajectoryModel.objects.filter(service=world.service_b).exists()
    delete_clients(Client.objects.filter(service=world.service_b))
    assert fit() == first
    capsys.readouterr()
