"""The leaders' "vi gjorde" pages: the service's entries, a new one, a change to one, and
publishing. Found through `access.place_for` (a 404 outside the user's own service, and an entry
of another service is a 404 too); each change writes one access-log row in its transaction.
No client data is read or shown here: the entries are the service's words about itself.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from services.audit import log
from services.audit.models import Action
from services.suggestions.models import Theme

from . import access, listing
from .forms import ChangeForm
from .models import ChangeMade, Source

PAGE_SIZE = 20


def _change_for(service, change_id: int) -> ChangeMade:
    change = listing.of_service(service.pk).filter(pk=change_id).first()
    if change is None:
        raise Http404
    return change


def _theme_from(request: HttpRequest, service) -> Theme | None:
    """The theme named by ?tema=, one of this service's; 404 for anything else."""
    wanted = request.GET.get("tema")
    if wanted in (None, ""):
        return None
    theme = Theme.objects.filter(service=service, pk=wanted).first() if wanted.isdigit() else None
    if theme is None:
        raise Http404
    return theme


def _context(place, **more) -> dict:
    """What every page here needs; the administrators' tabs only for administrators."""
    return {
        "service": place.service,
        "may_write": place.may_write,
        "hide_admin_tabs": not place.administers,
        **more,
    }


@login_required
def change_list(request: HttpRequest, code: str) -> HttpResponse:
    place = access.place_for(request.user, code)
    service = place.service
    page = Paginator(listing.of_service(service.pk), PAGE_SIZE).get_page(request.GET.get("page"))
    context = _context(
        place,
        page=page,
        themes=list(Theme.objects.filter(service=service)) if place.may_write else [],
        public_url=request.build_absolute_uri(reverse("changes:public", args=[service.code])),
    )
    return render(request, "changes/staff/list.html", context)


def _form_page(request, place, form, change=None) -> HttpResponse:
    status = 400 if request.method == "POST" else 200
    context = _context(place, form=form, change=change)
    return render(request, "changes/staff/form.html", context, status=status)


@login_required
@transaction.atomic
def new(request: HttpRequest, code: str) -> HttpResponse:
    """A new entry, unpublished; started from a suggestion theme with ?tema=<id>."""
    place = access.place_for(request.user, code, write=True)
    service = place.service
    theme = _theme_from(request, service)
    initial = {"theme": theme, "source": Source.SUGGESTIONS} if theme else {}
    form = ChangeForm(request.POST or None, service=service, initial=initial)
    if request.method == "POST" and form.is_valid():
        change = form.save(commit=False)
        change.created_by = request.user
        change.save()
        log.record(Action.CREATE, obj=change, service=service, request=request)
        messages.success(
            request, _("The entry is saved. Publish it when it is ready to be read by everyone.")
        )
        return redirect("changes:staff_list", service.code)
    return _form_page(request, place, form)


@login_required
@transaction.atomic
def edit(request: HttpRequest, code: str, change_id: int) -> HttpResponse:
    place = access.place_for(request.user, code, write=True)
    service = place.service
    change = _change_for(service, change_id)
    form = ChangeForm(request.POST or None, service=service, instance=change)
    if request.method == "POST" and form.is_valid():
        changed = form.changed_data
        form.save()
        if changed:
            detail = f"change fields {', '.join(changed)}"
            log.record(Action.CHANGE, obj=change, service=service, request=request, detail=detail)
        messages.success(request, _("The entry is saved."))
        return redirect("changes:staff_list", service.code)
    return _form_page(request, place, form, _change_for(service, change_id))


@require_POST
@login_required
@transaction.atomic
def set_published(request: HttpRequest, code: str, change_id: int) -> HttpResponse:
    """Shown on the public page ("published=1"), or taken off it (anything else)."""
    place = access.place_for(request.user, code, write=True)
    service = place.service
    change = _change_for(service, change_id)
    wanted = request.POST.get("published") == "1"
    if change.published != wanted:
        change.published = wanted
        change.published_on = timezone.localdate() if wanted else None
        change.save(update_fields=["published", "published_on"])
        detail = "published" if wanted else "unpublished"
        log.record(Action.CHANGE, obj=change, service=service, request=request, detail=detail)
    if wanted:
        message = _("The entry is published: everyone can read it now.")
    else:
        message = _("The entry is no longer shown on the public page.")
    messages.success(request, message)
    return redirect("changes:staff_list", service.code)
