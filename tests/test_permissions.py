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

from services.accounts import invitations
from services.accounts.models import Role, User
from services.api import keys as api_keys
from services.audit import log
from services.audit.models import Action, AuditEvent
from services.changes.models import ChangeMade
from services.clients.models import Client
from services.groups.keeping import end_of_day
from services.groups.models import Group, Meeting, Member, Turn, TurnMethod
from services.network.models import Network, NetworkMember
from services.offers.models import Offer
from services.peer import snapshot as peer_snapshot
from services.peer.models import GroupMember, SharedCase, SupervisionGroup
from services.ratings import links
from services.ratings.models import Handover, Method, Rater
from services.research.models import ResearchProject
from services.suggestions.models import Note, Place, Theme
from services.supervision.models import SupervisorGrant
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
    "administrator_other_service",
    "supervisor",  # a helper of s1 whom its administrator made a supervisor (issue #16)
    "supervisor_other_service",
    "council",  # a user-council member of s1 (issue #18): the suggestion box, nothing else
)
EVERY_STAFF = {role: "ok" for role in ROLES[1:]}
HELPERS = {
    "helper_other_team": "ok",
    "helper_other_service": "ok",
    "responsible_helper": "ok",
    "supervisor": "ok",
    "supervisor_other_service": "ok",
}


@dataclass(frozen=True)
class Rule:
    args: tuple = ()
    method: str = "get"
    allowed: dict | None = None  # role -> outcome; other staff: 404; anonymous: `anonymous`
    anonymous: str = "login"


def only(*roles: str) -> dict:
    return {role: "ok" for role in roles}


NO_LOGIN_API = dict.fromkeys(ROLES[1:], "401")
API_URLS = [  # name, the world's objects in the path, method
    ("api:instrument-list", (), "get"),
    ("api:instrument-detail", ("instrument",), "get"),
    ("api:client-list", (), "get"),
    ("api:client-detail", ("client",), "get"),
    ("api:episode-list", (), "get"),
    ("api:episode-detail", ("episode",), "get"),
    ("api:episode-signals", ("episode",), "get"),
    ("api:session-list", (), "get"),
    ("api:session-detail", ("session",), "get"),
    ("api:rating-list", (), "get"),
    ("api:rating-detail", ("rating",), "get"),
    ("api:report", (), "get"),
    ("api:fhir-client", ("client",), "get"),
    ("api:fhir-bundle", (), "get"),
    ("api:fhir-import", (), "post"),
]


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
    "clients:show_client": Rule(args=("client", "episode"), allowed=only("responsible_helper")),
    "clients:summary_pdf": Rule(args=("client", "episode"), allowed=only("responsible_helper")),
    "clients:consent": Rule(args=("client",), method="post", allowed=only("responsible_helper")),
    "clients:age": Rule(args=("client",), method="post", allowed=only("responsible_helper")),
    "clients:new_session": Rule(
        args=("client", "episode"), method="post", allowed=only("responsible_helper")
    ),
    "clients:close_episode": Rule(
        args=("client", "episode"), method="post", allowed=only("responsible_helper")
    ),
    # Corrections (issue #15, item 8): the client's own helpers only; changes by POST only.
    "clients:episode_changes": Rule(args=("client", "episode"), allowed=only("responsible_helper")),
    "clients:past_session": Rule(
        args=("client", "episode"), method="post", allowed=only("responsible_helper")
    ),
    "clients:reopen_episode": Rule(
        args=("client", "episode"), method="post", allowed=only("responsible_helper")
    ),
    "clients:new_episode": Rule(
        args=("client",), method="post", allowed=only("responsible_helper")
    ),
    "clients:responsible": Rule(
        args=("client", "episode"), method="post", allowed=only("responsible_helper")
    ),
    # The client's own goals (issue #17): seen and changed like the client page.
    "goals:goals": Rule(args=("client", "episode"), allowed=only("responsible_helper")),
    "goals:add": Rule(
        args=("client", "episode"), method="post", allowed=only("responsible_helper")
    ),
    "goals:change": Rule(
        args=("client", "episode"), method="post", allowed=only("responsible_helper")
    ),
    "goals:scores": Rule(
        args=("client", "episode"), method="post", allowed=only("responsible_helper")
    ),
    "ratings:correct": Rule(args=("client", "rating"), allowed=only("responsible_helper")),
    "ratings:edit_rating": Rule(
        args=("client", "rating"), method="post", allowed=only("responsible_helper")
    ),
    "ratings:move_rating": Rule(
        args=("client", "rating"), method="post", allowed=only("responsible_helper")
    ),
    "ratings:delete_rating": Rule(
        args=("client", "rating"), method="post", allowed=only("responsible_helper")
    ),
    # An administrator of another service opens these lists, scoped to their own service.
    "audit_log": Rule(allowed=only("administrator", "administrator_other_service")),
    "access_report": Rule(args=("client",), allowed=only("administrator")),
    "privacy": Rule(allowed=only("administrator", "administrator_other_service")),
    "export_client": Rule(args=("client",), allowed=only("administrator")),
    "erase_client": Rule(args=("client",), allowed=only("administrator")),
    # Rating on the tablet, by link and on paper. The kiosk pages send a staff member who is
    # not handing over back home; remote links need no login, by design.
    "ratings:handover": Rule(args=("client", "episode"), allowed=only("responsible_helper")),
    "ratings:link": Rule(args=("client", "handover"), allowed=only("responsible_helper")),
    "ratings:paper": Rule(args=("client", "episode"), allowed=only("responsible_helper")),
    # Sending the link by text message or e-mail (issue #19): as the link page, by POST only.
    "messaging:send": Rule(
        args=("client", "handover"), method="post", allowed=only("responsible_helper")
    ),
    "messaging:cancel": Rule(
        args=("client", "handover"), method="post", allowed=only("responsible_helper")
    ),
    "ratings:kiosk": Rule(allowed=EVERY_STAFF),
    "ratings:kiosk_submit": Rule(method="post", allowed=EVERY_STAFF, anonymous="403"),
    "ratings:kiosk_thanks": Rule(allowed=EVERY_STAFF),
    "ratings:unlock": Rule(allowed=EVERY_STAFF),
    "ratings:kiosk_language": Rule(method="post", allowed=EVERY_STAFF),
    # The tablet's service worker: the same script for everyone, no client in it.
    "ratings:kiosk_worker": Rule(allowed=EVERY_STAFF, anonymous="ok"),
    "ratings:remote": Rule(args=("token",), allowed=EVERY_STAFF, anonymous="ok"),
    "ratings:remote_thanks": Rule(args=("token",), allowed=EVERY_STAFF, anonymous="ok"),
    "ratings:short": Rule(args=("short_code",), allowed=EVERY_STAFF, anonymous="ok"),
    "ratings:short_thanks": Rule(args=("short_code",), allowed=EVERY_STAFF, anonymous="ok"),
    "accounts:pin": Rule(allowed=EVERY_STAFF),
    # Leaders' dashboards: figures, not clients, for the service's leaders and administrators.
    "dashboards:index": Rule(
        allowed=only("leader", "administrator", "administrator_other_service")
    ),
    "dashboards:service": Rule(args=("service",), allowed=only("leader", "administrator")),
    "dashboards:export_figures": Rule(
        args=("service", "csv"), allowed=only("leader", "administrator")
    ),
    "dashboards:export_ratings": Rule(args=("service",), allowed=only("leader", "administrator")),
    "dashboards:monthly_report": Rule(args=("service",), allowed=only("leader", "administrator")),
    # A helper's own results (issue #16): always the viewer's own, no helper id in the URL; a
    # leader or administrator who helps nowhere has no such page. Another helper's: see below.
    "dashboards:own_results": Rule(allowed=HELPERS),
    # Service administration: the service's own administrators only; the invitation is public.
    "staff:index": Rule(allowed=only("administrator", "administrator_other_service")),
    "staff:list": Rule(args=("service",), allowed=only("administrator")),
    "staff:invite": Rule(args=("service",), allowed=only("administrator")),
    "staff:member": Rule(args=("service", "staff_member"), allowed=only("administrator")),
    "staff:deactivate": Rule(
        args=("service", "staff_member"), method="post", allowed=only("administrator")
    ),
    "staff:reactivate": Rule(
        args=("service", "staff_member"), method="post", allowed=only("administrator")
    ),
    "staff:reset_two_factor": Rule(
        args=("service", "staff_member"), method="post", allowed=only("administrator")
    ),
    "staff:reinvite": Rule(
        args=("service", "staff_member"), method="post", allowed=only("administrator")
    ),
    "staff:teams": Rule(args=("service",), allowed=only("administrator")),
    "staff:team": Rule(args=("service", "team"), allowed=only("administrator")),
    "staff:team_delete": Rule(
        args=("service", "team"), method="post", allowed=only("administrator")
    ),
    "staff:settings": Rule(args=("service",), allowed=only("administrator")),
    "staff:forms": Rule(args=("service",), allowed=only("administrator")),
    "staff:accept": Rule(args=("invitation",), allowed=EVERY_STAFF, anonymous="ok"),
    # Supervision (issue #16, item 7): the service's supervisors only, never a helper (not even
    # about their own clients) nor a supervisor of another service; the grants are the
    # administrator's. The follow-up click (item 8) is the client page's own.
    "supervision:index": Rule(allowed=only("supervisor", "supervisor_other_service")),
    "supervision:service": Rule(args=("service",), allowed=only("supervisor")),
    "supervision:helper": Rule(args=("service", "helper"), allowed=only("supervisor")),
    "supervision:chart": Rule(args=("service", "helper", "episode"), allowed=only("supervisor")),
    "supervision:discuss": Rule(
        args=("service", "helper", "episode"), method="post", allowed=only("supervisor")
    ),
    "supervision:follow_up": Rule(
        args=("client", "episode"), method="post", allowed=only("responsible_helper")
    ),
    "supervision:grants": Rule(args=("service",), allowed=only("administrator")),
    "supervision:revoke": Rule(
        args=("service", "grant"), method="post", allowed=only("administrator")
    ),
    # Clients' comments (issue #17): the dashboard's readers, de-identified words by month.
    "comments:leader": Rule(args=("service",), allowed=only("leader", "administrator")),
    # Offers for clients (issue #17): the list is public (no client in it); the directory is
    # the service's administrators'.
    "offers:public": Rule(args=("service",), allowed=EVERY_STAFF, anonymous="ok"),
    "offers:staff_list": Rule(args=("service",), allowed=only("administrator")),
    "offers:new": Rule(args=("service",), allowed=only("administrator")),
    "offers:edit": Rule(args=("service", "offer"), allowed=only("administrator")),
    "offers:set_active": Rule(
        args=("service", "offer"), method="post", allowed=only("administrator")
    ),
    # Offers talked about with a client (issue #17): seen and ticked like the client's goals.
    "offers:talked_about": Rule(args=("client", "episode"), allowed=only("responsible_helper")),
    "offers:save_talked_about": Rule(
        args=("client", "episode"), method="post", allowed=only("responsible_helper")
    ),
    # "Dere sa – vi gjorde" (issue #18): the public page shows published entries only, which
    # name no client; the service's leaders and administrators write and publish them.
    "changes:public": Rule(args=("service",), allowed=EVERY_STAFF, anonymous="ok"),
    # The user council reads along (services/changes/access.py READERS) but writes nothing.
    "changes:staff_list": Rule(
        args=("service",), allowed=only("leader", "administrator", "council")
    ),
    "changes:new": Rule(args=("service",), allowed=only("leader", "administrator")),
    "changes:edit": Rule(args=("service", "change"), allowed=only("leader", "administrator")),
    "changes:set_published": Rule(
        args=("service", "change"), method="post", allowed=only("leader", "administrator")
    ),
    # The suggestion box (issue #18): the page and poster are public (anonymous notes with the
    # replies chosen for it, never a client); its readers are the service's leaders,
    # administrators and user-council members, who see nothing else; leaders and
    # administrators keep its themes and places.
    "suggestions:public": Rule(args=("service",), allowed=EVERY_STAFF, anonymous="ok"),
    "suggestions:place": Rule(args=("service", "place"), allowed=EVERY_STAFF, anonymous="ok"),
    "suggestions:poster": Rule(args=("service",), allowed=EVERY_STAFF, anonymous="ok"),
    "suggestions:place_poster": Rule(
        args=("service", "place"), allowed=EVERY_STAFF, anonymous="ok"
    ),
    "suggestions:index": Rule(
        allowed=only("leader", "administrator", "administrator_other_service", "council")
    ),
    "suggestions:staff_list": Rule(
        args=("service",), allowed=only("leader", "administrator", "council")
    ),
    "suggestions:note": Rule(
        args=("service", "note"), allowed=only("leader", "administrator", "council")
    ),
    "suggestions:tag": Rule(
        args=("service", "note"), method="post", allowed=only("leader", "administrator", "council")
    ),
    "suggestions:spam": Rule(
        args=("service", "note"), method="post", allowed=only("leader", "administrator", "council")
    ),
    "suggestions:reply": Rule(
        args=("service", "note"), method="post", allowed=only("leader", "administrator", "council")
    ),
    "suggestions:themes": Rule(args=("service",), allowed=only("leader", "administrator")),
    "suggestions:theme": Rule(
        args=("service", "theme"), method="post", allowed=only("leader", "administrator")
    ),
    "suggestions:add_place": Rule(
        args=("service",), method="post", allowed=only("leader", "administrator")
    ),
    "suggestions:place_edit": Rule(
        args=("service", "place_id"), method="post", allowed=only("leader", "administrator")
    ),
    # Groups (issue #18 part 3): any helper keeps groups of their own; a group's pages are its
    # leader's alone (they name its client members), not even the service's leader's. The
    # meeting's QR code page and a member's turn need no login: the random tokens are the key.
    "groups:index": Rule(allowed=HELPERS),
    "groups:new": Rule(allowed=HELPERS),
    "groups:detail": Rule(args=("group",), allowed=only("responsible_helper")),
    "groups:close": Rule(args=("group",), method="post", allowed=only("responsible_helper")),
    "groups:add_client": Rule(args=("group",), method="post", allowed=only("responsible_helper")),
    "groups:add_participant": Rule(
        args=("group",), method="post", allowed=only("responsible_helper")
    ),
    "groups:member_left": Rule(
        args=("group", "member"), method="post", allowed=only("responsible_helper")
    ),
    "groups:new_code": Rule(
        args=("group", "member"), method="post", allowed=only("responsible_helper")
    ),
    "groups:codes": Rule(args=("group",), allowed=only("responsible_helper")),
    "groups:alliance_png": Rule(args=("group",), allowed=only("responsible_helper")),
    "groups:new_meeting": Rule(args=("group",), method="post", allowed=only("responsible_helper")),
    "groups:meeting": Rule(args=("group", "meeting"), allowed=only("responsible_helper")),
    "groups:qr": Rule(args=("group", "meeting"), allowed=only("responsible_helper")),
    "groups:attendance": Rule(
        args=("group", "meeting"), method="post", allowed=only("responsible_helper")
    ),
    "groups:tablet_round": Rule(
        args=("group", "meeting"), method="post", allowed=only("responsible_helper")
    ),
    "groups:reopen_turn": Rule(
        args=("group", "meeting", "member"), method="post", allowed=only("responsible_helper")
    ),
    "groups:join": Rule(args=("meeting_token",), allowed=EVERY_STAFF, anonymous="ok"),
    "groups:turn": Rule(args=("turn_token",), allowed=EVERY_STAFF, anonymous="ok"),
    "groups:turn_thanks": Rule(args=("turn_token",), allowed=EVERY_STAFF, anonymous="ok"),
    # Issue #20: networks. No role here coordinates one (tests/network walks the coordinator);
    # a member's leaders compare with the network, its administrators accept or leave.
    "network:index": Rule(),
    "network:detail": Rule(args=("network",)),
    "network:benchmark": Rule(args=("service",), allowed=only("leader", "administrator")),
    "network:memberships": Rule(args=("service",), allowed=only("administrator")),
    "network:join": Rule(
        args=("service", "network_member"), method="post", allowed=only("administrator")
    ),
    "network:leave": Rule(
        args=("service", "network_member"), method="post", allowed=only("administrator")
    ),
    "network:trajectories": Rule(
        args=("service", "network_member"), method="post", allowed=only("administrator")
    ),
    # Issue #19: the service's API keys, made and revoked by its administrators.
    "api_keys:list": Rule(args=("service",), allowed=only("administrator")),
    "api_keys:revoke": Rule(
        args=("service", "api_key"), method="post", allowed=only("administrator")
    ),
    # The REST API answers a key, never a login (tests/api/test_api_permissions.py walks it with
    # every kind of key); its schema and docs hold no data.
    **{
        name: Rule(args=args, method=method, allowed=NO_LOGIN_API, anonymous="401")
        for name, args, method in API_URLS
    },
    "api:schema": Rule(allowed=EVERY_STAFF, anonymous="ok"),
    "api:docs": Rule(allowed=EVERY_STAFF, anonymous="ok"),
    # The load balancer's probes: no login, no data in the answer (feedback.health).
    "healthz": Rule(allowed=EVERY_STAFF, anonymous="ok"),
    "readyz": Rule(allowed=EVERY_STAFF, anonymous="ok"),
    # Issue #20: research data sets, approved and downloaded by the service's leaders only.
    "research:index": Rule(allowed=only("leader")),
    "research:projects": Rule(args=("service",), allowed=only("leader")),
    "research:new": Rule(args=("service",), allowed=only("leader")),
    "research:detail": Rule(args=("service", "research_project"), allowed=only("leader")),
    "research:approve": Rule(
        args=("service", "research_project"), method="post", allowed=only("leader")
    ),
    "research:withdraw": Rule(
        args=("service", "research_project"), method="post", allowed=only("leader")
    ),
    "research:download": Rule(args=("service", "research_project"), allowed=only("leader")),
    # Issue #20 part 4: peer supervision. The client's helper is in the world's supervision
    # group and shared the client there; nobody else is a member, not even the service's
    # leader, and no role coordinates the network (tests/peer walks members of other services
    # and the coordinator).
    "peer:index": Rule(allowed=only("responsible_helper")),
    "peer:group": Rule(args=("supervision_group",), allowed=only("responsible_helper")),
    "peer:case": Rule(args=("shared_case",), allowed=only("responsible_helper")),
    "peer:comment": Rule(args=("shared_case",), method="post", allowed=only("responsible_helper")),
    "peer:withdraw": Rule(args=("shared_case",), method="post", allowed=only("responsible_helper")),
    "peer:share": Rule(args=("client", "episode"), allowed=only("responsible_helper")),
    "peer:groups": Rule(args=("network",)),
    "peer:members": Rule(args=("supervision_group",)),
    "peer:remove_member": Rule(args=("supervision_group", "group_member"), method="post"),
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
    other_service = ServiceFactory(code="s2")
    users = {}
    for role, membership_role, team, target in [
        ("responsible_helper", Role.HELPER, team_a, service),
        ("helper_other_team", Role.HELPER, team_b, service),
        ("helper_other_service", Role.HELPER, None, other_service),
        ("leader", Role.LEADER, None, service),
        ("administrator", Role.ADMINISTRATOR, None, service),
        ("administrator_other_service", Role.ADMINISTRATOR, None, other_service),
        ("supervisor", Role.HELPER, None, service),
        ("supervisor_other_service", Role.HELPER, None, other_service),
        ("council", Role.COUNCIL, None, service),
    ]:
        user = UserFactory(username=role)
        MembershipFactory(user=user, service=target, role=membership_role, team=team)
        users[role] = user
    grant = SupervisorGrant.objects.create(service=service, user=users["supervisor"])
    SupervisorGrant.objects.create(service=other_service, user=users["supervisor_other_service"])
    invited = UserFactory(username="invited", is_active=False)
    MembershipFactory(user=invited, service=service, role=Role.HELPER)
    episode = EpisodeFactory(client__service=service, team=team_a)
    episode.helpers.add(users["responsible_helper"])
    session = SessionFactory(episode=episode, number=1)
    rating = RatingFactory(session=session)
    RatingFactory(session=session, key="srs", score=20)  # low: a client to supervise (issue #16)
    handover = Handover.objects.create(
        session=session,
        instrument=rating.instrument,
        method=Method.LINK,
        rater=Rater.CLIENT,
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )
    network = Network.objects.create(code="agder", name="KOR Agder")
    objects = {
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
        "staff_member": users["helper_other_team"].pk,
        "team": team_b.pk,
        "invitation": invitations.issue(invited, service, created_by=users["administrator"]),
        "helper": users["responsible_helper"].pk,
        "grant": grant.pk,
        "api_key": api_keys.issue(
            service,
            name="DIPS",
            scope="read",
            expires_at=timezone.now() + datetime.timedelta(days=30),
            created_by=None,
        )[0].pk,
        "instrument": rating.instrument_id,
        "network": network.code,
        "network_member": NetworkMember.objects.create(network=network, service=service).pk,
        "offer": Offer.objects.create(service=service, title="Turgruppe").pk,
        "change": ChangeMade.objects.create(
            service=service,
            said="Vanskelig å få time",
            did="Åpent til kl. 19",
            changed_on="2026-03-01",
        ).pk,
    }
    place = Place.objects.create(service=service, slug="dagsenteret", name="Dagsenteret")
    objects |= {
        "place": place.slug,
        "place_id": place.pk,
        "theme": Theme.objects.create(service=service, name="Aktiviteter").pk,
        "research_project": ResearchProject.objects.create(
            service=service,
            name="Tidlig endring",
            purpose="Forskning",
            recipient="UiT",
            period_start=datetime.date(2026, 1, 1),
            period_end=datetime.date(2026, 12, 31),
            expires_on=timezone.localdate() + datetime.timedelta(days=30),
            approved_by=users["leader"],
            approved_at=timezone.now(),
        ).pk,
        "note": Note.objects.create(
            service=service, text="Mer kaffe", received_on=datetime.date(2026, 3, 2)
        ).pk,
    }
    # A group led by the client's helper (issue #18 part 3): the client and a participant who
    # is not a client, a meeting today open for answers, and the participant's turn at it.
    group = Group.objects.create(
        service=service, name="Mestringskurs", kind="course", leader=users["responsible_helper"]
    )
    Member.objects.create(group=group, episode=episode)
    participant = Member.objects.create(group=group, label="Kari")
    today = timezone.localdate()
    meeting = Meeting.objects.create(
        group=group, number=1, date=today, open_until=end_of_day(today)
    )
    turn = Turn.objects.create(meeting=meeting, member=participant, method=TurnMethod.PHONE)
    objects |= {
        "group": group.pk,
        "member": participant.pk,
        "meeting": meeting.pk,
        "meeting_token": meeting.token,
        "turn_token": turn.token,
    }
    # Peer supervision (issue #20 part 4): s1 in a second network, with a supervision group
    # holding the client's helper and the client's episode, shared (created here directly, so
    # the access log holds nothing of the helper's yet).
    peer_network = Network.objects.create(code="kor-veiledning", name="KOR veiledning")
    NetworkMember.objects.create(network=peer_network, service=service, joined_at=timezone.now())
    supervision_group = SupervisionGroup.objects.create(network=peer_network, name="Veiledning")
    helper = users["responsible_helper"]
    objects |= {
        "supervision_group": supervision_group.pk,
        "group_member": GroupMember.objects.create(group=supervision_group, user=helper).pk,
        "shared_case": SharedCase.objects.create(
            group=supervision_group,
            episode=episode,
            shared_by=helper,
            question="Hva kan jeg gjøre annerledes?",
            consent_recorded_at=timezone.now(),
            consent_recorded_by=helper,
            snapshot=peer_snapshot.take(episode),
        ).pk,
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


def test_the_admin_site_is_for_platform_operators_only(client, world):
    """Issue #11: an administrator of service B read service A's clients in /admin/."""
    users, _ = world
    # As the demo data had it before: a service's administrator flagged as a Django superuser.
    User.objects.filter(pk=users["administrator_other_service"].pk).update(
        is_staff=True, is_superuser=True
    )
    for role in ROLES[1:]:
        client.force_login(User.objects.get(pk=users[role].pk))
        for url in (reverse("admin:index"), reverse("admin:clients_client_changelist")):
            response = client.get(url)
            assert response.status_code == 302, (role, url)
            assert reverse("admin:login") in response["Location"]


# Every page that shows identifiable client data to staff, the role that opens it, and the query
# it needs. Each must write the access log, so "who has seen my data" is complete (issue #11).
CLIENT_DATA = {
    "clients:caseload": ("responsible_helper", {}),
    "clients:detail": ("responsible_helper", {}),
    "clients:chart_png": ("responsible_helper", {}),
    "clients:show_client": ("responsible_helper", {}),
    "clients:summary_pdf": ("responsible_helper", {}),
    "ratings:handover": ("responsible_helper", {}),
    "ratings:link": ("responsible_helper", {}),
    "ratings:paper": ("responsible_helper", {}),
    "ratings:correct": ("responsible_helper", {}),
    "clients:episode_changes": ("responsible_helper", {}),
    "goals:goals": ("responsible_helper", {}),  # issue #17
    "offers:talked_about": ("responsible_helper", {}),  # issue #17
    "access_report": ("administrator", {}),
    "privacy": ("administrator", {"code": "client_code"}),
    "export_client": ("administrator", {}),
    "erase_client": ("administrator", {}),
    "supervision:helper": ("supervisor", {}),  # by client code: still the client's data
    "supervision:chart": ("supervisor", {}),
    "audit_log": ("administrator", {}),
    # Issue #18 part 3: a group's pages name its client members.
    "groups:detail": ("responsible_helper", {}),
    "groups:codes": ("responsible_helper", {}),
    "groups:meeting": ("responsible_helper", {}),
    # Issue #20 part 4: a shared case's labels, question and scores, and the sharing page.
    "peer:group": ("responsible_helper", {}),
    "peer:case": ("responsible_helper", {}),
    "peer:share": ("responsible_helper", {}),
}
# Pages that show staff no client (figures, forms about nobody yet, staff pages), or that show a
# client only their own form and curve (the tablet in the client's hands, the remote link).
NO_CLIENT_DATA = {
    "home",
    "login",
    "logout",
    "set_language",
    "two_factor_verify",
    "two_factor_setup",
    "clients:new",
    "clients:consent",
    "clients:age",
    "clients:new_session",
    "clients:close_episode",
    "clients:past_session",
    "clients:reopen_episode",
    "clients:new_episode",
    "clients:responsible",
    "goals:add",  # issue #17: changes, each logged as a change
    "goals:change",
    "goals:scores",
    "ratings:edit_rating",
    "ratings:move_rating",
    "ratings:delete_rating",
    "messaging:send",  # issue #19: each message logged as a change, never its recipient
    "messaging:cancel",
    "ratings:kiosk",
    "ratings:kiosk_submit",
    "ratings:kiosk_thanks",
    "ratings:unlock",
    "ratings:kiosk_language",
    "ratings:kiosk_worker",
    "ratings:remote",
    "ratings:remote_thanks",
    "ratings:short",
    "ratings:short_thanks",
    "accounts:pin",
    "dashboards:index",
    "dashboards:service",
    "dashboards:export_figures",
    "dashboards:export_ratings",
    "dashboards:monthly_report",
    "dashboards:own_results",
    "staff:forms",
    "healthz",
    "readyz",
    "supervision:index",
    "supervision:service",
    "supervision:discuss",
    "supervision:follow_up",
    "supervision:grants",
    "supervision:revoke",
    "offers:public",  # issue #17: offers only, never a client
    "offers:staff_list",
    "offers:new",
    "offers:edit",
    "offers:set_active",
    "offers:save_talked_about",  # issue #17: each tick logged as a change
    "comments:leader",  # words by month, no client, five or more (issue #17)
    "changes:public",  # issue #18: the service's own words about itself, never a client
    "changes:staff_list",
    "changes:new",
    "changes:edit",
    "changes:set_published",  # each change logged as a change
    "suggestions:public",  # issue #18: anonymous notes and replies, never a client
    "suggestions:place",
    "suggestions:poster",
    "suggestions:place_poster",
    "suggestions:index",
    "suggestions:staff_list",
    "suggestions:note",
    "suggestions:tag",  # each change logged as a change
    "suggestions:spam",
    "suggestions:reply",
    "suggestions:themes",
    "suggestions:theme",
    "suggestions:add_place",
    "suggestions:place_edit",
    # Issue #18 part 3: the groups' list and changes (each logged as a change, a client member's
    # with the client), the group's alliance chart (means of five or more, no one named), and the
    # members' pages at a meeting, which show a member only their own forms.
    "groups:index",
    "groups:new",
    "groups:close",
    "groups:add_client",
    "groups:add_participant",
    "groups:member_left",
    "groups:new_code",  # the new code is not in the page it leads back to, nor in the log
    "groups:new_meeting",
    "groups:qr",  # the meeting's QR code for a screen: no member is named on it
    "groups:attendance",
    "groups:tablet_round",
    "groups:reopen_turn",  # a code works again: logged as a change, no page of its own
    "groups:alliance_png",
    "groups:join",
    "groups:turn",
    "groups:turn_thanks",
    # Issue #20: a network's figures are sums of sums, with the small-number rule.
    "network:index",
    "network:detail",
    "network:benchmark",
    "network:memberships",
    "network:join",
    "network:leave",
    "network:trajectories",  # a choice about models, which hold no client
    # Issue #19: the key page shows keys, not clients; the API answers only keys, and logs every
    # call with the key as actor (tests/api).
    "api_keys:list",
    "api_keys:revoke",
    "api:schema",
    "api:docs",
    *{name for name, _args, _method in API_URLS},
    # Issue #20: projects and a de-identified, k-anonymous data set; each export is logged
    # once, about the project, never a client (tests/research).
    "research:index",
    "research:projects",
    "research:new",
    "research:detail",
    "research:approve",
    "research:withdraw",
    "research:download",
    # Issue #20 part 4: the groups' list and the coordinator's pages name staff, never a case;
    # a comment and a withdrawal are logged with the client's id, as changes.
    "peer:index",
    "peer:comment",
    "peer:withdraw",
    "peer:groups",
    "peer:members",
    "peer:remove_member",
}


def test_every_url_is_sorted_for_the_access_log():
    staff_pages = {name for name in RULES if name.startswith("staff:")}
    assert set(CLIENT_DATA) | NO_CLIENT_DATA | staff_pages == set(RULES)
    assert not set(CLIENT_DATA) & NO_CLIENT_DATA


@pytest.mark.parametrize("name", sorted(CLIENT_DATA))
def test_every_page_that_shows_client_data_writes_the_access_log(client, world, name):
    users, objects = world
    role, query = CLIENT_DATA[name]
    rule = RULES[name]
    user = users[role]
    log.record(Action.CHANGE, client=Client.objects.get(pk=objects["client"]), actor="system")
    seen = AuditEvent.objects.filter(client_id=objects["client"], user=user)
    assert not seen.exists()
    client.force_login(user)
    url = reverse(name, args=[objects[arg] for arg in rule.args])
    response = client.get(url, {key: objects[value] for key, value in query.items()})
    assert outcome(response) == "ok"
    assert seen.filter(action__in=[Action.VIEW, Action.EXPORT]).exists(), name
    report = reverse("access_report", args=[objects["client"]])
    client.force_login(users["administrator"])
    assert user in {event.user for event in client.get(report).context["events"]}


def test_a_leaders_look_at_one_helpers_figures_is_logged(client, world):
    users, objects = world
    helper = users["responsible_helper"]
    client.force_login(users["leader"])
    url = reverse("dashboards:service", args=[objects["service"]])
    assert client.get(url, {"helper": helper.pk}).status_code == 200
    assert AuditEvent.objects.filter(
        user=users["leader"], action=Action.VIEW, object_type="user", object_id=str(helper.pk)
    ).exists()


def test_no_one_opens_another_helpers_own_results(client, world):
    """Issue #16: "Mine resultater" is the viewer's own; naming another helper is a 404, for a
    colleague and for the leader alike, and the page never names anyone else."""
    users, _ = world
    helper = users["responsible_helper"]
    url = reverse("dashboards:own_results")
    for role in ("helper_other_team", "helper_other_service", "leader", "administrator"):
        client.force_login(users[role])
        assert client.get(url, {"helper": helper.pk}).status_code == 404, role
    client.force_login(users["helper_other_team"])
    response = client.get(url)
    assert response.status_code == 200
    assert helper.username not in response.content.decode()
