"""The retention job for the audit log itself: the only code that removes audit events.

Normen and pasientjournalloven expect the access log to be kept for a long time, so the default
(`AUDIT_RETENTION_YEARS`) is ten years. Removal is itself logged first, with how many events
before which date went, and runs under the one permit the database's triggers accept
(guard.py).

It removes the oldest part of the hash chain only (everything before the first sealed event at
or after the cutoff), so the events left still verify from the first one's stored previous
seal. An event committed late and sealed after newer ones is kept until the next run; a
removed event is always older than the cutoff.
"""

import datetime

from django.db import transaction
from django.db.models import Min

from . import chain, log
from .guard import removal_permit
from .models import Action, AuditEvent

ACTOR = "prune_audit_log"


@transaction.atomic
def prune(before: datetime.datetime) -> int:
    """Remove the sealed events older than `before`; return how many (none on a second run)."""
    chain.seal_pending()
    sealed = AuditEvent.objects.exclude(chain_position=None)
    first_kept = sealed.filter(at__gte=before).aggregate(first=Min("chain_position"))["first"]
    doomed = sealed if first_kept is None else sealed.filter(chain_position__lt=first_kept)
    count = doomed.count()
    if not count:
        return 0
    detail = f"audit log pruned: {count} event(s) before {before:%Y-%m-%d}"
    log.record(Action.DELETE, actor=ACTOR, detail=detail)
    with removal_permit(ACTOR):
        doomed.delete()
    return count
