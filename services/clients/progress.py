"""From stored ratings to signals and chart data, for one episode or a whole caseload.

The rules (norms, alliance rule, expected trajectory) are loaded once per page in a fixed number
of queries, then applied to each episode by the pure functions in services.measures.signals and
drawn by services.charts.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from services.accounts.models import Service
from services.charts.data import ChartData, ChartLabels, ChartPoint, ExpectedPoint, SignalMarker
from services.measures.definitions import AllianceRule, Norms, translate
from services.measures.models import (
    CurrentTrajectory,
    Instrument,
    Purpose,
    current_trajectory_model,
    norms_by_age_group,
)
from services.measures.signals import TITLES, Signal, SignalRules, episode_signals
from services.measures.trajectory import expected_series
from services.ratings.series import SessionRecord

EXPECTED_AHEAD = 2  # sessions of expected trajectory drawn beyond the last session


@dataclass(frozen=True)
class ProgressRules:
    norms: dict[str, Norms]
    alliance: dict[str, AllianceRule | None]
    item_labels: dict[str, tuple[str, ...]]
    trajectories: dict[int, CurrentTrajectory]
    signal_rules: dict[int, SignalRules]


def load_rules(service_ids: Iterable[int], language: str | None = None) -> ProgressRules:
    """Everything the signals and charts need, for the given services."""
    language = language or get_language() or "nb"
    instruments = Instrument.objects.current()
    alliance, items = {}, {}
    for instrument in instruments:
        for age_group in instrument.spec.age_groups:
            if instrument.purpose == Purpose.ALLIANCE:
                alliance[age_group] = instrument.spec.alliance
            else:
                items[age_group] = tuple(
                    translate(item.label, language) for item in instrument.spec.items
                )
    services = list(Service.objects.filter(pk__in=set(service_ids)))
    return ProgressRules(
        norms=norms_by_age_group(instruments),
        alliance=alliance,
        item_labels=items,
        trajectories={service.pk: current_trajectory_model(service) for service in services},
        signal_rules={
            service.pk: SignalRules(
                off_track_from_session=service.off_track_from_session,
                no_change_by_session=service.no_change_by_session,
            )
            for service in services
        },
    )


def signals_for(
    records: list[SessionRecord], age_group: str, service_id: int, rules: ProgressRules
) -> tuple[Signal, ...]:
    norms = rules.norms.get(age_group)
    if norms is None:
        return ()
    return episode_signals(
        records,
        norms,
        rules.alliance.get(age_group),
        rules.trajectories[service_id].model,
        rules.signal_rules[service_id],
    )


def chart_labels(rules: ProgressRules, age_group: str, service_id: int) -> ChartLabels:
    language = get_language() or "nb"
    return ChartLabels(
        ors=_("How life has been (ORS)"),
        srs=_("The session (SRS)"),
        session=_("Session"),
        cutoff=_("Clinical cutoff"),
        reliable_change=_("Reliable change from the first rating"),
        expected=_("Expected trajectory"),
        expected_band=_("Expected range"),
        alliance_threshold=_("Alliance threshold"),
        signals=_("Signal"),
        no_data=_("No ratings yet"),
        caption=rules.trajectories[service_id].label,
        items=rules.item_labels.get(age_group, ()),
        total_only=_("Total only (paper form)"),
        client_title=_("How life has been"),
        client_reference=_("Where many people are"),
        date_format="%d.%m",
        decimal_mark="." if language.startswith("en") else ",",
    )


def chart_data(
    records: list[SessionRecord],
    age_group: str,
    service_id: int,
    rules: ProgressRules,
    signals: tuple[Signal, ...] = (),
) -> ChartData:
    """One episode's chart: its points, norms, expected trajectory and signal markers."""
    norms = rules.norms.get(age_group)
    alliance = rules.alliance.get(age_group)
    points = tuple(
        ChartPoint(
            session=record.number,
            date=record.date,
            ors=record.ors,
            srs=record.srs,
            ors_items=tuple(record.ors_items.values()) if record.ors_items else None,
        )
        for record in records
    )
    rated = [record for record in records if record.ors is not None]
    expected = ()
    if rated:
        last = max(record.number for record in records) + EXPECTED_AHEAD
        model = rules.trajectories[service_id].model
        expected = tuple(
            ExpectedPoint(*row)
            for row in expected_series(model, float(rated[0].ors), rated[0].number, last)
        )
    last_number = records[-1].number if records else 1
    return ChartData(
        points=points,
        cutoff=norms.cutoff if norms else None,
        reliable_change=norms.reliable_change if norms else None,
        expected=expected,
        signals=tuple(SignalMarker(last_number, key, str(TITLES[key])) for key in signals),
        alliance_threshold=alliance.threshold if alliance else None,
        labels=chart_labels(rules, age_group, service_id),
    )
