"""Two fully seeded services in one database, built once for the whole package (issue #20).

Service A ("demo") is the one whose staff walk the site; service B ("nabo") is the neighbour
whose data they must never see. Both are made by `seed_demo`, so every kind of object exists in
both (clients, episodes, sessions, ratings, goals, comments, offers, groups with meetings,
suggestion notes with themes and places, changes made, dashboard facts). Everything B has that
a page could show carries "nabo" somewhere (its name and code, its client codes and names, its
teams, offers, groups, members, themes, places, notes, goals, comments and its staff's
names), and nothing of A's does: one case-insensitive search of an answer finds any B data.

Seeding two services takes seconds, so it is done once, inside a transaction that is rolled
back when the package is done: each test runs in a savepoint of it (pytest-django's own
transaction per test), and the rest of the suite never sees these rows.
"""

import datetime
import re
from dataclasses import dataclass, field

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.utils import timezone

from services.accounts import invitations
from services.accounts.models import Membership, Role, Service, Team, User
from services.api import keys as api_keys
from services.api.models import Scope
from services.changes.models import ChangeMade
from services.clients.models import Client, Episode
from services.comments.models import SessionComment
from services.dashboards import facts
from services.goals.models import Goal
from services.groups.models import Group, Meeting, Member, Turn, TurnMethod
from services.measures.loading import load_builtin_instruments
from services.measures.models import Instrument
from services.network.models import Network, NetworkMember
from services.offers.models import Offer
from services.peer import snapshot as peer_snapshot
from services.peer.models import GroupMember, SharedCase, SupervisionGroup
from services.ratings import links
from services.ratings.models import Handover, Method, Rater, Rating
from services.research.models import ResearchProject
from services.sessions.models import Session
from services.suggestions.models import Note, Place, Theme
from services.supervision.models import SupervisorGrant

A, B = "demo", "nabo"
B_NAME = "Nabokommunen lavterskel"
B_CLIENT_PREFIX = "NABO-"
CLIENTS = 16  # a service with every kind of object; more would only slow the walk
# Anything of B's in an answer: its code, name, client codes, and every name given below.
B_MARKER = re.compile(r"[\w-]*nabo[\w-]*", re.IGNORECASE)

# Service A's staff, by the role they walk the site as.
ROLES = (
    "helper",  # responsible for clients, leads the demo groups
    "leader",  # figures only
    "leader_with_clients",  # a leader granted identified clients (can_view_clients)
    "administrator",
    "council",  # the user council: the suggestion box only
    "supervisor",  # a helper made a supervisor by the administrator
)


def b_markers(content: bytes | str) -> set[str]:
    """Every word of B's found in an answer."""
    if isinstance(content, bytes):
        content = content.decode("utf-8", errors="replace")
    return {match.lower() for match in B_MARKER.findall(content)}


@dataclass
class World:
    service_a: Service
    service_b: Service
    users: dict[str, User]  # A's staff by role
    b_users: dict[str, User]  # B's staff by role
    objects_a: dict = field(default_factory=dict)  # URL arguments, as tests/test_permissions
    objects_b: dict = field(default_factory=dict)
    key_a: str = ""  # a read-write API key of A
    key_b: str = ""
    dual: User | None = None  # a helper in both services


def _prefix_names(service: Service) -> None:
    """Give everything of the service that a page may show a "Nabo" in its text."""
    nabo = Value("Nabo ")
    Client.objects.filter(service=service).update(display_name=Concat(nabo, "display_name"))
    Team.objects.filter(service=service).update(name=Concat(nabo, "name"))
    Offer.objects.filter(service=service).update(
        title=Concat(nabo, "title"),
        title_nn=Concat(nabo, "title_nn"),
        title_en=Concat(nabo, "title_en"),
    )
    Group.objects.filter(service=service).update(name=Concat(nabo, "name"))
    Member.objects.filter(group__service=service).exclude(label="").update(
        label=Concat(nabo, "label")
    )
    for model in (Theme, Place):
        model.objects.filter(service=service).update(
            name=Concat(nabo, "name"),
            name_nn=Concat(nabo, "name_nn"),
            name_en=Concat(nabo, "name_en"),
        )
    Note.objects.filter(service=service).update(text=Concat(nabo, "text"))
    Note.objects.filter(service=service).exclude(reply="").update(reply=Concat(nabo, "reply"))
    ChangeMade.objects.filter(service=service).update(
        said=Concat(nabo, "said"), did=Concat(nabo, "did")
    )
    Goal.objects.filter(episode__service=service).update(text=Concat(nabo, "text"))
    SessionComment.objects.filter(rating__session__episode__service=service).update(
        text=Concat(nabo, "text")
    )
    User.objects.filter(memberships__service=service).update(
        last_name=Concat(F("last_name"), Value(" Nabosen"))
    )


def _staff(service: Service, prefix: str) -> dict[str, User]:
    """The seeded logins, plus a leader who sees clients and a supervisor."""
    users = {
        "helper": User.objects.get(username=f"{prefix}hjelper"),
        "leader": User.objects.get(username=f"{prefix}leder"),
        "administrator": User.objects.get(username=f"{prefix}admin"),
        "council": User.objects.get(username=f"{prefix}brukerrad"),
        "supervisor": User.objects.get(username=f"{prefix}hjelper2"),
    }
    seeing = User.objects.create(
        username=f"{prefix}leder-innsyn", first_name="Lise", last_name="Innsyn"
    )
    Membership.objects.create(user=seeing, service=service, role=Role.LEADER, can_view_clients=True)
    users["leader_with_clients"] = seeing
    SupervisorGrant.objects.create(service=service, user=users["supervisor"])
    return users


def _objects(service: Service, users: dict[str, User]) -> dict:
    """One object of every kind in the service, named as tests/test_permissions names the
    arguments of its URLs: the helper's client with a rated session, a hand-over link, a
    group meeting open today, a pending invitation, an API key."""
    helper = users["helper"]
    rating = (
        Rating.objects.filter(
            session__episode__service=service, session__episode__helpers=helper, rater=Rater.CLIENT
        )
        .select_related("session__episode__client", "instrument")
        .order_by("pk")
        .first()
    )
    session = rating.session
    episode = session.episode
    handover = Handover.objects.create(
        session=session,
        instrument=rating.instrument,
        method=Method.LINK,
        rater=Rater.CLIENT,
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )
    invited = User.objects.create(username=f"{service.code}-invited", is_active=False)
    Membership.objects.create(user=invited, service=service, role=Role.HELPER)
    group = Group.objects.filter(service=service, leader=helper).order_by("pk").first()
    meeting = Meeting.objects.filter(group=group).order_by("-date").first()
    participant = Member.objects.filter(group=group, episode__isnull=True).order_by("pk").first()
    turn, _ = Turn.objects.get_or_create(
        meeting=meeting, member=participant, defaults={"method": TurnMethod.PHONE}
    )
    place = Place.objects.filter(service=service).order_by("pk").first()
    colleague = (  # a helper of this service only (not `World.dual`)
        User.objects.filter(memberships__service=service, memberships__role=Role.HELPER)
        .exclude(memberships__service__in=Service.objects.exclude(pk=service.pk))
        .exclude(pk__in=[u.pk for u in users.values()])
        .exclude(pk=invited.pk)
        .order_by("username")
        .first()
    )
    # A network of the service's own, which it joined (issue #20 part 2): the other service is
    # in no network with it, so nothing of it may reach the other's pages either.
    network = Network.objects.create(code=f"{service.code}-nett", name=f"{service.name} nett")
    membership = NetworkMember.objects.create(
        network=network, service=service, joined_at=timezone.now()
    )
    project = ResearchProject.objects.create(
        service=service,
        name=f"{service.name}: studien",
        purpose="Effekt",
        recipient="Universitetet",
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2026, 1, 1),
        expires_on=timezone.localdate() + datetime.timedelta(days=30),
        created_by=users["leader"],
        approved_by=users["leader"],
        approved_at=timezone.now(),
    )
    # Peer supervision in that network (issue #20 part 4): the helper shared a client's
    # episode with a supervision group of their own service's helpers.
    supervision_group = SupervisionGroup.objects.create(
        network=network, name=f"{service.name} veiledning"
    )
    shared_case = SharedCase.objects.create(
        group=supervision_group,
        episode=episode,
        shared_by=helper,
        question=f"{service.name}: hva nå?",
        consent_recorded_at=timezone.now(),
        consent_recorded_by=helper,
        snapshot=peer_snapshot.take(episode),
    )
    return {
        "supervision_group": supervision_group.pk,
        "group_member": GroupMember.objects.create(group=supervision_group, user=helper).pk,
        "shared_case": shared_case.pk,
        "network": network.code,
        "network_member": membership.pk,
        "research_project": project.pk,
        "client": episode.client_id,
        "episode": episode.pk,
        "session": session.pk,
        "rating": rating.pk,
        "handover": handover.pk,
        "token": links.token_for(handover),
        "short_code": links.short_code_for(handover),
        "service": service.code,
        "client_code": episode.client.code,
        "csv": "csv",
        "staff_member": colleague.pk,
        "team": Team.objects.filter(service=service).order_by("pk").first().pk,
        "invitation": invitations.issue(invited, service, created_by=users["administrator"]),
        "helper": helper.pk,
        "grant": SupervisorGrant.objects.get(service=service).pk,
        "api_key": api_keys.issue(
            service,
            name="DIPS",
            scope=Scope.READ,
            expires_at=timezone.now() + datetime.timedelta(days=30),
            created_by=None,
        )[0].pk,
        "instrument": rating.instrument_id,
        "offer": Offer.objects.filter(service=service).order_by("pk").first().pk,
        "change": ChangeMade.objects.filter(service=service).order_by("pk").first().pk,
        "place": place.slug,
        "place_id": place.pk,
        "theme": Theme.objects.filter(service=service).order_by("pk").first().pk,
        "note": Note.objects.filter(service=service).order_by("pk").first().pk,
        "group": group.pk,
        "member": participant.pk,
        "meeting": meeting.pk,
        "meeting_token": meeting.token,
        "turn_token": turn.token,
    }


def _works_in_both(*services: Service) -> User:
    """A helper in both services (one psychologist, two municipalities), responsible for some
    open episodes in each and the helper of their sessions: what each service shows about
    them must be that service's part only."""
    dual = User.objects.create(username="dobbel", first_name="Dag", last_name="Dobbel")
    for service in services:
        Membership.objects.create(
            user=dual,
            service=service,
            role=Role.HELPER,
            team=Team.objects.filter(service=service).order_by("pk").first(),
        )
        episodes = list(
            Episode.objects.filter(service=service, end_date__isnull=True).order_by("pk")[:5]
        )
        for episode in episodes:
            episode.helpers.add(dual)
        Session.objects.filter(episode__in=episodes).update(helper=dual)
        facts.rebuild_all(service.pk)
    return dual


def _key(service: Service) -> str:
    return api_keys.issue(
        service,
        name="Journal",
        scope=Scope.READ_WRITE,
        expires_at=timezone.now() + datetime.timedelta(days=30),
        created_by=None,
    )[1]


def build_world() -> World:
    if not Instrument.objects.exists():  # a transactional test before may have flushed them
        load_builtin_instruments()
    call_command("seed_demo", clients=CLIENTS, service=A, seed=3, stdout=None)
    call_command(
        "seed_demo",
        clients=CLIENTS,
        service=B,
        name=B_NAME,
        client_prefix=B_CLIENT_PREFIX,
        seed=4,
        stdout=None,
    )
    service_a, service_b = Service.objects.get(code=A), Service.objects.get(code=B)
    _prefix_names(service_b)
    users, b_users = _staff(service_a, ""), _staff(service_b, f"{B}-")
    world = World(service_a, service_b, users, b_users)
    world.dual = _works_in_both(service_a, service_b)
    world.objects_a = _objects(service_a, users)
    world.objects_b = _objects(service_b, b_users)
    world.key_a, world.key_b = _key(service_a), _key(service_b)
    # What the markers rest on: A has none of them, B has them everywhere.
    assert not Client.objects.filter(service=service_a, code__icontains="nabo").exists()
    assert not Client.objects.filter(service=service_b).exclude(code__startswith="NABO-").exists()
    assert Episode.objects.filter(service=service_b).exists()
    assert Session.objects.filter(episode__service=service_b).exists()
    return world


@pytest.fixture(scope="package")
def world(django_db_setup, django_db_blocker) -> World:
    """The two services, made once; rolled back after the last test of the package."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
