"""The helper's page of offers talked about with the client in one episode, and its save.

Asked of `services.clients.access` like the client page: a 404 for anyone who may not see the
client, and only helpers of the client's service may tick (a leader allowed to see clients only
looks). The page's read and every tick and untick are in the access log. A refusal shows the
page again with the reason and a 400, and nothing is half saved.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from services.audit import log
from services.audit.models import Action
from services.clients import access
from services.clients.episode_views import helper_membership

from . import reading, talked_about
from .talked_forms import TalkedAboutForm


def page_url(episode) -> str:
    return reverse("offers:talked_about", args=[episode.client_id, episode.pk])


def _form(episode, offers, data=None) -> TalkedAboutForm:
    return TalkedAboutForm(
        data,
        offer_ids=[offer.pk for offer in offers],
        earliest=episode.start_date,
        initial={"offers": [offer.pk for offer in offers if offer.talked_on]},
        auto_id="talked_%s",
    )


def _page(request, client, episode, *, offers, form=None, status=200) -> HttpResponse:
    log.record(
        Action.VIEW, obj=client, client=client, request=request, detail="offers talked about page"
    )
    form = form or _form(episode, offers)
    language = get_language() or reading.DEFAULT
    chosen = {str(value) for value in (form["offers"].value() or [])}
    rows = [
        {
            "offer": offer,
            "title": reading.text(offer, "title", language),
            "ticked": str(offer.pk) in chosen,
            "peer": offer.is_peer_or_self_help,
        }
        for offer in offers
    ]
    may_change = access.helper_memberships(request.user).filter(service=client.service_id)
    context = {
        "client": client,
        "episode": episode,
        "form": form,
        "rows": rows,
        "talked": sum(1 for offer in offers if offer.talked_on),
        "may_change": episode.is_open and may_change.exists(),
    }
    return render(request, "offers/talked_about.html", context, status=status)


@login_required
@require_GET
def talked_about_page(request: HttpRequest, pk: int, episode_pk: int) -> HttpResponse:
    client = access.client_for(request.user, pk)
    episode = access.episode_for(request.user, client, episode_pk)
    return _page(request, client, episode, offers=talked_about.choices(episode))


@login_required
@require_POST
def save(request: HttpRequest, pk: int, episode_pk: int) -> HttpResponse:
    client = access.client_for(request.user, pk)
    helper_membership(request.user, client)
    episode = access.episode_for(request.user, client, episode_pk)
    offers = talked_about.choices(episode)
    if not episode.is_open:
        messages.error(request, _("The episode is closed."))
        return _page(request, client, episode, offers=offers, status=400)
    form = _form(episode, offers, request.POST)
    if not form.is_valid():
        return _page(request, client, episode, offers=offers, form=form, status=400)
    changes = talked_about.record(
        client,
        episode,
        set(form.cleaned_data["offers"]),
        allowed={offer.pk for offer in offers},
        on=form.cleaned_data["talked_on"],
        request=request,
    )
    if changes.added or changes.removed:
        messages.success(request, _("The offers talked about are saved."))
    else:
        messages.info(request, _("Nothing was changed."))
    return redirect(page_url(episode))
