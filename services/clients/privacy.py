"""A client's rights and the data's lifecycle: access (export), erasure, retention.

The audit log keeps that an export, erasure or anonymisation happened, by client id and with
counts only, so the health data can go while the accountability stays.
"""

import datetime
import uuid
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from services.accounts.models import Service
from services.audit import log
from services.audit.models import Action, AuditEvent
from services.comments.privacy import client_comments, forget_comments
from services.goals.privacy import forget_goal_words, goal_records
from services.groups.privacy import forget_participant_names, group_records
from services.offers.privacy import offer_records
from services.peer.privacy import client_records as peer_records
from services.peer.privacy import forget_cases
from services.ratings.models import Rating
from services.supervision.privacy import client_records, forget_notes

from .models import Client, Consent, Episode
from .signals import clients_changed


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def client_export(client: Client) -> dict:
    """Everything stored about one client, as plain JSON-ready data (their right of access)."""
    episodes = client.episodes.prefetch_related("helpers").select_related("team").order_by("pk")
    ratings = (
        Rating.objects.filter(session__episode__client=client)
        .select_related("instrument", "session")
        .order_by("session__number", "pk")
    )
    by_session: dict[int, list[dict]] = {}
    for rating in ratings:
        by_session.setdefault(rating.session_id, []).append(
            {
                "instrument": rating.instrument.key,
                "version": rating.instrument.version,
                "purpose": rating.purpose,
                "rater": rating.rater,
                "rater_name": rating.rater_name,
                "items": rating.items,
                "total": str(rating.total),
                "age_group": rating.age_group,
                "method": rating.method,
                "rated_at": _iso(rating.rated_at),
            }
        )
    access = AuditEvent.objects.filter(client_id=client.pk).order_by("at")
    return {
        "exported_at": _iso(timezone.now()),
        "service": {"code": client.service.code, "name": client.service.name},
        "client": {
            "code": client.code,
            "display_name": client.display_name,
            "age_group": client.age_group,
            "birth_year": client.birth_year,
            "birth_month": client.birth_month,
            "consent": client.consent,
            "consent_at": _iso(client.consent_at),
            "created_at": _iso(client.created_at),
        },
        "episodes": [
            {
                "code": episode.code,
                "team": episode.team.name if episode.team else None,
                "helpers": [str(helper) for helper in episode.helpers.all()],
                "start_date": _iso(episode.start_date),
                "end_date": _iso(episode.end_date),
                "end_reason": episode.end_reason,
                "sessions": [
                    {
                        "number": session.number,
                        "date": _iso(session.date),
                        "kind": session.kind,
                        "ratings": by_session.get(session.pk, []),
                    }
                    for session in episode.sessions.order_by("number")
                ],
            }
            for episode in episodes
        ],
        **client_records(client),  # discussed in supervision, signals followed up
        **client_comments(client),  # the client's comments after sessions (issue #17)
        **goal_records(client),  # the client's own goals and scores (issue #17)
        **group_records(client),  # groups, meetings attended, group form answers (issue #18)
        **offer_records(client),  # offers talked about with the client (issue #17)
        **peer_records(client),  # shared in a network's supervision group (issue #20)
        "access_log": [
            {"at": _iso(event.at), "who": event.actor, "action": event.action} for event in access
        ],
    }


@transaction.atomic
def erase_client(client: Client, *, request=None) -> str:
    """Delete the client with every episode, session and rating; log that it happened."""
    counts = {
        "episodes": client.episodes.count(),
        "sessions": client.episodes.values("sessions").exclude(sessions=None).count(),
        "ratings": Rating.objects.filter(session__episode__client=client).count(),
    }
    detail = "erased: " + ", ".join(f"{n} {kind}" for kind, n in counts.items())
    log.record(Action.DELETE, client=client, service=client.service, request=request, detail=detail)
    Rating.objects.filter(session__episode__client=client).delete()
    client.delete()
    return detail


@transaction.atomic
def record_consent(client: Client, consent: str, *, user, request=None) -> None:
    client.consent = consent
    client.consent_at = timezone.now()
    client.consent_by = user
    client.save(update_fields=["consent", "consent_at", "consent_by"])
    log.record(
        Action.CHANGE, obj=client, client=client, request=request, detail=f"consent {consent}"
    )


@dataclass
class RetentionResult:
    service: str
    anonymised: int = 0
    moved_episodes: int = 0
    deleted_episodes: int = 0
    clients: list[int] = field(default_factory=list)
    forgotten_participants: int = 0  # names of group participants who are not clients


def retention_cutoff(today: datetime.date, years: int) -> datetime.date:
    """The same day `years` earlier; a datetime gives a datetime (the audit log's retention)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def _anonymous_code() -> str:
    return f"anonym-{uuid.uuid4().hex[:10]}"


@transaction.atomic
def apply_retention(
    service: Service, today: datetime.date, *, delete: bool = False
) -> RetentionResult:
    """Anonymise (or delete) episodes closed before the service's retention period.

    A client whose every episode is expired is anonymised in place: a random code, no name, no
    consent record. Expired episodes of a client who is still being helped move to a new
    anonymous client, so the figures survive without the link to the person. The participants
    who are not clients, in groups that ended before the period, lose their names. Running it
    again finds nothing more to do.
    """
    result = RetentionResult(service=service.code)
    cutoff = retention_cutoff(today, service.retention_years)
    expired = Episode.objects.filter(
        service=service, end_date__lt=cutoff, client__anonymised_at__isnull=True
    ).select_related("client")
    by_client: dict[int, list[Episode]] = {}
    for episode in expired:
        by_client.setdefault(episode.client_id, []).append(episode)
    expired_ids = [episode.pk for episodes in by_client.values() for episode in episodes]
    forget_notes(expired_ids)
    forget_comments(expired_ids)  # the client's own words may name them (issue #17)
    forget_goal_words(expired_ids)  # the client's own words may name them (issue #17)
    forget_cases(expired_ids)  # cases shared in a network's supervision group (issue #20)
    # Participants who are not clients have no episode: their names go with their group's end.
    forgotten = result.forgotten_participants = forget_participant_names(service, cutoff)
    if forgotten:
        detail = f"retention: {forgotten} group participant name(s) forgotten"
        log.record(Action.CHANGE, service=service, actor="retention", detail=detail)
    now = timezone.now()
    for episodes in by_client.values():
        client = episodes[0].client
        if delete:
            Rating.objects.filter(session__episode__in=episodes).delete()
            Episode.objects.filter(pk__in=[e.pk for e in episodes]).delete()
            result.deleted_episodes += len(episodes)
            detail = f"retention: deleted {len(episodes)} episode(s)"
        elif client.episodes.count() == len(episodes):
            Client.objects.filter(pk=client.pk).update(
                code=_anonymous_code(),
                display_name="",
                birth_year=None,
                birth_month=None,
                consent=Consent.NOT_ASKED,
                consent_at=None,
                consent_by=None,
                anonymised_at=now,
                updated_at=now,
            )
            result.anonymised += 1
            detail = "retention: anonymised"
        else:
            anonymous = Client.objects.create(
                service=service,
                code=_anonymous_code(),
                age_group=client.age_group,
                anonymised_at=now,
            )
            Episode.objects.filter(pk__in=[e.pk for e in episodes]).update(
                client=anonymous, updated_at=now
            )
            clients_changed.send(apply_retention, client_ids=[client.pk, anonymous.pk])
            result.moved_episodes += len(episodes)
            detail = f"retention: {len(episodes)} episode(s) anonymised"
        result.clients.append(client.pk)
        log.record(Action.CHANGE, client=client, service=service, actor="retention", detail=detail)
    return result
