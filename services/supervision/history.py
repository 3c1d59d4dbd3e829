"""When each episode's off-track signal came on: the history the follow-up indicator counts.

The caseload judges an episode as it stands today; whether a signal was followed up in time
needs the session at which it came on. `onsets` replays an episode's sessions one at a time and
judges each stage exactly as the caseload judged it then (`progress.judging`, the same rules), so
a signal counts from the session that raised it until a session no longer does. `rebuild` is
called by the dashboard facts' rebuild (`facts._rebuild_batch`) with the rows it has read
already, so the history is exactly as fresh as the facts and costs no read of its own but the
rules.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q

from feedback.bulk_insert import insert_objects
from services.clients.progress import ProgressRules, judging
from services.measures.models import Purpose
from services.measures.signals import Signal, is_off_track
from services.ratings.models import Rater
from services.ratings.series import SessionRecord

from .models import RaisedSignal

TRACKED = Signal.OFF_TRACK


def off_track(records: list[SessionRecord], service_id: int, rules: ProgressRules) -> bool:
    """Whether these sessions raise the off-track signal, as `progress.signals_for` judges it."""
    basis = judging(records, service_id, rules)
    return basis.norms is not None and is_off_track(basis.judged, basis.model, basis.signal_rules)


def onsets(
    records: list[SessionRecord], service_id: int, rules: ProgressRules
) -> list[SessionRecord]:
    """The sessions at which the off-track signal came on (it was off after the one before).

    Only a session with a client ORS can change it: the signal reads the latest rating.
    """
    found, raised = [], False
    for stage, record in enumerate(records, start=1):
        if record.ors is None:
            continue
        now = off_track(records[:stage], service_id, rules)
        if now and not raised:
            found.append(record)
        raised = now
    return found


def _records(sessions, ratings) -> dict[int, list[SessionRecord]]:
    """Each episode's sessions in order with the client's own ORS (what off-track reads)."""
    outcome = {}
    for rating in ratings:
        if rating.purpose == Purpose.OUTCOME and rating.rater == Rater.CLIENT:
            outcome[rating.session_id] = rating
    series = defaultdict(list)
    for session in sorted(sessions, key=lambda s: (s.episode_id, s.number)):
        rating = outcome.get(session.id)
        series[session.episode_id].append(
            SessionRecord(
                session.id,
                session.number,
                session.date,
                ors=rating.total if rating else None,
                ors_instrument_id=rating.instrument_id if rating else None,
                ors_age_group=rating.age_group if rating else None,
            )
        )
    return series


def raised_signals(episodes: Iterable, sessions: Iterable, ratings: Iterable, rules) -> list:
    """The raised-signal rows of these episodes (the facts' episode, session and rating rows)."""
    series = _records(sessions, ratings)
    rows = []
    for episode in episodes:
        records = series.get(episode.id, [])
        last = records[-1].number if records else 0
        for record in onsets(records, episode.service_id, rules):
            rows.append(
                RaisedSignal(
                    session_id=record.session_id,
                    episode_id=episode.id,
                    client_id=episode.client_id,
                    service_id=episode.service_id,
                    team_id=episode.team_id,
                    signal=TRACKED.value,
                    number=record.number,
                    day=record.date,
                    window_closed=episode.end_date is not None or last >= record.number + 2,
                )
            )
    return rows


def rebuild(
    client_ids: list[int], episodes: list, sessions: list, ratings: list, rules: ProgressRules
) -> None:
    """Replace these clients' raised signals (and those of episodes moved to them) anew,
    judged by `rules` (loaded for at least the episodes' services).

    Only `facts._rebuild_batch` calls this, inside its transaction and holding its lock.
    """
    episode_ids = [episode.id for episode in episodes]
    RaisedSignal.objects.filter(
        Q(client_id__in=client_ids) | Q(episode_id__in=episode_ids)
    ).delete()
    if not episodes:
        return
    insert_objects(raised_signals(episodes, sessions, ratings, rules))  # COPY on PostgreSQL
