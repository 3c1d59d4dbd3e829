"""Reading an answer from a request and replying to it, for the tablet and the remote link.

An answer arrives as JSON from the page's script, or as a plain form POST. Replies follow the
same rules either way: 201 when stored now, 200 with the stored result for a repeat of the same
submission, 4xx with a translated message for anything that cannot be stored (400 bad input,
409 clashes with what is stored, 410 a form that can no longer be answered). Never a 500.
"""

import json
import uuid
from dataclasses import dataclass

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext_lazy as _

from .body_limits import MAX_BODY_BYTES, declared_too_large, nested_deeper_than
from .handovers import LinkClosed
from .recording import RatingError, Recorded

ITEM_PREFIX = "item-"
CONFLICT_FIELDS = {"session", "submission_key", "episode"}


@dataclass(frozen=True)
class Answer:
    submission_key: uuid.UUID
    instrument: str
    items: dict[str, object]
    handover: str = ""


def wants_json(request: HttpRequest) -> bool:
    return request.content_type == "application/json"


def _unreadable() -> RatingError:
    return RatingError(_("The answer could not be read. Try again."), "body")


def _json_body(request: HttpRequest) -> dict:
    """The body as a JSON object; its size and nesting are checked before it is parsed."""
    try:
        raw = request.body
        text = raw.decode("utf-8")
    except (RequestDataTooBig, UnicodeDecodeError):
        raise _unreadable() from None
    if len(raw) > MAX_BODY_BYTES or nested_deeper_than(text):
        raise _unreadable()
    try:
        body = json.loads(text)
    except ValueError:
        raise _unreadable() from None
    if not isinstance(body, dict):
        raise _unreadable()
    return body


def read_answer(request: HttpRequest) -> Answer:
    """The submission key, form key and item values from a JSON body or a form POST."""
    if declared_too_large(request.META.get("CONTENT_LENGTH")):
        raise _unreadable()
    if wants_json(request):
        body = _json_body(request)
        items = body.get("items")
        if not isinstance(items, dict):
            raise RatingError(_("Every line must be marked."), "items")
    else:
        body = request.POST
        items = {
            name.removeprefix(ITEM_PREFIX): value
            for name, value in body.items()
            if name.startswith(ITEM_PREFIX)
        }
    instrument = body.get("instrument")
    if not isinstance(instrument, str):
        raise RatingError(_("The answer is for another form than this one."), "instrument")
    try:
        key = uuid.UUID(str(body.get("submission_key", "")))
    except ValueError:
        raise RatingError(
            _("The form is not complete. Reload the page and answer again."), "submission_key"
        ) from None
    handover = body.get("handover", "")
    return Answer(
        submission_key=key,
        instrument=instrument,
        items=items,
        handover=handover if isinstance(handover, str) else "",
    )


def error_status(error: RatingError) -> int:
    if isinstance(error, LinkClosed):
        return 410
    return 409 if error.field in CONFLICT_FIELDS else 400


def error_json(error: RatingError) -> JsonResponse:
    body = {"status": "error", "message": str(error.message), "field": error.field}
    return JsonResponse(body, status=error_status(error))


def stored_json(recorded: Recorded, next_url: str) -> JsonResponse:
    """The stored result; no scores, since the page is in the client's hands."""
    body = {
        "status": "stored" if recorded.created else "already_stored",
        "submission_key": str(recorded.rating.submission_key),
        "next": next_url,
    }
    return JsonResponse(body, status=201 if recorded.created else 200)
