"""Jobs run through a real worker process on the PostgreSQL queue, and outlive the worker.

The worker is the production command, `manage.py procrastinate worker`, on the test database
(tests/jobs/worker.py). PostgreSQL only: on SQLite the queue is not installed.
"""

import time

import pytest
from procrastinate.contrib.django import DjangoApp

from services.dashboards.models import PendingChange
from services.jobs.retries import Backoff
from tests.factories import RatingFactory
from tests.servers import wait_until

from .conftest import needs_queue
from .worker import (
    defer_sleep_then_mark,
    job_state,
    requeue_stalled,
    start_worker,
    stop_worker,
    worker_environment,
)

pytestmark = [needs_queue, pytest.mark.django_db(transaction=True)]

STARTS_WITHIN = 60  # seconds for a worker process to start and take a job


@pytest.fixture
def worker(queue, tmp_path):
    """start() runs a worker on the test database; every worker started is stopped at the end."""
    from procrastinate.contrib.django.models import ProcrastinateWorker

    environment = worker_environment(tmp_path)
    log = tmp_path / "worker.log"
    started = []

    def start():
        process = start_worker(environment, log)
        started.append(process)
        running = wait_until(lambda: ProcrastinateWorker.objects.exists(), STARTS_WITHIN)
        assert running, log.read_text()
        return process

    start.log = log
    start.marks = tmp_path
    yield start
    for process in started:
        stop_worker(process, kill=True)


def succeeded(task_name: str) -> bool:
    from procrastinate.contrib.django.models import ProcrastinateJob

    return ProcrastinateJob.objects.filter(task_name=task_name, status="succeeded").exists()


def test_a_scheduled_job_is_deferred_and_run_by_the_worker(worker):
    from procrastinate.contrib.django.models import ProcrastinatePeriodicDefer

    RatingFactory()  # marks its client's dashboard facts outdated
    assert PendingChange.objects.exists()
    process = worker()
    # Every two minutes; on start the worker defers the run that was due last.
    assert wait_until(lambda: succeeded("rebuild_dashboard_facts"), 30), worker.log.read_text()
    stop_worker(process)
    assert ProcrastinatePeriodicDefer.objects.filter(task_name="rebuild_dashboard_facts").exists()
    assert not PendingChange.objects.exists()


def test_a_failed_job_is_retried_on_the_queue_and_then_succeeds(queue):
    from procrastinate.contrib.django import app as django_app

    app = DjangoApp(connector=django_app.connector)  # a throwaway app: the task stays here
    runs = []

    @app.task(name="flaky", pass_context=True, retry=Backoff(max_attempts=3))
    def flaky(context) -> None:
        runs.append(context.job.attempts)
        if context.job.attempts < 2:
            raise ConnectionError("the database is restarting")

    job_id = flaky.defer()
    with app.replace_connector(app.connector.get_worker_connector()):
        app.run_worker(wait=False, install_signal_handlers=False, listen_notify=False)
    assert runs == [0, 1, 2]
    assert job_state(job_id) == ("succeeded", 3)


def test_a_job_deferred_while_no_worker_runs_is_done_after_the_restart(worker):
    stop_worker(worker())
    job_id = defer_sleep_then_mark(0, "after-restart")
    assert job_state(job_id) == ("todo", 0)
    worker()
    mark = worker.marks / "after-restart"
    assert wait_until(mark.exists, STARTS_WITHIN), worker.log.read_text()
    assert mark.read_text() == f"job {job_id} attempt 0\n"
    assert wait_until(lambda: job_state(job_id)[0] == "succeeded", 10)


def test_a_worker_killed_mid_job_leaves_the_job_to_the_next_one(worker):
    first = worker()
    job_id = defer_sleep_then_mark(5, "killed")
    assert wait_until(lambda: job_state(job_id)[0] == "doing", 30), worker.log.read_text()
    stop_worker(first, kill=True)
    assert job_state(job_id) == ("doing", 0)
    # The dead worker's last heartbeat ages; `retry_stalled_jobs` waits 30 s, this test 2 s.
    time.sleep(3)
    assert requeue_stalled(2) == 1
    assert job_state(job_id) == ("todo", 1)
    worker()
    mark = worker.marks / "killed"
    assert wait_until(mark.exists, STARTS_WITHIN), worker.log.read_text()
    assert mark.read_text() == f"job {job_id} attempt 1\n"
    assert wait_until(lambda: job_state(job_id) == ("succeeded", 2), 10)


def test_a_stalled_job_whose_next_run_waits_is_failed_to_free_its_lock(queue):
    """Queued again, it would clash with the waiting run's queueing lock; left `doing`, it would
    hold the lock that run waits for. So it is marked failed and the waiting run goes ahead."""
    from django.db import connection

    from services.jobs.tasks import rebuild_dashboard_facts

    stalled = rebuild_dashboard_facts.defer()
    with connection.cursor() as cursor:  # taken by a worker that died: no worker id left
        cursor.execute("UPDATE procrastinate_jobs SET status = 'doing' WHERE id = %s", [stalled])
    waiting = rebuild_dashboard_facts.defer()
    assert requeue_stalled(0) == 1
    assert job_state(stalled) == ("failed", 1)
    assert job_state(waiting) == ("todo", 0)
