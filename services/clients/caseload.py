"""The helper's caseload: one stored summary per open episode, sorted, filtered and paged in SQL.

`summarise` judges one episode's records (pure: records and rules in, one summary row out);
the facts rebuild (`services.dashboards.facts`) calls `summaries_of` for every client it
rebuilds, so a summary is exactly as fresh as the dashboard facts. `up_to_date` runs before the
page is read: it rebuilds what changed since, and what was judged under other rules than the
service's current ones (a new trajectory model, another alerting level or alliance form).
"""

import hashlib
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import translation

from services.charts.data import ChartData, ChartPoint
from services.charts.sparkline import sparkline
from services.dashboards.models import EpisodeSummary
from services.measures.age_groups import AgeGroup
from services.measures.models import Instrument
from services.measures.signals import SEVERITY, Signal
from services.ratings.series import SessionRecord, episode_series, intake_and_latest

from . import access
from .progress import ProgressRules, load_rules, signals_for
from .signal_details import details_for

SORTS = {
    "signals": ("severity", "client__code"),
    "last": (F("last_session").desc(nulls_last=True), "client__code"),
    "client": ("client__code",),
}


def rules_key(rules: ProgressRules, service_id: int) -> str:
    """A short name for everything a service's signals are judged by, stored on each summary.

    Form definitions are edited in place by data migrations, so their norms and alliance rules
    are part of the name, not only their ids.
    """
    forms = sorted(
        (pk, spec.scored, spec.max_total, spec.norms, spec.alliance)
        for pk, spec in rules.forms.items()
    )
    text = repr(
        (
            forms,
            sorted((g, f) for (s, g), f in rules.alliance_forms.items() if s == service_id),
            [rules.trajectory(service_id, group).version for group in AgeGroup.values],
            rules.signal_rules[service_id],
        )
    )
    return hashlib.blake2s(text.encode(), digest_size=8).hexdigest()


def severity(signals: tuple[Signal, ...]) -> int:
    """Rank for "signals first": the most severe signal decides, then how many."""
    if not signals:
        return len(SEVERITY) * 10
    return SEVERITY.index(signals[0]) * 10 - len(signals)


def curve(records: list[SessionRecord]) -> str:
    """The row's small ORS curve, a new line where the form changes."""
    forms = list(dict.fromkeys(r.ors_instrument_id for r in records if r.ors is not None))
    points = tuple(
        ChartPoint(
            session=r.number,
            ors=r.ors,
            series=forms.index(r.ors_instrument_id) if r.ors is not None else 0,
        )
        for r in records
    )
    return sparkline(ChartData(points=points)).decode()


def summarise(
    episode_id: int,
    client_id: int,
    service_id: int,
    team_id: int | None,
    records: list[SessionRecord],
    rules: ProgressRules,
    key: str,
) -> EpisodeSummary:
    """One open episode's caseload row, judged as the client page judges it."""
    intake, latest = intake_and_latest(records)
    rated = sum(1 for record in records if record.ors is not None)
    srs = [record.srs for record in records if record.srs is not None]
    signals = signals_for(records, service_id, rules)
    details = {}
    if signals:
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                found = details_for(records, service_id, rules, signals)
            details[language] = {signal.value: text for signal, text in found.items()}
    return EpisodeSummary(
        episode_id=episode_id,
        client_id=client_id,
        service_id=service_id,
        team_id=team_id,
        sessions=len(records),
        last_session=records[-1].date if records else None,
        intake=intake,
        latest=latest,
        change=latest - intake
        if intake is not None and latest is not None and rated >= 2
        else None,
        latest_srs=srs[-1] if srs else None,
        signals="".join(f",{signal.value}" for signal in signals) + ("," if signals else ""),
        severity=severity(signals),
        details=details,
        sparkline=curve(records),
        rules_key=key,
    )


def summaries_of(
    episodes: Iterable[tuple[int, int, int, int | None]], rules: ProgressRules
) -> list[EpisodeSummary]:
    """Summaries of these open episodes, given as (episode, client, service, team) ids, in a
    fixed number of queries, judged by `rules` (loaded for at least their services)."""
    episodes = list(episodes)
    if not episodes:
        return []
    series = episode_series(episode[0] for episode in episodes)
    keys = {service_id: rules_key(rules, service_id) for service_id in rules.signal_rules}
    return [
        summarise(*episode, series[episode[0]], rules, keys[episode[2]]) for episode in episodes
    ]


def up_to_date(service_ids: Iterable[int]) -> None:
    """Bring these services' summaries (and every outdated fact) up to date before a read.

    Summaries judged under rules other than the service's current ones are marked outdated and
    rebuilt with the rest. Nothing changed costs a few cheap queries.
    """
    from services.dashboards.facts import mark_outdated, refresh_outdated

    service_ids = set(service_ids)
    instruments = list(Instrument.objects.all())
    if service_ids:
        rules = load_rules(service_ids, instruments)
        judged_otherwise = Q()
        for service_id in service_ids:
            key = rules_key(rules, service_id)
            judged_otherwise |= Q(service_id=service_id) & (
                Q(rules_key__lt=key) | Q(rules_key__gt=key)
            )
        stale = EpisodeSummary.objects.filter(judged_otherwise).values_list("client_id", flat=True)
        clients = list(stale.distinct())
        if clients:
            with transaction.atomic():
                mark_outdated(clients)
    refresh_outdated(instruments)


def caseload(
    user, memberships: list, *, team: int | None, sort: str, signal: str
) -> QuerySet[EpisodeSummary]:
    """The summaries of the open episodes this user may see (from their `listing_memberships`),
    fresh, in one team or all, filtered by a signal and sorted in SQL."""
    up_to_date({m.service_id for m in memberships})
    rows = EpisodeSummary.objects.filter(access.visible_rows(user, memberships))
    if team is not None:
        rows = rows.filter(team_id=team)
    if signal in set(Signal):
        rows = rows.filter(signals__contains=f",{signal},")
    return rows.select_related("client").order_by(*SORTS.get(sort, SORTS["signals"]))
