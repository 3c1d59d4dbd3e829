"""Two app servers behind HAProxy, one PostgreSQL, one Redis, one job worker, under faults.

Issue #13, "Prove it": answers sent through the balancer while an app server is killed and the
database is stopped are neither lost nor stored twice, and the app recovers by itself; limits
counted on one server hold on the other; a job whose worker is killed is done after a restart.
"""

import json
import time

import pytest

from tests.servers import wait_until

from . import figures
from .load import Load, plan
from .stack import LINK_LIMIT, LOGIN_FAILURE_LIMIT, PIN_FAILURE_LIMIT
from .web import Device

pytestmark = pytest.mark.cluster

SENDING_THREADS = 8
ANSWERS_PER_SECOND = 40
KILL_AT, DATABASE_STOP_AT = 0.15, 0.45  # shares of the load sent when each fault starts
DOWN_SECONDS, DATABASE_DOWN_SECONDS = 2, 10
RECOVERY_SECONDS = 30
JOB_SECONDS = 5
# A killed worker's job is queued again once it sent no heartbeat for 30 s, by a check that runs
# every minute (services/jobs/tasks.py), and then takes JOB_SECONDS.
JOB_DONE_SECONDS = 150


def log_in(device: Device, username: str, password: str):
    return device.post_form("/logg-inn/", {"username": username, "password": password})


def test_limits_counted_on_one_server_hold_on_the_other(stack):
    """Straight to each server's own port, alternating, from one address per part."""
    a, b = stack.server_ports
    phone = {port: Device(port, "127.2.0.1") for port in (a, b)}
    seen = [phone[(a, b)[i % 2]].get("/svar/not-a-token/").status for i in range(LINK_LIMIT)]
    assert seen == [404] * LINK_LIMIT
    assert [phone[port].get("/svar/not-a-token/").status for port in (a, b)] == [429, 429]

    username, password = stack.seed["login_user"], stack.seed["password"]
    browser = {port: Device(port, "127.2.0.2") for port in (a, b)}
    wrong = [
        log_in(browser[(a, b)[i % 2]], username, "not the password").status
        for i in range(LOGIN_FAILURE_LIMIT)
    ]
    assert wrong == [200] * (LOGIN_FAILURE_LIMIT - 1) + [429]
    assert [log_in(browser[port], username, password).status for port in (b, a)] == [429, 429]

    tablet = Device(a, "127.2.0.3")
    assert log_in(tablet, stack.seed["tablet_user"], password).status == 302
    tablet.port = b
    handed = tablet.post_form(
        stack.seed["tablet_handover_path"],
        {"purpose": "outcome", "rater": "client", "method": "tablet"},
    )
    assert handed.status == 302, handed.body[:500]
    wrong = []
    for attempt in range(PIN_FAILURE_LIMIT):
        tablet.port = (a, b)[attempt % 2]
        wrong.append(tablet.post_form("/nettbrett/las-opp/", {"pin": "9731"}).status)
    assert wrong == [400] * (PIN_FAILURE_LIMIT - 1) + [429]
    for port in (b, a):
        tablet.port = port
        assert tablet.post_form("/nettbrett/las-opp/", {"pin": stack.seed["pin"]}).status == 429


def test_answers_survive_a_server_kill_and_a_database_stop(stack, capsys):
    sends = plan(stack.seed["links"])
    answer = {"instrument": stack.seed["instrument"], "items": stack.seed["items"]}
    load = Load(sends, answer, stack.balancer_port, SENDING_THREADS, ANSWERS_PER_SECOND)
    victim = stack.server(stack.server_ports[0])
    worker_exits = len(stack.worker.exits)
    times = {}
    load.start()
    try:
        load.wait_for(KILL_AT, seconds=60)
        times["server killed"] = time.monotonic()
        victim.kill()
        time.sleep(DOWN_SECONDS)
        victim.start()
        stack.wait_ready(stack.server_ports[0])
        times["server back"] = time.monotonic()

        load.wait_for(DATABASE_STOP_AT, seconds=60)
        times["database stopped"] = time.monotonic()
        stack.postgres.stop()
        time.sleep(DATABASE_DOWN_SECONDS)
        stack.postgres.start()
        times["database started"] = time.monotonic()
        stack.wait_ready(stack.balancer_port, seconds=RECOVERY_SECONDS)
        times["ready again"] = time.monotonic()
    except BaseException:
        load.abort()
        raise
    finally:
        load.join(seconds=300)

    stored = dict(
        stack.query("SELECT submission_key::text, count(*) FROM ratings_rating GROUP BY 1")
    )
    [(used,)] = stack.query("SELECT count(*) FROM ratings_handover WHERE used_at IS NOT NULL")
    numbers = figures.of_load(load, sends, stored, used, times)
    numbers["job worker exits (restarted)"] = stack.worker.exits[worker_exits:]
    with capsys.disabled():
        print("\n" + figures.show("cluster: answers under faults", numbers))

    tally = load.tally
    assert numbers["lost (accepted, not stored)"] == 0
    assert numbers["duplicated (keys with > 1 row)"] == 0
    assert numbers["never accepted"] == 0
    assert numbers["rows stored"] == numbers["links used"] == len(stack.seed["links"])
    assert numbers["sends accepted (201 or 200)"] == len(sends)
    assert tally.attempts["500"] == 0
    assert not [kind for kind in tally.attempts if "without Retry-After" in kind]
    assert numbers["  while the database was down"].get("503 app, Retry-After", 0) > 0
    assert tally.kinds_between(times["ready again"], load.ended)["201 stored"] > 0
    assert all(stack.ready(port) for port in stack.server_ports)
    assert wait_until(lambda: stack.worker.alive, stack.worker.restart_seconds + 10)


def test_a_job_whose_worker_is_killed_mid_run_is_done_after_the_restart(stack, capsys):
    marker = stack.marks / "killed-mid-job"
    arguments = {"seconds": JOB_SECONDS, "marker": marker.name}
    stack.manage("procrastinate", "defer", "sleep_then_mark", json.dumps(arguments))

    def job() -> tuple[int, str, int]:
        [row] = stack.query(
            "SELECT id, status, attempts FROM procrastinate_jobs"
            " WHERE task_name = 'sleep_then_mark'"
        )
        return row

    assert wait_until(lambda: job()[1] == "doing", 30), job()
    time.sleep(1)
    killed = time.monotonic()
    stack.worker.kill()
    assert job()[1] == "doing"
    assert not marker.exists()

    assert wait_until(marker.exists, JOB_DONE_SECONDS), stack.worker.tail()
    done = time.monotonic() - killed
    assert wait_until(lambda: job()[1] == "succeeded", 10), job()
    numbers = {
        "job done after the kill (s)": round(done, 1),
        "job's final state (id, status, attempts)": job(),
        "mark written by": marker.read_text().strip(),
        "job worker exits (restarted)": stack.worker.exits,
    }
    with capsys.disabled():
        print("\n" + figures.show("cluster: job worker killed mid-job", numbers))
