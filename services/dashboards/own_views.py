"""A helper's own results ("Mine resultater"): their figures beside the whole service's.

The page is always the viewer's own: no helper id in the URL, so there is no other helper's
page to guess. Whoever is not a helper of some service gets a 404, leaders and administrators
too (they have the dashboard). The figures come from `figures.build_dashboard`, compared and
worded by `own_results`, kept until the facts change (`freshness`) like the leaders' pages.
"""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from services.accounts.models import Membership, Role
from services.audit import log
from services.audit.models import Action
from services.measures.models import Instrument

from . import freshness
from .facts import refresh_outdated
from .figures import build_dashboard
from .own_results import Line, compare, sentence, side, uncertainty
from .statistics import SAES_MINIMUM_REFERENCE
from .suppression import MINIMUM
from .views import period_picker, requested_period

LABELS = {
    "better": gettext_lazy("Clearly better"),
    "unchanged": gettext_lazy("No clear change"),
    "worse": gettext_lazy("Clearly worse"),
    "effect_size": gettext_lazy("Effect size"),
    "saes": gettext_lazy("Effect size adjusted for the start"),
    "alliance_mean": gettext_lazy("Average session rating (SRS)"),
    "alliance_flagged": gettext_lazy("Low session ratings"),
    "ors": gettext_lazy("Sessions with a rating of how the client is doing (ORS)"),
    "srs": gettext_lazy("Sessions with a rating of the session (SRS)"),
    "included": gettext_lazy("Finished episodes that count in the figures"),
}
SECTIONS = (
    ("outcomes", gettext_lazy("Did your clients get better?"), ("better", "unchanged", "worse")),
    ("change", gettext_lazy("How large was the change?"), ("effect_size", "saes")),
    (
        "alliance",
        gettext_lazy("How did your clients find the sessions?"),
        ("alliance_mean", "alliance_flagged"),
    ),
    ("completeness", gettext_lazy("How complete are your ratings?"), ("ors", "srs", "included")),
)


@dataclass(frozen=True)
class Row:
    line: Line
    label: str
    sentence: str  # empty where the section's lead says it for every row


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    lead: str  # one sentence for the whole section, where its figures all wait for more data
    rows: list[Row]
    held_back: bool


def _sections(lines: dict[str, Line]) -> list[Section]:
    out = []
    for key, heading, keys in SECTIONS:
        chosen = [lines[k] for k in keys]
        waiting = len({line.basis for line in chosen}) == 1 and not chosen[0].own.shown
        out.append(
            Section(
                key=key,
                heading=str(heading),
                lead=sentence(chosen[0]) if waiting else "",
                rows=[
                    Row(line, str(LABELS[line.key]), "" if waiting else sentence(line))
                    for line in chosen
                ],
                held_back=any(line.held_back for line in chosen),
            )
        )
    return out


def _membership(request: HttpRequest) -> tuple[Membership, list[Membership]]:
    """The viewer's helper membership shown (of the service asked for, else the first), and all
    of them; 404 for a user who helps in no service, for a service they do not help in, and for
    any attempt to name another helper."""
    asked = request.GET.get("helper", "")
    if asked and asked != str(request.user.pk):
        raise Http404
    memberships = list(
        Membership.objects.filter(user=request.user, role=Role.HELPER)
        .select_related("service")
        .order_by("service__name", "service__pk")
    )
    if not memberships:
        raise Http404
    code = request.GET.get("service", "")
    if not code:
        return memberships[0], memberships
    chosen = next((m for m in memberships if m.service.code == code), None)
    if chosen is None:
        raise Http404
    return chosen, memberships


@login_required
def own_results(request: HttpRequest) -> HttpResponse:
    membership, memberships = _membership(request)
    service, me = membership.service, request.user
    period = requested_period(request)
    instruments = list(Instrument.objects.all())
    refresh_outdated(instruments)  # before the generation is read: see `freshness`

    def build(helper_id):
        return lambda: side(
            build_dashboard(
                service,
                period,
                helper_id=helper_id,
                units=[],  # never another helper's figures, not even computed
                instruments=instruments,
                refresh=False,
            )
        )

    # A side holds figures and counts only, no words: the same for every language.
    own = freshness.kept(("own results", service.pk, me.pk, period), build(me.pk))
    whole = freshness.kept(("own results: service", service.pk, period), build(None))
    log.record(
        Action.VIEW,
        obj=me,
        service=service,
        request=request,
        detail=f"own results {period.start.isoformat()}..{period.end.isoformat()}",
    )
    lines = compare(own, whole)
    return render(
        request,
        "dashboards/own_results.html",
        {
            "service": service,
            "services": [m.service for m in memberships],
            "period": period,
            "sections": _sections(lines),
            "effect_size_uncertainty": uncertainty(lines["effect_size"]),
            "saes_uncertainty": uncertainty(lines["saes"]),
            "outcome_count": lines["better"].own_count,
            **period_picker(request),
            "minimum": MINIMUM,
            "saes_minimum": SAES_MINIMUM_REFERENCE,
        },
    )
