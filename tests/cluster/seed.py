"""Seeds the cluster's database and prints what the test needs as one JSON line.

Run as `python -m tests.cluster.seed LINKS` with the cluster's DATABASE_URL and SECRET_KEY (the
link tokens are signed with it). It makes one small service: a few clients, one remote link per
planned submission (each in its own session, since a session takes one answer per form and
rater), a staff member to lock out at login, and one with a tablet PIN and a client of her own.
The service does not ask for two-factor login, which has its own tests; here it would only
add a code to every login.
"""

import datetime
import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "feedback.settings")
django.setup()

from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from services.accounts.models import Role  # noqa: E402
from services.accounts.pin import set_pin  # noqa: E402
from services.ratings import links  # noqa: E402
from services.ratings.models import Handover, Method, Rater  # noqa: E402
from services.sessions.models import Session  # noqa: E402
from tests.factories import (  # noqa: E402
    EpisodeFactory,
    MembershipFactory,
    ServiceFactory,
    TeamFactory,
    UserFactory,
    instrument,
    items_for,
)

CLIENTS = 10
PASSWORD = "correct horse battery"
PIN = "2580"
MARK = "SEED "


def staff(username: str, service, team):
    user = UserFactory(username=username)
    MembershipFactory(user=user, service=service, role=Role.HELPER, team=team)
    return user


def link_handovers(count: int, service, team, helper) -> list[Handover]:
    ors = instrument("ors")
    today = timezone.localdate()
    expires = timezone.now() + datetime.timedelta(days=1)
    per_client = -(-count // CLIENTS)
    sessions = []
    for _ in range(CLIENTS):
        episode = EpisodeFactory(client__service=service, team=team, start_date=today)
        episode.helpers.add(helper)
        sessions += [
            Session(episode=episode, number=number, date=today, helper=helper)
            for number in range(1, per_client + 1)
        ]
    sessions = Session.objects.bulk_create(sessions[:count])
    return Handover.objects.bulk_create(
        Handover(
            session=session,
            instrument=ors,
            method=Method.LINK,
            rater=Rater.CLIENT,
            created_by=helper,
            expires_at=expires,
        )
        for session in sessions
    )


def main(count: int) -> dict:
    service = ServiceFactory(code="cluster", name="Klynge", require_two_factor=False)
    team = TeamFactory(service=service, code="klynge", name="Team klynge")
    helper = staff("lenker", service, team)
    handovers = link_handovers(count, service, team, helper)
    locked_out = staff("innlogging", service, team)
    tablet_user = staff("nettbrett", service, team)
    set_pin(tablet_user, PIN)
    tablet_episode = EpisodeFactory(
        client__service=service, team=team, start_date=timezone.localdate()
    )
    tablet_episode.helpers.add(tablet_user)
    return {
        "links": [links.token_for(handover) for handover in handovers],
        "instrument": "ors",
        "items": items_for("ors", 20),
        "password": PASSWORD,
        "login_user": locked_out.username,
        "tablet_user": tablet_user.username,
        "pin": PIN,
        "tablet_handover_path": reverse(
            "ratings:handover", args=[tablet_episode.client_id, tablet_episode.pk]
        ),
    }


if __name__ == "__main__":
    print(MARK + json.dumps(main(int(sys.argv[1]))))
