"""A remote link on the client's own phone: one form, answered once, nothing else shown."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from feedback.ratelimit import over_limit

from . import links
from .answers import error_json, read_answer, stored_json, wants_json
from .handovers import submit_answer
from .pages import render_closed, render_form
from .recording import RatingError


def _not_found(request: HttpRequest) -> HttpResponse:
    message = _("This link does not work. Ask for a new one.")
    if wants_json(request):
        return JsonResponse({"status": "error", "message": message}, status=404)
    return render_closed(request, message, status=404)


def _closed(request: HttpRequest, handover) -> HttpResponse | None:
    """The page for a link that can no longer be answered, or None while it can."""
    if handover.used_at is not None:
        return render_closed(
            request,
            _("This link has already been used. If you just answered, your answer has arrived."),
            status=410,
        )
    if handover.is_expired(timezone.now()):
        return render_closed(request, _("This link has expired. Ask for a new one."), status=410)
    return None


def _too_many(request: HttpRequest) -> HttpResponse | None:
    if not over_limit(request, "remote-link", settings.REMOTE_LINK_RATE_LIMIT, 600):
        return None
    message = _("Too many attempts from this device. Wait a few minutes and try again.")
    if wants_json(request):
        return JsonResponse({"status": "error", "message": message}, status=429)
    return render_closed(request, message, status=429)


@require_http_methods(["GET", "POST"])
def remote(request: HttpRequest, token: str) -> HttpResponse:
    limited = _too_many(request)
    if limited is not None:
        return limited
    handover = links.handover_for_token(token)
    if handover is None:
        return _not_found(request)
    if request.method == "GET":
        return _closed(request, handover) or render_form(request, handover, submit_url=request.path)
    thanks = reverse("ratings:remote_thanks", args=[token])
    try:
        answer = read_answer(request)
        recorded = submit_answer(
            handover,
            submission_key=answer.submission_key,
            items=answer.items,
            instrument_key=answer.instrument,
            request=request,
        )
    except RatingError as error:
        response = error_json(error)
        if wants_json(request):
            return response
        return _closed(request, handover) or render_form(
            request,
            handover,
            submit_url=request.path,
            error=str(error.message),
            status=response.status_code,
        )
    if wants_json(request):
        return stored_json(recorded, thanks)
    return redirect(thanks)


def thanks(request: HttpRequest, token: str) -> HttpResponse:
    handover = links.handover_for_token(token)
    if handover is None or handover.used_at is None:
        return redirect("ratings:remote", token=token)
    return render(request, "ratings/thanks.html", {"handover": handover, "kiosk": False})
