"""The comments in the client's rights and the data's lifecycle (`services.clients.privacy`).

Erasure needs nothing here: a comment belongs to its rating and is deleted with it. The export
lists the comments; retention deletes them when it anonymises their episodes, since the client
wrote them freely and they may name the person, and an anonymised episode keeps only figures.
"""

from collections.abc import Iterable

from .models import SessionComment


def client_comments(client) -> dict:
    """The client's comments after sessions, as JSON-ready data (one query)."""
    comments = (
        SessionComment.objects.filter(rating__session__episode__client=client)
        .select_related("rating__session__episode", "rating__instrument")
        .order_by("rating__session__episode_id", "rating__session__number", "pk")
    )
    return {
        "comments_after_sessions": [
            {
                "episode": comment.rating.session.episode.code,
                "session": comment.rating.session.number,
                "instrument": comment.rating.instrument.key,
                "rater": comment.rating.rater,
                "text": comment.text,
                "written_at": comment.created_at.isoformat(),
            }
            for comment in comments
        ]
    }


def forget_comments(episode_ids: Iterable[int]) -> None:
    """Delete the comments on these episodes' ratings."""
    SessionComment.objects.filter(rating__session__episode_id__in=list(episode_ids)).delete()
