"""A project's data set: one row per episode, de-identified, then made k-anonymous.

Which episodes: those of the project's service that started in the project's period
(`period_start`–`period_end`), with their sessions and the client's own ratings up to the
period's end. An episode still open on that day, or closed after it, is "open": its end is not
in the data. So the data set is the period as it was, and a later export of a period that is
over gives the same rows unless the records were corrected.

What a row holds: a project-specific id (an HMAC of the episode under the project's secret, so
the ids of two projects cannot be joined), the service and team codes, the age group at intake,
the quarter the episode started and ended in (never a date), counts of sessions and ratings, the
intake and last ORS and their change, the outcome category, the client's alliance ratings (first,
last, mean) and the end reason. No client or episode code, no date, no helper and no free text.

The scores and the category are those of the client page and the leaders' figures:
`services.clients.final_outcome` judges the episode by its first client ORS (its form and age
group decide the norms) and its last one on the same form. For an open episode that is the
change so far.

The quasi-identifiers (service, team, age group, start and end quarter) are then generalised and
suppressed by `anonymity.k_anonymise` until every combination is shared by k or more clients.
Rows are sorted by their id, so their order says nothing about when they were recorded.

The number of queries is fixed (three, plus two per `CHUNK` episodes), whatever the data size.
"""

import hashlib
import hmac
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from services.clients.final_outcome import final_outcome
from services.clients.models import Episode
from services.measures.age_groups import age_group_on
from services.measures.models import Instrument
from services.ratings.series import SessionRecord, episode_series

from . import anonymity
from .models import ResearchProject

K = 5
CHUNK = 2000  # episodes per pair of series queries: far below any database's parameter limit
ID_LENGTH = 16  # hex digits of the HMAC: 64 bits, no collision within any real project

COLUMNS = (
    "project_id",
    "service",
    "team",
    "age_group",
    "start_quarter",
    "end_quarter",
    "status",
    "sessions",
    "ors_ratings",
    "intake_ors",
    "last_ors",
    "change",
    "outcome",
    "srs_ratings",
    "srs_first",
    "srs_last",
    "srs_mean",
    "end_reason",
)
QUASI_IDENTIFIERS = ("service", "team", "age_group", "start_quarter", "end_quarter")
PERSON = "_person"  # the client behind a row, to count people per class; never written out
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class DataSet:
    rows: list[dict]  # only COLUMNS, sorted by project_id
    report: anonymity.Report


def project_id(secret: str, episode_id: int) -> str:
    """The episode's id in this project: unrelated to its id in the database or in any other
    project, and the same in every export of this project."""
    digest = hmac.new(bytes.fromhex(secret), f"episode:{episode_id}".encode(), hashlib.sha256)
    return digest.hexdigest()[:ID_LENGTH]


def quarter(day) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def _score(value: Decimal | None) -> str:
    return "" if value is None else str(Decimal(value).quantize(TENTH, rounding=ROUND_HALF_UP))


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _episodes(project: ResearchProject) -> list[dict]:
    return list(
        Episode.objects.filter(
            service_id=project.service_id,
            start_date__gte=project.period_start,
            start_date__lte=project.period_end,
        )
        .order_by("pk")
        .values(
            "pk",
            "client_id",
            "start_date",
            "end_date",
            "end_reason",
            "team__code",
            "client__age_group",
            "client__birth_year",
            "client__birth_month",
        )
    )


def episode_row(
    episode: dict, records: Sequence[SessionRecord], forms: dict, project: ResearchProject
) -> dict:
    """One episode as a row of the data set (before k-anonymity), from its sessions in the
    period. `forms` are every form version by id, as `final_outcome` needs them."""
    outcome = final_outcome(list(records), forms)
    rated = sorted((r for r in records if r.ors is not None), key=lambda r: (r.date, r.number))
    age_group = (rated[0].ors_age_group if rated else None) or age_group_on(
        episode["start_date"],
        episode["client__birth_year"],
        episode["client__birth_month"],
        episode["client__age_group"],
    )
    in_order = sorted(records, key=lambda r: (r.date, r.number))
    alliance = [r.srs for r in in_order if r.srs is not None]
    ended = episode["end_date"] is not None and episode["end_date"] <= project.period_end
    two = outcome.intake is not None and outcome.ratings >= 2
    return {
        "project_id": project_id(project.secret, episode["pk"]),
        "service": project.service.code,
        "team": episode["team__code"] or "",
        "age_group": age_group,
        "start_quarter": quarter(episode["start_date"]),
        "end_quarter": quarter(episode["end_date"]) if ended else "",
        "status": "closed" if ended else "open",
        "sessions": len(records),
        "ors_ratings": outcome.ratings,
        "intake_ors": _score(outcome.intake),
        "last_ors": _score(outcome.end) if two else "",
        "change": _score(outcome.end - outcome.intake) if two else "",
        "outcome": outcome.key,
        "srs_ratings": len(alliance),
        "srs_first": _score(alliance[0]) if alliance else "",
        "srs_last": _score(alliance[-1]) if alliance else "",
        "srs_mean": _score(sum(alliance) / len(alliance)) if alliance else "",
        "end_reason": episode["end_reason"] if ended else "",
        PERSON: episode["client_id"],
    }


def episode_rows(project: ResearchProject) -> list[dict]:
    """Every episode of the project as a row, before k-anonymity (with `PERSON`)."""
    episodes = _episodes(project)
    forms = {instrument.pk: instrument.spec for instrument in Instrument.objects.all()}
    rows = []
    for ids in _chunks([episode["pk"] for episode in episodes]):
        series = episode_series(ids)
        for episode in episodes[len(rows) : len(rows) + len(ids)]:
            in_period = [r for r in series[episode["pk"]] if r.date <= project.period_end]
            rows.append(episode_row(episode, in_period, forms, project))
    return rows


def build(project: ResearchProject, *, k: int = K, minimum_level: int = 0) -> DataSet:
    """The project's data set, k-anonymous on the quasi-identifiers, sorted by id."""
    rows, report = anonymity.k_anonymise(
        episode_rows(project),
        QUASI_IDENTIFIERS,
        k=k,
        person=PERSON,
        minimum_level=minimum_level,
    )
    out = sorted(({c: row[c] for c in COLUMNS} for row in rows), key=lambda r: r["project_id"])
    return DataSet(out, report)
