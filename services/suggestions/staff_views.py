"""The readers' pages: the notes with their tag, spam mark and reply, and the themes and places.

Who may open them is `access`'s: the service's leaders, administrators and user-council
members read and answer; leaders and administrators keep the themes and places. The notes are
anonymous, so reading them is not logged; each change is, in its transaction (one access-log
row, as for the offers), so the service can see who replied or published what.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from services.audit import log
from services.audit.models import Action

from . import access, listing
from .forms import PlaceForm, RenamePlaceForm, ReplyForm, TagForm, ThemeForm

PER_PAGE = 25


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The services whose notes the user reads; straight to the list when there is one."""
    services = list(access.readable_services(request.user))
    if not services:
        raise Http404
    if len(services) == 1:
        return redirect("suggestions:staff_list", services[0].code)
    return render(request, "suggestions/staff/index.html", {"services": services})


def _public_urls(request, service, places) -> list[tuple[str, str, str]]:
    """(name, page, poster) for the service and each of its places."""
    urls = [
        (
            service.name,
            reverse("suggestions:public", args=[service.code]),
            reverse("suggestions:poster", args=[service.code]),
        )
    ]
    for place in places:
        args = [service.code, place.slug]
        urls.append(
            (
                place.name,
                reverse("suggestions:place", args=args),
                reverse("suggestions:place_poster", args=args),
            )
        )
    return [(name, request.build_absolute_uri(page), poster) for name, page, poster in urls]


@login_required
def note_list(request: HttpRequest, code: str) -> HttpResponse:
    reader = access.reader_for(request.user, code)
    service = reader.service
    filters = listing.filters_from(request.GET)
    themes, places = list(listing.themes(service)), list(listing.places(service))
    page = Paginator(listing.staff_notes(service, filters), PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "service": service,
        "reader": reader,
        "filters": filters,
        "back": request.GET.urlencode(),
        "themes": themes,
        "places": places,
        "page": page,
        "public_urls": _public_urls(request, service, places),
        "none": listing.NONE,
    }
    return render(request, "suggestions/staff/list.html", context)


def _note_page(request, reader, note, *, tag=None, reply=None, status=200) -> HttpResponse:
    service = reader.service
    context = {
        "service": service,
        "reader": reader,
        "note": note,
        "themes": list(listing.themes(service)),
        "tag_form": tag,
        "reply_form": reply,
        "back": _back(request),
    }
    return render(request, "suggestions/staff/note.html", context, status=status)


@login_required
def note(request: HttpRequest, code: str, note_id: int) -> HttpResponse:
    reader = access.reader_for(request.user, code)
    return _note_page(request, reader, listing.note_of(reader.service, note_id))


def _back(request) -> str:
    """The list's filters and page to return to, from the form's hidden field, kept to the
    list's own keys so nothing else can be carried along."""
    asked = QueryDict(request.POST.get("back", "") if request.method == "POST" else "")
    kept = QueryDict(mutable=True)
    for key in ("theme", "place", "spam", "page"):
        value = asked.get(key, "")
        if value and (value.isdigit() or value == listing.NONE):
            kept[key] = value
    return kept.urlencode()


def _to_list(request, service, note) -> HttpResponse:
    back = _back(request)
    url = reverse("suggestions:staff_list", args=[service.code])
    return redirect(f"{url}{'?' + back if back else ''}#note-{note.pk}")


def _changed(request, note, fields: list[str]) -> None:
    note.save(update_fields=fields)
    detail = f"suggestion box fields {', '.join(fields)}"
    log.record(Action.CHANGE, obj=note, service=note.service, request=request, detail=detail)


@login_required
@require_POST
@transaction.atomic
def tag(request: HttpRequest, code: str, note_id: int) -> HttpResponse:
    reader = access.reader_for(request.user, code)
    note = listing.note_of(reader.service, note_id)
    form = TagForm(request.POST, service=reader.service)
    if not form.is_valid():
        return _note_page(request, reader, note, tag=form, status=400)
    theme = form.cleaned_data["theme"]
    if note.theme_id != (theme.pk if theme else None):
        note.theme = theme
        _changed(request, note, ["theme"])
    messages.success(request, _("The theme is saved."))
    return _to_list(request, reader.service, note)


@login_required
@require_POST
@transaction.atomic
def spam(request: HttpRequest, code: str, note_id: int) -> HttpResponse:
    """Marks a note as spam or takes the mark off; a spam note is never shown publicly."""
    reader = access.reader_for(request.user, code)
    note = listing.note_of(reader.service, note_id)
    asked = request.POST.get("spam", "")
    if asked not in ("0", "1"):
        messages.error(request, _("Choose whether the note is spam."))
        return _note_page(request, reader, note, status=400)
    is_spam = asked == "1"
    if note.is_spam != is_spam:
        note.is_spam = is_spam
        fields = ["is_spam"]
        if is_spam and note.reply_public:
            note.reply_public = False
            fields.append("reply_public")
        _changed(request, note, fields)
    if is_spam:
        messages.success(request, _("The note is marked as spam and hidden from the list."))
    else:
        messages.success(request, _("The note is back in the list."))
    return _to_list(request, reader.service, note)


@login_required
@require_POST
@transaction.atomic
def reply(request: HttpRequest, code: str, note_id: int) -> HttpResponse:
    reader = access.reader_for(request.user, code)
    note = listing.note_of(reader.service, note_id)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return _note_page(request, reader, note, reply=form, status=400)
    text = form.cleaned_data["reply"].strip()
    public = form.cleaned_data["reply_public"] and not note.is_spam
    fields = []
    if text != note.reply:
        note.reply = text
        note.replied_on = timezone.localdate() if text else None
        note.replied_by = request.user if text else None
        fields += ["reply", "replied_on", "replied_by"]
    if public != note.reply_public:
        note.reply_public = public
        fields.append("reply_public")
    if fields:
        _changed(request, note, fields)
    messages.success(request, _("The reply is saved."))
    return _to_list(request, reader.service, note)


def _keeping_page(request, reader, *, theme_form=None, place_form=None, status=200):
    service = reader.service
    context = {
        "service": service,
        "reader": reader,
        "themes": [
            (theme, ThemeForm(instance=theme, service=service, prefix=f"theme-{theme.pk}"))
            for theme in listing.themes(service)
        ],
        "places": [
            (place, RenamePlaceForm(instance=place, prefix=f"place-{place.pk}"))
            for place in listing.places(service)
        ],
        "theme_form": theme_form or ThemeForm(service=service, prefix="new-theme"),
        "place_form": place_form or PlaceForm(service=service, prefix="new-place"),
    }
    return render(request, "suggestions/staff/themes.html", context, status=status)


@login_required
@transaction.atomic
def themes(request: HttpRequest, code: str) -> HttpResponse:
    """The themes and places; a POST here adds a theme."""
    reader = access.keeper_for(request.user, code)
    if request.method != "POST":
        return _keeping_page(request, reader)
    form = ThemeForm(request.POST, service=reader.service, prefix="new-theme")
    if not form.is_valid():
        return _keeping_page(request, reader, theme_form=form, status=400)
    return _add(request, reader, form, _("The theme %(name)s is added."))


def _add(request, reader, form, added: str) -> HttpResponse:
    """A new theme or place of the reader's service, logged, and back to the list of both."""
    obj = form.save(commit=False)
    obj.service = reader.service
    obj.save()
    log.record(Action.CREATE, obj=obj, service=reader.service, request=request)
    messages.success(request, added % {"name": obj.name})
    return redirect("suggestions:themes", reader.service.code)


def _rename(request, reader, form, obj) -> HttpResponse:
    changed = form.changed_data
    form.save()
    if changed:
        detail = f"suggestion box fields {', '.join(changed)}"
        log.record(Action.CHANGE, obj=obj, service=reader.service, request=request, detail=detail)
    messages.success(request, _("%(name)s is saved.") % {"name": obj.name})
    return redirect("suggestions:themes", reader.service.code)


@login_required
@require_POST
@transaction.atomic
def theme(request: HttpRequest, code: str, theme_id: int) -> HttpResponse:
    reader = access.keeper_for(request.user, code)
    found = listing.themes(reader.service).filter(pk=theme_id).first()
    if found is None:
        raise Http404
    form = ThemeForm(
        request.POST, instance=found, service=reader.service, prefix=f"theme-{found.pk}"
    )
    if not form.is_valid():
        messages.error(request, _("The theme was not saved: %(errors)s") % _errors(form))
        return _keeping_page(request, reader, status=400)
    return _rename(request, reader, form, found)


@login_required
@require_POST
@transaction.atomic
def add_place(request: HttpRequest, code: str) -> HttpResponse:
    reader = access.keeper_for(request.user, code)
    form = PlaceForm(request.POST, service=reader.service, prefix="new-place")
    if not form.is_valid():
        return _keeping_page(request, reader, place_form=form, status=400)
    return _add(request, reader, form, _("The place %(name)s is added."))


@login_required
@require_POST
@transaction.atomic
def place(request: HttpRequest, code: str, place_id: int) -> HttpResponse:
    reader = access.keeper_for(request.user, code)
    found = listing.places(reader.service).filter(pk=place_id).first()
    if found is None:
        raise Http404
    form = RenamePlaceForm(request.POST, instance=found, prefix=f"place-{found.pk}")
    if not form.is_valid():
        messages.error(request, _("The place was not saved: %(errors)s") % _errors(form))
        return _keeping_page(request, reader, status=400)
    return _rename(request, reader, form, found)


def _errors(form) -> dict[str, str]:
    return {"errors": " ".join(str(e) for errors in form.errors.values() for e in errors)}
