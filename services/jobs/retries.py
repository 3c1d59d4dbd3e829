"""How a failed job is tried again: exponential backoff, a bounded number of times.

Only the night, weekly and monthly jobs are retried; a job that runs every few minutes is not
(services/jobs/tasks.py): its next run is its retry.

A job that fails on a passing fault (database restarting, network, disk full) succeeds later,
so it is tried again, each time waiting longer. A `CommandError` is an answer, not a fault
(a broken audit chain, a service that does not exist): trying again gives the same answer, so
it fails at once and the worker logs it for an operator.
"""

from django.core.management.base import CommandError
from procrastinate import RetryStrategy
from procrastinate.jobs import Job
from procrastinate.retry import RetryDecision


class Backoff(RetryStrategy):
    def get_retry_decision(self, *, exception: BaseException, job: Job) -> RetryDecision | None:
        if isinstance(exception, CommandError):
            return None
        return super().get_retry_decision(exception=exception, job=job)


# Night, weekly and monthly jobs: 5 more tries after 5, 25, 125, 625 and 3125 s (about an hour in
# all), long enough to outlast a database restart or a failover.
NIGHTLY = Backoff(max_attempts=5, exponential_wait=5)
