"""Opening and closing episodes: one named function each, each audited."""

import datetime

from django.db import transaction
from django.utils import timezone

from services.accounts.models import Membership
from services.audit import log
from services.audit.models import Action
from services.ratings.models import Rating

from .models import Client, Episode
from .signals import clients_changed


@transaction.atomic
def register_client(
    membership: Membership,
    *,
    code: str,
    display_name: str,
    age_group: str,
    birth_year: int | None = None,
    birth_month: int | None = None,
    request=None,
) -> Episode:
    """A new client with a first episode, the registering helper responsible."""
    client = Client.objects.create(
        service=membership.service,
        code=code,
        display_name=display_name,
        age_group=age_group,
        birth_year=birth_year,
        birth_month=birth_month,
    )
    episode = open_episode(client, membership, start_date=None, request=request)
    log.record(Action.CREATE, obj=client, client=client, request=request)
    return episode


@transaction.atomic
def open_episode(
    client: Client, membership: Membership, *, start_date: datetime.date | None, request=None
) -> Episode:
    number = client.episodes.count() + 1
    episode = Episode.objects.create(
        client=client,
        service=client.service,
        code=f"F{number}",
        team=membership.team,
        start_date=start_date or timezone.localdate(),
    )
    episode.helpers.add(membership.user)
    log.record(Action.CREATE, obj=episode, client=client, request=request)
    return episode


@transaction.atomic
def close_episode(
    episode: Episode, *, end_date: datetime.date, end_reason: str, request=None
) -> Episode:
    episode.end_date = end_date
    episode.end_reason = end_reason
    episode.save(update_fields=["end_date", "end_reason"])
    log.record(Action.CHANGE, obj=episode, client=episode.client, request=request, detail="closed")
    return episode


@transaction.atomic
def change_age(
    client: Client, *, age_group: str, birth_year: int | None, birth_month: int | None, request=None
) -> Client:
    """Correct the age group or birth year.

    With a birth year, the ratings already given are moved to the age group of their own date
    where their form is meant for it (a rating never lands in a group its form has no norms
    for); without one, ratings keep the group they were given for. The audit log says what
    changed, never the birth year itself.
    """
    before = (client.age_group, client.birth_year, client.birth_month)
    client.age_group, client.birth_year, client.birth_month = age_group, birth_year, birth_month
    client.save(update_fields=["age_group", "birth_year", "birth_month"])
    moved = _ratings_to_the_age_of_their_date(client) if birth_year is not None else 0
    changed = ["age group"] if before[0] != age_group else []
    changed += ["birth year"] if before[1:] != (birth_year, birth_month) else []
    detail = f"changed: {', '.join(changed) or 'nothing'}; ratings moved: {moved}"
    log.record(Action.CHANGE, obj=client, client=client, request=request, detail=detail)
    clients_changed.send(change_age, client_ids=[client.pk])
    return client


def _ratings_to_the_age_of_their_date(client: Client) -> int:
    moved = 0
    ratings = Rating.objects.filter(session__episode__client=client).select_related(
        "session", "instrument"
    )
    for rating in ratings:
        group = client.age_group_on(rating.session.date)
        if group != rating.age_group and group in rating.instrument.spec.age_groups:
            rating.age_group = group
            rating.save(update_fields=["age_group"])
            moved += 1
    return moved
