"""No row of one service points at another service's rows, whatever A's staff send.

A read across services can also start with a write: A's form given the id of B's team, theme,
offer, helper, episode or session, saved, and from then on A's page shows B's team name, B's
client in A's group, B's offer in A's client's list. So every link between rows that both
belong to a service is checked to stay within one (`cross_links`), after A's staff have sent
each such form with B's ids in it.
"""

import datetime

import pytest
from django.db.models import Exists, F, OuterRef
from django.urls import reverse

from services.accounts.models import Membership, Role
from services.changes.models import ChangeMade
from services.clients.models import Client, Episode
from services.goals.models import Goal
from services.groups.models import Group, Member
from services.offers.models import OfferTalkedAbout
from services.sessions.models import Session
from services.suggestions.models import Note
from services.supervision.models import SupervisorGrant

pytestmark = pytest.mark.django_db


def _not_member(user_field: str, service_field: str):
    """Rows whose user (by `user_field`) has no membership in the row's service."""
    return ~Exists(
        Membership.objects.filter(user=OuterRef(user_field), service=OuterRef(service_field))
    )


def cross_links() -> dict[str, list[int]]:
    """Every row linking two services, by the link it makes; empty when all is well."""
    found = {
        "membership's team": Membership.objects.exclude(team=None).exclude(
            team__service=F("service")
        ),
        "episode's client": Episode.objects.exclude(client__service=F("service")),
        "episode's team": Episode.objects.exclude(team=None).exclude(team__service=F("service")),
        "episode's helper": Episode.helpers.through.objects.filter(
            _not_member("user", "episode__service")
        ),
        "session's helper": Session.objects.exclude(helper=None).filter(
            _not_member("helper", "episode__service")
        ),
        "goal's episode and session": Goal.objects.exclude(
            episode__service=F("episode__client__service")
        ),
        "note's theme": Note.objects.exclude(theme=None).exclude(theme__service=F("service")),
        "note's place": Note.objects.exclude(place=None).exclude(place__service=F("service")),
        "change's theme": ChangeMade.objects.exclude(theme=None).exclude(
            theme__service=F("service")
        ),
        "group's leader": Group.objects.filter(_not_member("leader", "service")),
        "group member's episode": Member.objects.exclude(episode=None).exclude(
            episode__service=F("group__service")
        ),
        "offer talked about": OfferTalkedAbout.objects.exclude(
            offer__service=F("episode__service")
        ),
        "supervisor": SupervisorGrant.objects.filter(_not_member("user", "service")),
    }
    return {name: list(rows.values_list("pk", flat=True)) for name, rows in found.items() if rows}


def test_the_check_finds_a_link_across_services(world):
    assert cross_links() == {}
    episode = Episode.objects.filter(service=world.service_a).first()
    b_team = world.objects_b["team"]
    Episode.objects.filter(pk=episode.pk).update(team_id=b_team)
    assert cross_links() == {"episode's team": [episode.pk]}


def post(client, user, name, args, data):
    client.force_login(user)
    return client.post(reverse(name, args=args), data)


def _open_episode_of_the_helper(world, service) -> Episode:
    """An open episode, in no group yet, of the service's demo helper (A's leads A's groups):
    A's they could add to their group; B's, if its service were not checked."""
    helper = (world.users if service == world.service_a else world.b_users)["helper"]
    episode = (
        Episode.objects.filter(service=service, end_date=None)
        .exclude(group_memberships__isnull=False)
        .order_by("pk")
        .first()
    )
    episode.helpers.add(helper)
    return episode


def their_ids(world, service) -> dict:
    """The ids a form may be sent, of `service`'s objects."""
    objects = world.objects_a if service == world.service_a else world.objects_b
    colleague = Membership.objects.filter(service=service, role=Role.HELPER).exclude(
        user__supervisor_grants__service=service
    )
    return {
        "service": service.pk,
        "team": objects["team"],
        "helper": colleague.exclude(user=world.users["helper"]).first().user_id,
        "episode": _open_episode_of_the_helper(world, service).pk,
        "offer": objects["offer"],
        "theme": objects["theme"],
    }


def forms(world, episode, ids) -> list:
    """A's forms that name other objects, with `ids` in them."""
    a = world.objects_a
    helper, admin, leader = (world.users[r] for r in ("helper", "administrator", "leader"))
    today = datetime.date.today().isoformat()
    client_episode = [episode.client_id, episode.pk]
    return [
        (
            helper,
            "clients:new",
            [],
            {"service": ids["service"], "code": "NY1", "age_group": "adult", "team": ids["team"]},
        ),
        (
            helper,
            "clients:responsible",
            client_episode,
            {"responsible-helpers": [helper.pk, ids["helper"]], "responsible-team": ids["team"]},
        ),
        (helper, "groups:add_client", [a["group"]], {"episode": ids["episode"]}),
        (
            helper,
            "offers:save_talked_about",
            client_episode,
            {"offers": [ids["offer"]], "talked_on": today},
        ),
        (
            admin,
            "staff:member",
            [a["service"], a["staff_member"]],
            {"roles": ["helper"], "team": ids["team"]},
        ),
        (
            admin,
            "staff:invite",
            [a["service"]],
            {
                "first_name": "Ny",
                "last_name": "Person",
                "username": f"ny-{ids['service']}",
                "roles": ["helper"],
                "team": ids["team"],
            },
        ),
        (admin, "supervision:grants", [a["service"]], {"user": ids["helper"]}),
        (leader, "suggestions:tag", [a["service"], a["note"]], {"theme": ids["theme"]}),
        (
            leader,
            "changes:new",
            [a["service"]],
            {
                "source": "other",
                "said": "Sagt",
                "did": "Gjort",
                "changed_on": today,
                "theme": ids["theme"],
            },
        ),
    ]


def test_a_s_forms_take_no_id_of_b(client, world):
    """Each form refuses B's ids (and links nothing), and takes A's own: so it was the id
    that was refused, not a form sent wrong."""
    episode = Episode.objects.filter(
        service=world.service_a, helpers=world.users["helper"], end_date=None
    ).first()
    b_episode = Episode.objects.get(pk=their_ids(world, world.service_b)["episode"])
    refused = {}
    for user, name, args, data in forms(world, episode, their_ids(world, world.service_b)):
        refused[name] = post(client, user, name, args, data).status_code
    # A new client names a service among the helper's own, else the first: B's is passed over.
    assert refused.pop("clients:new") == 302
    assert Client.objects.get(code="NY1").service == world.service_a
    assert set(refused.values()) == {400}, refused
    assert cross_links() == {}
    Client.objects.filter(code="NY1").delete()
    b_episode.refresh_from_db()
    assert b_episode.service_id == world.service_b.pk
    assert not Member.objects.filter(episode=b_episode).exists()
    taken = {}
    for user, name, args, data in forms(world, episode, their_ids(world, world.service_a)):
        taken[name] = post(client, user, name, args, data).status_code
    assert taken.pop("staff:invite") == 200  # the page with the new link
    assert set(taken.values()) == {302}, taken
    assert cross_links() == {}
