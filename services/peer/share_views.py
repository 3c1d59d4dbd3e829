"""Sharing a client's episode with a supervision group, from the client page, and withdrawing
it. The helper sees what the group will see before they share; the consent box is required."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from services.audit import log
from services.audit.models import Action
from services.clients import access as client_access

from . import access, sharing, snapshot
from .forms import ShareForm
from .models import SharedCase


@login_required
def share(request: HttpRequest, pk: int, episode_pk: int) -> HttpResponse:
    client, episode = access.may_share_from(request.user, pk, episode_pk)
    groups = access.shareable_groups(request.user, episode)
    form = ShareForm(request.POST or None, groups=groups, episode=episode)
    if request.method == "POST" and form.is_valid():
        case = sharing.share(
            episode,
            form.cleaned_data["group"],
            form.cleaned_data["question"],
            user=request.user,
            request=request,
        )
        messages.success(
            request,
            _("Shared as %(label)s with %(group)s.")
            % {"label": case.label, "group": case.group.name},
        )
        return redirect(f"{reverse('clients:detail', args=[client.pk])}?episode={episode.pk}")
    preview = snapshot.take(episode)
    log.record(Action.VIEW, obj=client, client=client, request=request, detail="peer share form")
    context = {
        "client": client,
        "episode": episode,
        "form": form,
        "has_groups": bool(form.fields["group"].queryset),
        "sessions": preview["sessions"],
        "signals": snapshot.described_signals(preview),
        "outcome": snapshot.outcome_title(preview),
        "age_group": snapshot.age_group_label(preview),
        "shared": SharedCase.objects.filter(episode=episode).select_related("group__network"),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "peer/share.html", context, status=status)


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.withdrawable_case(request.user, pk)
    if sharing.withdraw(case, user=request.user, request=request):
        messages.success(
            request,
            _("%(label)s is withdrawn: the group no longer sees its scores, question or comments.")
            % {"label": case.label},
        )
    episode = case.episode
    if client_access.visible_episodes(request.user).filter(pk=episode.pk).exists():
        url = reverse("clients:detail", args=[episode.client_id])
        return redirect(f"{url}?episode={episode.pk}")
    if access.visible_groups(request.user).filter(pk=case.group_id).exists():
        return redirect("peer:case", case.pk)
    return redirect("home")
