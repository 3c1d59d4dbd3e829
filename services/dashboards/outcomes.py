"""The outcome report: the service's figures, computed in the database.

The command `outcome_report` and the leaders' dashboard both call `outcome_report()`, so the
numbers a leader sees and the numbers a script exports can never disagree. Every figure is an
aggregate over the whole scope in a fixed number of queries, whatever the data size.

"ORS" means any outcome instrument and "SRS" any alliance instrument, rated by the client
(collateral ratings are shown elsewhere but not counted here). An episode's intake is its first
client ORS by session date, its end the last.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Avg,
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)

from services.clients.models import EndReason, Episode
from services.measures.models import Instrument, Purpose, norms_by_age_group
from services.measures.scoring import effect_size_from_summary, sample_sd_from_sums
from services.ratings.models import Rater, Rating
from services.sessions.models import Session

SCORE = DecimalField(max_digits=4, decimal_places=1)


@dataclass(frozen=True)
class Scope:
    """Whose figures: a service, optionally narrowed to a team or a helper, within a period.

    The period is inclusive at both ends; None leaves that end open.
    """

    service_id: int
    start: datetime.date | None = None
    end: datetime.date | None = None
    team_id: int | None = None
    helper_id: int | None = None

    def dated(self, field: str) -> Q:
        q = Q()
        if self.start is not None:
            q &= Q(**{f"{field}__gte": self.start})
        if self.end is not None:
            q &= Q(**{f"{field}__lte": self.end})
        return q

    def sessions(self) -> QuerySet[Session]:
        q = Q(episode__service_id=self.service_id) & self.dated("date")
        if self.team_id is not None:
            q &= Q(episode__team_id=self.team_id)
        if self.helper_id is not None:
            q &= Q(helper_id=self.helper_id)
        return Session.objects.filter(q)

    def closed_episodes(self) -> QuerySet[Episode]:
        q = Q(service_id=self.service_id, end_date__isnull=False) & self.dated("end_date")
        if self.team_id is not None:
            q &= Q(team_id=self.team_id)
        if self.helper_id is not None:
            q &= Q(helpers=self.helper_id)
        return Episode.objects.filter(q)


def _fraction(part: int | None, whole: int | None) -> float | None:
    if not whole:
        return None
    return round((part or 0) / whole, 4)


def _rounded(value) -> float | None:
    return None if value is None else round(float(value), 4)


def client_ratings(purpose: str) -> QuerySet[Rating]:
    return Rating.objects.filter(rater=Rater.CLIENT, purpose=purpose)


def _by_age_group(values: dict[str, Decimal]) -> Case:
    return Case(
        *[When(client__age_group=group, then=Value(value)) for group, value in values.items()],
        default=Value(None),
        output_field=SCORE,
    )


def episode_outcomes(episodes: QuerySet[Episode], instruments: list[Instrument]) -> QuerySet:
    """Episodes annotated with intake, end, change and their age group's cutoff and RCI.

    Only episodes with two or more client ORS ratings are kept: change needs two points.
    """
    ors = client_ratings(Purpose.OUTCOME).filter(session__episode=OuterRef("pk"))
    first = ors.order_by("session__date", "session__number", "rated_at", "pk")
    last = ors.order_by("-session__date", "-session__number", "-rated_at", "-pk")
    count = ors.order_by().values("session__episode").annotate(n=Count("pk")).values("n")
    norms = norms_by_age_group(instruments)
    return (
        episodes.annotate(
            ors_count=Subquery(count),
            intake=Subquery(first.values("total")[:1], output_field=SCORE),
            end=Subquery(last.values("total")[:1], output_field=SCORE),
        )
        .filter(ors_count__gte=2)
        .annotate(
            change=F("end") - F("intake"),
            cutoff=_by_age_group({group: n.cutoff for group, n in norms.items()}),
            rci=_by_age_group({group: n.reliable_change for group, n in norms.items()}),
        )
    )


RECOVERED = Q(change__gte=F("rci"), intake__lt=F("cutoff"), end__gte=F("cutoff"))


def _outcome_figures(scope: Scope, instruments: list[Instrument]) -> dict:
    figures = episode_outcomes(scope.closed_episodes(), instruments).aggregate(
        n=Count("pk"),
        recovered=Count("pk", filter=RECOVERED),
        improved=Count("pk", filter=Q(change__gte=F("rci")) & ~RECOVERED),
        deteriorated=Count("pk", filter=Q(change__lte=-F("rci"))),
        below_cutoff=Count("pk", filter=Q(intake__lt=F("cutoff"))),
        mean_intake=Avg("intake"),
        mean_end=Avg("end"),
        sum_intake=Sum("intake"),
        sum_intake_squared=Sum(F("intake") * F("intake")),
    )
    n = figures["n"]
    unchanged = n - figures["recovered"] - figures["improved"] - figures["deteriorated"]
    return {
        "outcomes": {
            "n": n,
            "recovered": _fraction(figures["recovered"], n),
            "improved": _fraction(figures["improved"], n),
            "unchanged": _fraction(unchanged, n),
            "deteriorated": _fraction(figures["deteriorated"], n),
        },
        "effect_size": _rounded(
            effect_size_from_summary(
                figures["mean_intake"],
                figures["mean_end"],
                sample_sd_from_sums(n, figures["sum_intake"], figures["sum_intake_squared"]),
            )
        ),
        "intake": {
            "mean": _rounded(figures["mean_intake"]),
            "below_cutoff": _fraction(figures["below_cutoff"], n),
        },
    }


def _session_figures(scope: Scope) -> dict:
    def rated(purpose: str) -> Exists:
        return Exists(client_ratings(purpose).filter(session=OuterRef("pk")))

    figures = (
        scope.sessions()
        .annotate(has_ors=rated(Purpose.OUTCOME), has_srs=rated(Purpose.ALLIANCE))
        .aggregate(
            n=Count("pk"),
            ors=Count("pk", filter=Q(has_ors=True)),
            srs=Count("pk", filter=Q(has_srs=True)),
        )
    )
    return {
        "sessions": figures["n"],
        "completeness": {
            "ors": _fraction(figures["ors"], figures["n"]),
            "srs": _fraction(figures["srs"], figures["n"]),
        },
    }


def _episode_figures(scope: Scope) -> dict:
    figures = scope.closed_episodes().aggregate(
        n=Count("pk", distinct=True),
        dropout=Count("pk", distinct=True, filter=Q(end_reason=EndReason.DROPOUT)),
    )
    return {
        "episodes_closed": figures["n"],
        "dropout": _fraction(figures["dropout"], figures["n"]),
    }


def _alliance_figures(scope: Scope, instruments: list[Instrument]) -> dict:
    thresholds = Case(
        *[
            When(instrument_id=instrument.pk, then=Value(instrument.spec.alliance.threshold))
            for instrument in instruments
            if instrument.purpose == Purpose.ALLIANCE
        ],
        default=Value(None),
        output_field=SCORE,
    )
    figures = (
        client_ratings(Purpose.ALLIANCE)
        .filter(session__in=scope.sessions())
        .annotate(threshold=thresholds)
        .aggregate(
            n=Count("pk"),
            mean=Avg("total"),
            flagged=Count("pk", filter=Q(total__lt=F("threshold"))),
        )
    )
    return {
        "alliance": {
            "n": figures["n"],
            "mean": _rounded(figures["mean"]),
            "flagged": _fraction(figures["flagged"], figures["n"]),
        }
    }


def outcome_report(scope: Scope) -> dict:
    """All figures for one scope as plain JSON-ready data (fractions 0–1, 4 decimals)."""
    instruments = list(Instrument.objects.all())
    return {
        "period": {
            "from": scope.start.isoformat() if scope.start else None,
            "to": scope.end.isoformat() if scope.end else None,
        },
        **_session_figures(scope),
        **_episode_figures(scope),
        **_outcome_figures(scope, instruments),
        **_alliance_figures(scope, instruments),
    }
