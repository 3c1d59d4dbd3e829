"""Opening and closing episodes: one named function each, each audited."""

import datetime

from django.db import transaction
from django.utils import timezone

from services.accounts.models import Membership
from services.audit import log
from services.audit.models import Action

from .models import Client, Episode


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
    """Correct the age group or birth year; ratings already given keep the group of their date."""
    before = (client.age_group, client.birth_year, client.birth_month)
    client.age_group, client.birth_year, client.birth_month = age_group, birth_year, birth_month
    client.save(update_fields=["age_group", "birth_year", "birth_month"])
    log.record(
        Action.CHANGE,
        obj=client,
        client=client,
        request=request,
        detail=f"age group {before[0]} → {age_group}, birth year {before[1]} → {birth_year}",
    )
    return client
