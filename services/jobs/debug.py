"""A slow job for tests that kill the worker mid-job; registered only when JOBS_DEBUG_MARK_DIR
is set (never in production).

`sleep_then_mark(seconds, marker)` sleeps, then writes the file `<JOBS_DEBUG_MARK_DIR>/<marker>`
with the job's id and attempt number: the file is there only if a run reached its end.
"""

import re
import time
from pathlib import Path

from django.conf import settings
from procrastinate import Blueprint, JobContext

MARKER = re.compile(r"[A-Za-z0-9_-]{1,64}")

jobs = Blueprint()


@jobs.task(name="sleep_then_mark", pass_context=True)
def sleep_then_mark(context: JobContext, seconds: float, marker: str) -> None:
    if not MARKER.fullmatch(marker):
        raise ValueError(f"not a marker name: {marker!r}")
    time.sleep(seconds)
    job = context.job
    path = Path(settings.JOBS_DEBUG_MARK_DIR) / marker
    path.write_text(f"job {job.id} attempt {job.attempts}\n")
