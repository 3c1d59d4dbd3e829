"""Deleting a demo service's clients, and every row that hangs on them, one table at a time.

`Client.objects.filter(...).delete()` goes through Django's collector. The dashboards' delete
receivers (services.dashboards.receivers) keep it from deleting in bulk: it fetches every
client, episode and session, and sends a signal for each that runs a query or two, so replacing
10,000 demo clients took minutes. Here each table loses its rows with one statement whose WHERE
is a subquery of the rows above it, children before parents, by the same `on_delete` rules the
collector follows (CASCADE deletes, SET_NULL clears, DO_NOTHING leaves). No signal is sent; what
the receivers would do is done here or by the caller:

- a dashboard rebuild under way is waited for (`facts.wait_for_rebuild`), as a delete does;
- the marks (`PendingChange`) of the deleted clients go with them: they are plain ids;
- the caller rebuilds the service's facts and daily sums afterwards (seed_demo does).

The audit log refers to clients by plain id and is append-only: it keeps its events.
"""

from django.db import models
from django.db.models import QuerySet

from services.clients.models import Client
from services.dashboards.facts import wait_for_rebuild
from services.dashboards.models import PendingChange


def delete_clients(clients: QuerySet[Client]) -> dict[str, int]:
    """Delete these clients with everything that depends on them; returns rows per model.

    Call it inside a transaction: a failure half-way must leave nothing deleted.
    """
    wait_for_rebuild()
    deleted: dict[str, int] = {}
    marks = PendingChange.objects.filter(client_id__in=clients.values("pk"))
    deleted[PendingChange._meta.label] = marks._raw_delete(marks.db)
    _delete(clients, deleted, path=())
    return deleted


def _delete(rows: QuerySet, deleted: dict[str, int], path: tuple) -> None:
    """Delete `rows` after the rows of every model that points at them."""
    model = rows.model
    if model in path:
        raise ValueError(f"{model.__name__} refers to itself through {path}: not handled here")
    keys = rows.values("pk")
    for relation in _pointing_at(model):
        field = relation.field
        related = relation.related_model._base_manager.filter(**{f"{field.name}__in": keys})
        if relation.on_delete is models.CASCADE:
            _delete(related, deleted, (*path, model))
        elif relation.on_delete is models.SET_NULL:
            related.update(**{field.name: None})
        elif relation.on_delete is not models.DO_NOTHING:
            raise ValueError(
                f"{relation.related_model.__name__}.{field.name} is "
                f"{relation.on_delete.__name__}: not handled here"
            )
    label = model._meta.label
    deleted[label] = deleted.get(label, 0) + rows._raw_delete(rows.db)


def _pointing_at(model) -> list:
    """Every foreign key (and many-to-many link table) that points at this model, hidden ones
    (related_name="+", as the dashboard facts have) included."""
    return [
        field
        for field in model._meta.get_fields(include_hidden=True)
        if field.auto_created and not field.concrete and field.on_delete is not None
    ]
