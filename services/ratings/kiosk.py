"""Handover (kiosk) mode: while a client holds the tablet, the staff session shows only the form.

The lock is a mark in the staff member's server-side session, so back, reload or a typed address
cannot get round it: the middleware lets through only the rating pages, the unlock page, static
files and logging out, and sends every other request back to the form. Staff pages are also
marked `no-store`, so the browser's back button cannot show a copy of the client page from its
cache.

The client may read the form in another language. That choice is kept with the lock, not in the
staff member's language setting, so the helper's own pages are unchanged after unlocking.
"""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils import translation

from .models import Handover

SESSION_KEY = "kiosk"
ALLOWED = {
    "ratings:kiosk",
    "ratings:kiosk_submit",
    "ratings:kiosk_thanks",
    "ratings:unlock",
    "ratings:kiosk_language",
    "logout",
}


def start(request, handover: Handover) -> None:
    """Lock this staff session to the handover's form.

    A new session key makes the browser drop what it kept of the pages seen before.
    """
    request.session.cycle_key()
    request.session[SESSION_KEY] = {"handover": handover.pk, "language": ""}


def choose_language(request, language: str) -> None:
    """The language the client reads the form in, for this handover only."""
    locked = state(request)
    if locked is not None and language in dict(settings.LANGUAGES):
        request.session[SESSION_KEY] = {**locked, "language": language}


def state(request) -> dict | None:
    session = getattr(request, "session", None)
    value = session.get(SESSION_KEY) if session is not None else None
    return value if isinstance(value, dict) else None


def current_handover(request) -> Handover | None:
    locked = state(request)
    if locked is None:
        return None
    return (
        Handover.objects.select_related("session__episode__client", "instrument")
        .filter(pk=locked.get("handover"))
        .first()
    )


def end(request) -> None:
    """Unlock: the staff session is the helper's again."""
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()


def _allowed(path: str) -> bool:
    if path.startswith("/" + settings.STATIC_URL.lstrip("/")):
        return True
    try:
        return resolve(path).view_name in ALLOWED
    except Resolver404:
        return False


class KioskMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        locked = state(request)
        if locked is not None and not _allowed(request.path_info):
            return redirect("ratings:kiosk")
        language = (locked or {}).get("language")
        if language:
            request.LANGUAGE_CODE = language
            with translation.override(language):
                response = self.get_response(request)
        else:
            response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response.headers.setdefault("Cache-Control", "no-store")
        return response
