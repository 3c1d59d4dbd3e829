"""How long `seed_demo` takes, and how much of it is the dashboard facts rebuild.

    DATABASE_URL=postgres://... python benchmarks/seed_demo.py --clients 10000 [--service demo]

Seeds the database named by DATABASE_URL (give it an empty, migrated one; the service is
rebuilt with --replace if it is there already) and prints the total and the rebuild's share,
then the CPU time spent: this process's (user + system) and, when PostgreSQL runs on this
machine, its backend's (read from /proc). On a machine shared with other work the wall time
moves with the load; the CPU times barely do.
benchmarks/run.py seeds the service `bench`, whose logins dashboard.py expects (bench-leder).
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "feedback.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from services.dashboards import facts  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=10000)
    parser.add_argument("--service", default="demo", help="service code")
    args = parser.parse_args()
    spent = {"facts": 0.0}
    rebuild_all = facts.rebuild_all

    def timed(*a, **k):
        started = time.perf_counter()
        try:
            return rebuild_all(*a, **k)
        finally:
            spent["facts"] += time.perf_counter() - started

    facts.rebuild_all = timed
    backend = backend_pid()
    started, cpu, db = time.perf_counter(), time.process_time(), backend_cpu(backend)
    call_command("seed_demo", clients=args.clients, service=args.service, replace=True)
    total = time.perf_counter() - started
    print(
        f"seed_demo --clients {args.clients}: {total:.1f} s "
        f"(facts rebuild {spent['facts']:.1f} s, the rest {total - spent['facts']:.1f} s)"
    )
    db_cpu = "not readable" if db is None else f"{backend_cpu(backend) - db:.1f} s"
    print(f"CPU: this process {time.process_time() - cpu:.1f} s, database backend {db_cpu}")


def backend_pid() -> int | None:
    """The process id of the PostgreSQL backend serving this connection (None elsewhere)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def backend_cpu(pid: int | None) -> float | None:
    """User plus system CPU seconds of that backend, if it runs on this machine."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, TypeError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


if __name__ == "__main__":
    main()
