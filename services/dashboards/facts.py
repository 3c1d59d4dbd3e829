"""Keeping the dashboard facts (`models`) true to the clients' data.

`build` is a pure function from a batch of clients' episodes, sessions and client ratings to
their fact rows. `mark_outdated` (and `mark_days`, for deleted sessions) is called in the same
transaction as every change (see `receivers`); `refresh_outdated`, called before every dashboard
read, rebuilds the clients marked since the last read, replacing their facts in a fixed number
of queries per batch of clients and summing the days their sessions fell and fall on anew. A
reader therefore never sees facts older than the data it could have read itself.
"""

import datetime
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from feedback.bulk_insert import insert_objects
from services.clients.caseload import summaries_of
from services.clients.models import Client, Episode
from services.clients.progress import load_rules
from services.measures.definitions import Norms
from services.measures.models import Instrument, Purpose
from services.measures.scoring import OutcomeCategory, change_category
from services.ratings.models import Rater, Rating
from services.sessions.models import Session
from services.supervision import history as signal_history

from . import freshness
from .models import (
    CollateralFact,
    DailyActivity,
    EpisodeFact,
    EpisodeSummary,
    PendingChange,
    SessionFact,
)

BATCH = 500  # clients per rebuild batch: keeps every IN (...) list within SQLite's limits
LOCK_KEY = 0x66616B74  # PostgreSQL advisory lock held while facts are rebuilt ("fakt")
BIN_WIDTH = 5
BINS = 8  # 0–4.9, 5–9.9, …, 35–40: an ORS total in eight bands of five points


RULES_VERSION = "2"  # 2: judged by the intake's form and age group (issue #12)


@dataclass(frozen=True)
class Rules:
    """What a fact is judged by: each form's norms by age group, alliance thresholds by form.

    `norms` is keyed by (instrument id, age group): an episode is judged by the norms of the form
    and age group of its intake rating, whatever the client's age group is now. A pair without
    norms (an unscored form, or a group the form has no norms for) is not judged.
    """

    norms: dict[tuple[int, str], Norms]
    thresholds: dict[int, Decimal]
    forms: dict[int, str]

    @classmethod
    def of(cls, instruments: list[Instrument]) -> "Rules":
        return cls(
            {
                (i.pk, age_group): norms
                for i in instruments
                if i.purpose == Purpose.OUTCOME and i.spec.scored
                for age_group, norms in i.spec.norms.items()
            },
            {
                i.pk: i.spec.alliance.threshold
                for i in instruments
                if i.purpose == Purpose.ALLIANCE and i.spec.alliance is not None
            },
            {i.pk: i.key for i in instruments},
        )

    @property
    def key(self) -> str:
        """A short name for these rules, stored on each episode fact judged under them."""
        norms = sorted(self.norms.items())
        text = RULES_VERSION + "|"
        text += ";".join(f"{pk}/{g}:{n.cutoff}/{n.reliable_change}" for (pk, g), n in norms)
        text += "|" + ";".join(f"{pk}:{t}" for pk, t in sorted(self.thresholds.items()))
        return hashlib.blake2s(text.encode(), digest_size=8).hexdigest()


def judged(
    intake: Decimal | None, end: Decimal | None, norms: Norms | None
) -> dict[str, int | None]:
    """An episode's intake band and, under its intake form's norms, its range and category.

    Without norms (an unscored form) there is no band and no category.
    """
    flags = dict(clinical=0, improved=0, recovered=0, deteriorated=0, band=None)
    if intake is None or norms is None:
        return flags
    flags["band"] = min(int(intake // BIN_WIDTH), BINS - 1)
    category = change_category(intake, end, norms)
    flags["clinical"] = int(intake < norms.cutoff)
    flags["recovered"] = int(category == OutcomeCategory.RECOVERED)
    flags["improved"] = int(category in (OutcomeCategory.RECOVERED, OutcomeCategory.IMPROVED))
    flags["deteriorated"] = int(category == OutcomeCategory.DETERIORATED)
    return flags


@dataclass(frozen=True)
class EpisodeRow:
    id: int
    client_id: int
    service_id: int
    team_id: int | None
    start_date: datetime.date
    end_date: datetime.date | None
    end_reason: str


@dataclass(frozen=True)
class SessionRow:
    id: int
    episode_id: int
    number: int
    date: datetime.date
    helper_id: int | None


@dataclass(frozen=True)
class RatingRow:
    """A rating: the client's own count in the figures, collateral raters' in their own facts."""

    id: int
    session_id: int
    purpose: str
    total: Decimal
    rated_at: datetime.datetime
    instrument_id: int
    age_group: str
    rater: str = Rater.CLIENT
    rater_name: str = ""


@dataclass(frozen=True)
class Judged:
    """An outcome series judged from its intake: the first rating's form and age group decide
    the norms, and only later ratings on that same form count."""

    form: str
    age_group: str
    count: int
    first: Decimal | None
    last: Decimal | None
    norms: Norms | None

    @property
    def intake(self) -> Decimal | None:
        """The intake score outcome figures use: none for a series without norms."""
        return self.first if self.norms else None

    @property
    def end(self) -> Decimal | None:
        return self.last if self.norms else None


def judge_series(ratings: list[RatingRow], rules: Rules) -> Judged:
    """Judge ratings (in order) by their intake's form and age group; a later form starts a new
    series that is never compared with the intake, so it does not count here."""
    if not ratings:
        return Judged("", "", 0, None, None, None)
    first = ratings[0]
    series = [r for r in ratings if r.instrument_id == first.instrument_id]
    norms = rules.norms.get((first.instrument_id, first.age_group))
    return Judged(
        form=rules.forms.get(first.instrument_id, ""),
        age_group=first.age_group,
        count=len(series),
        first=series[0].total,
        last=series[-1].total,
        norms=norms,
    )


def build(
    episodes: Iterable[EpisodeRow],
    sessions: Iterable[SessionRow],
    ratings: Iterable[RatingRow],
    rules: Rules,
) -> tuple[list[SessionFact], list[EpisodeFact], list[CollateralFact]]:
    """The fact rows of these clients; rows that point at a missing parent are left out.

    An episode's intake is its first client ORS by session date, session number, time rated and
    id, as on the client's own chart; its end is the last one on the intake's form.
    """
    judged_by = rules.key
    episode_by_id = {e.id: e for e in episodes}
    sessions = sorted(
        (s for s in sessions if s.episode_id in episode_by_id), key=lambda s: (s.date, s.id)
    )
    session_ids = {s.id for s in sessions}
    ors: dict[int, list[RatingRow]] = defaultdict(list)
    srs: dict[int, RatingRow] = {}
    collateral: list[RatingRow] = []
    for rating in ratings:
        if rating.session_id not in session_ids:
            continue
        if rating.rater != Rater.CLIENT:
            if rating.purpose == Purpose.OUTCOME:
                collateral.append(rating)
        elif rating.purpose == Purpose.OUTCOME:
            ors[rating.session_id].append(rating)
        elif rating.purpose == Purpose.ALLIANCE:
            srs[rating.session_id] = rating

    session_facts = []
    last_day: dict[tuple, datetime.date] = {}
    last_month: dict[tuple, datetime.date] = {}
    for session in sessions:
        episode = episode_by_id[session.episode_id]
        month = _month(session.date)
        keys = (
            (episode.client_id,),
            (episode.client_id, "team", episode.team_id),
            (episode.client_id, "helper", session.helper_id),
            (episode.client_id, "team and helper", episode.team_id, session.helper_id),
        )
        previous = [last_day.get(key) for key in keys]
        first_in_month = [int(last_month.get(key) != month) for key in keys]
        for key in keys:
            last_day[key], last_month[key] = session.date, month
        alliance = srs.get(session.id)
        threshold = rules.thresholds.get(alliance.instrument_id) if alliance else None
        flagged = threshold is not None and alliance.total < threshold
        session_facts.append(
            SessionFact(
                session_id=session.id,
                service_id=episode.service_id,
                client_id=episode.client_id,
                team_id=episode.team_id,
                helper_id=session.helper_id,
                day=session.date,
                month=month,
                ors_rated=min(len(ors.get(session.id, ())), 1),
                srs_total=alliance.total if alliance else None,
                srs_flagged=int(flagged),
                previous_any=previous[0],
                previous_in_team=previous[1],
                previous_with_helper=previous[2],
                previous_in_team_with_helper=previous[3],
                first_in_month_any=first_in_month[0],
                first_in_month_in_team=first_in_month[1],
                first_in_month_with_helper=first_in_month[2],
                first_in_month_in_team_with_helper=first_in_month[3],
            )
        )

    session_by_id = {s.id: s for s in sessions}
    episode_sessions: dict[int, int] = defaultdict(int)
    for session in sessions:
        episode_sessions[session.episode_id] += 1

    def in_order(rating: RatingRow) -> tuple:
        session = session_by_id[rating.session_id]
        return (session.date, session.number, rating.rated_at, rating.id)

    episode_ors: dict[int, list[RatingRow]] = defaultdict(list)
    for session_id, rows in ors.items():
        episode_ors[session_by_id[session_id].episode_id].extend(rows)
    episode_facts = []
    for episode in episode_by_id.values():
        judged_series = judge_series(sorted(episode_ors.get(episode.id, []), key=in_order), rules)
        intake, end = judged_series.intake, judged_series.end
        scored = judged_series.norms is not None
        episode_facts.append(
            EpisodeFact(
                episode_id=episode.id,
                service_id=episode.service_id,
                client_id=episode.client_id,
                team_id=episode.team_id,
                start_date=episode.start_date,
                end_date=episode.end_date,
                end_month=_month(episode.end_date),
                end_quarter=_quarter(episode.end_date),
                end_reason=episode.end_reason,
                sessions=episode_sessions.get(episode.id, 0),
                ors_count=judged_series.count,
                form=judged_series.form,
                age_group=judged_series.age_group,
                scored=int(scored),
                intake=None if intake is None else float(intake),
                end=None if end is None else float(end),
                change=None if intake is None else float(end - intake),
                paired=int(scored and judged_series.count >= 2 and episode.end_date is not None),
                rules_key=judged_by,
                **judged(intake, end, judged_series.norms),
            )
        )
    by_rater: dict[tuple[int, str, str], list[RatingRow]] = defaultdict(list)
    for rating in collateral:
        episode_id = session_by_id[rating.session_id].episode_id
        by_rater[(episode_id, rating.rater, rating.rater_name)].append(rating)
    collateral_facts = []
    for (episode_id, rater, rater_name), rows in by_rater.items():
        episode = episode_by_id[episode_id]
        judged_series = judge_series(sorted(rows, key=in_order), rules)
        first, last = judged_series.first, judged_series.last
        scored = judged_series.norms is not None
        collateral_facts.append(
            CollateralFact(
                episode_id=episode_id,
                service_id=episode.service_id,
                client_id=episode.client_id,
                team_id=episode.team_id,
                rater=rater,
                rater_name=rater_name,
                end_date=episode.end_date,
                end_month=_month(episode.end_date),
                form=judged_series.form,
                age_group=judged_series.age_group,
                ratings=judged_series.count,
                intake=float(first),
                end=float(last),
                change=float(last - first),
                scored=int(scored),
                paired=int(scored and judged_series.count >= 2 and episode.end_date is not None),
                **{
                    key: value
                    for key, value in judged(
                        judged_series.intake, judged_series.end, judged_series.norms
                    ).items()
                    if key != "band"
                },
            )
        )
    return session_facts, episode_facts, collateral_facts


def _month(day: datetime.date | None) -> datetime.date | None:
    return None if day is None else day.replace(day=1)


def _quarter(day: datetime.date | None) -> datetime.date | None:
    return None if day is None else day.replace(month=day.month - (day.month - 1) % 3, day=1)


Cell = tuple[int, datetime.date, int | None, int | None]  # service, day, team, helper


def _rebuild(client_ids: set[int], days: set[tuple[int, datetime.date]], rules: Rules) -> None:
    """Replace these clients' facts with ones built from their data now; sum the daily cells
    their sessions fell and fall in, and every cell of `days`, anew.

    Only `refresh_outdated` calls this, holding the rebuild lock.
    """
    ids = sorted(client_ids)
    cells: set[Cell] = set()
    for start in range(0, len(ids), BATCH):
        cells |= _rebuild_batch(ids[start : start + BATCH], rules)
    _sum_cells(cells, days)


def _rebuild_batch(ids: list[int], rules: Rules) -> set[Cell]:
    """Replace one batch of clients' facts; returns the daily cells they were and are in."""
    episodes = [
        EpisodeRow(**row)
        for row in Episode.objects.filter(client_id__in=ids).values(
            "id",
            "client_id",
            "service_id",
            "team_id",
            "start_date",
            "end_date",
            "end_reason",
        )
    ]
    sessions = [
        SessionRow(**row)
        for row in Session.objects.filter(episode__client_id__in=ids).values(
            "id", "episode_id", "number", "date", "helper_id"
        )
    ]
    ratings = [
        RatingRow(**row)
        for row in Rating.objects.filter(session__episode__client_id__in=ids).values(
            "id",
            "session_id",
            "purpose",
            "total",
            "rated_at",
            "instrument_id",
            "age_group",
            "rater",
            "rater_name",
        )
    ]
    session_facts, episode_facts, collateral_facts = build(episodes, sessions, ratings, rules)
    # A session or episode moved here from another client is found by its own id as well.
    old_sessions = SessionFact.objects.filter(
        Q(client_id__in=ids) | Q(session_id__in=[fact.session_id for fact in session_facts])
    )
    cells = set(old_sessions.values_list("service_id", "day", "team_id", "helper_id").distinct())
    cells |= {(f.service_id, f.day, f.team_id, f.helper_id) for f in session_facts}
    old_sessions.delete()
    episode_ids = [fact.episode_id for fact in episode_facts]
    EpisodeFact.objects.filter(Q(client_id__in=ids) | Q(episode_id__in=episode_ids)).delete()
    CollateralFact.objects.filter(Q(client_id__in=ids) | Q(episode_id__in=episode_ids)).delete()
    EpisodeSummary.objects.filter(Q(client_id__in=ids) | Q(episode_id__in=episode_ids)).delete()
    insert_objects(session_facts)  # COPY on PostgreSQL (feedback.bulk_insert)
    insert_objects(episode_facts)
    insert_objects(collateral_facts)
    open_episodes = [
        (e.id, e.client_id, e.service_id, e.team_id) for e in episodes if e.end_date is None
    ]
    # The caseload's summaries and the signal history judge by the same rules: loaded once.
    progress_rules = load_rules({e.service_id for e in episodes})
    insert_objects(summaries_of(open_episodes, progress_rules))
    signal_history.rebuild(ids, episodes, sessions, ratings, progress_rules)
    return cells


def _sum_cells(cells: set[Cell], days: set[tuple[int, datetime.date]]) -> None:
    """Sum these daily cells, and every cell of `days`, anew from the session facts.

    A cell is a sum over whole days, so summing it again from the facts is exact; only the
    cells asked for are rewritten, as most of a day's sessions belong to other clients.
    """
    by_service: dict[int, set[datetime.date]] = defaultdict(set)
    for service_id, day, *_ in cells:
        by_service[service_id].add(day)
    for service_id, day in days:
        by_service[service_id].add(day)

    def wanted(service_id, day, team, helper) -> bool:
        return (service_id, day) in days or (service_id, day, team, helper) in cells

    for service_id, service_days in by_service.items():
        ordered = sorted(service_days)
        for start in range(0, len(ordered), BATCH):
            chunk = ordered[start : start + BATCH]

            stale = [
                pk
                for pk, *key in DailyActivity.objects.filter(
                    service_id=service_id, day__in=chunk
                ).values_list("pk", "day", "team_id", "helper_id")
                if wanted(service_id, *key)
            ]
            DailyActivity.objects.filter(pk__in=stale).delete()
            sums = (
                SessionFact.objects.filter(service_id=service_id, day__in=chunk)
                .order_by()
                .values("day", "month", "team_id", "helper_id")
                .annotate(
                    sessions=Count("pk"),
                    ors_rated=Sum("ors_rated"),
                    srs_n=Count("srs_total"),
                    srs_sum=Coalesce(Sum("srs_total"), Decimal(0)),
                    srs_flagged=Sum("srs_flagged"),
                    first_in_month_any=Sum("first_in_month_any"),
                    first_in_month_in_team=Sum("first_in_month_in_team"),
                    first_in_month_with_helper=Sum("first_in_month_with_helper"),
                    first_in_month_in_team_with_helper=Sum("first_in_month_in_team_with_helper"),
                )
            )
            DailyActivity.objects.bulk_create(
                [
                    DailyActivity(service_id=service_id, **row)
                    for row in sums
                    if wanted(service_id, row["day"], row["team_id"], row["helper_id"])
                ],
                batch_size=BATCH,
            )


def mark_outdated(client_ids: Iterable[int | None]) -> None:
    """Note, in the caller's transaction, that these clients' facts must be rebuilt."""
    PendingChange.objects.bulk_create(
        [PendingChange(client_id=pk) for pk in set(client_ids) if pk is not None],
        batch_size=1000,
    )


def mark_days(days: Iterable[tuple[int, datetime.date]]) -> None:
    """Note that these (service, day) pairs must be summed anew: a session counted there went."""
    PendingChange.objects.bulk_create(
        [PendingChange(service_id=service, day=day) for service, day in set(days)]
    )


def _lock() -> None:
    """One rebuild at a time, even when the marks of another are not yet committed and so not
    there to lock (a caller's own transaction). SQLite runs one writer at a time anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def wait_for_rebuild() -> None:
    """Before deleting rows that facts point at: wait for a rebuild under way, and hold the next
    one off until this transaction ends.

    Otherwise the delete could miss a fact the rebuild wrote meanwhile and fail on it at commit.
    Deleters share the lock, so they do not wait for each other.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock_shared(%s)", [LOCK_KEY])


def refresh_outdated(instruments: list[Instrument] | None = None, *, attempts: int = 3) -> int:
    """Rebuild the clients changed since the last read; returns how many were rebuilt.

    Facts judged under other rules than the current forms' count as changed too. The marks read
    are locked and deleted once their clients are rebuilt; a change committed meanwhile has its
    own mark and waits for the next read. A rebuild that meets data deleted while it ran fails
    on its foreign keys at commit and is run again (the deletion left marks of its own). The
    usual case, nothing changed, costs two cheap queries and no transaction.
    """
    rules = Rules.of(list(Instrument.objects.all()) if instruments is None else instruments)
    judged_otherwise = EpisodeFact.objects.filter(
        Q(rules_key__lt=rules.key) | Q(rules_key__gt=rules.key)
    )
    if not (PendingChange.objects.exists() or judged_otherwise.exists()):
        return 0
    for attempt in range(attempts):
        try:
            with transaction.atomic():
                _lock()
                marks = list(
                    PendingChange.objects.select_for_update()
                    .order_by("pk")
                    .values_list("pk", "client_id", "service_id", "day")
                )
                clients = {client for _, client, _, _ in marks if client is not None}
                clients |= set(judged_otherwise.values_list("client_id", flat=True).distinct())
                days = {(service, day) for _, _, service, day in marks if day is not None}
                _rebuild(clients, days, rules)
                marked = [pk for pk, *_ in marks]
                for start in range(0, len(marked), BATCH):
                    PendingChange.objects.filter(pk__in=marked[start : start + BATCH]).delete()
                freshness.facts_changed()  # kept dashboard pages are out of date once committed
            return len(clients)
        except IntegrityError:
            if attempt == attempts - 1:
                raise
    return 0


def rebuild_all(service_id: int | None = None) -> int:
    """Every client's facts and every day's sums anew (after a bulk load, or as a repair);
    returns how many clients."""
    clients = Client.objects.order_by("pk")
    days = DailyActivity.objects.all()
    if service_id is not None:
        clients = clients.filter(service_id=service_id)
        days = days.filter(service_id=service_id)
    ids = list(clients.values_list("pk", flat=True))
    with transaction.atomic():
        _lock()
        days.delete()  # a day whose sessions all went has no fact left to find it by
        mark_outdated(ids)
        refresh_outdated()
    return len(ids)
