"""The notes in the client's rights and the data's lifecycle (`services.clients.privacy`).

Erasure needs nothing here: the notes belong to the client's episodes and are deleted with them.
The export lists them; retention blanks their text, which staff wrote freely and which may name
the person, when it anonymises the episodes they belong to.
"""

from collections.abc import Iterable

from .models import Discussion, SignalFollowUp


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def client_records(client) -> dict:
    """The client's discussions in supervision and signals followed up, as JSON-ready data."""
    discussions = (
        Discussion.objects.filter(episode__client=client)
        .select_related("episode", "supervisor", "helper")
        .order_by("discussed_on", "pk")
    )
    follow_ups = (
        SignalFollowUp.objects.filter(episode__client=client)
        .select_related("episode", "session", "recorded_by")
        .order_by("recorded_at", "pk")
    )
    return {
        "discussed_in_supervision": [
            {
                "episode": discussion.episode.code,
                "discussed_on": _iso(discussion.discussed_on),
                "note": discussion.note,
                "supervisor": str(discussion.supervisor) if discussion.supervisor else None,
                "helper": str(discussion.helper) if discussion.helper else None,
            }
            for discussion in discussions
        ],
        "signals_followed_up": [
            {
                "episode": follow_up.episode.code,
                "signal": follow_up.signal,
                "session": follow_up.session.number if follow_up.session else None,
                "note": follow_up.note,
                "recorded_by": str(follow_up.recorded_by) if follow_up.recorded_by else None,
                "recorded_at": _iso(follow_up.recorded_at),
            }
            for follow_up in follow_ups
        ],
    }


def forget_notes(episode_ids: Iterable[int]) -> None:
    """Blank the notes' text on these episodes; that they were written stays (the indicator)."""
    ids = list(episode_ids)
    Discussion.objects.filter(episode_id__in=ids).update(note="")
    SignalFollowUp.objects.filter(episode_id__in=ids).update(note="")
