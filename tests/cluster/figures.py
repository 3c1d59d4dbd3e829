"""The run's numbers, counted from both sides: what the phones were told and what was stored.

"Lost" is an answer a phone was told was stored (201 or 200) that is not in the database;
"duplicated" is a submission key with more than one row. Attempts are every HTTP try,
retries included, sorted by what came back; the two fault windows count only the tries made
while the server was down and while the database was down (until the balancer answered
/readyz again).
"""

from collections import Counter

from .load import Load, Submission, percentile


def of_load(load: Load, sends: list[Submission], stored: dict[str, int], used: int, times: dict):
    tally = load.tally
    keys = {send.key for send in sends}
    accepted = tally.accepted_keys()
    outcomes = Counter(tally.outcomes.values())
    return {
        "answers (one remote link each)": len(keys),
        "sends (10 % sent twice)": len(sends),
        "sends accepted (201 or 200)": outcomes.pop("accepted", 0),
        "sends not accepted": dict(outcomes),
        "rows stored": sum(stored.values()),
        "links used": used,
        "lost (accepted, not stored)": len(accepted - stored.keys()),
        "never accepted": len(keys - accepted),
        "duplicated (keys with > 1 row)": sum(1 for count in stored.values() if count > 1),
        "attempts by kind": dict(tally.attempts.most_common()),
        "  while an app server was down": dict(
            tally.kinds_between(times["server killed"], times["server back"])
        ),
        "  while the database was down": dict(
            tally.kinds_between(times["database stopped"], times["ready again"])
        ),
        "accepted attempt p50 / p99 (ms)": _ms(tally.accepted_seconds),
        "answer, first try to stored, p50 / p99 (ms)": _ms(tally.end_to_end),
        "timeline (s)": {name: round(at - load.started, 1) for name, at in times.items()}
        | {"load ended": round(load.ended - load.started, 1)},
        "ready again after the database started (s)": round(
            times["ready again"] - times["database started"], 1
        ),
    }


def show(title: str, figures: dict) -> str:
    width = max(len(name) for name in figures)
    lines = [f"=== {title} ==="]
    lines += [f"{name:<{width}}  {value}" for name, value in figures.items()]
    return "\n".join(lines)


def _ms(seconds: list[float]) -> str:
    return f"{percentile(seconds, 50) * 1000:.0f} / {percentile(seconds, 99) * 1000:.0f}"
