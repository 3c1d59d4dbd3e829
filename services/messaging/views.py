"""Sending a remote link by text message or e-mail from the link page, and taking one back.

The same access as the link page (`services.ratings.handover_views.link`): a 404 for anyone who
may not see the client's episode, so a guessed id reveals nothing. A refusal shows the link page
again with the reason and a 400, and nothing is stored. The typed number or address goes into
the queued message only, never into the page's address, the log or a message to the helper.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from services.clients import access
from services.ratings.handover_views import link_page
from services.ratings.models import Handover, Method

from . import sending, tasks
from .forms import SendLinkForm
from .models import OutgoingMessage


def _link_of(request: HttpRequest, pk: int, handover_pk: int):
    """The client and their remote link, asked exactly as the link page asks."""
    client = access.client_for(request.user, pk)
    handover = (
        Handover.objects.select_related("session__episode", "instrument")
        .filter(
            pk=handover_pk,
            method=Method.LINK,
            session__episode__client=client,
            group_turn__isnull=True,
        )
        .first()
    )
    if handover is None:
        raise Http404
    access.episode_for(request.user, client, handover.session.episode_id)
    return client, handover


def _link_page_url(client, handover) -> str:
    return reverse("ratings:link", args=[client.pk, handover.pk]) + "#meldinger"


def _refused(request, client, handover, form) -> HttpResponse:
    """The link page again, with the form's errors (as the link page itself shows it)."""
    return link_page(request, client, handover, message_form=form, status=400)


@login_required
@require_POST
def send(request: HttpRequest, pk: int, handover_pk: int) -> HttpResponse:
    client, handover = _link_of(request, pk, handover_pk)
    form = SendLinkForm(request.POST, auto_id="message_%s")
    if not form.is_valid():
        return _refused(request, client, handover, form)
    try:
        queued = sending.queue(
            handover,
            form.wanted(),
            created_by=request.user,
            hide_service_name=form.cleaned_data["hide_service_name"],
            language=form.cleaned_data["language"],
            request=request,
            client=client,
        )
    except sending.MessageError as error:
        form.add_error(error.field, error.message)
        return _refused(request, client, handover, form)
    if any(message.send_after <= timezone.now() for message in queued):
        tasks.send_soon()
    messages.success(
        request,
        ngettext(
            "The message is queued. Its status is shown below.",
            "The messages are queued. Their status is shown below.",
            len(queued),
        ),
    )
    return redirect(_link_page_url(client, handover))


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int, handover_pk: int) -> HttpResponse:
    """Take back a waiting message; one already sent or given up is left as it is."""
    client, handover = _link_of(request, pk, handover_pk)
    message_id = request.POST.get("message", "")
    message = (
        OutgoingMessage.objects.filter(handover=handover, pk=message_id).first()
        if message_id.isdigit()
        else None
    )
    if message is not None and sending.cancel(message, request=request):
        messages.success(request, _("The message is cancelled."))
    else:
        messages.info(request, _("There was no waiting message to cancel."))
    return redirect(_link_page_url(client, handover))
