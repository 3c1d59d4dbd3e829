"""The correction page of one answer, and its three POST actions: edit, move, delete.

Only the helpers who may see the client (services.clients.access) and who are helpers in the
client's service may correct; to move an answer to another client, the helper must be allowed
to see that client too. Everything else is a 404, as for every client page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from services.audit import log
from services.audit.models import Action
from services.clients import access
from services.clients.episode_views import helper_membership
from services.clients.views import episode_url
from services.sessions.models import Session

from .correction_forms import DeleteRatingForm, EditRatingForm, MoveRatingForm
from .corrections import CorrectionError, delete_rating, edit_rating, move_rating
from .models import Rating


def _client_and_rating(request, pk: int, rating_pk: int):
    client = access.client_for(request.user, pk)
    helper_membership(request.user, client)
    rating = (
        Rating.objects.filter(
            pk=rating_pk,
            session__episode__client=client,
            session__episode__in=access.visible_episodes(request.user),
        )
        .select_related("session__episode", "instrument")
        .first()
    )
    if rating is None:
        raise Http404
    return client, rating


def _target(request, client, code: str):
    """The client the answer would move to: this one, or the one with `code` in the same
    service if the user may see them (None otherwise)."""
    code = code.strip()
    if not code or code == client.code:
        return client
    return (
        access.visible_clients(request.user).filter(service_id=client.service_id, code=code).first()
    )


def _sessions(request, target, rating):
    if target is None:
        return Session.objects.none()
    return (
        Session.objects.filter(
            episode__client=target, episode__in=access.visible_episodes(request.user)
        )
        .exclude(pk=rating.session_id)
        .select_related("episode")
        .order_by("-episode__start_date", "-number")
    )


def _page(request, client, rating, *, code="", edit=None, move=None, delete=None, status=200):
    target = _target(request, client, code)
    log.record(Action.VIEW, obj=client, client=client, request=request, detail="correct answer")
    if target is not None and target.pk != client.pk:
        log.record(
            Action.VIEW, obj=target, client=target, request=request, detail="move answer here"
        )
    sessions = _sessions(request, target, rating)
    context = {
        "client": client,
        "episode": rating.session.episode,
        "rating": rating,
        "code": code.strip(),
        "target": target,
        "edit_form": edit or EditRatingForm(rating=rating),
        "move_form": move
        or MoveRatingForm(sessions=sessions, initial={"to": target.code if target else ""}),
        "delete_form": delete or DeleteRatingForm(),
    }
    return render(request, "ratings/corrections/correct.html", context, status=status)


@login_required
@require_GET
def correct(request: HttpRequest, pk: int, rating_pk: int) -> HttpResponse:
    client, rating = _client_and_rating(request, pk, rating_pk)
    return _page(request, client, rating, code=request.GET.get("til", "")[:40])


def _done(request, episode, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(episode_url(episode))


@login_required
@require_POST
def edit(request: HttpRequest, pk: int, rating_pk: int) -> HttpResponse:
    client, rating = _client_and_rating(request, pk, rating_pk)
    form = EditRatingForm(request.POST, rating=rating)
    if form.is_valid():
        try:
            edit_rating(
                rating,
                **form.scores(),
                rater=form.cleaned_data["rater"],
                rater_name=form.cleaned_data["rater_name"],
                reason=form.cleaned_data["reason"],
                user=request.user,
                request=request,
            )
        except CorrectionError as error:
            form.add_error(form.field_for(error.field), error.message)
        else:
            return _done(request, rating.session.episode, _("The answer is corrected."))
    return _page(request, client, rating, edit=form, status=400)


@login_required
@require_POST
def move(request: HttpRequest, pk: int, rating_pk: int) -> HttpResponse:
    client, rating = _client_and_rating(request, pk, rating_pk)
    code = request.POST.get("move-to", "")[:40]
    target = _target(request, client, code)
    form = MoveRatingForm(request.POST, sessions=_sessions(request, target, rating))
    if form.is_valid():
        try:
            move_rating(
                rating,
                to_session=form.cleaned_data["session"],
                reason=form.cleaned_data["reason"],
                user=request.user,
                request=request,
            )
        except CorrectionError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return _done(request, rating.session.episode, _("The answer is moved."))
    return _page(request, client, rating, code=code, move=form, status=400)


@login_required
@require_POST
def delete(request: HttpRequest, pk: int, rating_pk: int) -> HttpResponse:
    client, rating = _client_and_rating(request, pk, rating_pk)
    form = DeleteRatingForm(request.POST)
    if form.is_valid():
        try:
            delete_rating(
                rating, reason=form.cleaned_data["reason"], user=request.user, request=request
            )
        except CorrectionError as error:
            form.add_error(None, error.message)
        else:
            return _done(request, rating.session.episode, _("The answer is deleted."))
    return _page(request, client, rating, delete=form, status=400)
