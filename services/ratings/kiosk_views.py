"""The tablet in the client's hands: the form, sending the answer, thank-you, unlocking.

Each page works on the staff session's lock while the helper's session lives, and on the tablet's
own hand-over cookie (`kiosk.own_authority`) once it has run out, so a client who takes their time
is still thanked at once; the helper then logs in to take the tablet back.
"""

import hashlib
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe
from django_otp import user_has_device

from services.accounts.pin import Unlock, blocked_until, lift_block, tries_left, try_unlock
from services.accounts.two_factor import verify_code
from services.audit import log
from services.audit.models import Action
from services.clients import access
from services.clients.views import episode_url
from services.comments.question import ask
from services.goals.question import ask as ask_goals

from . import kiosk
from .answers import error_json, read_answer, stored_json, wants_json
from .curve import client_curve
from .handovers import submit_answer
from .models import Handover, Method
from .pages import render_client_page, render_form
from .recording import RatingError


def _nothing_handed_over(request: HttpRequest) -> HttpResponse:
    """No hand-over on this tablet: a staff member goes home, anyone else to the login."""
    if request.user.is_authenticated:
        return redirect("home")
    return redirect_to_login(request.get_full_path())


def form(request: HttpRequest) -> HttpResponse:
    handover = kiosk.current_handover(request)
    if handover is None:
        return _nothing_handed_over(request)
    if handover.used_at is not None:
        return redirect("ratings:kiosk_thanks")
    return render_form(request, handover, submit_url=reverse("ratings:kiosk_submit"))


def _tablet_handovers(request: HttpRequest, token: str) -> QuerySet[Handover]:
    """The tablet handover with this token, if the signed-in user may see its client: a
    queryset, so that `submit_answer` reads, checks and locks it in one query."""
    try:
        value = uuid.UUID(str(token))
    except ValueError:
        raise Http404 from None
    visible = access.visible_clients(request.user).filter(
        pk=OuterRef("session__episode__client_id")
    )
    return Handover.objects.filter(Exists(visible), token=value, method=Method.TABLET)


def _refused(request: HttpRequest, message: str, status: int) -> HttpResponse:
    """Kept on the device and sent again later (the page treats 403/404 as "try again")."""
    if wants_json(request):
        return JsonResponse({"status": "error", "message": message}, status=status)
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def _own_handovers(tablet: kiosk.Tablet, token: str) -> QuerySet[Handover] | None:
    """The hand-over the tablet's cookie names, if the answer is to that one; else None."""
    if token != tablet.token.hex:
        return None
    return kiosk.handed_over(tablet)


@require_POST
def submit(request: HttpRequest) -> HttpResponse:
    """Store an answer from the tablet; also answers sent later from the device's outbox.

    Signed in, the helper may send any tablet answer of a client they can see. Otherwise only
    the tablet's own hand-over may be answered, on its cookie; anything else stays on the device
    (403) until the helper logs in.
    """
    tablet = kiosk.own_authority(request)
    if not request.user.is_authenticated and tablet is None:
        return _refused(request, _("Log in again to send the answer."), 403)
    try:
        answer = read_answer(request)
        if tablet is None:
            handovers = _tablet_handovers(request, answer.handover)
        else:
            handovers = _own_handovers(tablet, answer.handover)
    except RatingError as error:
        return _error(request, error, None)
    except Http404:
        return _refused(request, _("This answer cannot be sent from here."), 404)
    if handovers is None:
        return _refused(request, _("Log in again to send the answer."), 403)
    try:
        recorded = submit_answer(
            handovers,
            submission_key=answer.submission_key,
            items=answer.items,
            instrument_key=answer.instrument,
            user=request.user if request.user.is_authenticated else None,
            request=request,
        )
    except Handover.DoesNotExist:
        if not request.user.is_authenticated:
            return _refused(request, _("Log in again to send the answer."), 403)
        return _refused(request, _("This answer cannot be sent from here."), 404)
    except RatingError as error:
        return _error(request, error, handovers)
    handover = recorded.handover
    locked = kiosk.state(request)
    if not request.user.is_authenticated or (locked or {}).get("handover") == handover.pk:
        next_url = reverse("ratings:kiosk_thanks")
    else:
        next_url = episode_url(handover.session.episode)
    if wants_json(request):
        return stored_json(recorded, next_url)
    return redirect(next_url)


def _error(request, error: RatingError, handovers: QuerySet[Handover] | None) -> HttpResponse:
    response = error_json(error)
    if wants_json(request) or handovers is None:
        return response
    handover = handovers.select_related("session__episode__client", "instrument").first()
    if handover is None or handover.used_at is not None:
        return response
    return render_form(
        request,
        handover,
        submit_url=reverse("ratings:kiosk_submit"),
        error=str(error.message),
        status=response.status_code,
    )


def thanks(request: HttpRequest) -> HttpResponse:
    handover = kiosk.current_handover(request)
    if handover is None:
        return _nothing_handed_over(request)
    if handover.used_at is None:
        return redirect("ratings:kiosk")
    goals = ask_goals(request, handover)  # issue #17: the goals' scores after an outcome form
    question = ask(request, handover) if goals is None else None  # the comment after an alliance
    shown = goals or question
    if shown.sent:
        return redirect("ratings:kiosk_thanks")
    context = {"handover": handover, "kiosk": True, "question": question, "goal_question": goals}
    context["curve"] = client_curve(handover)
    return render(request, "ratings/thanks.html", context, status=shown.status)


def unlock(request: HttpRequest) -> HttpResponse:
    """The helper takes the tablet back with their PIN or password, or, when their session has
    run out while the client held the tablet, by logging in (which brings them back here)."""
    if kiosk.state(request) is None:
        return _taken_back_after_login(request)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    handover = kiosk.current_handover(request)
    error, status = "", 200
    if request.method == "POST" and "otp" in request.POST:
        if recover(request):
            return _unlocked(request, handover)
        error, status = _("The password or the code is not right."), 429
    elif request.method == "POST":
        secret = request.POST.get("pin", "") or request.POST.get("password", "")
        result = try_unlock(request.user, secret, request=request)
        if result == Unlock.OK:
            return _unlocked(request, handover)
        error, status = _unlock_error(request.user, result)
    elif blocked_until(request.user):
        error, status = _unlock_error(request.user, Unlock.BLOCKED)
    blocked = blocked_until(request.user) is not None
    context = {
        "handover": handover,
        "kiosk": True,
        "has_pin": bool(request.user.pin_hash),
        "answered": handover is not None and handover.used_at is not None,
        "error": error,
        "blocked": blocked,
        "can_recover": blocked and user_has_device(request.user, confirmed=True),
    }
    return render(request, "ratings/unlock.html", context, status=status)


def _taken_back_after_login(request: HttpRequest) -> HttpResponse:
    """No staff lock: the tablet holds its hand-over on its own, or it has just come back.

    Nobody signed in: the page asks the client to give the tablet back and the helper to log
    in. The helper signed in again: the hand-over ends (the middleware drops the cookie) and
    they are back on the client's page, as after unlocking with the PIN.
    """
    if request.user.is_authenticated:
        tablet = kiosk.read_cookie(request)
        if tablet is None:
            return redirect("home")
        handovers = _tablet_handovers(request, tablet.token.hex)
        return _unlocked(request, handovers.select_related("session__episode").first())
    handover = kiosk.current_handover(request)
    if handover is None:
        return redirect_to_login(request.get_full_path())
    context = {
        "handover": handover,
        "kiosk": True,
        "answered": handover.used_at is not None,
        "log_in": f"{reverse('login')}?next={reverse('ratings:unlock')}",
    }
    return render_client_page(request, "ratings/unlock.html", context)


def recover(request: HttpRequest) -> bool:
    """Lift a block with the password and a second-factor code, which a client does not have.

    The code is asked of the authenticator only when the password is right, so a wrong
    password costs nothing but says nothing either; django-otp throttles wrong codes.
    """
    user = request.user
    password, code = request.POST.get("password", ""), request.POST.get("otp", "")
    code = code.replace(" ", "").strip()
    if user.check_password(password) and code and verify_code(user, code) is not None:
        lift_block(user, request=request)
        log.record(Action.UNLOCK, obj=user, user=user, request=request, detail="tablet unlocked")
        return True
    log.record(Action.LOGIN_FAILED, user=user, request=request, detail="wrong tablet unlock")
    return False


def _unlock_error(user, result: Unlock) -> tuple[str, int]:
    user.refresh_from_db(fields=["unlock_failures", "unlock_locked_until"])
    if result == Unlock.BLOCKED:
        until = blocked_until(user) or timezone.now()
        minutes = max(1, int((until - timezone.now()).total_seconds() // 60) + 1)
        message = _("Too many wrong attempts. Try again in %(minutes)d minutes, or log out.") % {
            "minutes": minutes
        }
        return message, 429
    left = tries_left(user)
    message = ngettext(
        "The PIN or password is not right. %(left)d try left.",
        "The PIN or password is not right. %(left)d tries left.",
        left,
    ) % {"left": left}
    return message, 400


def _unlocked(request: HttpRequest, handover: Handover | None) -> HttpResponse:
    kiosk.end(request)
    if handover is None:
        return redirect("home")
    if handover.used_at is not None:
        messages.success(request, _("The answer is saved."))
    else:
        messages.info(request, _("The tablet is unlocked. No answer was sent."))
    return redirect(episode_url(handover.session.episode))


@require_POST
def language(request: HttpRequest) -> HttpResponse:
    """The client's language switch on the tablet; the helper's own setting is left alone.

    Kept in the tablet's cookie too, so the form stays in that language after the helper's
    session has run out.
    """
    handover = kiosk.current_handover(request)
    if handover is None:
        return _nothing_handed_over(request)
    chosen = request.POST.get("language", "")
    if chosen not in dict(settings.LANGUAGES):
        return redirect("ratings:kiosk")
    kiosk.choose_language(request, chosen)
    response = redirect("ratings:kiosk")
    kiosk.give(response, handover, chosen)
    return response


@require_safe
def worker(request: HttpRequest) -> HttpResponse:
    """The tablet's service worker (templates/ratings/tablet_worker.js).

    Served from the tablet's own folder, so its scope is the tablet's pages and nothing else of
    the app; the same for everyone, it names no client and needs no login. The assets' names
    are the hashed ones in production, so a new release gives a new worker.
    """
    assets = [static("rating/rating.css"), static("rating/rating.js")]
    context = {
        "scope": reverse("ratings:kiosk"),
        "form": reverse("ratings:kiosk"),
        "thanks": reverse("ratings:kiosk_thanks"),
        "unlock": reverse("ratings:unlock"),
        "assets": assets,
        "version": hashlib.sha256("\n".join(assets).encode()).hexdigest()[:12],
        "max_age_ms": int(kiosk.lifetime().total_seconds() * 1000),
    }
    script = loader.render_to_string("ratings/tablet_worker.js", context)
    response = HttpResponse(script, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response
