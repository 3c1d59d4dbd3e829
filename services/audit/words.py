"""The access log's "What" in the reader's language.

A row keeps what the code wrote, in English (`object_type` is the model's name, `detail` a short
phrase, sometimes with data after it): the log is append-only and read by tools, so it is never
rewritten. The administrators' page says it in their language instead (issue #15: "client",
"handover link" in the Norwegian interface). Each phrase the code writes has an entry here; the
data after a phrase (dates, codes, numbers, field names) is shown as written. A phrase with no
entry is shown as written rather than hidden, and `tests/audit/test_audit_words.py` finds the
plain-string details the code writes that have none.
"""

import re
from functools import cache

from django.apps import apps
from django.utils.translation import gettext_lazy

from services.clients.models import Consent

# A hand-over's detail is its method: read together with the noun, not after a colon.
PAIRS = {
    ("handover", "link"): gettext_lazy("hand-over as a link"),
    ("handover", "tablet"): gettext_lazy("hand-over on the tablet"),
}

# Whole details. An empty translation means the noun alone says it ("team" created: "team").
PHRASES = {
    "caseload": gettext_lazy("caseload"),
    "access log": gettext_lazy("access log"),
    "access report": gettext_lazy("access report"),
    "privacy": gettext_lazy("privacy search"),
    "client JSON": gettext_lazy("all data as JSON"),
    "erase form": gettext_lazy("erase page"),
    "closed": gettext_lazy("closed"),
    "paper entry form": gettext_lazy("paper form entry"),
    "hand-over form": gettext_lazy("hand-over page"),
    "remote link": gettext_lazy("link page"),
    "link": gettext_lazy("as a link"),
    "tablet": gettext_lazy("on the tablet"),
    "tablet unlocked": gettext_lazy("tablet unlocked"),
    "wrong tablet unlock": gettext_lazy("wrong PIN or password on the tablet"),
    "invitation accepted": gettext_lazy("invitation accepted"),
    "two-factor set up": gettext_lazy("two-factor set up"),
    "wrong code": gettext_lazy("wrong code"),
    "tablet PIN set": gettext_lazy("tablet PIN set"),
    "tablet PIN removed": gettext_lazy("tablet PIN removed"),
    "tablet unlock block lifted": gettext_lazy("tablet unlock block lifted"),
    "reactivated": gettext_lazy("reactivated"),
    "two-factor reset": gettext_lazy("two-factor reset"),
    "new invitation; password removed": gettext_lazy("new invitation; password removed"),
    "retention: anonymised": gettext_lazy("retention: anonymised"),
    "client view": gettext_lazy("chart shown to the client"),
    "correct answer": gettext_lazy("correction page"),
    "move answer here": gettext_lazy("an answer moved here"),
    "episode changes": gettext_lazy("page for changing the episode"),
    "supervision": gettext_lazy("supervision"),
    "supervision chart": gettext_lazy("chart in supervision"),
    # The client's own goals (issue #17, services/goals): "goal: reached", "session: goal scores".
    "goals page": gettext_lazy("goals page"),
    "reached": gettext_lazy("reached"),
    "dropped": gettext_lazy("dropped"),
    "reworded": gettext_lazy("reworded"),
    "goal scores": gettext_lazy("goal scores"),
    "goal scores from the client": gettext_lazy("goal scores from the client"),
    # Offers for clients (issue #17, services/offers).
    "shown to clients": gettext_lazy("shown to clients again"),
    "taken off the clients' list": gettext_lazy("taken off the clients' list"),
    "offers talked about page": gettext_lazy("page of offers talked about"),
    # "Dere sa – vi gjorde" (issue #18, services/changes).
    "published": gettext_lazy("published on the public page"),
    "unpublished": gettext_lazy("taken off the public page"),
    # The group leader's pages (issue #18, services/groups): "group member: left the group".
    "group page": gettext_lazy("group page"),
    "group member cards": gettext_lazy("group members' code cards"),
    "group meeting page": gettext_lazy("group meeting page"),
    "clients to add to a group": gettext_lazy("list of clients to add to a group"),
    "left the group": gettext_lazy("left the group"),
    "back in the group": gettext_lazy("back in the group"),
    "new code": gettext_lazy("new personal code"),
    "code opened again": gettext_lazy("code works again at a meeting"),
    "attendance": gettext_lazy("who came"),
    "group attendance": gettext_lazy("attendance at a group meeting"),
    "group meeting": gettext_lazy("at a group meeting"),  # a member's answer (turns.py)
    # A remote link sent to the client (issue #19, services/messaging): never to whom.
    "link queued by SMS": gettext_lazy("link to be sent by text message"),
    "link queued by e-mail": gettext_lazy("link to be sent by e-mail"),
    "reminder queued by SMS": gettext_lazy("reminder to be sent by text message"),
    "reminder queued by e-mail": gettext_lazy("reminder to be sent by e-mail"),
    "link sent by SMS": gettext_lazy("link sent by text message"),
    "link sent by e-mail": gettext_lazy("link sent by e-mail"),
    "reminder sent by SMS": gettext_lazy("reminder sent by text message"),
    "reminder sent by e-mail": gettext_lazy("reminder sent by e-mail"),
    "message not sent": gettext_lazy("not sent"),
    "message cancelled": gettext_lazy("cancelled"),
    # A comment after the alliance form (issue #17, services/comments): the noun says it.
    "comment": "",
    "team": "",
    # API keys (issue #19, services/api): "API key: revoked".
    "api key": "",
    "revoked": gettext_lazy("revoked"),
    # Staff single sign-on (issue #19, services/accounts/oidc.py): how a login came.
    "sso": gettext_lazy("through the municipality's login"),
    "sso mfa": gettext_lazy("through the municipality's login, with its second factor"),
    # FHIR bundles for the record system (issue #19, services/fhir).
    "FHIR export": gettext_lazy("FHIR export"),
    "FHIR import": gettext_lazy("FHIR import"),
    # Research projects (issue #20, services/research): "research project: approved".
    "approved": gettext_lazy("approved"),
    "withdrawn": gettext_lazy("withdrawn"),
    # Peer supervision across a network's services (issue #20, services/peer).
    "peer case viewed": gettext_lazy("case viewed in a network supervision group"),
    "peer group page": gettext_lazy("listed in a network supervision group"),
    "peer case comment": gettext_lazy("commented on in a network supervision group"),
    "peer share form": gettext_lazy("page for sharing in a supervision group"),
}

CHART_VIEWS = {
    "helper": gettext_lazy("for the helper"),
    "client": gettext_lazy("for the client"),
    "items": gettext_lazy("item by item"),
}
CHANGED = {
    "age group": gettext_lazy("age group"),
    "birth year": gettext_lazy("birth year"),
    "nothing": gettext_lazy("nothing"),
}
DEACTIVATED = {
    "memberships": gettext_lazy("roles in this service removed"),
    "account": gettext_lazy("account deactivated"),
}
SSO_REFUSED = {
    "no match": gettext_lazy("no account with that e-mail address"),
    "several matches": gettext_lazy("several accounts with that e-mail address"),
    "email not verified": gettext_lazy("the provider has not verified the e-mail address"),
    "no role": gettext_lazy("no role in any service"),
    "deactivated": gettext_lazy("account deactivated"),
    "platform operator": gettext_lazy("platform operators log in with their password"),
    "token": gettext_lazy("the provider's answer did not hold"),
}


def _consent(value: str) -> str:
    return str(Consent(value).label) if value in Consent.values else value


def _changed(value: str) -> str:
    return ", ".join(str(CHANGED.get(part, part)) for part in value.split(", "))


# Details with data: a pattern over the whole detail, the message, and how to say each part.
PATTERNS = [
    (r"chart (?P<view>\w+)", gettext_lazy("chart %(view)s"), {"view": CHART_VIEWS.get}),
    (r"consent (?P<consent>\w*)", gettext_lazy("consent: %(consent)s"), {"consent": _consent}),
    (
        r"erased: (?P<episodes>\d+) episodes, (?P<sessions>\d+) sessions, "
        r"(?P<ratings>\d+) ratings",
        gettext_lazy("erased: %(episodes)s episodes, %(sessions)s sessions, %(ratings)s ratings"),
        {},
    ),
    (
        r"changed: (?P<what>.+); ratings moved: (?P<moved>\d+)",
        gettext_lazy("changed: %(what)s; ratings moved: %(moved)s"),
        {"what": _changed},
    ),
    (
        r"retention: (?P<count>\d+) episode\(s\) anonymised",
        gettext_lazy("retention: %(count)s episode(s) anonymised"),
        {},
    ),
    (
        r"audit log pruned: (?P<count>\d+) event\(s\) before (?P<date>\S+)",
        gettext_lazy("access log pruned: %(count)s event(s) before %(date)s"),
        {},
    ),
    (
        r"deactivated: (?P<what>\w+)",
        gettext_lazy("deactivated: %(what)s"),
        {"what": DEACTIVATED.get},
    ),
    (r"(?P<count>\d+) rating\(s\)", gettext_lazy("%(count)s rating(s)"), {}),
    (
        r"sso refused: (?P<why>.+)",
        gettext_lazy("not let in through the municipality's login: %(why)s"),
        {"why": SSO_REFUSED.get},
    ),
]

# Details that begin with a phrase and go on with data shown as written.
PREFIXES = [
    ("helper dashboard ", gettext_lazy("dashboard")),
    ("dashboard figures ", gettext_lazy("dashboard figures")),
    ("pseudonymised ratings csv ", gettext_lazy("pseudonymised ratings (CSV)")),
    ("monthly report pdf ", gettext_lazy("monthly report (PDF)")),
    ("settings ", gettext_lazy("settings:")),
    ("form ", gettext_lazy("form choice:")),
    ("placement ", gettext_lazy("placement:")),
    ("invited; ", gettext_lazy("invited;")),
    ("admin ", gettext_lazy("admin:")),
    ("summary pdf ", gettext_lazy("summary (PDF)")),
    ("corrected: ", gettext_lazy("corrected:")),
    ("offer fields ", gettext_lazy("changed:")),
    ("suggestion box fields ", gettext_lazy("changed:")),  # issue #18, services/suggestions
    ("change fields ", gettext_lazy("changed:")),
    ("api ", gettext_lazy("API:")),  # a record system's call (issue #19, services/api)
    # Networks of services (issue #20, services/network).
    ("network figures ", gettext_lazy("network figures")),
    ("network benchmark ", gettext_lazy("figures beside the network's")),
    ("joined network ", gettext_lazy("joined the network")),
    ("left network ", gettext_lazy("left the network")),
    ("network trajectories on ", gettext_lazy("uses the network's expected trajectories")),
    ("network trajectories off ", gettext_lazy("no longer uses the network's trajectories")),
    ("research export ", gettext_lazy("research data set")),  # issue #20, services/research
    # Peer supervision (issue #20, services/peer): the group's id follows.
    ("shared in supervision group ", gettext_lazy("shared in supervision group")),
    ("withdrawn from supervision group ", gettext_lazy("withdrawn from supervision group")),
    ("supervision group in network ", gettext_lazy("supervision group in network")),
    ("in supervision group ", gettext_lazy("in supervision group")),
]


@cache
def _nouns() -> dict[str, object]:
    """The app's own models by the name the log stores (`_meta.model_name`): their verbose
    names, translated when read. Only our apps, so Django's own `session` cannot shadow ours."""
    return {
        model._meta.model_name: model._meta.verbose_name
        for model in apps.get_models()
        if model.__module__.startswith("services.")
    }


def _say_detail(detail: str) -> str:
    if detail in PHRASES:
        return str(PHRASES[detail])
    for pattern, message, sayers in PATTERNS:
        found = re.fullmatch(pattern, detail)
        if found is None:
            continue
        parts = {
            name: str(sayers[name](value) or value) if name in sayers else value
            for name, value in found.groupdict().items()
        }
        return str(message) % parts
    for prefix, said in PREFIXES:
        if detail.startswith(prefix):
            return f"{said} {detail[len(prefix) :]}"
    return detail


def is_known(detail: str) -> bool:
    """Whether this detail is said in the reader's language (else it is shown as written)."""
    return (
        detail in PHRASES
        or any(re.fullmatch(pattern, detail) for pattern, _message, _sayers in PATTERNS)
        or any(detail.startswith(prefix) for prefix, _said in PREFIXES)
    )


def describe(object_type: str, detail: str) -> str:
    """One row's "What", e.g. "klient: klientliste" or "utlevering som lenke"."""
    if (object_type, detail) in PAIRS:
        return str(PAIRS[object_type, detail])
    noun = str(_nouns().get(object_type, object_type))
    return ": ".join(part for part in (noun, _say_detail(detail)) if part)
