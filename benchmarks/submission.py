"""Answers per second: the tablet's and the remote link's JSON submission, and the tablet form.

Run from the repository root (PostgreSQL unless DATABASE_URL says otherwise):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/feedback_bench \
        .venv/bin/python benchmarks/submission.py [--answers 200] [--rounds 3] [--profile]

Builds its own throw-away database (`test_` + the name), makes one open episode per answer with
a tablet handover and a remote link, then sends every answer once through Django's test client
(the whole middleware stack, no network) and reports requests per second: median and range over
the rounds. Each round uses fresh handovers, so every request stores a new rating. It checks
afterwards that every answer was stored exactly once. `--profile tablet|remote|form` prints
the top of a cProfile of one round instead (SORT=tottime to sort by own time).
"""

import argparse
import cProfile
import datetime
import json
import os
import pstats
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "feedback.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/feedback_bench")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from services.accounts.models import Role  # noqa: E402
from services.ratings import kiosk, links  # noqa: E402
from services.ratings.handovers import prepare_handover  # noqa: E402
from services.ratings.models import Rating  # noqa: E402
from tests.factories import (  # noqa: E402
    EpisodeFactory,
    MembershipFactory,
    ServiceFactory,
    TeamFactory,
    UserFactory,
)

ITEMS = {"individually": "5.5", "interpersonally": "6.0", "socially": "7.1", "overall": "4.0"}


def handovers(helper, team, count: int, method: str) -> list:
    start = timezone.localdate() - datetime.timedelta(days=30)
    made = []
    for _ in range(count):
        episode = EpisodeFactory(client__service=team.service, team=team, start_date=start)
        episode.helpers.add(helper)
        made.append(prepare_handover(episode, method=method, purpose="outcome", user=helper))
    return made


def tablet_round(staff: Client, tablets: list) -> float:
    url = reverse("ratings:kiosk_submit")
    bodies = [
        json.dumps(
            {
                "submission_key": str(uuid.uuid4()),
                "instrument": tablet.instrument.key,
                "handover": tablet.token.hex,
                "items": ITEMS,
            }
        )
        for tablet in tablets
    ]
    # The tablet is locked to the round's first form; the other answers arrive as if sent later
    # from the device's outbox: the same view doing the same work, without a session write per
    # answer in the timed loop.
    session = staff.session
    session[kiosk.SESSION_KEY] = {"handover": tablets[0].pk, "language": "nb"}
    session.save()
    started = time.perf_counter()
    for body in bodies:
        response = staff.post(url, body, content_type="application/json")
        assert response.status_code == 201, response.content
    return len(tablets) / (time.perf_counter() - started)


def remote_round(phone: Client, remotes: list) -> float:
    requests = [
        (
            reverse("ratings:remote", args=[links.token_for(remote)]),
            json.dumps({"submission_key": str(uuid.uuid4()), "instrument": "ors", "items": ITEMS}),
        )
        for remote in remotes
    ]
    started = time.perf_counter()
    for url, body in requests:
        response = phone.post(url, body, content_type="application/json")
        assert response.status_code == 201, response.content
    return len(remotes) / (time.perf_counter() - started)


def form_round(staff: Client, tablet, count: int) -> float:
    session = staff.session
    session[kiosk.SESSION_KEY] = {"handover": tablet.pk, "language": "nb"}
    session.save()
    url = reverse("ratings:kiosk")
    started = time.perf_counter()
    for _ in range(count):
        assert staff.get(url).status_code == 200
    return count / (time.perf_counter() - started)


def summary(name: str, figures: list[float]) -> str:
    return (
        f"{name:<28} {statistics.median(figures):8.1f} req/s"
        f"   (range {min(figures):.1f}–{max(figures):.1f}, {len(figures)} rounds)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", choices=["tablet", "remote", "form"])
    options = parser.parse_args()

    setup_test_environment()
    settings.DEBUG = False  # as Django's test runner does: no query log, no debug pages
    settings.REMOTE_LINK_RATE_LIMIT = 10**9
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        service = ServiceFactory(code="bench")
        team = TeamFactory(service=service)
        helper = UserFactory(username="bench-helper")
        MembershipFactory(user=helper, service=service, role=Role.HELPER, team=team)
        staff, phone = Client(), Client()
        staff.force_login(helper)
        rounds = options.rounds if not options.profile else 1
        tablets = [handovers(helper, team, options.answers, "tablet") for _ in range(rounds)]
        remotes = [handovers(helper, team, options.answers, "link") for _ in range(rounds)]
        if options.profile:
            profiler = cProfile.Profile()
            if options.profile == "tablet":
                profiler.runcall(tablet_round, staff, tablets[0])
            elif options.profile == "remote":
                profiler.runcall(remote_round, phone, remotes[0])
            else:
                profiler.runcall(form_round, staff, tablets[0][0], options.answers)
            pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "cumulative")).print_stats(35)
            return
        form = [form_round(staff, tablets[0][0], options.answers) for _ in range(rounds)]
        tablet = [tablet_round(staff, batch) for batch in tablets]
        remote = [remote_round(phone, batch) for batch in remotes]
        stored = Rating.objects.count()
        expected = 2 * rounds * options.answers
        assert stored == expected, f"{stored} ratings stored, {expected} answers sent"
        print(f"{connection.vendor}, {options.answers} answers a round")
        print(summary("tablet form page (GET)", form))
        print(summary("tablet submission (JSON)", tablet))
        print(summary("remote link submission", remote))
        print(f"stored {stored} of {expected} answers: 0 lost, 0 duplicated")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
