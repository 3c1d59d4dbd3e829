"""Supervision's parts of pages that belong to others, each behind one line in the page: the
client page's follow-up buttons and notes, and the dashboard's follow-up indicator.

Each reads what it shows here, in one query, so the pages themselves need not know about it.
"""

from django import template

from services.measures.signals import TITLES, Signal

from ..followed_up import followed_up
from ..records import DISCUSSED, followable, notes_of

register = template.Library()


@register.inclusion_tag("supervision/_client_notes.html", takes_context=True)
def client_supervision(context) -> dict:
    """The episode's signals to mark as talked about with the client, and what was noted."""
    episode, records = context["episode"], context.get("records") or []
    notes = notes_of(episode.pk)
    latest = records[-1].number if records else None
    done_now = {n.signal for n in notes if n.kind != DISCUSSED and n.session == latest}
    signals = [Signal(key) for key, *_rest in context.get("signals") or []]
    return {
        "client": context["client"],
        "episode": episode,
        "latest": latest,
        "follow_ups": [
            (signal.value, TITLES[signal], signal.value in done_now)
            for signal in followable(signals)
        ]
        if episode.is_open
        else [],
        "notes": [
            {"note": note, "title": TITLES[Signal(note.signal)] if note.signal else ""}
            for note in notes
        ],
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag(takes_context=True)
def followed_up_share(context):
    """The dashboard's follow-up indicator for the service, team or helper and period shown."""
    period, team, helper = context["dashboard"].period, context["team"], context["helper"]
    return followed_up(
        context["service"].pk,
        period.start,
        period.end,
        team_id=team.pk if team else None,
        helper_id=helper.pk if helper else None,
    )
