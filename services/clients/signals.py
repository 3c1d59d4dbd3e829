"""Signals for writes that Django's model signals do not see.

`clients_changed` is sent, inside the writing transaction, after a bulk write (a queryset
update or bulk_create) to clients' episodes, sessions or ratings; single-object saves and deletes
need nothing, their post_save and post_delete signals are enough. Derived data (the dashboard
facts) listens to both.
"""

from django.dispatch import Signal

clients_changed = Signal()  # keyword argument: client_ids, an iterable of client ids
