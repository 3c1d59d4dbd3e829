"""Offers talked about in the client's rights and the data's lifecycle (`services.clients.privacy`).

Erasure needs nothing here: the ticks belong to the client's episodes and are deleted with them.
The export lists them. Retention keeps them with the anonymised episode: a tick holds no words
of the client's, only which offer of the service's directory was talked about, and when.
"""

from .models import OfferTalkedAbout


def offer_records(client) -> dict:
    """The offers talked about with the client, per episode, as JSON-ready data."""
    rows = (
        OfferTalkedAbout.objects.filter(episode__client=client)
        .select_related("episode", "offer")
        .order_by("episode_id", "talked_on", "pk")
    )
    return {
        "offers_talked_about": [
            {
                "episode": row.episode.code,
                "offer": row.offer.title,
                "kind": row.offer.kind,
                "talked_on": row.talked_on.isoformat(),
            }
            for row in rows
        ]
    }
