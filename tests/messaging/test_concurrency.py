"""Two senders at once (two workers, or a worker and `manage.py send_messages`) send each message
once, and a helper's "send" wakes the worker with at most one waiting job. PostgreSQL only:
SQLite has neither row locks nor the job queue."""

import threading

import pytest
from django.conf import settings
from django.db import connection

from services.messaging import sending, tasks
from services.messaging.models import OutgoingMessage, Status
from services.messaging.sending import Request

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="row locks (SKIP LOCKED) and the job queue are PostgreSQL's",
)

NUMBERS = [f"+479123450{index}" for index in range(4)]


@pytest.mark.django_db(transaction=True)
def test_two_senders_at_once_send_each_message_once(sms_gateway, site, remote, helper):
    sms_gateway.delay = 0.3  # each send holds its row this long, so the senders overlap
    for number in NUMBERS:
        sending.queue(remote, [Request(number)], created_by=helper)
    start = threading.Barrier(2, timeout=10)
    results = []

    def sender():
        try:
            start.wait()
            results.append(sending.send_due())
        finally:
            connection.close()

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(call.body["destination"] for call in sms_gateway.calls) == NUMBERS
    assert sorted(result["sent"] for result in results) == [2, 2]  # both worked, side by side
    assert set(OutgoingMessage.objects.values_list("status", "recipient")) == {(Status.SENT, "")}


@pytest.mark.django_db
def test_sending_now_wakes_the_worker_with_one_job_at_most():
    tasks.send_soon()
    tasks.send_soon()  # a run already waiting sends this one too
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM procrastinate_jobs "
            "WHERE task_name = 'send_messages' AND status = 'todo'"
        )
        assert cursor.fetchone()[0] == 1
