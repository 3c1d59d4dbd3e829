"""A KOR network of two services (Arendal, Birkenes) with a supervision group of one helper from
each, a second network (Froland) with a group of its own, and Arendal's client whose code,
name, episode code, comments, goal and collateral rater carry markers that must never reach a
group."""

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from services.accounts.models import Role
from services.comments.models import SessionComment
from services.goals.models import Goal
from services.network.models import Coordinator, Network, NetworkMember
from services.peer.models import GroupMember, SupervisionGroup
from services.ratings.models import Rater
from tests.factories import (
    EpisodeFactory,
    MembershipFactory,
    RatingFactory,
    ServiceFactory,
    SessionFactory,
    UserFactory,
)

START = datetime.date(2026, 1, 5)
# Words that identify the client or are the client's own: none may reach a group.
MARKERS = {
    "client code": "KODE-XQ7",
    "display name": "Navnesen-ZZ9",
    "episode code": "EPI-WW3",
    "session comment": "Kommentar-QQ1",
    "goal": "Malet-YY4",
    "collateral rater": "Tante-RR5",
}


def member(network, service):
    return NetworkMember.objects.create(network=network, service=service, joined_at=timezone.now())


def user_in(service, name: str, role=Role.HELPER, **extra):
    user = UserFactory(username=name, first_name=name.capitalize())
    MembershipFactory(user=user, service=service, role=role, **extra)
    return user


@dataclass
class Kor:
    arendal: object
    birkenes: object
    froland: object
    network: object
    other_network: object
    group: object
    other_group: object
    helper_a: object  # Arendal, responsible for the client, in the group
    colleague_a: object  # Arendal, also responsible for the client, not in the group
    outsider_a: object  # Arendal, a helper in no group
    leader_a: object  # Arendal's leader, allowed to see identified clients
    admin_a: object
    helper_b: object  # Birkenes, in the group
    helper_c: object  # Froland, in the other network's group
    coordinator: object
    client: object
    episode: object


def rated_episode(service, helpers, *, code=MARKERS["client code"], markers=True):
    """An open episode with four sessions two weeks apart, rated low and flat (signals)."""
    episode = EpisodeFactory(
        client__service=service,
        client__code=code,
        client__display_name=MARKERS["display name"] if markers else "",
        code=MARKERS["episode code"] if markers else f"E-{code}",
        start_date=START,
    )
    episode.helpers.add(*helpers)
    for number in range(1, 5):
        session = SessionFactory(
            episode=episode, number=number, date=START + datetime.timedelta(days=14 * (number - 1))
        )
        RatingFactory(session=session, score=14 + number * 0.3)
        srs = RatingFactory(session=session, key="srs", score=31)
        if markers and number == 2:
            SessionComment.objects.create(rating=srs, text=MARKERS["session comment"])
            RatingFactory(
                session=session, rater=Rater.PARENT, rater_name=MARKERS["collateral rater"]
            )
    if markers:
        Goal.objects.create(episode=episode, position=1, text=MARKERS["goal"], created_on=START)
    return episode


@pytest.fixture
def kor():
    arendal = ServiceFactory(code="arendal", name="Arendal")
    birkenes = ServiceFactory(code="birkenes", name="Birkenes")
    froland = ServiceFactory(code="froland", name="Froland")
    network = Network.objects.create(code="agder", name="KOR Agder")
    other_network = Network.objects.create(code="indre", name="Indre Agder")
    member(network, arendal)
    member(network, birkenes)
    member(other_network, froland)
    helper_a = user_in(arendal, "anne")
    colleague_a = user_in(arendal, "arne")
    helper_b = user_in(birkenes, "bente")
    helper_c = user_in(froland, "frida")
    coordinator = UserFactory(username="koordinator")
    Coordinator.objects.create(network=network, user=coordinator)
    group = SupervisionGroup.objects.create(network=network, name="Veiledning Agder")
    other_group = SupervisionGroup.objects.create(network=other_network, name="Veiledning Indre")
    for user in (helper_a, helper_b):
        GroupMember.objects.create(group=group, user=user)
    GroupMember.objects.create(group=other_group, user=helper_c)
    episode = rated_episode(arendal, [helper_a, colleague_a])
    return Kor(
        arendal=arendal,
        birkenes=birkenes,
        froland=froland,
        network=network,
        other_network=other_network,
        group=group,
        other_group=other_group,
        helper_a=helper_a,
        colleague_a=colleague_a,
        outsider_a=user_in(arendal, "atle"),
        leader_a=user_in(arendal, "lise", role=Role.LEADER, can_view_clients=True),
        admin_a=user_in(arendal, "admin", role=Role.ADMINISTRATOR),
        helper_b=helper_b,
        helper_c=helper_c,
        coordinator=coordinator,
        client=episode.client,
        episode=episode,
    )
