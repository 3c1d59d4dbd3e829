"""Every URL, requested as every kind of user: who may, who may not.

The table below must name every URL pattern of the project, so a new page cannot be added
without deciding who may open it. "ok" means the view did its work (2xx, 400 for an empty form,
or a redirect that is not to the login page); "login" a redirect to the login page; 404 a refusal
that does not reveal whether the object exists.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from services.accounts.models import Role
from services.ratings import links
from services.ratings.models import Handover, Method, Rater
from tests.factories import (
    EpisodeFactory,
    MembershipFactory,
    RatingFactory,
    ServiceFactory,
    SessionFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "helper_other_team",
    "helper_other_service",
    "responsible_helper",
    "leader",
    "administrator",
)
EVERY_STAFF = {role: "ok" for role in ROLES[1:]}
HELPERS = {"helper_other_team": "ok", "helper_other_service": "ok", "responsible_helper": "ok"}


@dataclass(frozen=True)
class Rule:
    args: tuple = ()
    method: str = "get"
    allowed: dict | None = None  # role -> outcome; other staff: 404; anonymous: `anonymous`
    anonymous: str = "login"


def only(*roles: str) -> dict:
    return {role: "ok" for role in roles}


RULES: dict[str, Rule] = {
    "home": Rule(allowed=EVERY_STAFF),
    "login": Rule(allowed=EVERY_STAFF, anonymous="ok"),
    "logout": Rule(method="post", allowed=dict.fromkeys(ROLES, "login")),
    "set_language": Rule(method="post", allowed=EVERY_STAFF, anonymous="ok"),
    "two_factor_verify": Rule(allowed=EVERY_STAFF),
    "two_factor_setup": Rule(allowed=EVERY_STAFF),
    "clients:caseload": Rule(allowed=HELPERS),
    "clients:new": Rule(allowed=HELPERS),
    "clients:detail": Rule(args=("client",), allowed=only("responsible_helper")),
    "clients:chart_png": Rule(args=("client", "episode"), allowed=only("responsible_helper")),
    "clients:consent": Rule(args=("client",), method="post", allowed=only("responsible_helper")),
    "clients:new_session": Rule(
        args=("client", "episode"), method="post", allowed=only("responsible_helper")
    ),
    "clients:close_episode": Rule(
        args=("client", "episode"), method="post", allowed=only("responsible_helper")
    ),
    "audit_log": Rule(allowed=only("administrator")),
    "access_report": Rule(args=("client",), allowed=only("administrator")),
    "privacy": Rule(allowed=only("administrator")),
    "export_client": Rule(args=("client",), allowed=only("administrator")),
    "erase_client": Rule(args=("client",), allowed=only("administrator")),
    # Rating on the tablet, by link and on paper. The kiosk pages send a staff member who is
    # not handing over back home; remote links need no login, by design.
    "ratings:handover": Rule(args=("client", "episode"), allowed=only("responsible_helper")),
    "ratings:link": Rule(args=("client", "handover"), allowed=only("responsible_helper")),
    "ratings:paper": Rule(args=("client", "episode"), allowed=only("responsible_helper")),
    "ratings:kiosk": Rule(allowed=EVERY_STAFF),
    "ratings:kiosk_submit": Rule(method="post", allowed=EVERY_STAFF, anonymous="403"),
    "ratings:kiosk_thanks": Rule(allowed=EVERY_STAFF),
    "ratings:unlock": Rule(allowed=EVERY_STAFF),
    "ratings:kiosk_language": Rule(method="post", allowed=EVERY_STAFF),
    "ratings:remote": Rule(args=("token",), allowed=EVERY_STAFF, anonymous="ok"),
    "ratings:remote_thanks": Rule(args=("token",), allowed=EVERY_STAFF, anonymous="ok"),
    "accounts:pin": Rule(allowed=EVERY_STAFF),
    # Leaders' dashboards: figures, not clients, for the service's leaders and administrators.
    "dashboards:index": Rule(allowed=only("leader", "administrator")),
    "dashboards:service": Rule(args=("service",), allowed=only("leader", "administrator")),
    "dashboards:export_figures": Rule(
        args=("service", "csv"), allowed=only("leader", "administrator")
    ),
    "dashboards:export_ratings": Rule(args=("service",), allowed=only("leader", "administrator")),
    "dashboards:monthly_report": Rule(args=("service",), allowed=only("leader", "administrator")),
}


def url_names(resolver=None, namespace: str = "") -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(namespace + pattern.name)
    return names


def test_every_url_has_a_rule():
    unruled = url_names() - set(RULES)
    assert not unruled, f"Decide who may open these URLs and add them to RULES: {unruled}"


@pytest.fixture
def world():
    service = ServiceFactory(code="s1")
    team_a, team_b = TeamFactory(service=service), TeamFactory(service=service)
    users = {}
    for role, membership_role, team, target in [
        ("responsible_helper", Role.HELPER, team_a, service),
        ("helper_other_team", Role.HELPER, team_b, service),
        ("helper_other_service", Role.HELPER, None, ServiceFactory(code="s2")),
        ("leader", Role.LEADER, None, service),
        ("administrator", Role.ADMINISTRATOR, None, service),
    ]:
        user = UserFactory(username=role)
        MembershipFactory(user=user, service=target, role=membership_role, team=team)
        users[role] = user
    episode = EpisodeFactory(client__service=service, team=team_a)
    episode.helpers.add(users["responsible_helper"])
    session = SessionFactory(episode=episode, number=1)
    rating = RatingFactory(session=session)
    handover = Handover.objects.create(
        session=session,
        instrument=rating.instrument,
        method=Method.LINK,
        rater=Rater.CLIENT,
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )
    objects = {
        "client": episode.client_id,
        "episode": episode.pk,
        "session": session.pk,
        "rating": rating.pk,
        "handover": handover.pk,
        "token": links.token_for(handover),
        "service": service.code,
        "csv": "csv",
    }
    return users, objects


def outcome(response) -> str:
    if response.status_code == 404:
        return "404"
    if response.status_code == 302 and response["Location"].startswith(reverse("login")):
        return "login"
    if response.status_code in (200, 204, 302, 400):
        return "ok"
    return str(response.status_code)


@pytest.mark.parametrize("name", sorted(RULES))
def test_each_role_gets_what_the_rules_say(client, world, name):
    users, objects = world
    rule = RULES[name]
    url = reverse(name, args=[objects[arg] for arg in rule.args])
    seen, expected = {}, {}
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(users[role])
        response = getattr(client, rule.method)(url)
        seen[role] = outcome(response)
        if role == "anonymous":
            expected[role] = rule.anonymous
        else:
            expected[role] = (rule.allowed or {}).get(role, "404")
    assert seen == expected


def test_the_admin_site_is_for_staff_flagged_users_only(client, world):
    users, _ = world
    for role in ("responsible_helper", "leader"):
        client.force_login(users[role])
        response = client.get(reverse("admin:index"))
        assert response.status_code == 302
        assert reverse("admin:login") in response["Location"]
