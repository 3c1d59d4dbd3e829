"""The access log for API calls, like page views: a call that returns clients' data writes one
row per client (as a page that lists them does), any other call one row. The actor is the key
(set on the request by the authentication), and the detail names the resource: "api ratings"."""

from services.audit import log
from services.audit.models import Action


def call(request, resource: str) -> None:
    log.record(
        Action.VIEW,
        service=request.auth.service,
        request=request._request,
        detail=f"api {resource}",
    )


def read(request, resource: str, client_ids) -> None:
    """Log a read: one row for each client in the answer, or one row for the call itself."""
    service_id = request.auth.service_id
    pairs = [(client_id, service_id) for client_id in sorted(set(client_ids))]
    if not pairs:
        call(request, resource)
        return
    log.record_clients(request._request, pairs, detail=f"api {resource}")
