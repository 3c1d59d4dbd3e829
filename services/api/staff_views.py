"""The administrator's page for the service's API keys: make one (its secret shown this once),
see when each was last used, revoke one. Only the service's administrators reach it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from services.accounts import staff

from . import keys
from .forms import ApiKeyForm
from .models import ApiKey


def _page(request, service, form, *, status=200, new_key=None, text=None):
    context = {
        "service": service,
        "form": form,
        "keys": ApiKey.objects.filter(service=service).select_related("created_by"),
        "new_key": new_key,
        "key_text": text,
    }
    return render(request, "api/keys.html", context, status=status)


@login_required
def key_list(request, code: str):
    service = staff.service_for(request.user, code)
    if request.method != "POST":
        return _page(request, service, ApiKeyForm())
    form = ApiKeyForm(request.POST)
    if not form.is_valid():
        return _page(request, service, form, status=400)
    key, text = keys.issue(
        service,
        name=form.cleaned_data["name"],
        scope=form.cleaned_data["scope"],
        expires_at=form.expires_at(),
        created_by=request.user,
        request=request,
    )
    response = _page(request, service, ApiKeyForm(), new_key=key, text=text)
    response["Cache-Control"] = "no-store"  # the secret must not stay in a browser's cache
    return response


@require_POST
@login_required
def revoke(request, code: str, key_id: int):
    service = staff.service_for(request.user, code)
    key = get_object_or_404(ApiKey, service=service, pk=key_id)
    keys.revoke(key, request=request)
    messages.success(request, _("The key %(name)s is revoked.") % {"name": key.name})
    return redirect("api_keys:list", service.code)
