"""Build a demo service with teams, helpers, demo logins and a realistic caseload."""

import datetime
import functools
import itertools
import uuid
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from feedback.bulk_insert import insert_rows
from services.accounts.models import Membership, Role, Service, Team, User
from services.changes import demo as changes_demo
from services.clients.models import Client, Episode
from services.dashboards import facts
from services.demo.extras import seed_goals_and_comments, seed_offers_talked_about
from services.demo.generate import RATING_FIELDS, make_clients
from services.demo.wipe import delete_clients
from services.groups import demo as groups_demo
from services.measures.forms_in_use import chosen_form
from services.offers import demo as offers_demo
from services.ratings.models import Method, Rater, Rating
from services.sessions.models import Session
from services.suggestions import demo as suggestions_demo

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
DEMO_NAME = "Demo lavterskeltilbud"
BATCH = 2000
CHUNK = 500  # clients inserted together


class Command(BaseCommand):
    help = "Create a demo service with teams, helpers, demo logins and clients with ratings."

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, default=150)
        parser.add_argument("--service", default="demo", help="service code")
        # Several services in one installation (issue #20): a second demo service named and
        # coded apart, so a page that showed another service's clients would be noticed.
        parser.add_argument("--name", default=DEMO_NAME, help="the service's name, when it is made")
        parser.add_argument(
            "--client-prefix", default="", help="put before every client code, e.g. 'NABO-'"
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--replace", action="store_true", help="delete the service's clients first"
        )

    def handle(
        self,
        *args,
        clients: int,
        service: str,
        seed: int,
        replace: bool,
        name: str,
        client_prefix: str,
        **options,
    ):
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
            target = existing or Service.objects.create(code=service, name=name)
            if replace:  # episodes, sessions and ratings go with their clients
                delete_clients(Client.objects.filter(service=target))
            helper_teams = _staff(target, service)
            counts = _caseload(target, clients, helper_teams, seed, client_prefix)
            counts |= seed_goals_and_comments(target, seed)
            counts["offers"] = offers_demo.seed(target)
            counts["offers_talked_about"] = seed_offers_talked_about(target, seed)
            counts["notes"] = suggestions_demo.seed(target, seed)  # before the entries: themes
            counts["changes"] = changes_demo.seed(target)
            leader = User.objects.get(username=_prefix(service) + HELPERS[0][0])
            counts |= groups_demo.seed(target, leader, seed)  # issue #18: groups and meetings
            facts.rebuild_all(target.pk)  # inserting in bulk sends no signals
        seconds = (timezone.now() - started).total_seconds()
        logins = ", ".join(_prefix(service) + u for u in ("hjelper", "leder", "admin", "brukerrad"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Service {service!r}: {counts['clients']} clients, {counts['sessions']} sessions, "
                f"{counts['ratings']} ratings, "
                f"{counts['goals']} goals, {counts['comments']} comments, "
                f"{counts['offers']} offers, {counts['offers_talked_about']} offers talked about, "
                f"{counts['notes']} suggestions, {counts['changes']} changes made, "
                f"{counts['groups']} groups with {counts['meetings']} meetings "
                f"in {seconds:.1f} s. "
                f"Logins (password {DEMO_PASSWORD!r}): {logins}; platform operator: drift"
            )
        )


def _user(username: str, first: str, last: str, **flags) -> User:
    user, created = User.objects.get_or_create(
        username=username, defaults={"first_name": first, "last_name": last, **flags}
    )
    if created:
        user.password = _demo_password_hash()
        user.save(update_fields=["password"])
    return user


def _demo_password_hash() -> str:
    """The demo password hashed once for every demo login: the password is published, so one
    salt for all costs nothing, and hashing it for each of eleven logins cost seconds. Once per
    hasher setting: a hash made under other settings (a test's fast hasher) may not verify."""
    return _hash_under(tuple(settings.PASSWORD_HASHERS))


@functools.cache
def _hash_under(hashers: tuple[str, ...]) -> str:
    return make_password(DEMO_PASSWORD)


def _prefix(code: str) -> str:
    """Another service's logins are named after it: "annen-hjelper"."""
    return "" if code == "demo" else f"{code}-"


def _staff(service: Service, code: str) -> dict[int, int]:
    """Teams, helpers and the leader/admin logins; returns helper id → team id."""
    prefix = _prefix(code)
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
    council = _user(prefix + "brukerrad", "Bente", "Brukerråd")  # issue #18: the suggestion box
    Membership.objects.get_or_create(user=council, service=service, role=Role.COUNCIL)
    # Demo databases made before service administrators lost the superuser flag.
    User.objects.filter(memberships__service=service).update(is_staff=False, is_superuser=False)
    _user("drift", "Dina", "Drift", is_staff=True, is_superuser=True)
    return helper_teams


def _caseload(
    service: Service, count: int, helper_teams: dict[int, int], seed: int, prefix: str = ""
) -> dict:
    """The generated clients, their episodes, sessions and ratings, inserted in bulk a chunk of
    clients at a time: a fixed number of statements per chunk, none per client."""
    instruments = {
        (age_group, purpose): chosen_form(service.pk, age_group, purpose)
        for age_group in ("adult", "adolescent", "child", "young_child")
        for purpose in ("outcome", "alliance")
    }
    item_keys = {key: instrument.spec.item_keys for key, instrument in instruments.items()}
    oslo = ZoneInfo(settings.TIME_ZONE)
    rated_at = functools.cache(  # ten o'clock on a session's day, made once per day
        lambda day: datetime.datetime.combine(day, datetime.time(10), oslo)
    )
    today = timezone.localdate()
    generated = make_clients(count, list(helper_teams), helper_teams, today, seed)
    counts = {"clients": 0, "sessions": 0, "ratings": 0}
    for chunk in _chunks(generated, CHUNK):
        client_ids = insert_rows(
            Client,
            ("service_id", "code", "display_name", "age_group"),
            [(service.pk, prefix + c.code, c.display_name, c.age_group) for c in chunk],
        )
        demo_episodes = [
            (client_id, e)
            for client_id, c in zip(client_ids, chunk, strict=True)
            for e in c.episodes
        ]
        episode_ids = insert_rows(
            Episode,
            ("client_id", "service_id", "code", "team_id", "start_date", "end_date", "end_reason"),
            [
                (client_id, service.pk, e.code, e.team, e.start_date, e.end_date, e.end_reason)
                for client_id, e in demo_episodes
            ],
        )
        insert_rows(
            Episode.helpers.through,
            ("episode_id", "user_id"),
            [(pk, e.helper) for pk, (_, e) in zip(episode_ids, demo_episodes, strict=True)],
        )
        demo_sessions = [
            (episode_id, s)
            for episode_id, (_, e) in zip(episode_ids, demo_episodes, strict=True)
            for s in e.sessions
        ]
        session_ids = insert_rows(
            Session,
            ("episode_id", "number", "date", "helper_id", "kind"),
            [(pk, s.number, s.date, s.helper, s.kind) for pk, s in demo_sessions],
        )
        age_groups = [c.age_group for c in chunk for e in c.episodes for s in e.sessions]
        ratings = [
            (
                session_id,
                instruments[(age_group, r.purpose)].pk,
                r.purpose,
                r.rater,
                "",
                age_group,
                dict(zip(item_keys[(age_group, r.purpose)], map(str, r.items), strict=True)),
                r.total,
                Method.TABLET if r.rater == Rater.CLIENT else Method.PAPER,
                rated_at(s.date),
                uuid.uuid4(),
            )
            for session_id, (_, s), age_group in zip(
                session_ids, demo_sessions, age_groups, strict=True
            )
            for r in s.ratings
        ]
        insert_rows(Rating, RATING_FIELDS, ratings)
        counts["clients"] += len(client_ids)
        counts["sessions"] += len(session_ids)
        counts["ratings"] += len(ratings)
    return counts


def _chunks(iterable, size: int):
    iterator = iter(iterable)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk
