"""The outcome report, checked against an independent computation over generated data."""

import datetime
import json
from collections import defaultdict
from decimal import Decimal

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from services.accounts.models import Service
from services.clients.models import Episode
from services.dashboards.outcomes import Scope, outcome_report
from services.ratings.models import Rating
from services.sessions.models import Session
from tests.factories import EpisodeFactory, RatingFactory, SessionFactory

pytestmark = pytest.mark.django_db

# Norms by (form, age group at intake): issue #12 items 1 and 6 — an episode is judged by its
# intake's form and age group, and the young-child form (ycors) is unscored.
CUTOFF = {("ors", "adult"): 25, ("ors", "adolescent"): 28, ("cors", "child"): 32}
RCI = {("ors", "adult"): 5, ("ors", "adolescent"): 5, ("cors", "child"): 6}
START, END = datetime.date(2025, 12, 1), datetime.date(2026, 8, 31)


def seed(clients: int, code: str = "demo") -> Service:
    call_command("seed_demo", clients=clients, service=code, seed=7, stdout=None)
    return Service.objects.get(code=code)


def in_period(day, start, end) -> bool:
    return (start is None or day >= start) and (end is None or day <= end)


def expected_report(service: Service, start, end) -> dict:
    """The same figures computed in plain Python/numpy from raw rows."""
    sessions = list(
        Session.objects.filter(episode__service=service).values("id", "date", "episode_id")
    )
    ratings = list(
        Rating.objects.filter(session__episode__service=service, rater="client").values(
            "session_id",
            "purpose",
            "total",
            "instrument__key",
            "instrument_id",
            "age_group",
            "session__date",
            "session__number",
            "rated_at",
            "id",
            "session__episode_id",
        )
    )
    in_scope = [s for s in sessions if in_period(s["date"], start, end)]
    rated = defaultdict(set)
    for r in ratings:
        rated[r["purpose"]].add(r["session_id"])
    n = len(in_scope)
    episodes = [
        e
        for e in Episode.objects.filter(service=service, end_date__isnull=False).values(
            "id", "end_reason", "end_date", "client__age_group"
        )
        if in_period(e["end_date"], start, end)
    ]
    by_episode = defaultdict(list)
    for r in ratings:
        if r["purpose"] == "outcome":
            by_episode[r["session__episode_id"]].append(r)
    pairs = []
    for e in episodes:
        ors = sorted(
            by_episode[e["id"]],
            key=lambda r: (r["session__date"], r["session__number"], r["rated_at"], r["id"]),
        )
        if not ors or (ors[0]["instrument__key"], ors[0]["age_group"]) not in CUTOFF:
            continue
        ors = [r for r in ors if r["instrument_id"] == ors[0]["instrument_id"]]
        if len(ors) >= 2:
            key = (ors[0]["instrument__key"], ors[0]["age_group"])
            pairs.append((float(ors[0]["total"]), float(ors[-1]["total"]), key))
    counts = defaultdict(int)
    for intake, last, group in pairs:
        change = last - intake
        if change >= RCI[group] and intake < CUTOFF[group] <= last:
            counts["recovered"] += 1
        elif change >= RCI[group]:
            counts["improved"] += 1
        elif change <= -RCI[group]:
            counts["deteriorated"] += 1
        else:
            counts["unchanged"] += 1
    intakes = np.array([p[0] for p in pairs])
    ends = np.array([p[1] for p in pairs])
    srs = [
        float(r["total"])
        for r in ratings
        if r["purpose"] == "alliance" and in_period(r["session__date"], start, end)
    ]
    m = len(pairs)
    return {
        "sessions": n,
        "ors": sum(s["id"] in rated["outcome"] for s in in_scope) / n,
        "srs": sum(s["id"] in rated["alliance"] for s in in_scope) / n,
        "episodes_closed": len(episodes),
        "dropout": sum(e["end_reason"] == "dropout" for e in episodes) / len(episodes),
        "n": m,
        **{k: counts[k] / m for k in ("recovered", "improved", "unchanged", "deteriorated")},
        "effect_size": (ends.mean() - intakes.mean()) / intakes.std(ddof=1),
        "intake_mean": intakes.mean(),
        "below_cutoff": sum(p[0] < CUTOFF[p[2]] for p in pairs) / m,
        "alliance_mean": np.mean(srs),
        "flagged": sum(total < 36 for total in srs) / len(srs),
    }


@pytest.mark.parametrize(("start", "end"), [(None, None), (START, END)])
def test_report_matches_an_independent_computation(start, end):
    service = seed(120)
    report = outcome_report(Scope(service.pk, start, end))
    want = expected_report(service, start, end)
    assert want["n"] > 20, "the generated data must exercise the outcome rules"
    assert report["sessions"] == want["sessions"]
    assert report["completeness"]["ors"] == pytest.approx(want["ors"], abs=1e-4)
    assert report["completeness"]["srs"] == pytest.approx(want["srs"], abs=1e-4)
    assert report["episodes_closed"] == want["episodes_closed"]
    assert report["dropout"] == pytest.approx(want["dropout"], abs=1e-4)
    assert report["outcomes"]["n"] == want["n"]
    for category in ("recovered", "improved", "unchanged", "deteriorated"):
        assert report["outcomes"][category] == pytest.approx(want[category], abs=1e-4)
    assert sum(report["outcomes"][c] for c in want if c in report["outcomes"] and c != "n") == (
        pytest.approx(1, abs=2e-4)
    )
    assert report["effect_size"] == pytest.approx(want["effect_size"], abs=1e-4)
    assert report["intake"]["mean"] == pytest.approx(want["intake_mean"], abs=1e-4)
    assert report["intake"]["below_cutoff"] == pytest.approx(want["below_cutoff"], abs=1e-4)
    assert report["alliance"]["mean"] == pytest.approx(want["alliance_mean"], abs=1e-4)
    assert report["alliance"]["flagged"] == pytest.approx(want["flagged"], abs=1e-4)


@pytest.mark.parametrize("clients", [10, 80])
def test_report_uses_a_constant_number_of_queries(clients, django_assert_max_num_queries):
    service = seed(clients)
    with django_assert_max_num_queries(5):
        outcome_report(Scope(service.pk))


def _episode_with(scores, *, end_date, age_group="adult", end_reason="planned", service=None):
    kwargs = {"client__service": service} if service else {}
    episode = EpisodeFactory(
        end_date=end_date, end_reason=end_reason, client__age_group=age_group, **kwargs
    )
    key = "ors" if age_group in ("adult", "adolescent") else "cors"
    for number, score in enumerate(scores, start=1):
        session = SessionFactory(
            episode=episode, number=number, date=episode.start_date + datetime.timedelta(number)
        )
        if score is not None:
            RatingFactory(session=session, key=key, score=score)
    return episode


def test_period_is_inclusive_at_both_ends_and_ignores_open_episodes(service):
    day = datetime.date(2026, 3, 31)
    _episode_with([15, 26], end_date=day, service=service)
    _episode_with([15, 26], end_date=day + datetime.timedelta(1), service=service)
    _episode_with([15, 26], end_date=None, end_reason="", service=service)
    report = outcome_report(Scope(service.pk, datetime.date(2026, 1, 1), day))
    assert report["episodes_closed"] == 1
    assert report["outcomes"] == {
        "n": 1,
        "recovered": 1.0,
        "improved": 0.0,
        "unchanged": 0.0,
        "deteriorated": 0.0,
    }
    assert report["effect_size"] is None  # one episode has no spread


def test_episodes_need_two_client_ors_and_collateral_ratings_do_not_count(service):
    day = datetime.date(2026, 3, 1)
    one = _episode_with([15], end_date=day, service=service)
    RatingFactory(session=one.sessions.get(), score=30, rater="parent", rater_name="Mor")
    _episode_with([20, None, 30], end_date=day, age_group="child", service=service)
    report = outcome_report(Scope(service.pk))
    assert report["episodes_closed"] == 2
    assert report["outcomes"]["n"] == 1
    assert report["outcomes"]["improved"] == 1.0  # child: 30 is below the cutoff of 32
    assert report["intake"] == {"mean": 20.0, "below_cutoff": 1.0}
    assert report["completeness"]["ors"] == pytest.approx(3 / 4)


def test_adolescent_norms_apply(service):
    _episode_with(
        [20, 27], end_date=datetime.date(2026, 3, 1), age_group="adolescent", service=service
    )
    assert outcome_report(Scope(service.pk))["outcomes"]["improved"] == 1.0


def test_an_empty_service_reports_nulls_not_errors(service):
    report = outcome_report(Scope(service.pk))
    assert report["sessions"] == 0
    assert report["completeness"] == {"ors": None, "srs": None}
    assert report["dropout"] is None
    assert report["outcomes"]["recovered"] is None
    assert report["effect_size"] is None
    assert report["alliance"] == {"n": 0, "mean": None, "flagged": None}


def test_other_services_are_not_counted(service):
    _episode_with([15, 26], end_date=datetime.date(2026, 3, 1))
    assert outcome_report(Scope(service.pk))["episodes_closed"] == 0


def test_command_prints_json(service, capsys):
    _episode_with([15, 26], end_date=datetime.date(2026, 3, 1), service=service)
    call_command("outcome_report", service="oslo", start=None, end=None, json=True)
    report = json.loads(capsys.readouterr().out)
    assert report["service"] == "oslo"
    assert report["outcomes"]["recovered"] == 1.0


def test_command_options_are_checked(service):
    with pytest.raises(CommandError, match="No service"):
        call_command("outcome_report", "--service", "nowhere")
    with pytest.raises(CommandError, match="Not a date"):
        call_command("outcome_report", "--service", "oslo", "--from", "31.12.2026")
    with pytest.raises(CommandError, match="after"):
        call_command(
            "outcome_report", "--service", "oslo", "--from", "2026-02-01", "--to", "2026-01-01"
        )


def test_decimal_totals_survive_aggregation(service):
    _episode_with(
        [Decimal("10.3"), Decimal("20.4")], end_date=datetime.date(2026, 3, 1), service=service
    )
    assert outcome_report(Scope(service.pk))["intake"]["mean"] == 10.3
