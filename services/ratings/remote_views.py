"""A remote link on the client's own phone: one form, answered once, nothing else shown."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from feedback.ratelimit import over_limit
from services.comments.question import ask
from services.goals.question import ask as ask_goals

from . import links
from .answers import error_json, read_answer, stored_json, wants_json
from .handovers import submit_answer
from .models import Handover
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


def _answer_page(request: HttpRequest, handover: Handover | None, thanks_url: str) -> HttpResponse:
    """The form and its answer, the same for a short and a long address."""
    if handover is None:
        return _not_found(request)
    if request.method == "GET":
        return _closed(request, handover) or render_form(request, handover, submit_url=request.path)
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
        return stored_json(recorded, thanks_url)
    return redirect(thanks_url)


def _thanks_page(request: HttpRequest, handover: Handover | None, form_url: str) -> HttpResponse:
    if handover is None or handover.used_at is None:
        return redirect(form_url)
    goals = ask_goals(request, handover)  # issue #17: the goals' scores after an outcome form
    question = ask(request, handover) if goals is None else None  # the comment after an alliance
    shown = goals or question
    if shown.sent:
        return redirect(request.path)
    context = {"handover": handover, "kiosk": False, "question": question, "goal_question": goals}
    return render(request, "ratings/thanks.html", context, status=shown.status)


@require_http_methods(["GET", "POST"])
def remote(request: HttpRequest, token: str) -> HttpResponse:
    """A long address, /svar/<token>:<signature>/, as sent before the short ones."""
    limited = _too_many(request)
    if limited is not None:
        return limited
    thanks_url = reverse("ratings:remote_thanks", args=[token])
    return _answer_page(request, links.handover_for_token(token), thanks_url)


def thanks(request: HttpRequest, token: str) -> HttpResponse:
    form_url = reverse("ratings:remote", args=[token])
    return _thanks_page(request, links.handover_for_token(token), form_url)


@require_http_methods(["GET", "POST"])
def short(request: HttpRequest, code: str) -> HttpResponse:
    """A short address, /s/<code>, made for a text message."""
    limited = _too_many(request)
    if limited is not None:
        return limited
    thanks_url = reverse("ratings:short_thanks", args=[code])
    return _answer_page(request, links.handover_for_code(code), thanks_url)


def short_thanks(request: HttpRequest, code: str) -> HttpResponse:
    form_url = reverse("ratings:short", args=[code])
    return _thanks_page(request, links.handover_for_code(code), form_url)
