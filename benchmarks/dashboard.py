"""Time the leaders' dashboard and the outcome report on a large service in PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/feedback_bench \\
        .venv/bin/python benchmarks/dashboard.py [--clients 10000] [--service bench] \\
        [--runs 7] [--serial]

Migrates the database, loads `seed_demo --clients N --service CODE` if that service is not there
yet (about a minute per 10,000 clients on a 2-core machine), brings the dashboard facts up to
date, refreshes the planner's statistics, then measures, warm (after one untimed run), the
median of several runs of:
- "last 12 months": the service dashboard page as its leader sees it (a full request through
  the test client: queries, charts and template), for the last 12 months, viewed again with
  nothing changed;
- "20 clients changed": the same page after 20 client ORS ratings in the period were corrected
  (by half a point), so their clients' facts are rebuilt, the figures computed anew and the
  charts whose data changed drawn again;
- "20 clients changed, worker rebuilt": the same, with the changed clients' facts rebuilt by the
  job worker first (`rebuild_dashboard_facts --pending`, untimed), as it does every two minutes,
  which also draws the default page's charts (services/dashboards/warm.py);
- "20 clients rebuilt unchanged": the same after 20 clients' facts were rebuilt on the page with
  nothing in their data changed (edits that leave every figure as it was);
- "charts drawn anew": the same page with every kept page and chart emptied from the cache;
- the outcome report for the last 12 months and for all time.
Beside each: how many charts were drawn (the others came from the cache).

The cache is Redis, as in production (`REDIS_URL`, default redis://127.0.0.1:6379/0), under a
key prefix of this run's own that is emptied before and after; nothing else in it is touched
(`--no-redis`: a file cache in a temporary directory instead). The corrected ratings are put
back afterwards. Static files are collected into var/benchmark-static (DEBUG is off).

Two numbers per line: wall-clock time, and CPU time spent on it by this process and by its
PostgreSQL backend together (read from /proc, so the database must run on this machine; Redis's
own time is not counted). On a machine shared with other work the wall-clock time grows with the
load; the CPU time does not, and with parallel workers off (--serial) it is what the wall-clock
time is on an idle machine. Targets on the 2-core machine at 50,000 clients: under 150 ms for a
repeated view; at 10,000, at most 250 ms for the first view after the data changed.
"""

import argparse
import functools
import io
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "feedback.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/feedback_bench")
# Production-like: no debug cursor bookkeeping, no two-factor step for the scripted login, and
# the shared cache the kept pages need.
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "benchmark-only-not-secret")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("TWO_FACTOR_REQUIRED", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("STATIC_ROOT", str(ROOT / "var" / "benchmark-static"))
os.environ["CACHE_KEY_PREFIX"] = f"dashboard-benchmark-{os.getpid()}"
if "--no-redis" in sys.argv:
    os.environ.pop("REDIS_URL", None)
else:
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")

import django  # noqa: E402
from django.conf import settings  # noqa: E402

if "--no-redis" in sys.argv:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": tempfile.mkdtemp(prefix="dashboard-benchmark-"),
        }
    }
django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from services.accounts.models import Service, User  # noqa: E402
from services.charts import dashboard as charts  # noqa: E402
from services.dashboards import facts  # noqa: E402
from services.dashboards.outcomes import Scope, outcome_report  # noqa: E402
from services.dashboards.periods import last_months  # noqa: E402
from services.measures.models import Purpose  # noqa: E402
from services.ratings.models import Rater, Rating  # noqa: E402
from services.sessions.models import Session  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")
DRAWN = {"count": 0}


def prepare(code: str, clients: int) -> Service:
    if connection.vendor != "postgresql":
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database.")
    call_command("migrate", verbosity=0)
    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)
    service = Service.objects.filter(code=code).first()
    if service is None or not service.clients.exists():
        print(f"Loading seed_demo --clients {clients} --service {code} …", flush=True)
        call_command("seed_demo", clients=clients, service=code)
        service = Service.objects.get(code=code)
    facts.refresh_outdated()  # a database seeded before the facts existed
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return service


def empty_cache() -> None:
    """Delete this run's keys (and only those) from the shared cache."""
    prefix = os.environ["CACHE_KEY_PREFIX"]
    backend = getattr(cache, "_cache", None)
    if backend is None or not hasattr(backend, "get_client"):
        cache.clear()
        return
    client = backend.get_client(None, write=True)
    for key in client.scan_iter(match=f"{prefix}:*", count=1000):
        client.delete(key)


def count_drawing() -> None:
    """Count the dashboard charts actually drawn (not read from the cache)."""
    for name in ("categories_chart", "trend_chart", "histogram_chart", "caterpillar_chart"):
        draw = getattr(charts, name)

        @functools.wraps(draw)
        def counted(*args, _draw=draw, **kwargs):
            DRAWN["count"] += 1
            return _draw(*args, **kwargs)

        setattr(charts, name, counted)


def backend_cpu_seconds(pid: int) -> float:
    """User plus system CPU time of the PostgreSQL backend serving this connection."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def measure(run, times: int, backend: int, before=None) -> dict:
    if before is not None:
        before()
    run()  # warm: caches, connection, planner
    wall, cpu, drawn = [], [], []
    for _ in range(times):
        if before is not None:
            before()
        DRAWN["count"] = 0
        started, app, db = time.perf_counter(), time.process_time(), backend_cpu_seconds(backend)
        run()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - app + backend_cpu_seconds(backend) - db) * 1000)
        drawn.append(DRAWN["count"])
    return {"wall": wall, "cpu": cpu, "drawn": drawn}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=10_000, help="to seed, if not there")
    parser.add_argument("--service", default="bench", help="the service's code")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-redis", action="store_true", help="a file cache instead")
    parser.add_argument(
        "--serial",
        action="store_true",
        help="turn off PostgreSQL's parallel workers (max_parallel_workers_per_gather = 0), "
        "which on a busy 2-core machine cost more than they give",
    )
    args = parser.parse_args()
    service = prepare(args.service, args.clients)
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
    empty_cache()
    count_drawing()
    browser = Client()
    browser.force_login(User.objects.get(username=f"{service.code}-leder"))
    url = reverse("dashboards:service", kwargs={"code": service.code})

    def page():
        response = browser.get(url)
        assert response.status_code == 200, response.status_code

    def queries_of(run) -> int:
        queries: list[str] = []

        def count(execute, sql, *rest):
            queries.append(sql)
            return execute(sql, *rest)

        with connection.execute_wrapper(count):
            run()
        return len(queries)

    period = last_months(timezone.localdate(), 12)
    clients = list(service.clients.values_list("pk", flat=True))
    changes = random.Random(1)
    corrected: dict[int, Decimal] = {}
    in_period = list(
        Rating.objects.filter(
            session__episode__service=service,
            session__date__gte=period.start,
            purpose=Purpose.OUTCOME,
            rater=Rater.CLIENT,
        ).values_list("pk", flat=True)
    )

    def twenty_rebuilt():
        facts.mark_outdated(changes.sample(clients, 20))

    def twenty_corrected():
        for rating in Rating.objects.filter(pk__in=changes.sample(in_period, 20)):
            corrected.setdefault(rating.pk, rating.total)
            half = Decimal("0.5")
            rating.total = rating.total + half if rating.total < 20 else rating.total - half
            rating.save(update_fields=["total"])  # marks the client, as every edit does

    def twenty_corrected_and_rebuilt():
        twenty_corrected()
        call_command("rebuild_dashboard_facts", pending=True, stdout=io.StringIO())  # the worker

    uncached_queries = queries_of(lambda: (empty_cache(), page()))
    page()
    repeated_queries = queries_of(page)
    year = Scope(service.pk, period.start, period.end)
    try:
        results = [
            ("dashboard page, last 12 months", measure(page, args.runs, backend)),
            (
                "dashboard page, 20 clients changed",
                measure(page, args.runs, backend, twenty_corrected),
            ),
            (
                "dashboard page, 20 clients changed, worker rebuilt",
                measure(page, args.runs, backend, twenty_corrected_and_rebuilt),
            ),
            (
                "dashboard page, 20 clients rebuilt unchanged",
                measure(page, args.runs, backend, twenty_rebuilt),
            ),
            ("dashboard page, charts drawn anew", measure(page, args.runs, backend, empty_cache)),
            (
                "outcome report, last 12 months",
                measure(lambda: outcome_report(year), args.runs, backend),
            ),
            (
                "outcome report, all time",
                measure(lambda: outcome_report(Scope(service.pk)), args.runs, backend),
            ),
        ]
    finally:
        for rating in Rating.objects.filter(pk__in=corrected):
            rating.total = corrected[rating.pk]
            rating.save(update_fields=["total"])
        facts.refresh_outdated()
        empty_cache()
    print(f"Dashboard page: {uncached_queries} queries built anew, {repeated_queries} viewed again")
    print(f"{'':52} {'wall median':>12} {'CPU median':>11}   charts drawn   wall runs (ms)")
    for name, samples in results:
        runs = ", ".join(f"{s:.0f}" for s in samples["wall"])
        drawn = statistics.median(samples["drawn"])
        print(
            f"{name:52} {statistics.median(samples['wall']):9.0f} ms "
            f"{statistics.median(samples['cpu']):8.0f} ms   {drawn:12.0f}   {runs}"
        )


if __name__ == "__main__":
    main()
