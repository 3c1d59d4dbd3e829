"""Which offers a helper talked about with the client in an episode: read for the helper's
page and the client page, and written with a row in the access log for each tick and untick.

The page lists the service's active offers, peer and self-help first, and any offer ticked
earlier that has since been taken off the clients' list, so a tick is never lost by saving the
page again. A tick keeps the day it was first talked about; saving the page again changes only
what was ticked or unticked.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, F, FilteredRelation, Q

from services.audit import log
from services.audit.models import Action

from .listing import peer_first
from .models import PEER_KINDS, Offer, OfferTalkedAbout


def choices(episode) -> list[Offer]:
    """The offers to tick on the episode's page, in one query; each carries `talked_on`, the
    day it was talked about, or None."""
    ticks = FilteredRelation("talked_about", condition=Q(talked_about__episode_id=episode.pk))
    offers = (
        Offer.objects.annotate(tick=ticks)
        .filter(service_id=episode.service_id)
        .filter(Q(active=True) | Q(tick__isnull=False))
        .annotate(talked_on=F("tick__talked_on"))
    )
    return list(peer_first(offers))


@dataclass(frozen=True)
class Summary:
    """How many offers were talked about in an episode, and how many of them were peer or
    self-help offers."""

    offers: int
    peer: int


def summary(episode_id: int) -> Summary:
    """The episode's counts, in one query."""
    counts = OfferTalkedAbout.objects.filter(episode_id=episode_id).aggregate(
        offers=Count("pk"), peer=Count("pk", filter=Q(offer__kind__in=PEER_KINDS))
    )
    return Summary(counts["offers"], counts["peer"])


@dataclass(frozen=True)
class Changes:
    added: int
    removed: int


@transaction.atomic
def record(
    client, episode, ticked: set[int], *, allowed: set[int], on: datetime.date, request
) -> Changes:
    """Make the episode's ticks among `allowed` offers those in `ticked`: a new tick gets the
    day `on`, an untick removes the row; each is logged. Offers outside `allowed` are left
    alone (the page did not show them)."""
    ticked = ticked & allowed
    rows = OfferTalkedAbout.objects.select_for_update().filter(
        episode=episode, offer_id__in=allowed
    )
    existing = {row.offer_id: row for row in rows}
    user = request.user if request is not None and request.user.is_authenticated else None
    added = 0
    for offer_id in sorted(ticked - existing.keys()):
        row, created = OfferTalkedAbout.objects.get_or_create(
            episode=episode, offer_id=offer_id, defaults={"talked_on": on, "recorded_by": user}
        )
        if created:  # not ticked meanwhile by a request that came at the same moment
            log.record(Action.CREATE, obj=row, client=client, request=request)
            added += 1
    gone = [row for offer_id, row in existing.items() if offer_id not in ticked]
    for row in gone:
        log.record(Action.DELETE, obj=row, client=client, request=request)
    OfferTalkedAbout.objects.filter(pk__in=[row.pk for row in gone]).delete()
    return Changes(added, len(gone))
