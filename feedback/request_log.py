"""One log line per request, and a request id on every log line written while it runs.

The line names the route pattern (`/svar/<str:token>/`), never the path: paths carry client ids
and remote-link tokens, and a log is read by more people, for longer, than the access log
(Normen). Nor does it hold anything about a client, only the staff member's numeric id. The
request id comes from the proxy (X-Request-ID) when it is a plain token, else it is made here,
and it goes back in the response, so one request can be followed from the balancer's log to
ours. `RequestContextFilter` puts the id on every record and takes the raw path out of Django's
own messages ("Not Found: /svar/…/", "Database unavailable: /klienter/12/").
"""

import contextvars
import logging
import re
import time
import uuid

from django.conf import settings
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("feedback.request")

HEADER = "X-Request-ID"
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,99}")
current_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "current_request", default=None
)


def request_id_for(request: HttpRequest) -> str:
    """The proxy's id when it is a short plain token (nothing to inject into a log), else new."""
    incoming = request.headers.get(HEADER, "")
    return incoming if SAFE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex


def route_of(request: HttpRequest) -> str | None:
    """The URL pattern that answered, e.g. `/klienter/<int:pk>/`; None for an unknown path."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return "/" + match.route
    static = "/" + settings.STATIC_URL.lstrip("/")
    return static if request.path_info.startswith(static) else None


def user_id_of(request: HttpRequest) -> int | None:
    user = getattr(request, "user", None)
    try:
        return user.pk if user is not None and user.is_authenticated else None
    except (OperationalError, InterfaceError):  # the session could not be read: a db outage
        return None


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.request_id = request_id_for(request)
        token = current_request.set(request)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            route = route_of(request)
            logger.info(
                "%s %s %s %.1f ms",
                request.method,
                route or "-",
                response.status_code,
                duration_ms,
                extra={
                    "method": request.method,
                    "route": route,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                    "user_id": user_id_of(request),
                },
            )
        finally:
            current_request.reset(token)
        response[HEADER] = request.request_id
        return response


class RequestContextFilter(logging.Filter):
    """Adds `request_id` to every record and replaces a raw request path in its arguments.

    Django's request logger runs after the middleware has finished, so it is found through the
    record's own `request`; a record written inside the request finds it in `current_request`.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if not isinstance(request, HttpRequest):
            request = current_request.get()
        if request is None:
            return True
        if not hasattr(record, "request_id"):
            record.request_id = getattr(request, "request_id", None)
        if isinstance(record.args, tuple) and record.args:
            paths = {request.path, request.path_info, request.get_full_path()}
            route = route_of(request) or "-"
            record.args = tuple(
                route if isinstance(arg, str) and arg in paths else arg for arg in record.args
            )
        return True
