"""Start, stop and watch a real job worker from a test; the cluster test uses these too.

A worker is `manage.py procrastinate worker` in its own process, on the database and settings
given by its environment. `defer_sleep_then_mark` queues the debug job `sleep_then_mark`, which
only a worker started with JOBS_DEBUG_MARK_DIR runs: it sleeps, then writes the file
`<JOBS_DEBUG_MARK_DIR>/<marker>` ("job <id> attempt <n>"), so the file shows the job reached its
end. Killed mid-job (SIGKILL), a worker leaves the job `doing`; the `retry_stalled_jobs` job of
the next worker queues it again once the dead worker has sent no heartbeat for 30 s (it runs
every minute), or a test calls `requeue_stalled` to do it at once.
"""

import os
import signal
import subprocess
import sys
from pathlib import Path

from asgiref.sync import async_to_sync
from django.conf import settings
from django.db import connection

MANAGE = Path(settings.BASE_DIR) / "manage.py"


def database_url() -> str:
    """The URL of the database this process uses (in a test: the test database)."""
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def worker_environment(mark_dir: Path, **extra: str) -> dict[str, str]:
    """This process's environment for a worker on the same database, with the debug job on."""
    return {
        **os.environ,
        "DATABASE_URL": database_url(),
        "JOBS_DEBUG_MARK_DIR": str(mark_dir),
        "DEBUG": "1",
        **extra,
    }


def start_worker(environment: dict[str, str], log: Path, *options: str) -> subprocess.Popen:
    """Start a worker writing its log to `log`; it is ready to take jobs within a few seconds."""
    with log.open("ab") as output:
        return subprocess.Popen(
            [sys.executable, str(MANAGE), "procrastinate", "worker", *options],
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def stop_worker(process: subprocess.Popen, *, kill: bool = False, timeout: float = 30) -> None:
    """SIGTERM: the worker finishes its running jobs, then exits. SIGKILL (`kill`): at once."""
    if process.poll() is None:
        process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
    process.wait(timeout=timeout)


def defer_sleep_then_mark(seconds: float, marker: str) -> int:
    """Queue the debug job; returns its job id. Also from a shell:
    `manage.py procrastinate defer sleep_then_mark '{"seconds": 20, "marker": "m1"}'`."""
    from procrastinate.contrib.django import app

    return app.configure_task("sleep_then_mark").defer(seconds=seconds, marker=marker)


def job_state(job_id: int) -> tuple[str, int]:
    """(status, attempts) of a job: status is todo, doing, succeeded, failed, ...; also
    `SELECT status, attempts FROM procrastinate_jobs WHERE id = <job_id>`."""
    from procrastinate.contrib.django.models import ProcrastinateJob

    return ProcrastinateJob.objects.values_list("status", "attempts").get(pk=job_id)


def requeue_stalled(seconds_since_heartbeat: float) -> int:
    """Queue again the jobs of workers silent for that long, as `retry_stalled_jobs` does."""
    from procrastinate.contrib.django import app

    from services.jobs.tasks import requeue_stalled as requeue

    return async_to_sync(requeue)(app, seconds_since_heartbeat)
