"""The helper enters a paper form afterwards."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from services.audit import log
from services.audit.models import Action
from services.clients import access
from services.clients.views import episode_url

from .forms import PaperForm
from .paper import record_paper
from .recording import RatingError


def _error_field(form: PaperForm, error: RatingError) -> str | None:
    """The form field a scoring error is about (items are named by key in the instrument)."""
    if error.field in form.fields:
        return error.field
    keys = form.cleaned_data["instrument"].spec.item_keys
    if error.field in keys and keys.index(error.field) < form.item_count:
        return f"item{keys.index(error.field) + 1}"
    return None


@login_required
@require_http_methods(["GET", "POST"])
def paper(request: HttpRequest, pk: int, episode_pk: int) -> HttpResponse:
    client = access.client_for(request.user, pk)
    episode = access.episode_for(request.user, client, episode_pk)
    form = PaperForm(request.POST or None, episode=episode)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            recorded = record_paper(
                session=data["session"],
                instrument=data["instrument"],
                items=form.item_values(),
                total=data["total"],
                rater=data["rater"],
                rater_name=data["rater_name"],
                submission_key=data["submission_key"],
                user=request.user,
                request=request,
            )
        except RatingError as error:
            form.add_error(_error_field(form, error), error.message)
        else:
            if recorded.created:
                messages.success(request, _("The paper form is saved."))
            return redirect(episode_url(episode))
    status = 400 if request.method == "POST" else 200
    log.record(Action.VIEW, obj=client, client=client, request=request, detail="paper entry form")
    context = {"client": client, "episode": episode, "form": form}
    return render(request, "ratings/paper.html", context, status=status)
