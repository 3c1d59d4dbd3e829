"""The question on the thank-you page after an alliance form: asked, answered once, or not.

The page already knows its hand-over (the tablet's lock or cookie, or the link's secret
address), so the comment needs no identifier of its own: it goes to that hand-over's rating,
and the page's hidden hand-over token must match, so a thank-you page left open on the tablet
from an earlier client cannot write on the next client's answer. It is asked only for a short
while after the answer (`WINDOW`), and never on a link past its time.

A comment is stored once: the rating's one-to-one column holds a second copy out, a repeat of
the same words gets the same "sent" (a double tap), other words a 409. Bad input is a 400 with
the reason on the page; nothing here answers 500.
"""

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from feedback.ratelimit import over_limit
from services.audit import log
from services.audit.models import Action
from services.measures.models import Purpose
from services.ratings.models import Handover

from .forms import CommentForm
from .models import MAX_LENGTH, SessionComment

# Right after the form, while the client still holds the tablet or the phone: long enough to
# think and write, short enough that an old thank-you page cannot be used for it days later.
WINDOW = datetime.timedelta(hours=2)
POSTS_PER_TEN_MINUTES = 30


@dataclass(frozen=True)
class Question:
    """What the thank-you page shows of the question, and with which status."""

    form: CommentForm | None = None  # the question is asked (with errors after a bad post)
    answered: bool = False  # a comment for this answer is stored
    message: str = ""  # why a post was refused, when not a field's error
    status: int = 200
    sent: bool = False  # just stored (or the same words again): the view redirects

    @property
    def asked(self) -> bool:
        return self.form is not None

    @property
    def limit(self) -> int:
        return MAX_LENGTH


def _applies(handover: Handover) -> bool:
    return handover.rating_id is not None and handover.instrument.purpose == Purpose.ALLIANCE


def _open(handover: Handover, now: datetime.datetime) -> bool:
    recent = handover.used_at is not None and now - handover.used_at < WINDOW
    return recent and not handover.is_expired(now)


def ask(request: HttpRequest, handover: Handover) -> Question:
    """The question for this hand-over's thank-you page; a POST stores the comment."""
    if not _applies(handover):
        if request.method == "POST":
            return Question(message=_("There is no question to answer here."), status=400)
        return Question()
    stored = SessionComment.objects.filter(rating_id=handover.rating_id).first()
    if request.method != "POST":
        if stored is None and _open(handover, timezone.now()):
            return Question(form=CommentForm(initial={"handover": handover.token.hex}))
        return Question(answered=stored is not None)
    return _post(request, handover, stored)


def _post(request: HttpRequest, handover: Handover, stored: SessionComment | None) -> Question:
    if over_limit(request, "comment", POSTS_PER_TEN_MINUTES, 600):
        message = _("Too many attempts from this device. Wait a few minutes and try again.")
        return Question(answered=stored is not None, message=message, status=429)
    form = CommentForm(request.POST)
    if form.data.get("handover") != handover.token.hex:
        message = _("This page is from an earlier form. The comment was not saved.")
        return Question(answered=stored is not None, message=message, status=409)
    if stored is not None:
        if form.is_valid() and form.cleaned_data["text"] == stored.text:
            return Question(answered=True, sent=True)
        message = _("Your comment has already been sent. It can be sent only once.")
        return Question(answered=True, message=message, status=409)
    if not _open(handover, timezone.now()):
        message = _("It is too late to send a comment to this answer.")
        return Question(message=message, status=410)
    if not form.is_valid():
        return Question(form=form, status=400)
    return _store(request, handover, form.cleaned_data["text"])


def _store(request: HttpRequest, handover: Handover, text: str) -> Question:
    """Insert once; a copy that arrived at the same moment finds the first one stored."""
    try:
        with transaction.atomic():
            comment = SessionComment.objects.create(rating_id=handover.rating_id, text=text)
            client = handover.session.episode.client
            log.record(Action.CREATE, obj=comment, client=client, request=request, detail="comment")
    except IntegrityError:
        stored = SessionComment.objects.filter(rating_id=handover.rating_id).first()
        if stored is not None and stored.text == text:
            return Question(answered=True, sent=True)
        message = _("Your comment has already been sent. It can be sent only once.")
        return Question(answered=True, message=message, status=409)
    return Question(answered=True, sent=True)
