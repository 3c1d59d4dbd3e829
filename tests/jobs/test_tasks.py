"""Each job calls the function it stands for, is safe to run twice, and fails the way it should.

These run on SQLite and PostgreSQL alike: the jobs are called directly, or run by a worker on
procrastinate's in-memory queue (`in_memory_app`). tests/jobs/test_worker.py runs them through a
real worker on the PostgreSQL queue.
"""

import datetime
import io
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone
from procrastinate import JobContext, RetryStrategy
from procrastinate.contrib.django import DjangoApp
from procrastinate.jobs import Job
from procrastinate.testing import InMemoryConnector

from services.audit import chain
from services.audit.log import record
from services.audit.models import Action, AuditEvent
from services.dashboards.models import MonthlyReportFile, PendingChange, SessionFact
from services.jobs import tasks
from services.jobs.retries import NIGHTLY
from services.measures.models import TrajectoryModel
from tests.factories import RatingFactory, ServiceFactory

pytestmark = pytest.mark.django_db

VERIFY_COMMAND = "services.audit.management.commands.verify_audit_log"
SCHEDULES = {
    "rebuild_dashboard_facts": "*/2 * * * *",
    "seal_audit_log": "*/5 * * * *",
    "apply_retention": "15 1 * * *",
    "verify_audit_log": "30 1 * * *",
    "store_monthly_reports": "0 2 * * *",
    "prune_audit_log": "0 3 * * 0",
    "calibrate_trajectories": "0 3 2 * *",
    "retry_stalled_jobs": "* * * * *",
    "remove_old_jobs": "45 0 * * *",
    "send_messages": "* * * * *",  # links and reminders to clients (issue #19, services/messaging)
}


def job(attempts: int) -> Job:
    return Job(
        id=1, queue="default", lock=None, queueing_lock=None, task_name="t", attempts=attempts
    )


# -- schedules, locks, retries ----------------------------------------------------------------


def test_every_job_is_scheduled_and_runs_one_at_a_time(in_memory_app):
    registry = in_memory_app.periodic_registry.periodic_tasks
    periodic = {name: entry.cron for (name, _), entry in registry.items()}
    assert periodic == SCHEDULES
    for name in SCHEDULES:
        task = in_memory_app.tasks[name]
        assert task.lock == task.queueing_lock == name


def test_the_debug_job_exists_only_when_its_setting_is_set(settings):
    assert "sleep_then_mark" not in tasks.jobs.tasks
    app = DjangoApp(connector=InMemoryConnector())
    settings.JOBS_DEBUG_MARK_DIR = "/nonexistent"
    with mock.patch.object(tasks, "jobs", new=tasks.Blueprint()):
        tasks.on_app_ready(app)
    assert "sleep_then_mark" in app.tasks


def test_frequent_jobs_are_not_retried_and_night_jobs_back_off():
    # The next run of a frequent job is its retry; a retry would clash with its queueing lock.
    for name in ("rebuild_dashboard_facts", "seal_audit_log", "retry_stalled_jobs"):
        assert getattr(tasks, name).retry_strategy is None
    for name in ("apply_retention", "verify_audit_log", "store_monthly_reports"):
        assert getattr(tasks, name).retry_strategy is NIGHTLY
    for name in ("prune_audit_log", "calibrate_trajectories"):
        assert getattr(tasks, name).retry_strategy is NIGHTLY
    waits = []
    for attempts in range(6):
        decision = NIGHTLY.get_retry_decision(exception=OperationalError("gone"), job=job(attempts))
        if decision is None:
            break
        waits.append(round((decision.retry_at - timezone.now()).total_seconds()))
    assert waits == [5, 25, 125, 625, 3125]


def test_a_command_error_is_an_answer_and_not_retried():
    broken = CommandError("Audit chain broken at event 7")
    assert NIGHTLY.get_retry_decision(exception=broken, job=job(0)) is None
    assert NIGHTLY.get_retry_decision(exception=OperationalError(), job=job(0)) is not None


# -- each job does its command's work, and a second run finds nothing -----------------------


def test_the_facts_job_takes_in_every_pending_change():
    rating = RatingFactory()
    assert PendingChange.objects.exists()
    assert tasks.rebuild_dashboard_facts(timestamp=0) >= 1
    assert not PendingChange.objects.exists()
    assert SessionFact.objects.filter(session=rating.session).exists()
    assert tasks.rebuild_dashboard_facts(timestamp=0) == 0


def test_the_seal_job_seals_and_the_verify_job_checks_the_chain():
    record(Action.VIEW, actor="someone", detail="seen")
    assert tasks.seal_audit_log() == "Sealed 1 event(s)"
    assert not AuditEvent.objects.filter(chain_position=None).exists()
    assert tasks.seal_audit_log() == "Sealed 0 event(s)"
    assert tasks.verify_audit_log().startswith("1 events, chain intact")


def test_a_broken_chain_fails_the_verify_job():
    record(Action.VIEW, actor="someone", detail="seen")
    chain.seal_pending()
    verdict = chain.Verdict(1, 0, broken_at=5, problem="seal differs")
    with (
        mock.patch(f"{VERIFY_COMMAND}.verify", return_value=verdict),
        pytest.raises(CommandError, match="broken at event 5"),
    ):
        tasks.verify_audit_log()


def test_the_retention_job_runs_for_every_service():
    ServiceFactory(code="a")
    ServiceFactory(code="b")
    assert tasks.apply_retention() == "a: nothing to do\nb: nothing to do"


def test_the_prune_job_removes_nothing_young():
    record(Action.VIEW, actor="someone")
    assert tasks.prune_audit_log().startswith("Removed 0 event(s) before")
    assert AuditEvent.objects.count() == 1


def test_the_calibration_job_skips_a_service_calibrated_since_it_was_scheduled():
    done, left = ServiceFactory(code="done"), ServiceFactory(code="left")
    scheduled = timezone.now() - datetime.timedelta(minutes=5)
    TrajectoryModel.objects.create(
        service=done,
        age_group="adult",
        method="m",
        n_episodes=50,
        fitted_at=timezone.now(),
        parameters={},
    )
    with mock.patch.object(tasks, "run_command") as run:
        assert tasks.calibrate_trajectories(timestamp=int(scheduled.timestamp())) == 1
    run.assert_called_once_with("calibrate_trajectories", service=left.code)
    out = io.StringIO()
    call_command("calibrate_trajectories", service=left.code, stdout=out)
    assert tasks.calibrate_trajectories() == 2  # a run by hand calibrates every service


def test_the_monthly_reports_are_stored_once_and_served_to_leaders(client, leader, service):
    assert tasks.store_monthly_reports() == 1
    assert tasks.store_monthly_reports() == 0
    stored = MonthlyReportFile.objects.get(service=service)
    first = timezone.localdate().replace(day=1)
    assert stored.month == (first - datetime.timedelta(days=1)).replace(day=1)
    assert stored.language == "nb" and bytes(stored.pdf).startswith(b"%PDF")
    assert AuditEvent.objects.filter(
        action=Action.EXPORT, actor="store_monthly_reports", service_id=service.pk
    ).exists()
    # The stored bytes are served in the language they were made in; figures since are not.
    stored.pdf = b"%PDF stored"
    stored.save()
    client.force_login(leader)
    url = reverse("dashboards:monthly_report", args=[service.code])
    month = f"?month={stored.month:%Y-%m}"
    assert client.get(url + month).content == b"%PDF stored"
    client.cookies["django_language"] = "en"
    assert client.get(url + month).content != b"%PDF stored"


# -- through a worker on the in-memory queue ----------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_deferred_facts_job_runs_in_a_worker(in_memory_app):
    RatingFactory()
    tasks.rebuild_dashboard_facts.defer()
    in_memory_app.run_worker(wait=False, install_signal_handlers=False, listen_notify=False)
    jobs = in_memory_app.connector.jobs.values()
    ran = {job["task_name"]: job["status"] for job in jobs}
    assert ran["rebuild_dashboard_facts"] == "succeeded"
    assert not PendingChange.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_failed_job_is_retried_and_then_succeeds():
    app = DjangoApp(connector=InMemoryConnector())
    runs = []

    @app.task(name="flaky", pass_context=True, retry=RetryStrategy(max_attempts=3))
    def flaky(context: JobContext) -> None:
        runs.append(context.job.attempts)
        if context.job.attempts < 2:
            raise OperationalError("the database is restarting")

    flaky.defer()
    app.run_worker(wait=False, install_signal_handlers=False, listen_notify=False)
    assert runs == [0, 1, 2]
    [row] = app.connector.jobs.values()
    assert (row["status"], row["attempts"]) == ("succeeded", 3)
