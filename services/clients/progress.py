"""From stored ratings to signals and chart data, for one episode or a whole caseload.

The rules (every form's norms and alliance rule, the expected trajectories) are loaded once per
page in a fixed number of queries, then applied to each episode by the pure functions in
services.measures.signals and drawn by services.charts.

An episode is judged by its intake: the form and the age group of its first client ORS decide
the norms and the expected trajectory, and only later ratings on that same form are compared with
it. A form change inside the episode (a child who turned 13) starts a new series, drawn apart.
"""

from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from services.accounts.models import Service
from services.charts.data import (
    ChartData,
    ChartLabels,
    ChartPoint,
    CollateralSeries,
    ExpectedPoint,
    SignalMarker,
)
from services.measures.age_groups import AgeGroup
from services.measures.definitions import AllianceRule, InstrumentDefinition, Norms, translate
from services.measures.models import (
    CurrentTrajectory,
    Instrument,
    Purpose,
    ServiceForm,
    current_trajectory_models,
)
from services.measures.signals import (
    SEVERITY,
    TITLES,
    Signal,
    SignalRules,
    episode_signals,
    is_missing,
    needs_alliance_talk,
)
from services.measures.trajectory import SCALE_MAX, Trajectory, expected_series
from services.ratings.models import Rater
from services.ratings.series import CollateralRating, SessionRecord, current_series

EXPECTED_AHEAD = 2  # sessions of expected trajectory drawn beyond the last session


@dataclass(frozen=True)
class ProgressRules:
    forms: dict[int, InstrumentDefinition]
    alliance_forms: dict[tuple[int, str], int]  # (service, age group) → chosen alliance form
    trajectories: dict[tuple[int, str], CurrentTrajectory]
    signal_rules: dict[int, SignalRules]

    def trajectory(self, service_id: int, age_group: str | None) -> CurrentTrajectory:
        return self.trajectories[(service_id, age_group or AgeGroup.ADULT)]


@dataclass(frozen=True)
class Intake:
    """What the helper's signals and chart judge by: the current series' first rating (form,
    age group, session number) and that form's norms for that age group.

    The default expected trajectories are drawn for 0–40 totals; a form on another scale gets
    none until a model is calibrated for it.
    """

    form_id: int
    age_group: str
    norms: Norms | None
    number: int
    on_the_usual_scale: bool = True


def load_rules(
    service_ids: Iterable[int], instruments: list[Instrument] | None = None
) -> ProgressRules:
    """Everything the signals and charts need, for the given services.

    Every form version is loaded, not only the current ones: old ratings keep the norms of the
    form they were given on. A caller that has them already passes `instruments`.
    """
    services = list(Service.objects.filter(pk__in=set(service_ids)))
    if instruments is None:
        instruments = list(Instrument.objects.all())
    return ProgressRules(
        forms={instrument.pk: instrument.spec for instrument in instruments},
        alliance_forms={
            (service_id, age_group): instrument_id
            for service_id, age_group, instrument_id in ServiceForm.objects.filter(
                service__in=services, purpose=Purpose.ALLIANCE
            ).values_list("service_id", "age_group", "instrument_id")
        },
        trajectories=current_trajectory_models(services, AgeGroup.values),
        signal_rules={
            service.pk: SignalRules(
                off_track_from_session=service.off_track_from_session,
                no_change_by_session=service.no_change_by_session,
                off_track_alert=service.off_track_alert,
            )
            for service in services
        },
    )


def intake_of(records: list[SessionRecord], rules: ProgressRules) -> Intake | None:
    """The start of the series the helper follows: the first rating on the form the client
    rates on now (the episode's intake, unless the form changed since)."""
    series = current_series(records)
    if not series:
        return None
    first = series[0]
    spec = rules.forms.get(first.ors_instrument_id)
    norms = spec.norms.get(first.ors_age_group) if spec is not None and spec.scored else None
    on_the_usual_scale = spec is not None and float(spec.max_total) == SCALE_MAX
    return Intake(
        first.ors_instrument_id, first.ors_age_group, norms, first.number, on_the_usual_scale
    )


def judged_records(records: list[SessionRecord], intake: Intake) -> list[SessionRecord]:
    """The records with ORS ratings outside the current series blanked out."""
    return [
        record
        if record.ors is None
        or (record.ors_instrument_id == intake.form_id and record.number >= intake.number)
        else replace(record, ors=None, ors_items=None)
        for record in records
    ]


def alliance_form(
    records: list[SessionRecord], rules: ProgressRules, service_id: int | None = None
) -> InstrumentDefinition | None:
    """The form the latest SRS was given on: its alliance rule judges the collaboration. With
    no SRS yet, the service's chosen alliance form for the latest rating's age group, so that
    a never-answered SRS still counts as missing."""
    rated = [record for record in records if record.srs_instrument_id is not None]
    if rated:
        return rules.forms.get(rated[-1].srs_instrument_id)
    groups = [record.ors_age_group for record in records if record.ors_age_group]
    chosen = rules.alliance_forms.get((service_id, groups[-1])) if groups else None
    return rules.forms.get(chosen) if chosen else None


@dataclass(frozen=True)
class Judging:
    """Everything an episode's signals are judged by, worked out once for the signals and for
    the words that explain them, so the two can never disagree.

    `judged` are the records with ratings on other forms than the intake's blanked out; `norms`
    is None for an unscored intake form (then only "rating missing" applies, on all records).
    """

    records: list[SessionRecord]
    judged: list[SessionRecord]
    norms: Norms | None
    alliance_form: InstrumentDefinition | None
    model: Trajectory | None
    signal_rules: SignalRules

    @property
    def alliance(self) -> AllianceRule | None:
        return self.alliance_form.alliance if self.alliance_form else None


def judging(records: list[SessionRecord], service_id: int, rules: ProgressRules) -> Judging:
    intake = intake_of(records, rules)
    return Judging(
        records=records,
        judged=judged_records(records, intake) if intake else records,
        norms=intake.norms if intake else None,
        alliance_form=alliance_form(records, rules, service_id),
        model=rules.trajectory(service_id, intake.age_group).model
        if intake and intake.on_the_usual_scale
        else None,
        signal_rules=rules.signal_rules[service_id],
    )


def signals_for(
    records: list[SessionRecord], service_id: int, rules: ProgressRules
) -> tuple[Signal, ...]:
    """The episode's signals, judged on the current series (see `intake_of`); "rating missing"
    and the alliance rule look at every session."""
    basis = judging(records, service_id, rules)
    missing = is_missing(records, basis.alliance)
    if basis.norms is None:
        # An unscored form (or none yet): the alliance and "missing" rules need no norms.
        raised = {
            Signal.ALLIANCE: needs_alliance_talk(records, basis.alliance),
            Signal.MISSING: missing,
        }
        return tuple(signal for signal in SEVERITY if raised.get(signal))
    signals = episode_signals(
        basis.judged, basis.norms, basis.alliance, basis.model, basis.signal_rules
    )
    return tuple(signal for signal in signals if signal != Signal.MISSING or missing)


def chart_labels(
    rules: ProgressRules, intake: Intake | None, service_id: int, items: tuple[str, ...]
) -> ChartLabels:
    caption = rules.trajectory(service_id, intake.age_group if intake else None).label
    if intake is not None and intake.norms is None:
        caption = _("This form is not scored: its answers are shown without norms or change.")
    return helper_chart_words(caption, items)


def helper_chart_words(caption: str, items: tuple[str, ...] = ()) -> ChartLabels:
    """The helper chart's words in the reader's language, under `caption`; also for a case
    shared in a network's supervision group (services.peer), drawn from its snapshot."""
    language = get_language() or "nb"
    return ChartLabels(
        ors=_("How life has been (ORS)"),
        srs=_("The session (SRS)"),
        session=_("Session"),
        cutoff=_("Clinical cutoff"),
        # The band around the first rating is where a score has NOT changed beyond measurement
        # error: the legend names the zone, not the change outside it (issue #15).
        reliable_change=_("Within measurement error: no reliable change"),
        expected=_("Expected trajectory"),
        expected_band=_("Expected range"),
        expected_lowest=_("10th percentile (below: red zone)"),
        alliance_threshold=_("Alliance threshold"),
        signals=_("Signal"),
        no_data=_("No ratings yet"),
        caption=caption,
        items=items,
        total_only=_("Total only (paper form)"),
        client_title=_("How life has been"),
        client_reference=_("Where many people are"),
        client_rater=_("The client"),
        date_format="%d.%m",
        decimal_mark="." if language.startswith("en") else ",",
    )


RATER_LABELS = {
    Rater.PARENT: Rater.PARENT.label,
    Rater.TEACHER: Rater.TEACHER.label,
    Rater.OTHER: Rater.OTHER.label,
}


def collateral_chart_series(ratings: list[CollateralRating]) -> tuple[CollateralSeries, ...]:
    """One line per collateral rater (and name), labelled e.g. "Parent (Mum)"."""
    by_rater: dict[tuple[str, str], list[tuple[int, object]]] = {}
    for rating in ratings:
        by_rater.setdefault((rating.rater, rating.rater_name), []).append(
            (rating.session_number, rating.total)
        )
    series = []
    for (rater, name), points in by_rater.items():
        kind = str(RATER_LABELS.get(rater, Rater.OTHER.label))
        series.append(
            CollateralSeries(label=f"{kind} ({name})" if name else kind, points=tuple(points))
        )
    return tuple(series)


def chart_data(
    records: list[SessionRecord],
    service_id: int,
    rules: ProgressRules,
    signals: tuple[Signal, ...] = (),
    collateral: list[CollateralRating] = (),
) -> ChartData:
    """One episode's chart: its points by form series, the current series' norms and expected
    trajectory, collateral raters' lines and signal markers."""
    language = get_language() or "nb"
    intake = intake_of(records, rules)
    forms: list[int] = []
    points = []
    for record in records:
        if record.ors_instrument_id is not None and record.ors_instrument_id not in forms:
            forms.append(record.ors_instrument_id)
        points.append(
            ChartPoint(
                session=record.number,
                date=record.date,
                ors=record.ors,
                srs=record.srs,
                ors_items=tuple(record.ors_items.values()) if record.ors_items else None,
                series=forms.index(record.ors_instrument_id)
                if record.ors_instrument_id is not None
                else 0,
            )
        )
    expected = ()
    basis = judging(records, service_id, rules)
    norms, model = basis.norms, basis.model
    if intake is not None and norms is not None and model is not None:
        first = current_series(records)[0]
        last = max(record.number for record in records) + EXPECTED_AHEAD
        expected = tuple(
            ExpectedPoint(*row)
            for row in expected_series(model, float(first.ors), first.number, last)
        )
    intake_form = rules.forms.get(intake.form_id) if intake else None
    item_labels = (
        tuple(translate(item.label, language) for item in intake_form.items) if intake_form else ()
    )
    last_number = records[-1].number if records else 1
    return ChartData(
        points=tuple(points),
        cutoff=norms.cutoff if norms else None,
        reliable_change=norms.reliable_change if norms else None,
        expected=expected,
        signals=tuple(SignalMarker(last_number, key, str(TITLES[key])) for key in signals),
        alliance_threshold=basis.alliance.threshold if basis.alliance else None,
        max_total=intake_form.max_total if intake_form else 40,
        labels=chart_labels(rules, intake, service_id, item_labels),
        series_labels=tuple(translate(rules.forms[pk].name, language) for pk in forms)
        if len(forms) > 1
        else (),
        collateral=collateral_chart_series(list(collateral)),
    )


def model_version(records: list[SessionRecord], service_id: int, rules: ProgressRules) -> str:
    """The version of the expected-trajectory model this episode's chart is drawn with."""
    intake = intake_of(records, rules)
    return rules.trajectory(service_id, intake.age_group if intake else None).version
