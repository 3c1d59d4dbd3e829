"""Shared cases in the client's rights and the data's lifecycle (`services.clients.privacy`).

Erasure needs nothing here: a case belongs to the client's episode and is deleted with it, its
comments with it. The export lists the client's cases with the question and the comments. When
retention anonymises an episode, its cases are withdrawn (`forget_cases`): the question and the
comments are free text that may name the person, and the network has no need of them then.
"""

from collections.abc import Iterable

from .models import SharedCase
from .sharing import withdraw


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def client_records(client) -> dict:
    """The client's cases shared in supervision groups, as JSON-ready data."""
    cases = (
        SharedCase.objects.filter(episode__client=client)
        .select_related("episode", "group__network", "shared_by", "consent_recorded_by")
        .prefetch_related("comments__author")
        .order_by("shared_at", "pk")
    )
    return {
        "shared_in_supervision_groups": [
            {
                "episode": case.episode.code,
                "label": case.label,
                "group": case.group.name,
                "network": case.group.network.name,
                "shared_at": _iso(case.shared_at),
                "shared_by": str(case.shared_by) if case.shared_by else None,
                "consent_recorded_at": _iso(case.consent_recorded_at),
                "consent_recorded_by": str(case.consent_recorded_by)
                if case.consent_recorded_by
                else None,
                "question": case.question,
                "what_the_group_sees": case.snapshot,
                "withdrawn_at": _iso(case.withdrawn_at),
                "comments": [
                    {
                        "by": str(comment.author) if comment.author else None,
                        "at": _iso(comment.created_at),
                        "text": comment.text,
                    }
                    for comment in case.comments.all()
                ],
            }
            for case in cases
        ]
    }


def forget_cases(episode_ids: Iterable[int]) -> int:
    """Withdraw the open cases of these episodes (retention); the number withdrawn."""
    cases = SharedCase.objects.filter(
        episode_id__in=list(episode_ids), withdrawn_at__isnull=True
    ).select_related("episode__client", "episode__service")
    return sum(withdraw(case, user=None, actor="retention") for case in cases)
