"""The helper's side: handing a form over on the tablet or as a link, and showing the link."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from services.accounts.pin import blocked_until, tries_left
from services.audit import log
from services.audit.models import Action
from services.clients import access

from . import kiosk, links
from .forms import HandoverForm, form_names
from .handovers import prepare_handover
from .models import Handover, Method
from .recording import RatingError


@login_required
@require_http_methods(["GET", "POST"])
def hand_over(request: HttpRequest, pk: int, episode_pk: int) -> HttpResponse:
    client = access.client_for(request.user, pk)
    episode = access.episode_for(request.user, client, episode_pk)
    form = HandoverForm(request.POST or None, names=form_names(episode))
    if request.method == "POST" and form.is_valid():
        try:
            handover = prepare_handover(
                episode, **form.cleaned_data, user=request.user, request=request
            )
        except RatingError as error:
            form.add_error(None, error.message)
        else:
            if handover.method == Method.TABLET:
                kiosk.start(request, handover)
                response = redirect("ratings:kiosk")
                kiosk.give(response, handover)
                return response
            return redirect("ratings:link", pk=client.pk, handover_pk=handover.pk)
    status = 400 if request.method == "POST" else 200
    log.record(Action.VIEW, obj=client, client=client, request=request, detail="hand-over form")
    context = {
        "client": client,
        "episode": episode,
        "form": form,
        "unlock": unlock_warning(request.user),
    }
    return render(request, "ratings/handover.html", context, status=status)


def unlock_warning(user) -> dict | None:
    """Tell the helper before handing over when wrong PINs have used up some of the tries."""
    until = blocked_until(user)
    if until is None and not user.unlock_failures:
        return None
    return {"blocked_until": until, "tries_left": tries_left(user)}


@login_required
def link(request: HttpRequest, pk: int, handover_pk: int) -> HttpResponse:
    """The remote link as an address to copy and a QR code to scan."""
    client = access.client_for(request.user, pk)
    handover = (
        Handover.objects.select_related("session__episode", "instrument")
        .filter(
            pk=handover_pk,
            method=Method.LINK,
            session__episode__client=client,
            group_turn__isnull=True,  # a group meeting's form is answered in the member's turn
        )
        .first()
    )
    if handover is None:
        raise Http404
    access.episode_for(request.user, client, handover.session.episode_id)
    return link_page(request, client, handover)


def link_page(request, client, handover, *, message_form=None, status=200) -> HttpResponse:
    """The link page, logged as a view; with the sending form's errors when `message_form`
    was refused (services.messaging)."""
    url = links.link_url(request, handover)
    log.record(Action.VIEW, obj=client, client=client, request=request, detail="remote link")
    context = {
        "client": client,
        "handover": handover,
        "url": url,
        "qr": links.qr_svg(url),
        "expired": handover.is_expired(timezone.now()),
    }
    if message_form is not None:
        context["message_form"] = message_form
    return render(request, "ratings/link.html", context, status=status)
