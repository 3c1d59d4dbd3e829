"""Every URL of the project, asked by every role of service A about service B's objects.

tests/test_permissions.py shows who may open what with one object of each kind; this walk
(issue #20) puts a whole second service beside the first and asks, for each role of A and each
URL pattern, for B's client, episode, session, rating, hand-over, group, meeting, offer, note,
theme, place, team, staff member, network, research project, supervision group, shared case,
API key and service code, by the URL's own method; then, for a URL of several objects, with A's
objects and some of B's among them. An answer is one of:

- a refusal that reveals nothing (404, 403, 401, 405, or the login page), or
- a page that is public by design (the RULES give anonymous "ok": the offers list, the
  suggestion box, a rating or group link whose random token is the key), which must show A's
  staff nothing of B's that it does not show anyone without a login, or
- for a URL that names no object of B, a page of A's own that holds no word of B's.

Then every page is asked with A's own objects, and must hold no word of B's either, whatever it
lists. The API answers a key and not a login, so it is walked once more with A's key.
"""

import itertools

import pytest
from django.urls import reverse

from tests.api.test_api_permissions import QUERIES
from tests.test_permissions import API_URLS, RULES, url_names

from .conftest import ROLES, b_markers

pytestmark = pytest.mark.django_db

# Arguments that are the same for every service: forms are shared, "csv" is a format.
SHARED_ARGS = {"csv", "instrument"}
REFUSED = {401, 403, 404, 405}


def refused(response) -> bool:
    if response.status_code in REFUSED:
        return True
    return response.status_code == 302 and response["Location"].startswith(reverse("login"))


def answer_text(response) -> bytes:
    """What an answer shows: its body (streamed or not) and where it redirects to."""
    body = b"".join(response.streaming_content) if response.streaming else bytes(response.content)
    return body + response.get("Location", "").encode()


def names_b(rule) -> bool:
    return bool(set(rule.args) - SHARED_ARGS)


def ask(client, user, name, rule, objects):
    """One request as `user` (None: nobody logged in)."""
    if user is None:
        client.logout()
    elif client.session.get("_auth_user_id") != str(user.pk):  # a walked POST logged out
        client.force_login(user)
    url = reverse(name, args=[objects[arg] for arg in rule.args])
    return getattr(client, rule.method)(url)


def unwalkable(objects: dict) -> set[str]:
    """URL patterns with no rule yet, or with an argument this world has no object for."""
    return {
        name
        for name in url_names()
        if name not in RULES or not set(RULES[name].args) <= set(objects)
    }


# Who each role of this walk is in the RULES of tests/test_permissions.py: the roles a rule lets
# open a URL with the world's objects. A leader who sees clients opens client pages too.
AS_IN_RULES = {
    "helper": {"responsible_helper", "helper_other_team"},
    "leader": {"leader"},
    "leader_with_clients": {"leader", "responsible_helper", "supervisor"},
    "administrator": {"administrator"},
    "council": {"council"},
    "supervisor": {"supervisor", "helper_other_team"},
}


def mixes(world, rule, role):
    """B's objects in every argument, then, for a URL of several objects, A's objects with
    some of B's among them (A's own service code with B's staff member, A's client with B's
    episode): where a view checks only its first argument, the second kind leaks. The mixes
    only for a role that opens the URL with A's objects: a role refused A's service or
    client at the first argument is refused whatever follows."""
    own = [arg for arg in rule.args if arg not in SHARED_ARGS]
    yield world.objects_b, tuple(own)
    if not AS_IN_RULES[role] & set(rule.allowed or {}):
        return
    for size in range(1, len(own)):
        for theirs in itertools.combinations(own, size):
            yield {**world.objects_a, **{arg: world.objects_b[arg] for arg in theirs}}, theirs


_PUBLIC: dict[str, set[str]] = {}  # a public URL's words of B, as anyone sees them


def public_markers(client, user, name, rule, objects) -> set[str]:
    """B's words on a public page without a login (asked once for every role's walk)."""
    url = reverse(name, args=[objects[arg] for arg in rule.args])
    if url not in _PUBLIC:
        anonymous = ask(client, None, name, rule, objects)
        _PUBLIC[url] = set() if refused(anonymous) else b_markers(answer_text(anonymous))
        client.force_login(user)
    return _PUBLIC[url]


def judge(client, user, name, rule, objects, theirs, response) -> str | None:
    """What leaked in this answer, if anything."""
    if refused(response):
        return None
    found = b_markers(answer_text(response))
    if theirs and rule.anonymous == "ok":  # public by design: no more than anyone sees
        public = public_markers(client, user, name, rule, objects)
        if found - public:
            return f"{name}: more of B than without a login: {found - public}"
        return None
    if theirs:
        return f"{name}: {response.status_code} with B's {theirs}, {sorted(found)[:5]}"
    if found:
        return f"{name}: {response.status_code} shows {sorted(found)[:5]}"
    return None


def walk(client, world, role) -> tuple[int, list[str]]:
    """Ask every URL as A's `role` with B's objects, and with mixes of A's and B's; the number
    of requests and what leaked."""
    leaks, asked, user = [], 0, world.users[role]
    for name in sorted(url_names() - unwalkable(world.objects_b)):
        rule = RULES[name]
        for objects, theirs in mixes(world, rule, role):
            response = ask(client, user, name, rule, objects)
            asked += 1
            leak = judge(client, user, name, rule, objects, theirs, response)
            if leak:
                leaks.append(leak)
    return asked, leaks


# Drawn, not written: their words cannot be searched in the bytes (the monthly report's PDF is
# read in test_lists), and they are the slowest pages of the walk.
PICTURES = {
    "clients:summary_pdf",
    "clients:chart_png",
    "dashboards:monthly_report",
    "groups:alliance_png",
    "groups:qr",
    "suggestions:poster",
    "suggestions:place_poster",
}


def walk_own(client, world, user) -> tuple[int, list[str], list[str]]:
    """Ask every page as `user` with A's own objects: whatever it lists, nothing of B's.
    Returns the number asked, the pages opened (not refused) and what leaked.

    Pages only (GET): a change answers with a redirect, or with its form again, which is the
    page's own form.
    """
    leaks, asked, opened = [], 0, []
    for name in sorted(url_names() - unwalkable(world.objects_a) - PICTURES):
        rule = RULES[name]
        if rule.method != "get":
            continue
        response = ask(client, user, name, rule, world.objects_a)
        asked += 1
        if not refused(response):
            opened.append(name)
        leak = judge(client, user, name, rule, world.objects_a, (), response)
        if leak:
            leaks.append(leak)
    return asked, opened, leaks


@pytest.mark.parametrize("role", ROLES)
def test_no_role_of_one_service_reads_anything_of_another(client, world, role):
    asked, leaks = walk(client, world, role)
    assert not leaks, f"{role} of {world.service_a.code} saw {world.service_b.code}: {leaks}"
    assert asked >= 150 + 10  # every pattern, and mixes: the walk cannot shrink to none


OPENS = {  # some of the pages each role opens with A's objects
    "helper": ["clients:caseload", "clients:detail", "groups:detail", "peer:case"],
    "leader_with_clients": [
        "clients:caseload",
        "dashboards:service",
        "supervision:helper",
        "suggestions:staff_list",
    ],
    "administrator": ["staff:list", "audit_log", "api_keys:list", "dashboards:service"],
}
# A leader who sees clients opens every page a leader, a supervisor or the user council opens
# (the suggestion box is the leaders' too), and more.
OWN_WALK_ROLES = ("helper", "leader_with_clients", "administrator")


@pytest.mark.parametrize("role", OWN_WALK_ROLES)
def test_no_page_of_one_service_shows_anything_of_another(client, world, role):
    asked, opened, leaks = walk_own(client, world, world.users[role])
    assert not leaks, f"{role} of {world.service_a.code} saw {world.service_b.code}: {leaks}"
    assert asked >= 80
    # The role is real: it opens its own pages (each role its own, with the public ones).
    assert set(OPENS[role]) <= set(opened), role
    assert len(opened) >= 20


def test_the_walk_covers_every_url_and_role(world):
    """Not vacuous: every URL pattern for each of the six roles, and most of them name one
    of B's objects. A new pattern needs a rule in tests/test_permissions.py, and a new kind of
    object in its arguments needs B's object of that kind in this package's conftest."""
    missing = unwalkable(world.objects_b)
    assert not missing, f"Not walked (no rule, or no object of B for an argument): {missing}"
    pairs = len(ROLES) * len(url_names())
    naming_b = [name for name in url_names() if names_b(RULES[name])]
    assert pairs >= 6 * 140
    assert len(naming_b) >= 100


def test_the_markers_find_b_in_b_s_own_pages(client, world):
    """The check can fail: B's own staff see B's words on the pages the walk asks about."""
    pages = [
        ("helper", "clients:detail"),
        ("helper", "groups:detail"),
        ("administrator", "staff:teams"),
        ("administrator", "offers:staff_list"),
        ("leader", "comments:leader"),
        ("council", "suggestions:staff_list"),
    ]
    for role, name in pages:
        response = ask(client, world.b_users[role], name, RULES[name], world.objects_b)
        assert response.status_code == 200, (role, name)
        assert b_markers(answer_text(response)), (role, name)


def test_a_s_other_roles_open_a_s_pages(client, world):
    """The roles the page walk leaves to the leader who sees clients are real too."""
    for role, name in (
        ("leader", "comments:leader"),
        ("supervisor", "supervision:service"),
        ("council", "suggestions:staff_list"),
    ):
        response = ask(client, world.users[role], name, RULES[name], world.objects_a)
        assert response.status_code == 200, (role, name)
        assert not b_markers(answer_text(response)), (role, name)


def test_a_s_api_key_opens_nothing_of_b(client, world):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {world.key_a}"}
    leaks, asked = [], 0
    for name, args, method in API_URLS:
        path = reverse(name, args=[world.objects_b[arg] for arg in args])
        response = getattr(client, method)(path, QUERIES.get(name, {}), **headers)
        asked += 1
        found = b_markers(answer_text(response))
        if found:
            leaks.append(f"{name}: {response.status_code} shows {sorted(found)[:5]}")
        if set(args) - SHARED_ARGS and response.status_code != 404:
            leaks.append(f"{name}: {response.status_code} for B's {args}")
        if not args and method == "get" and response.status_code != 200:
            leaks.append(f"{name}: {response.status_code}, expected A's own list")
    assert not leaks
    assert asked == len(API_URLS) >= 15
