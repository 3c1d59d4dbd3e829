"""The tablet passed round at a meeting: the leader starts it on their own device, so that a
member cannot make their phone "the tablet" by adding ?nettbrett=1 to the address.

Starting the round (the leader's `groups:tablet_round`) logs the leader out on the device and
leaves a signed cookie naming the meeting, good until its answers close. The members' pages
treat the device as the passed-round tablet only while that cookie names their meeting: answers
are then recorded as given on the tablet, and the thank-you page leads to the next person.
"""

from django.conf import settings
from django.core import signing
from django.utils import timezone

from .models import Meeting

COOKIE = "group-round"
SALT = "groups.tablet-round"


def give(response, meeting: Meeting) -> None:
    seconds = max(0, int((meeting.open_until - timezone.now()).total_seconds()))
    response.set_cookie(
        COOKIE,
        signing.dumps(meeting.token.hex, salt=SALT),
        max_age=seconds,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def is_round(request, meeting: Meeting) -> bool:
    """Whether this device is the meeting's passed-round tablet."""
    raw = request.COOKIES.get(COOKIE)
    if not raw:
        return False
    try:
        return signing.loads(raw, salt=SALT) == meeting.token.hex
    except signing.BadSignature:
        return False
