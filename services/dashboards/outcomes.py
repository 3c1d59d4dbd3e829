"""The outcome report: the service's figures, computed in the database.

The command `outcome_report` and the leaders' dashboard both go through `queries.collect()`
and `report_figures()`, so the numbers a leader sees and the numbers a script exports can never
disagree. Every figure is an aggregate over the whole scope in a fixed number of queries,
whatever the data size (see `queries`).

"ORS" means any outcome instrument and "SRS" any alliance instrument, rated by the client;
collateral raters' ratings (parents, teachers, others) are never counted in these figures, and
are reported apart, per kind of rater ("collateral"). An episode's intake is its first
client ORS by session date, its end the last on the same form; outcome figures count closed
episodes whose intake form is scored for the client's age group at intake and that have at least
two client ratings on it. The closed episodes left out are counted by reason ("left_out"), and
the outcome categories are given again for the episodes that started below the cutoff
("clinical_outcomes"), the subset compared with published figures.
"""

from collections.abc import Mapping

from services.measures.models import Instrument
from services.measures.scoring import effect_size_from_summary, sample_sd_from_sums

from . import statistics
from .queries import BINS, Request, collect
from .scope import Scope

__all__ = ["Scope", "collateral_figures", "outcome_report", "report_figures"]


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


def _categories(n: int, improved_any: int | None, recovered: int | None, deteriorated) -> dict:
    """Shares of the four outcome categories among `n` episodes."""
    recovered = recovered or 0
    improved = (improved_any or 0) - recovered
    deteriorated = deteriorated or 0
    return {
        "n": n,
        "recovered": _fraction(recovered, n),
        "improved": _fraction(improved, n),
        "unchanged": _fraction(n - recovered - improved - deteriorated, n),
        "deteriorated": _fraction(deteriorated, n),
    }


def report_figures(raw: Mapping, reference: statistics.ReferenceLine | None) -> dict:
    """One slice's sums as the report's JSON-ready figures (fractions 0–1, 4 decimals)."""
    n = raw.get("outcome_n") or 0
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
        "outcomes": _categories(
            n, raw.get("improved_any"), raw.get("recovered"), raw.get("deteriorated")
        ),
        "left_out": {
            "no_rating": raw.get("left_none") or 0,
            "one_rating": raw.get("left_one") or 0,
            "unscored": raw.get("left_unscored") or 0,
        },
        "clinical_outcomes": _categories(
            raw.get("c_n") or 0,
            raw.get("c_improved"),
            raw.get("c_recovered"),
            raw.get("c_deteriorated"),
        ),
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


RATERS = ("parent", "teacher", "other")  # collateral raters, as `Rating.rater` names them


def collateral_figures(by_rater: Mapping[str, Mapping]) -> dict:
    """Collateral raters' figures per kind of rater, apart from the client's own.

    `episodes` counts the closed episodes with a rater of that kind; the shares and the mean
    change are per rater (two parents of one child are two).
    """
    out = {}
    for rater in RATERS:
        raw = by_rater.get(rater, {})
        series = raw.get("col_series") or 0
        out[rater] = {
            "episodes": raw.get("col_episodes") or 0,
            "raters": series,
            "improved": _fraction(raw.get("col_improved"), series),
            "recovered": _fraction(raw.get("col_recovered"), series),
            "deteriorated": _fraction(raw.get("col_deteriorated"), series),
            "mean_change": _mean(raw.get("col_change"), series),
        }
    return out


def outcome_report(scope: Scope) -> dict:
    """All figures for one scope as plain JSON-ready data (fractions 0–1, 4 decimals)."""
    result = collect(Request.for_scope(scope), list(Instrument.objects.all()))
    return {
        "period": {
            "from": scope.start.isoformat() if scope.start else None,
            "to": scope.end.isoformat() if scope.end else None,
        },
        **report_figures(result.periods["scope"], reference_line(result.reference)),
        "collateral": collateral_figures(result.collateral.get("scope", {})),
    }
