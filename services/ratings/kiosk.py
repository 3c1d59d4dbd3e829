"""Handover (kiosk) mode: while a client holds the tablet, the tablet shows only the form.

The lock is a mark in the staff member's server-side session, so back, reload or a typed address
cannot get round it: the middleware lets through only the rating pages, the unlock page, static
files and logging out, and sends every other request back to the form. Staff pages are also
marked `no-store`, so the browser's back button cannot show a copy of the client page from its
cache.

The staff session runs out after SESSION_IDLE_MINUTES of quiet, and a client may well take that
long. So the hand-over also leaves its own authority on the tablet: a signed cookie naming that
one tablet hand-over, good for TABLET_HANDOVER_HOURS from the moment it was made. While nobody is
signed in on the tablet, that cookie is enough to draw the form, store its answer once, thank the
client and choose the form's language, and nothing else: every other page leads back to the form,
except the login page, where the helper takes the tablet back. Any staff login or logout on the
tablet, or unlocking with the PIN, ends it.

The client may read the form in another language. That choice is kept with the lock (and in the
cookie), not in the staff member's language setting, so the helper's own pages are unchanged
after unlocking.
"""

import datetime
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db.models import QuerySet
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils import timezone, translation

from .models import Handover, Method

SESSION_KEY = "kiosk"
COOKIE = "tablet"
COOKIE_SALT = "ratings.tablet-handover"
ALLOWED = {
    "ratings:kiosk",
    "ratings:kiosk_submit",
    "ratings:kiosk_thanks",
    "ratings:kiosk_worker",
    "ratings:unlock",
    "ratings:kiosk_language",
    "logout",
}
# Where the helper signs in to take the tablet back. The hand-over's cookie outlives these pages,
# so the unlock page can take the helper to the client's page after the login.
SIGNING_IN = {"login", "two_factor_verify", "two_factor_setup", "set_language"}


@dataclass(frozen=True)
class Tablet:
    """What the tablet's cookie says: which hand-over, since when, in which language."""

    token: uuid.UUID
    issued: datetime.datetime
    language: str


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


def lifetime() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.TABLET_HANDOVER_HOURS)


def cookie_value(token: str, language: str, issued: datetime.datetime | None = None) -> str:
    issued = issued or timezone.now()
    payload = {"h": token, "t": int(issued.timestamp()), "l": language}
    return signing.dumps(payload, salt=COOKIE_SALT)


def read_cookie(request) -> Tablet | None:
    """The hand-over this tablet holds, if its cookie is ours, unaltered and not too old."""
    raw = request.COOKIES.get(COOKIE)
    if not raw:
        return None
    try:
        payload = signing.loads(raw, salt=COOKIE_SALT)
        token = uuid.UUID(str(payload["h"]))
        issued = datetime.datetime.fromtimestamp(int(payload["t"]), tz=datetime.UTC)
        language = str(payload.get("l", ""))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    if timezone.now() - issued >= lifetime():
        return None
    return Tablet(token, issued, language if language in dict(settings.LANGUAGES) else "")


def own_authority(request) -> Tablet | None:
    """The tablet's own authority: its hand-over cookie, while nobody is signed in on it.

    A staff member signed in on the tablet acts on their own access, never on the cookie.
    """
    if COOKIE not in request.COOKIES:
        return None
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return None
    return read_cookie(request)


def handed_over(tablet: Tablet) -> QuerySet[Handover]:
    """The one tablet hand-over the cookie names, while it is young enough (checked again here,
    from the database's own time of the hand-over)."""
    return Handover.objects.filter(
        token=tablet.token, method=Method.TABLET, created_at__gt=timezone.now() - lifetime()
    )


def give(response, handover: Handover, language: str = "") -> None:
    """Leave the hand-over's authority on the tablet: the cookie, for TABLET_HANDOVER_HOURS."""
    response.set_cookie(
        COOKIE,
        cookie_value(handover.token.hex, language, handover.created_at),
        max_age=int(lifetime().total_seconds()),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Strict",
    )


def take_back(response) -> None:
    response.delete_cookie(COOKIE, samesite="Strict")


def current_handover(request) -> Handover | None:
    """The hand-over this tablet shows: the staff session's lock, else the tablet's cookie."""
    locked = state(request)
    if locked is not None:
        handovers = Handover.objects.filter(pk=locked.get("handover"))
    else:
        tablet = own_authority(request)
        if tablet is None:
            return None
        handovers = handed_over(tablet)
    return handovers.select_related("session__episode__client", "instrument").first()


def end(request) -> None:
    """Unlock: the staff session is the helper's again."""
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()


def _view_name(path: str) -> str:
    if path.startswith("/" + settings.STATIC_URL.lstrip("/")):
        return "static"
    try:
        return resolve(path).view_name
    except Resolver404:
        return ""


class KioskMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        locked = state(request)
        tablet = own_authority(request) if locked is None else None
        view = _view_name(request.path_info) if locked or tablet else ""
        if locked is not None and view not in ALLOWED | {"static"}:
            return redirect("ratings:kiosk")
        if tablet is not None and view not in ALLOWED | SIGNING_IN | {"static"}:
            return redirect("ratings:kiosk")
        language = (locked or {}).get("language") or (tablet.language if tablet else "")
        if language:
            request.LANGUAGE_CODE = language
            with translation.override(language):
                response = self.get_response(request)
        else:
            response = self.get_response(request)
        user = getattr(request, "user", None)
        if tablet is not None or (user is not None and user.is_authenticated):
            response.headers.setdefault("Cache-Control", "no-store")
        if COOKIE in request.COOKIES and COOKIE not in response.cookies:
            self._end_taken_back(request, response)
        return response

    @staticmethod
    def _end_taken_back(request, response) -> None:
        """Logging out, or a staff member signed in without a lock, takes the tablet back."""
        view = _view_name(request.path_info)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if view == "logout" or (signed_in and state(request) is None and view not in SIGNING_IN):
            take_back(response)
