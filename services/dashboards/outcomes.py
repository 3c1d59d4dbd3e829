"""The outcome report: the service's figures, computed in the database.

The command `outcome_report` and the leaders' dashboard both go through `queries.collect()`
and `report_figures()`, so the numbers a leader sees and the numbers a script exports can never
disagree. Every figure is an aggregate over the whole scope in a fixed number of queries,
whatever the data size (see `queries`).

"ORS" means any outcome instrument and "SRS" any alliance instrument, rated by the client
(collateral ratings are shown elsewhere but not counted here). An episode's intake is its first
client ORS by session date, its end the last; outcome figures count closed episodes with at
least two client ORS ratings.
"""

from collections.abc import Mapping

from services.measures.models import Instrument
from services.measures.scoring import effect_size_from_summary, sample_sd_from_sums

from . import statistics
from .queries import BINS, Request, collect
from .scope import Scope

__all__ = ["Scope", "outcome_report", "report_figures"]


def _fraction(part: int | None, whole: int | None) -> float | None:
    if not whole:
        return None
    return round((part or 0) / whole, 4)


def _rounded(value) -> float | None:
    return None if value is None else round(float(value), 4)


def _mean(total, n: int | None) -> float | None:
    return None if not n or total is None else round(float(total) / n, 4)


def reference_line(raw: Mapping) -> statistics.ReferenceLine | None:
    return statistics.reference_line(clinical_sums(raw))


def clinical_sums(raw: Mapping) -> statistics.PairedSums:
    """Intake (x) and change (y) sums over the clinical-range episodes of a slice."""
    return statistics.PairedSums.of(
        raw.get("c_n"),
        raw.get("c_x"),
        raw.get("c_y"),
        raw.get("c_xx"),
        raw.get("c_yy"),
        raw.get("c_xy"),
    )


def paired_sums(raw: Mapping) -> statistics.PairedSums:
    """Intake (x) and end (y) sums over the closed episodes with two or more ORS."""
    return statistics.PairedSums.of(
        raw.get("outcome_n"),
        raw.get("sx"),
        raw.get("sy"),
        raw.get("sxx"),
        raw.get("syy"),
        raw.get("sxy"),
    )


def effect_size(raw: Mapping) -> float | None:
    """Pre–post effect size, by the rule in services.measures.scoring."""
    n = raw.get("outcome_n") or 0
    if not n or raw.get("sx") is None or raw.get("sy") is None:
        return None
    return effect_size_from_summary(
        float(raw["sx"]) / n,
        float(raw["sy"]) / n,
        sample_sd_from_sums(n, raw.get("sx"), raw.get("sxx")),
    )


def _estimate(estimate: statistics.Estimate | None) -> dict | None:
    if estimate is None:
        return None
    return {
        "value": _rounded(estimate.value),
        "low": _rounded(estimate.low),
        "high": _rounded(estimate.high),
    }


def report_figures(raw: Mapping, reference: statistics.ReferenceLine | None) -> dict:
    """One slice's sums as the report's JSON-ready figures (fractions 0–1, 4 decimals)."""
    n = raw.get("outcome_n") or 0
    recovered = raw.get("recovered") or 0
    improved = (raw.get("improved_any") or 0) - recovered
    deteriorated = raw.get("deteriorated") or 0
    interval = statistics.effect_size_interval(paired_sums(raw))
    adjusted = statistics.severity_adjusted(clinical_sums(raw), reference)
    intake_n = raw.get("intake_n") or 0
    return {
        "sessions": raw.get("sessions") or 0,
        "completeness": {
            "ors": _fraction(raw.get("ors_rated"), raw.get("sessions")),
            "srs": _fraction(raw.get("srs_n"), raw.get("sessions")),
        },
        "episodes_closed": raw.get("closed") or 0,
        "dropout": _fraction(raw.get("dropout"), raw.get("closed")),
        "outcomes": {
            "n": n,
            "recovered": _fraction(recovered, n),
            "improved": _fraction(improved, n),
            "unchanged": _fraction(n - recovered - improved - deteriorated, n),
            "deteriorated": _fraction(deteriorated, n),
        },
        "effect_size": _rounded(effect_size(raw)),
        "intake": {
            "mean": _mean(raw.get("sx"), n),
            "below_cutoff": _fraction(raw.get("below_cutoff"), n),
        },
        "alliance": {
            "n": raw.get("srs_n") or 0,
            "mean": _mean(raw.get("srs_sum"), raw.get("srs_n")),
            "flagged": _fraction(raw.get("srs_flagged"), raw.get("srs_n")),
        },
        "clients_active": raw.get("clients") or 0,
        "episodes_new": raw.get("new") or 0,
        "sessions_per_episode": _mean(raw.get("closed_sessions"), raw.get("closed")),
        "effect_size_ci": _estimate(interval),
        "severity_adjusted": {
            "n": raw.get("c_n") or 0,
            "reference_n": reference.n if reference else 0,
            "estimate": _estimate(adjusted),
        },
        "new_intakes": {
            "n": intake_n,
            "mean": _mean(raw.get("intake_sum"), intake_n),
            "below_cutoff": _fraction(raw.get("intake_below"), intake_n),
            "histogram": [raw.get(f"bin{i}") or 0 for i in range(BINS)],
        },
    }


def outcome_report(scope: Scope) -> dict:
    """All figures for one scope as plain JSON-ready data (fractions 0–1, 4 decimals)."""
    result = collect(Request.for_scope(scope), list(Instrument.objects.all()))
    return {
        "period": {
            "from": scope.start.isoformat() if scope.start else None,
            "to": scope.end.isoformat() if scope.end else None,
        },
        **report_figures(result.periods["scope"], reference_line(result.reference)),
    }
