"""A calm "back in a moment" (503) instead of a server error while the database is down.

During an outage every request fails at its first query: for a signed-in user that is already
the session or the login check in the middleware, before any view runs. So there are two ways
in: the middleware's `process_exception` for a failure inside a view, and `server_error` (the
project's handler500) for one met by other middleware, which Django has already turned into a
500 by the time any middleware could see it.

The page script keeps an answer in its outbox and sends it again on anything but a 2xx or a
refusal (400, 409, 410), so a 503 with a JSON body makes it wait and retry. A person gets a
short translated page. Neither asks anything of the database: the template is rendered without
the request, so no context processor runs, and the language comes from the request or cookie.
"""

import logging
import sys

from django.conf import settings
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext
from django.views import defaults

DATABASE_DOWN = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30

logger = logging.getLogger(__name__)


def is_outage(exception: BaseException | None) -> bool:
    return isinstance(exception, DATABASE_DOWN)


def _language(request: HttpRequest) -> str:
    """The request's language as the middleware chose it, or the language cookie, or bokmål."""
    available = dict(settings.LANGUAGES)
    for language in (
        getattr(request, "LANGUAGE_CODE", None),
        request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME),
    ):
        if language in available:
            return language
    return settings.LANGUAGE_CODE


def _wants_json(request: HttpRequest) -> bool:
    return request.content_type == "application/json" or "application/json" in request.headers.get(
        "Accept", ""
    )


def outage_response(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: JSON for the page script, a plain page for people."""
    with translation.override(_language(request)):
        if _wants_json(request):
            message = gettext("The service is not available right now. Try again in a few minutes.")
            response = JsonResponse(
                {"status": "error", "message": message, "field": "server"}, status=503
            )
        else:
            response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseOutageMiddleware:
    """Answers a view's lost database connection with `outage_response`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_outage(exception):
            return None
        logger.error("Database unavailable: %s", request.path, exc_info=exception)
        return outage_response(request)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: an outage met outside a view still gets the 503; anything else stays a 500."""
    if is_outage(sys.exc_info()[1]):
        return outage_response(request)
    return defaults.server_error(request)
