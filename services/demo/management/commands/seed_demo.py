"""Build a demo service with teams, helpers, demo logins and a realistic caseload."""

import datetime
import itertools
import uuid
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from services.accounts.models import Membership, Role, Service, Team, User
from services.clients.models import Client, Episode
from services.dashboards import facts
from services.demo.generate import make_clients
from services.measures.forms_in_use import chosen_form
from services.ratings.models import Method, Rater, Rating
from services.sessions.models import Session

TEAMS = (("voksne", "Team voksne"), ("ungdom", "Team ungdom"), ("rus", "Team rus og psykisk helse"))
HELPERS = (
    ("hjelper", "Kari", "Nordmann", "voksne"),
    ("hjelper2", "Ali", "Hassan", "voksne"),
    ("hjelper3", "Marte", "Berg", "voksne"),
    ("hjelper4", "Jonas", "Lie", "ungdom"),
    ("hjelper5", "Ingrid", "Dahl", "ungdom"),
    ("hjelper6", "Petter", "Moen", "rus"),
    ("hjelper7", "Aisha", "Khan", "rus"),
    ("hjelper8", "Nils", "Eide", "rus"),
)
DEMO_PASSWORD = "demo"
BATCH = 2000


class Command(BaseCommand):
    help = "Create a demo service with teams, helpers, demo logins and clients with ratings."

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, default=150)
        parser.add_argument("--service", default="demo", help="service code")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--replace", action="store_true", help="delete the service's clients first"
        )

    def handle(self, *args, clients: int, service: str, seed: int, replace: bool, **options):
        if clients < 1:
            raise CommandError("--clients must be 1 or more")
        existing = Service.objects.filter(code=service).first()
        if existing is not None and existing.clients.exists() and not replace:
            self.stdout.write(
                f"Service {service!r} already has demo data; use --replace to rebuild"
            )
            return
        started = timezone.now()
        with transaction.atomic():
            target = existing or Service.objects.create(code=service, name="Demo lavterskeltilbud")
            if replace:  # episodes, sessions and ratings go with their clients
                Client.objects.filter(service=target).delete()
            helper_teams = _staff(target, service)
            counts = _caseload(target, clients, helper_teams, seed)
            facts.rebuild_all(target.pk)  # bulk_create sends no signals
        seconds = (timezone.now() - started).total_seconds()
        self.stdout.write(
            self.style.SUCCESS(
                f"Service {service!r}: {counts['clients']} clients, {counts['sessions']} sessions, "
                f"{counts['ratings']} ratings in {seconds:.1f} s. "
                f"Logins (password {DEMO_PASSWORD!r}): hjelper, leder, admin; "
                "platform operator: drift"
            )
        )


def _user(username: str, first: str, last: str, **flags) -> User:
    user, created = User.objects.get_or_create(
        username=username, defaults={"first_name": first, "last_name": last, **flags}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _staff(service: Service, code: str) -> dict[int, int]:
    """Teams, helpers and the leader/admin logins; returns helper id → team id."""
    prefix = "" if code == "demo" else f"{code}-"
    teams = {
        key: Team.objects.get_or_create(service=service, code=key, defaults={"name": name})[0]
        for key, name in TEAMS
    }
    helper_teams = {}
    for username, first, last, team in HELPERS:
        user = _user(prefix + username, first, last)
        Membership.objects.get_or_create(
            user=user, service=service, role=Role.HELPER, defaults={"team": teams[team]}
        )
        helper_teams[user.pk] = teams[team].pk
    leader = _user(prefix + "leder", "Lene", "Leder")
    Membership.objects.get_or_create(user=leader, service=service, role=Role.LEADER)
    admin = _user(prefix + "admin", "Arne", "Admin")
    Membership.objects.get_or_create(user=admin, service=service, role=Role.ADMINISTRATOR)
    # Demo databases made before service administrators lost the superuser flag.
    User.objects.filter(memberships__service=service).update(is_staff=False, is_superuser=False)
    _user("drift", "Dina", "Drift", is_staff=True, is_superuser=True)
    return helper_teams


def _caseload(service: Service, count: int, helper_teams: dict[int, int], seed: int) -> dict:
    instruments = {
        (age_group, purpose): chosen_form(service.pk, age_group, purpose)
        for age_group in ("adult", "adolescent", "child", "young_child")
        for purpose in ("outcome", "alliance")
    }
    oslo = ZoneInfo(settings.TIME_ZONE)
    today = timezone.localdate()
    generated = make_clients(count, list(helper_teams), helper_teams, today, seed)
    counts = {"clients": 0, "sessions": 0, "ratings": 0}
    for chunk in _chunks(generated, 500):
        clients = Client.objects.bulk_create(
            [
                Client(
                    service=service, code=c.code, display_name=c.display_name, age_group=c.age_group
                )
                for c in chunk
            ]
        )
        episodes = Episode.objects.bulk_create(
            [
                Episode(
                    client=client,
                    service=service,
                    code=e.code,
                    team_id=e.team,
                    start_date=e.start_date,
                    end_date=e.end_date,
                    end_reason=e.end_reason,
                )
                for client, demo in zip(clients, chunk, strict=True)
                for e in demo.episodes
            ]
        )
        demo_episodes = [e for demo in chunk for e in demo.episodes]
        Episode.helpers.through.objects.bulk_create(
            [
                Episode.helpers.through(episode_id=episode.pk, user_id=demo.helper)
                for episode, demo in zip(episodes, demo_episodes, strict=True)
            ]
        )
        sessions = Session.objects.bulk_create(
            [
                Session(
                    episode=episode, number=s.number, date=s.date, helper_id=s.helper, kind=s.kind
                )
                for episode, demo in zip(episodes, demo_episodes, strict=True)
                for s in demo.sessions
            ],
            batch_size=BATCH,
        )
        demo_sessions = [(s, c.age_group) for c in chunk for e in c.episodes for s in e.sessions]
        ratings = [
            Rating(
                session=session,
                instrument=(instrument := instruments[(age_group, r.purpose)]),
                purpose=r.purpose,
                rater=r.rater,
                age_group=age_group,
                items=dict(zip(instrument.spec.item_keys, map(str, r.items), strict=True)),
                total=r.total,
                method=Method.TABLET if r.rater == Rater.CLIENT else Method.PAPER,
                rated_at=datetime.datetime.combine(s.date, datetime.time(10), oslo),
                submission_key=uuid.uuid4(),
            )
            for session, (s, age_group) in zip(sessions, demo_sessions, strict=True)
            for r in s.ratings
        ]
        Rating.objects.bulk_create(ratings, batch_size=BATCH)
        counts["clients"] += len(clients)
        counts["sessions"] += len(sessions)
        counts["ratings"] += len(ratings)
    return counts


def _chunks(iterable, size: int):
    iterator = iter(iterable)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk
