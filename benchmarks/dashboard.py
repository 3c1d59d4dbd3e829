"""Time the leaders' dashboard and the outcome report on a large service in PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/feedback_bench \\
        .venv/bin/python benchmarks/dashboard.py [--runs 7] [--serial]

Migrates the database, loads `seed_demo --clients 10000 --service bench` if that service is not
there yet (a few minutes on a 2-core machine), brings the dashboard facts up to date, refreshes
the planner's statistics, then measures, warm (after one untimed run), the median of several
runs of:
- the service dashboard page as its leader sees it (a full request through the test client:
  queries, charts and template), for the last 12 months;
- the same page when 20 clients' data changed since the last view (their facts are rebuilt
  first, as in a busy service);
- the same page with the chart cache cleared before every run (every chart drawn anew);
- the outcome report for the last 12 months and for all time.

Two numbers per line: wall-clock time, and CPU time spent on it by this process and by its
PostgreSQL backend together (read from /proc, so the database must run on this machine). On a
machine shared with other work the wall-clock time grows with the load; the CPU time does not,
and with parallel workers off (--serial) it is what the wall-clock time is on an idle machine.
The target on the 2-core machine is under 300 ms for the dashboard page.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "feedback.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/feedback_bench")
# Production-like: no debug cursor bookkeeping, no two-factor step for the scripted login.
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "benchmark-only-not-secret")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("TWO_FACTOR_REQUIRED", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from services.accounts.models import Service, User  # noqa: E402
from services.dashboards import facts  # noqa: E402
from services.dashboards.outcomes import Scope, outcome_report  # noqa: E402
from services.dashboards.periods import last_months  # noqa: E402
from services.ratings.models import Rating  # noqa: E402
from services.sessions.models import Session  # noqa: E402

SERVICE = "bench"
CLIENTS = 10_000
TICKS = os.sysconf("SC_CLK_TCK")


def prepare() -> Service:
    if connection.vendor != "postgresql":
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database.")
    call_command("migrate", verbosity=0)
    service = Service.objects.filter(code=SERVICE).first()
    if service is None or not service.clients.exists():
        print(f"Loading seed_demo --clients {CLIENTS} --service {SERVICE} …", flush=True)
        call_command("seed_demo", clients=CLIENTS, service=SERVICE)
        service = Service.objects.get(code=SERVICE)
    facts.refresh_outdated()  # a database seeded before the facts existed
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return service


def backend_cpu_seconds(pid: int) -> float:
    """User plus system CPU time of the PostgreSQL backend serving this connection."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def measure(run, times: int, backend: int, before=None) -> dict:
    run()  # warm: caches, connection, planner
    wall, cpu = [], []
    for _ in range(times):
        if before is not None:
            before()
        started, app, db = time.perf_counter(), time.process_time(), backend_cpu_seconds(backend)
        run()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - app + backend_cpu_seconds(backend) - db) * 1000)
    return {"wall": wall, "cpu": cpu}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--serial",
        action="store_true",
        help="turn off PostgreSQL's parallel workers (max_parallel_workers_per_gather = 0), "
        "which on a busy 2-core machine cost more than they give",
    )
    args = parser.parse_args()
    service = prepare()
    with connection.cursor() as cursor:
        if args.serial:
            cursor.execute("SET max_parallel_workers_per_gather = 0")
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    sessions = Session.objects.filter(episode__service=service).count()
    ratings = Rating.objects.filter(session__episode__service=service).count()
    print(
        f"Service {service.code!r}: {service.clients.count()} clients, {sessions} sessions, "
        f"{ratings} ratings; database {connection.settings_dict['NAME']}"
        + (", parallel workers off" if args.serial else "")
        + f"; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    browser = Client()
    browser.force_login(User.objects.get(username=f"{SERVICE}-leder"))
    url = reverse("dashboards:service", kwargs={"code": service.code})

    def page():
        response = browser.get(url)
        assert response.status_code == 200, response.status_code

    queries: list[str] = []

    def count(execute, sql, *rest):
        queries.append(sql)
        return execute(sql, *rest)

    with connection.execute_wrapper(count):
        page()
    clients = list(service.clients.values_list("pk", flat=True))
    changes = random.Random(1)

    def twenty_changed():
        facts.mark_outdated(changes.sample(clients, 20))

    period = last_months(timezone.localdate(), 12)
    year = Scope(service.pk, period.start, period.end)
    results = [
        ("dashboard page, last 12 months", measure(page, args.runs, backend)),
        ("dashboard page, 20 clients changed", measure(page, args.runs, backend, twenty_changed)),
        ("dashboard page, charts drawn anew", measure(page, args.runs, backend, cache.clear)),
        (
            "outcome report, last 12 months",
            measure(lambda: outcome_report(year), args.runs, backend),
        ),
        (
            "outcome report, all time",
            measure(lambda: outcome_report(Scope(service.pk)), args.runs, backend),
        ),
    ]
    print(f"Dashboard page: {len(queries)} queries")
    print(f"{'':36} {'wall median':>12} {'CPU median':>11}   wall runs (ms)")
    for name, samples in results:
        runs = ", ".join(f"{s:.0f}" for s in samples["wall"])
        print(
            f"{name:36} {statistics.median(samples['wall']):9.0f} ms "
            f"{statistics.median(samples['cpu']):8.0f} ms   {runs}"
        )


if __name__ == "__main__":
    main()
