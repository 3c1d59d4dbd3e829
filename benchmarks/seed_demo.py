"""How long `seed_demo` takes, and how much of it is the dashboard facts rebuild.

    DATABASE_URL=postgres://... python benchmarks/seed_demo.py --clients 10000 [--service demo]

Seeds the database named by DATABASE_URL (give it an empty, migrated one; the service is
rebuilt with --replace if it is there already) and prints the total and the rebuild's share.
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
    started = time.perf_counter()
    call_command("seed_demo", clients=args.clients, service=args.service, replace=True)
    total = time.perf_counter() - started
    print(
        f"seed_demo --clients {args.clients}: {total:.1f} s "
        f"(facts rebuild {spent['facts']:.1f} s, the rest {total - spent['facts']:.1f} s)"
    )


if __name__ == "__main__":
    main()
