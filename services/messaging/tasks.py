"""The job that sends the queued messages: every minute, and at once when a helper queues one.

Registered on procrastinate's app by `services.jobs.tasks.on_app_ready`, like the other jobs,
and run like them: one at a time, with at most one more waiting, and not retried (the next
run a minute later is the retry; each message keeps its own tries in its row, `sending`).
"""

import contextlib
import logging

from django.apps import apps
from django.db import transaction
from procrastinate import Blueprint
from procrastinate.exceptions import AlreadyEnqueued
from procrastinate.tasks import configure_task

from services.jobs.tasks import one_at_a_time

from . import sending

logger = logging.getLogger(__name__)

jobs = Blueprint()


OPTIONS = one_at_a_time("send_messages")


@jobs.periodic(cron="* * * * *")
@jobs.task(**OPTIONS)
def send_messages(timestamp: int | None = None) -> str:
    """`send_messages`. Safe to run twice at once: each message is locked while it is sent."""
    counts = sending.send_due()
    summary = summarise(counts)
    logger.info("send_messages: %s", summary)
    return summary


def summarise(counts) -> str:
    return ", ".join(
        f"{counts.get(outcome, 0)} {outcome}"
        for outcome in ("sent", "retry", "failed", "cancelled")
    )


def send_soon() -> None:
    """Ask the worker to send now rather than at the next minute. Without the PostgreSQL queue
    (SQLite, development) the next `send_messages` run sends instead; a run already waiting
    will send this message too.

    Deferred on procrastinate's Django app by the task's name and options, not through the task
    object, which belongs to whichever app its blueprint was last added to."""
    if not apps.is_installed("procrastinate.contrib.django"):
        return
    from procrastinate.contrib.django import app

    deferrer = configure_task(job_manager=app.job_manager, **OPTIONS)
    # In a savepoint: the refused insert of a second waiting run must not spoil a transaction.
    with contextlib.suppress(AlreadyEnqueued), transaction.atomic():
        deferrer.defer()
