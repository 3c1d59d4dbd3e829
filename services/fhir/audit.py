"""The access log for FHIR exports and imports: one row for each client in the bundle.

As a page that lists clients writes a row per client (services.audit.log.record_clients), so
"who has seen my data" finds an export by the client's id alone. A run that touches no client
(an empty period, an import already stored) still writes one row for the service, so the run
itself is on record. A management command has no request: `actor` names the command. With a
request (the API), the request says who is calling.
"""

from collections.abc import Iterable
from types import SimpleNamespace

from django.contrib.auth.models import AnonymousUser

from services.audit import log


def record_clients(
    service,
    client_ids: Iterable[int],
    *,
    action: str,
    detail: str,
    user=None,
    request=None,
    actor: str = "",
) -> None:
    pairs = [(client_id, service.pk) for client_id in sorted(set(client_ids))]
    if not pairs:
        log.record(action, user=user, actor=actor, service=service, request=request, detail=detail)
        return
    if request is None:
        # record_clients reads the user, the address and a caller that is not a person
        # (`audit_actor`) from the request; a command has no request.
        request = SimpleNamespace(user=user or AnonymousUser(), META={}, audit_actor=actor)
    log.record_clients(request, pairs, detail=detail, action=action)
