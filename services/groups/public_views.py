"""The members' pages at a meeting: the group QR code's page, where each member types their
personal code, and their turn: the outcome form (members who are clients), the group form, and
thanks. No login: the meeting's random token and the member's one-time turn are the authority.

On the tablet passed round (the leader's device, marked by `tablet_round`), the thank-you page
leads back to the code page for the next member; nobody is signed in on it, so no staff page is
within reach.

Only failures count against an address's limit (a wrong or used code, an unknown QR code): a
meeting's phones often share one address (the venue's network, a carrier's), and the tablet
passed round is one address for everyone, so counting every page would stop a large group.
"""

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from feedback.ratelimit import already_over, over_limit
from services.measures.models import Instrument
from services.ratings.answers import error_json, read_answer, wants_json
from services.ratings.handovers import LinkClosed, submit_answer
from services.ratings.models import Method, Rater
from services.ratings.pages import render_client_page, render_closed, render_form
from services.ratings.recording import RatingError

from . import tablet_round, turns
from .models import Turn, TurnMethod


@dataclass(frozen=True)
class GroupForm:
    """The group form as the form page draws it: what a hand-over gives it, for a member."""

    instrument: Instrument
    method: str = Method.LINK
    rater: str = Rater.CLIENT
    greeting: str = ""


def _unknown(request: HttpRequest) -> HttpResponse:
    message = _("This QR code does not work. Ask the group leader.")
    if wants_json(request):
        return JsonResponse({"status": "error", "message": message}, status=404)
    return render_closed(request, message, status=404)


FAILURES = "group-code"


def _failed(request: HttpRequest) -> None:
    over_limit(request, FAILURES, settings.REMOTE_LINK_RATE_LIMIT, 600)


def _too_many(request: HttpRequest) -> HttpResponse | None:
    if not already_over(request, FAILURES, settings.REMOTE_LINK_RATE_LIMIT):
        return None
    message = _("Too many attempts from this device. Wait a few minutes and try again.")
    if wants_json(request):
        return JsonResponse({"status": "error", "message": message}, status=429)
    return render_closed(request, message, status=429)


def _join_key(request: HttpRequest) -> uuid.UUID | None:
    try:
        return uuid.UUID(request.POST.get("join_key", ""))
    except ValueError:
        return None


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    limited = _too_many(request)
    if limited is not None:
        return limited
    meeting = turns.meeting_for_token(token)
    if meeting is None:
        _failed(request)
        return _unknown(request)
    if not turns.is_open(meeting):
        return render_closed(request, str(turns.CLOSED), status=410)
    on_tablet = tablet_round.is_round(request, meeting)
    context = {"meeting": meeting, "on_tablet": on_tablet, "code": "", "error": ""}
    if request.method == "GET":
        return render_client_page(request, "groups/join.html", context | {"key": uuid.uuid4()})
    code = request.POST.get("code", "")
    method = TurnMethod.TABLET if on_tablet else TurnMethod.PHONE
    try:
        turn = turns.open_turn(meeting, code, method, _join_key(request))
    except turns.NothingToAnswer as thanks:
        return render_closed(request, str(thanks.message), status=200)
    except turns.TurnRefused as refused:
        if refused.status in (400, 409):
            _failed(request)
        context |= {"code": code[:20], "error": str(refused.message), "key": uuid.uuid4()}
        return render_client_page(request, "groups/join.html", context, status=refused.status)
    return redirect("groups:turn", token=turn.token)


def _turn(token: uuid.UUID) -> Turn | None:
    return turns.turn_for_token(token)


@require_http_methods(["GET", "POST"])
def turn(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    """The member's next form at this meeting, and its answer. Its random address is the
    authority, so it counts against no limit."""
    current = _turn(token)
    if current is None:
        return _unknown(request)
    thanks_url = reverse("groups:turn_thanks", args=[token])
    if request.method == "POST":
        return _answer(request, current, thanks_url)
    if turns.needs_outcome(current):
        return render_form(request, current.handover, submit_url=request.path, kiosk=False)
    if turns.has_answered_group_form(current):
        return redirect(thanks_url)
    if not turns.is_open(current.meeting):
        return render_closed(request, str(turns.CLOSED), status=410)
    return _group_form(request, current)


def _group_form(request, current: Turn, *, error: str = "", status: int = 200) -> HttpResponse:
    instrument = turns.group_form(current.meeting.group.service_id)
    if instrument is None:
        return render_closed(request, str(turns.NO_GROUP_FORM), status=409)
    form = GroupForm(instrument)
    return render_form(
        request, form, submit_url=request.path, error=error, status=status, kiosk=False
    )


def _answer(request: HttpRequest, current: Turn, thanks_url: str) -> HttpResponse:
    """Store the answer to whichever form it names; the reply says where to go next."""
    outcome = current.handover
    try:
        answer = read_answer(request)
        if outcome is not None and answer.instrument == outcome.instrument.key:
            if not turns.is_open(current.meeting):  # ended early, or past midnight
                raise LinkClosed(turns.CLOSED, "submission_key")
            recorded = submit_answer(
                outcome,
                submission_key=answer.submission_key,
                items=answer.items,
                instrument_key=answer.instrument,
            )
            created = recorded.created
        else:
            _, created = turns.record_group_answer(
                current,
                submission_key=answer.submission_key,
                items=answer.items,
                instrument_key=answer.instrument,
            )
    except RatingError as error:
        response = error_json(error)
        status = response.status_code
        if status != 400 and not turns.needs_outcome(_turn(current.token)):
            # The outcome form can no longer be answered (closed or its slot taken another
            # way): the member goes on to the group form rather than being stuck on this one.
            if wants_json(request):
                body = {"status": "error", "message": str(error.message), "next": request.path}
                return JsonResponse(body, status=status)
            return redirect(request.path)
        if wants_json(request):
            return response
        message = str(error.message)
        if turns.needs_outcome(current):
            return render_form(
                request,
                current.handover,
                submit_url=request.path,
                error=message,
                status=status,
                kiosk=False,
            )
        return _group_form(request, current, error=message, status=status)
    current = _turn(current.token)
    done = not turns.needs_outcome(current) and turns.has_answered_group_form(current)
    next_url = thanks_url if done else request.path
    if wants_json(request):
        body = {"status": "stored" if created else "already_stored", "next": next_url}
        return JsonResponse(body, status=201 if created else 200)
    return redirect(next_url)


def thanks(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    current = _turn(token)
    if current is None:
        return _unknown(request)
    if turns.needs_outcome(current) or not turns.has_answered_group_form(current):
        return redirect("groups:turn", token=token)
    context = {
        "on_tablet": current.method == TurnMethod.TABLET,
        "next_member": reverse("groups:join", args=[current.meeting.token]),
    }
    return render_client_page(request, "groups/thanks.html", context)
