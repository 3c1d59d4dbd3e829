"""The staff idle timeout, written to the database at most once a minute.

Sessions end after SESSION_COOKIE_AGE without a request. Django's SESSION_SAVE_EVERY_REQUEST
keeps that window sliding by writing the session row on every request (an UPDATE inside two
savepoints), which was a quarter of the queries of a rating submission and of most staff pages
(issue #14). Here a session is written again only when its last write is REFRESH_SECONDS old or
older, so a session ends between 29 and 30 idle minutes instead of at exactly 30, and most
requests write nothing. Sessions changed by the request are saved as always.
"""

import time

REFRESH_SECONDS = 60
KEY = "_refreshed"


class SessionRefreshMiddleware:
    """Placed after SessionMiddleware, so the session it marks is saved on the way out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.session_key is None or session.is_empty():
            return response  # no session to keep alive: nothing is created for a visitor
        now = int(time.time())
        if now - session.get(KEY, 0) >= REFRESH_SECONDS:
            session[KEY] = now  # modified: SessionMiddleware saves it with a new expiry
        return response
