"""The dashboard's figures recomputed from raw rows with plain Python and numpy.

Shares no code with services.dashboards: rows are read with `.values()` and every rule (period
edges, intake = first client ORS by session date, the intake form's norms for the age group at
intake, only ratings on that form compared with it, Becker's interval, the SAES reference line)
is written out again here, so a test comparing the two checks the SQL.
"""

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from services.clients.models import Episode
from services.ratings.models import Rating
from services.sessions.models import Session

# (form, age group at intake) → norms; the young-child form is unscored (no norms).
CUTOFF = {("ors", "adult"): 25, ("ors", "adolescent"): 28, ("cors", "child"): 32}
RCI = {("ors", "adult"): 5, ("ors", "adolescent"): 5, ("cors", "child"): 6}
ALLIANCE_THRESHOLD = 36
Z = 1.959963984540054


def inside(day, start, end) -> bool:
    return day is not None and (start is None or day >= start) and (end is None or day <= end)


@dataclass
class Data:
    sessions: list[dict]
    episodes: dict[int, dict]
    ratings: list[dict]

    @classmethod
    def load(cls, service) -> "Data":
        sessions = list(
            Session.objects.filter(episode__service=service).values(
                "id",
                "date",
                "number",
                "episode_id",
                "helper_id",
                "episode__team_id",
                "episode__client_id",
            )
        )
        episodes = {
            e["id"]: {**e, "helpers": set(), "sessions": 0}
            for e in Episode.objects.filter(service=service).values(
                "id", "start_date", "end_date", "end_reason", "team_id"
            )
        }
        for episode_id, user_id in Episode.helpers.through.objects.filter(
            episode__service=service
        ).values_list("episode_id", "user_id"):
            episodes[episode_id]["helpers"].add(user_id)
        for s in sessions:
            episodes[s["episode_id"]]["sessions"] += 1
        ratings = list(
            Rating.objects.filter(session__episode__service=service, rater="client").values(
                "id",
                "session_id",
                "purpose",
                "total",
                "rated_at",
                "session__date",
                "session__number",
                "session__episode_id",
                "instrument_id",
                "instrument__key",
                "age_group",
            )
        )
        return cls(sessions, episodes, ratings)

    def ors_by_episode(self) -> dict[int, tuple[list[float], tuple[str, str]]]:
        """Each episode's scored series: the ORS totals on its intake's form, in order, and
        the norms key (form, age group at intake). Episodes on an unscored form are left out."""
        by_episode = defaultdict(list)
        for r in self.ratings:
            if r["purpose"] == "outcome":
                by_episode[r["session__episode_id"]].append(r)
        out = {}
        for e, rows in by_episode.items():
            rows.sort(
                key=lambda r: (r["session__date"], r["session__number"], r["rated_at"], r["id"])
            )
            first = rows[0]
            key = (first["instrument__key"], first["age_group"])
            if key in CUTOFF:
                series = [r for r in rows if r["instrument_id"] == first["instrument_id"]]
                out[e] = ([float(r["total"]) for r in series], key)
        return out


def _episode_in_unit(episode: dict, team_id, helper_id) -> bool:
    return (team_id is None or episode["team_id"] == team_id) and (
        helper_id is None or helper_id in episode["helpers"]
    )


def pairs(data: Data, start, end, team_id=None, helper_id=None, *, open_start=False):
    """(intake, end, norms key) of closed episodes in scope with two or more client ORS on their
    intake's (scored) form."""
    ors = data.ors_by_episode()
    out = []
    for e in data.episodes.values():
        if e["end_date"] is None or not inside(e["end_date"], None if open_start else start, end):
            continue
        if not _episode_in_unit(e, team_id, helper_id):
            continue
        scores, key = ors.get(e["id"], ([], None))
        if len(scores) >= 2:
            out.append((scores[0], scores[-1], key))
    return out


def becker(intake: np.ndarray, end: np.ndarray):
    n = len(intake)
    if n < 3 or intake.std(ddof=1) == 0:
        return None
    d = (end.mean() - intake.mean()) / intake.std(ddof=1)
    r = np.corrcoef(intake, end)[0, 1] if end.std() > 0 else 0.0
    se = math.sqrt(2 * (1 - r) / n + d * d / (2 * n))
    return d, d - Z * se, d + Z * se


def saes(data: Data, start, end, team_id=None, helper_id=None):
    """(value, low, high, n) with the reference: every closed clinical episode ending by `end`."""
    reference = [
        (i, f - i) for i, f, g in pairs(data, start, end, open_start=True) if i < CUTOFF[g]
    ]
    scope = [(i, f - i) for i, f, g in pairs(data, start, end, team_id, helper_id) if i < CUTOFF[g]]
    if len(reference) < 30 or len(scope) < 2:
        return None
    rx, ry = np.array(reference).T
    x, y = np.array(scope).T
    slope, intercept = np.polyfit(rx, ry, 1)
    residuals = y - (intercept + slope * x)
    sd = rx.std(ddof=1)
    value = (residuals.mean() + ry.mean()) / sd
    se = residuals.std(ddof=1) / math.sqrt(len(x)) / sd
    return value, value - Z * se, value + Z * se, len(scope)


def figures(data: Data, start, end, team_id=None, helper_id=None) -> dict:
    """Every summary figure of one scope; None where undefined."""
    sessions = [
        s
        for s in data.sessions
        if inside(s["date"], start, end)
        and (team_id is None or s["episode__team_id"] == team_id)
        and (helper_id is None or s["helper_id"] == helper_id)
    ]
    ids = {s["id"] for s in sessions}
    rated = defaultdict(set)
    srs = []
    for r in data.ratings:
        if r["session_id"] in ids:
            rated[r["purpose"]].add(r["session_id"])
            if r["purpose"] == "alliance":
                srs.append(float(r["total"]))
    n = len(sessions)
    closed = [
        e
        for e in data.episodes.values()
        if inside(e["end_date"], start, end) and _episode_in_unit(e, team_id, helper_id)
    ]
    new = [
        e
        for e in data.episodes.values()
        if inside(e["start_date"], start, end) and _episode_in_unit(e, team_id, helper_id)
    ]
    ors = data.ors_by_episode()
    intakes = [(ors[e["id"]][0][0], ors[e["id"]][1]) for e in new if e["id"] in ors]
    paired = pairs(data, start, end, team_id, helper_id)
    categories = defaultdict(int)
    for intake, last, group in paired:
        change = round(last - intake, 1)  # one-decimal scores: 24.9 − 19.9 is 5.0, not 4.999…
        if change >= RCI[group] and intake < CUTOFF[group] <= last:
            categories["recovered"] += 1
        elif change >= RCI[group]:
            categories["improved"] += 1
        elif change <= -RCI[group]:
            categories["deteriorated"] += 1
        else:
            categories["unchanged"] += 1
    m = len(paired)
    x = np.array([p[0] for p in paired])
    y = np.array([p[1] for p in paired])
    bins = [0] * 8
    for intake, _group in intakes:
        bins[min(int(intake // 5), 7)] += 1
    return {
        "clients": len({s["episode__client_id"] for s in sessions}),
        "sessions": n,
        "ors": len(rated["outcome"]) / n if n else None,
        "srs": len(rated["alliance"]) / n if n else None,
        "closed": len(closed),
        "new": len(new),
        "dropout": sum(e["end_reason"] == "dropout" for e in closed) / len(closed)
        if closed
        else None,
        "sessions_per_episode": np.mean([e["sessions"] for e in closed]) if closed else None,
        "outcome_n": m,
        **{
            k: (categories[k] / m if m else None)
            for k in ("recovered", "improved", "unchanged", "deteriorated")
        },
        "effect_size": becker(x, y),
        "saes": saes(data, start, end, team_id, helper_id),
        "intake_n": len(intakes),
        "intake_mean": np.mean([i for i, _g in intakes]) if intakes else None,
        "intake_below": sum(i < CUTOFF[g] for i, g in intakes) / len(intakes) if intakes else None,
        "bins": bins,
        "alliance_n": len(srs),
        "alliance_mean": np.mean(srs) if srs else None,
        "alliance_flagged": sum(t < ALLIANCE_THRESHOLD for t in srs) / len(srs) if srs else None,
    }


def month_end(day: datetime.date) -> datetime.date:
    following = datetime.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)
