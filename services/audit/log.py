"""The one function that writes the audit log, so no access path can forget a field."""

from django.db import models

from .models import Action, AuditEvent


def client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(
    action: str,
    *,
    user=None,
    actor: str = "",
    obj: models.Model | None = None,
    client=None,
    service=None,
    request=None,
    detail: str = "",
) -> AuditEvent:
    """Log one action; `client` and `service` are taken from `obj` when it knows them.

    A caller that is not a person (an API key) is named by `request.audit_actor`, which its
    authentication sets, so the functions the pages and the API share log it without knowing.
    """
    if request is not None and user is None and getattr(request, "user", None) is not None:
        user = request.user if request.user.is_authenticated else None
    actor = actor or getattr(request, "audit_actor", "")
    client = client or getattr(obj, "client", None)
    service = service or getattr(client, "service", None) or getattr(obj, "service", None)
    return AuditEvent.objects.create(
        user=user,
        actor=actor or (user.get_username() if user is not None else "system"),
        action=action,
        service_id=getattr(service, "pk", None),
        client_id=getattr(client, "pk", None),
        object_type=obj._meta.model_name if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        ip_address=client_ip(request),
        detail=detail[:300],
    )


def record_clients(request, clients, *, detail: str, action: str = Action.VIEW) -> None:
    """Log one action on each of these clients: one row per client, in one statement.

    A list (caseload, search, admin list) shows many clients at once; one row each keeps the
    "who has seen my data" report complete with a plain `client_id` lookup. `clients` are
    (client id, service id) pairs, so no client row has to be loaded to log it.
    """
    user = request.user if request.user.is_authenticated else None
    actor = getattr(request, "audit_actor", "") or (
        user.get_username() if user is not None else "system"
    )
    ip_address = client_ip(request)
    AuditEvent.objects.bulk_create(
        AuditEvent(
            user=user,
            actor=actor,
            action=action,
            service_id=service_id,
            client_id=client_id,
            object_type="client",
            object_id=str(client_id),
            ip_address=ip_address,
            detail=detail[:300],
        )
        for client_id, service_id in dict(clients).items()
    )
