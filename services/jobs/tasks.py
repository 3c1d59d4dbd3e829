"""The background jobs and their schedules: thin wrappers round the management commands.

Each job is safe to run twice (a retry, a second worker, a manual run beside the schedule): it
works out from the database what is left to do, so a second run finds nothing or does the same
thing again. Each kind runs one at a time (`lock`) with at most one more waiting
(`queueing_lock`), so a slow run is never overtaken by the next one.

Schedules are cron lines in UTC (procrastinate's cron has no time zone): the night jobs are put
between 01:00 and 04:00 UTC, which is at night in Oslo in winter (+1) and summer (+2) alike.
The worker defers each scheduled run once, however many workers run (the database keeps a row
per task and time); a run missed while no worker ran is made up on start only if it was due in
the last ten minutes, so night jobs that must not be skipped check what is missing instead
(`store_monthly_reports`).
"""

import datetime
import io
import logging

from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from procrastinate import App, Blueprint, JobContext, builtin_tasks, exceptions
from procrastinate.jobs import Status

from services.accounts.models import Service
from services.dashboards import archive, facts
from services.dashboards.warm import warm_default_charts
from services.measures.models import TrajectoryModel
from services.network.models import Network

from .retries import NIGHTLY

logger = logging.getLogger(__name__)

jobs = Blueprint()

# A stalled job is one whose worker sent no heartbeat for this long (it sends one every 10 s).
STALLED_AFTER_SECONDS = 30
# Finished jobs are kept this long for operators to look at, then removed.
KEEP_FINISHED_HOURS = 7 * 24


def one_at_a_time(name: str) -> dict:
    """Task options: a stable name, one running (`lock`) and at most one waiting."""
    return {"name": name, "lock": name, "queueing_lock": name}


def run_command(name: str, *args, **options) -> str:
    """Run a management command, logging what it printed (the worker's log keeps it)."""
    output = io.StringIO()
    call_command(name, *args, stdout=output, **options)
    text = output.getvalue().strip()
    logger.info("%s: %s", name, text)
    return text


# Jobs that run every few minutes are not retried: the next run, minutes later, is the retry.
# (A retried job going back to the queue would also clash with the next run's queueing lock.)


@jobs.periodic(cron="*/2 * * * *")
@jobs.task(**one_at_a_time("rebuild_dashboard_facts"))
def rebuild_dashboard_facts(timestamp: int | None = None) -> int:
    """`rebuild_dashboard_facts --pending`: take in the changes since the last dashboard read.

    Idempotent: a pending change is deleted only once its client is rebuilt, in the same
    transaction, under the facts' advisory lock; a second run finds none.
    """
    count = facts.refresh_outdated()
    if count:
        warm_default_charts()  # so the first leader to look does not draw them (`warm`)
    logger.info("rebuild_dashboard_facts: took in the changes of %s clients", count)
    return count


@jobs.periodic(cron="*/5 * * * *")
@jobs.task(**one_at_a_time("seal_audit_log"))
def seal_audit_log(timestamp: int | None = None) -> str:
    """`seal_audit_log`. Idempotent: it seals only events not sealed yet, under the sealers'
    lock, in one transaction."""
    return run_command("seal_audit_log")


@jobs.periodic(cron="15 1 * * *")
@jobs.task(retry=NIGHTLY, **one_at_a_time("apply_retention"))
def apply_retention(timestamp: int | None = None) -> str:
    """`apply_retention` for every service (anonymise, never delete), nightly.

    Idempotent: an anonymised episode is no longer past retention, and each service is done in
    one transaction, so a retry picks up what a failed run left.
    """
    return run_command("apply_retention")


@jobs.periodic(cron="30 1 * * *")
@jobs.task(retry=NIGHTLY, **one_at_a_time("verify_audit_log"))
def verify_audit_log(timestamp: int | None = None) -> str:
    """`verify_audit_log`, nightly. Read-only, so idempotent. A broken chain fails the job
    without retries (`CommandError`) and the worker logs the error; the daily line "N events,
    chain intact" goes to the worker's log, outside the database, as docs/audit.md asks."""
    return run_command("verify_audit_log")


@jobs.periodic(cron="0 2 * * *")
@jobs.task(retry=NIGHTLY, **one_at_a_time("store_monthly_reports"))
def store_monthly_reports(timestamp: int | None = None) -> int:
    """Last month's PDF report of every service, stored once (`dashboards.archive`).

    Runs every night and stores only the reports missing, so the first night of a month makes
    them and a night missed (no worker, a failure) is made up the next night. Idempotent: a
    stored report is never made again.
    """
    return archive.store_missing()


@jobs.periodic(cron="0 3 * * 0")
@jobs.task(retry=NIGHTLY, **one_at_a_time("prune_audit_log"))
def prune_audit_log(timestamp: int | None = None) -> str:
    """`prune_audit_log`, weekly. Idempotent: it removes only events older than the retention
    period, in one transaction; a second run removes none and logs nothing."""
    return run_command("prune_audit_log")


@jobs.periodic(cron="0 3 2 * *")
@jobs.task(retry=NIGHTLY, **one_at_a_time("calibrate_trajectories"))
def calibrate_trajectories(timestamp: int | None = None) -> int:
    """`calibrate_trajectories` for every service, then for every network (its model is
    combined from the members' models just fitted), on the 2nd of each month.

    Idempotent: each service and each network is calibrated in one transaction, and one with a
    model fitted since this run was scheduled is skipped, so a retry does not store the same
    models twice.
    """
    since = (
        datetime.datetime.fromtimestamp(timestamp, tz=datetime.UTC)
        if timestamp is not None
        else None
    )
    calibrated = 0
    for service in Service.objects.order_by("code"):
        newer = TrajectoryModel.objects.filter(service=service)
        if since is not None and newer.filter(fitted_at__gte=since).exists():
            continue
        with transaction.atomic():
            run_command("calibrate_trajectories", service=service.code)
        calibrated += 1
    for network in Network.objects.order_by("code"):
        newer = TrajectoryModel.objects.filter(network=network)
        if since is not None and newer.filter(fitted_at__gte=since).exists():
            continue
        with transaction.atomic():
            run_command("calibrate_trajectories", network=network.code)
        calibrated += 1
    return calibrated


@jobs.periodic(cron="* * * * *")
@jobs.task(pass_context=True, **one_at_a_time("retry_stalled_jobs"))
async def retry_stalled_jobs(context: JobContext, timestamp: int | None = None) -> int:
    """Put back in the queue the jobs of a worker that died mid-job (SIGKILL, power loss)."""
    return await requeue_stalled(context.app, STALLED_AFTER_SECONDS)


async def requeue_stalled(app: App, seconds_since_heartbeat: float) -> int:
    """Retry each job left `doing` by a worker silent for `seconds_since_heartbeat`.

    A job whose next run is already waiting (same queueing lock) cannot go back to the queue;
    it is marked failed instead, so its lock is freed and the waiting run goes ahead.
    """
    manager = app.job_manager
    stalled = await manager.get_stalled_jobs(seconds_since_heartbeat=seconds_since_heartbeat)
    for job in stalled:
        try:
            await manager.retry_job(job)
            logger.warning("retry_stalled_jobs: job %s (%s) queued again", job.id, job.task_name)
        except exceptions.UniqueViolation:
            await manager.finish_job(job, status=Status.FAILED, delete_job=False)
            logger.warning(
                "retry_stalled_jobs: job %s (%s) failed, its next run is waiting",
                job.id,
                job.task_name,
            )
    return len(stalled)


@jobs.periodic(cron="45 0 * * *")
@jobs.task(pass_context=True, **one_at_a_time("remove_old_jobs"))
async def remove_old_jobs(context: JobContext, timestamp: int | None = None) -> None:
    """Remove finished jobs (and their events) after a week, so the queue tables stay small."""
    await builtin_tasks.remove_old_jobs(
        context,
        max_hours=KEEP_FINISHED_HOURS,
        remove_failed=True,
        remove_cancelled=True,
        remove_aborted=True,
    )


def on_app_ready(app: App) -> None:
    """Add the jobs to procrastinate's Django app (setting PROCRASTINATE_ON_APP_READY)."""
    from services.messaging import tasks as messaging  # it imports this module's helpers

    app.add_tasks_from(jobs, namespace="")
    app.add_tasks_from(messaging.jobs, namespace="")
    if settings.JOBS_DEBUG_MARK_DIR:
        from . import debug

        app.add_tasks_from(debug.jobs, namespace="")
