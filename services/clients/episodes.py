"""Opening and closing episodes: one named function each, each audited."""

import datetime

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from services.accounts.models import Membership, Role, Team, User
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


def next_episode_code(codes: list[str]) -> str:
    """F1, F2, …: one more than the highest F-number in use. Counting the episodes is not
    enough: retention may have deleted F1 while F2 is still there."""
    numbers = [int(code[1:]) for code in codes if code[:1] == "F" and code[1:].isdigit()]
    return f"F{max(numbers, default=0) + 1}"


class EpisodeError(ValueError):
    """An episode change that cannot be made; `message` is translated, `field` names the input
    it is about (None: the change as a whole)."""

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


@transaction.atomic
def open_episode(
    client: Client, membership: Membership, *, start_date: datetime.date | None, request=None
) -> Episode:
    Client.objects.select_for_update().filter(pk=client.pk).first()
    episode = Episode.objects.create(
        client=client,
        service=client.service,
        code=next_episode_code(list(client.episodes.values_list("code", flat=True))),
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
def reopen_episode(episode: Episode, *, request=None) -> Episode:
    """Undo a closing: the end date and reason go, the closing stays in the audit log.

    A client has one open episode at a time and their episodes follow each other, so only the
    latest is reopened, and not beside an open one.
    """
    Client.objects.select_for_update().filter(pk=episode.client_id).first()
    episode.refresh_from_db(fields=["end_date", "end_reason"])
    if episode.is_open:
        raise EpisodeError(_("The episode is open already."))
    if episode.client.episodes.filter(end_date__isnull=True).exists():
        raise EpisodeError(_("The client has another open episode. Close it first."))
    if episode.client.episodes.filter(start_date__gt=episode.start_date).exists():
        raise EpisodeError(
            _("Only the client's latest episode can be reopened. Open a new episode instead.")
        )
    ended = f"reopened; was closed {episode.end_date:%Y-%m-%d} ({episode.end_reason})"
    episode.end_date, episode.end_reason = None, ""
    episode.save(update_fields=["end_date", "end_reason"])
    log.record(Action.CHANGE, obj=episode, client=episode.client, request=request, detail=ended)
    return episode


@transaction.atomic
def open_next_episode(
    client: Client, membership: Membership, *, start_date: datetime.date, request=None
) -> Episode:
    """A new episode for a returning client, the helper who opens it responsible.

    Refused while the client has an open episode, and before the latest one ended: the
    episodes of one client follow each other, so each session belongs to exactly one.
    """
    Client.objects.select_for_update().filter(pk=client.pk).first()
    if client.episodes.filter(end_date__isnull=True).exists():
        raise EpisodeError(_("The client has an open episode already."))
    last_end = client.episodes.order_by("-end_date").values_list("end_date", flat=True).first()
    if last_end is not None and start_date < last_end:
        end = formats.date_format(last_end, "SHORT_DATE_FORMAT")
        raise EpisodeError(
            _("The previous episode ended %(end)s: the new one cannot start before.")
            % {"end": end},
            "start_date",
        )
    if start_date > timezone.localdate():
        raise EpisodeError(_("The episode cannot start in the future."), "start_date")
    return open_episode(client, membership, start_date=start_date, request=request)


def service_helpers(service) -> list[User]:
    """Who can be responsible for an episode: the service's active helpers, by name."""
    return sorted(
        User.objects.filter(
            memberships__service=service, memberships__role=Role.HELPER, is_active=True
        ).distinct(),
        key=lambda user: (str(user).casefold(), user.pk),
    )


@transaction.atomic
def change_responsible(
    episode: Episode, *, helpers: list[User], team: Team | None, request=None
) -> Episode:
    """Hand an episode over to other helpers or another team, among the service's own.

    The team is saved with the episode, so the dashboard facts and the caseload summaries
    follow; the helpers decide who sees the client (services.clients.access). The audit log
    names the user ids, not the people.
    """
    allowed = {user.pk for user in service_helpers(episode.service)}
    if not helpers or any(user.pk not in allowed for user in helpers):
        raise EpisodeError(_("Choose one or more of the service's helpers."))
    if team is not None and team.service_id != episode.service_id:
        raise EpisodeError(_("Choose one of the service's teams."))
    before = (sorted(episode.helpers.values_list("pk", flat=True)), episode.team_id)
    episode.team = team
    episode.save(update_fields=["team"])
    episode.helpers.set(helpers)
    after = (sorted(user.pk for user in helpers), getattr(team, "pk", None))
    changed = []
    if before[0] != after[0]:
        changed.append(f"helpers {before[0]} -> {after[0]}")
    if before[1] != after[1]:
        changed.append(f"team {before[1]} -> {after[1]}")
    detail = "responsible changed: " + ("; ".join(changed) or "nothing")
    log.record(Action.CHANGE, obj=episode, client=episode.client, request=request, detail=detail)
    clients_changed.send(change_responsible, client_ids=[episode.client_id])
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
