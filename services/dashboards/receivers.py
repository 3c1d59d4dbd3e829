"""Marking clients' dashboard facts outdated whenever their data changes.

Connected in `apps.DashboardsConfig.ready`. Each receiver runs inside the writer's transaction
(every write path in the application, and the admin, is atomic), so a change and its mark are
committed together or not at all. An edit marks the client the row belonged to before as well
as after (a session moved to another episode, a rating to another session); deletes are looked
after in `_before_delete`.
"""

from functools import reduce

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from services.accounts.models import Team, User
from services.clients.models import Client, Episode
from services.clients.signals import clients_changed
from services.ratings.models import Rating
from services.sessions.models import Session

from .facts import mark_days, mark_outdated, wait_for_rebuild
from .models import SessionFact

CLIENT_OF = {  # how each kind of row reaches its client
    Episode: "client_id",
    Session: "episode__client_id",
    Rating: "session__episode__client_id",
}


def _client_of(instance) -> int | None:
    """The client the row belongs to now, along the same path (None once its client is gone)."""
    try:
        return reduce(getattr, CLIENT_OF[type(instance)].split("__"), instance)
    except ObjectDoesNotExist:
        return None


@receiver(pre_save, sender=Episode)
@receiver(pre_save, sender=Session)
@receiver(pre_save, sender=Rating)
def _before_edit(sender, instance, **kwargs):
    if instance._state.adding:
        return
    mark_outdated(sender.objects.filter(pk=instance.pk).values_list(CLIENT_OF[sender], flat=True))


@receiver(post_save, sender=Episode)
@receiver(post_save, sender=Session)
@receiver(post_save, sender=Rating)
def _saved(sender, instance, **kwargs):
    mark_outdated([_client_of(instance)])


@receiver(post_delete, sender=Episode)
@receiver(post_delete, sender=Session)
@receiver(post_delete, sender=Rating)
def _deleted(sender, instance, origin=None, **kwargs):
    """Deleted on its own; a row deleted along with its session, episode or client is covered
    by that row's receiver (and erasing a client's thousand ratings costs no queries here)."""
    started_on = origin.model if isinstance(origin, QuerySet) else type(origin)
    if origin is None or started_on is sender:
        mark_outdated([_client_of(instance)])


@receiver(pre_delete, sender=Client)
@receiver(pre_delete, sender=Episode)
@receiver(pre_delete, sender=Session)
@receiver(pre_delete, sender=Team)
@receiver(pre_delete, sender=User)
def _before_delete(sender, instance, **kwargs):
    """Facts point at these rows: a delete waits for a rebuild under way (facts.wait_for_rebuild).

    A deleted session also marks the day it was counted on, as its fact is gone by the time the
    facts are rebuilt. A team or helper deleted is set to nothing on sessions and episodes without
    a signal, so the clients they served are marked here.
    """
    wait_for_rebuild()
    if sender is Session:
        mark_days(
            SessionFact.objects.filter(session_id=instance.pk).values_list("service_id", "day")
        )
    elif sender is Team:
        mark_outdated(Episode.objects.filter(team=instance).values_list("client_id", flat=True))
    elif sender is User:
        mark_outdated(
            Session.objects.filter(helper=instance).values_list("episode__client_id", flat=True)
        )


@receiver(post_save, sender=Client)
def _client_saved(sender, instance: Client, **kwargs):
    mark_outdated([instance.pk])  # the age group decides which norms an episode is judged by


@receiver(clients_changed)
def _clients_changed(sender, client_ids, **kwargs):
    mark_outdated(client_ids)
