"""The suggestion box's public page and its poster, for anyone, without login.

Nothing that could identify the writer is kept: the note is stored with its text and the day
only. The view never touches the session (no session cookie), writes no access-log row (that
row would hold the writer's address) and logs nothing about the note; the request log line
names only the route (`feedback.request_log`). The language is chosen with a link (`?lang=nn`)
rather than the language switch, whose cookie would be one more thing left on the device. The
per-address request limit counts in the shared cache only, for ten minutes.

A note that looks like it holds a phone number, an email address or an identity number is not
refused: the page warns and the writer may send it as it is (`personal`).
"""

from dataclasses import dataclass

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header, urlencode
from django.utils.text import capfirst
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from feedback.ratelimit import over_limit
from services.accounts.models import Service
from services.offers.reading import text as shown_text

from . import listing, personal
from .forms import NoteForm
from .models import MAX_TEXT, Note, Place
from .poster import Poster, poster_pdf

# A day centre's guests may share one Wi-Fi address: generous, but a script is stopped.
POSTS_PER_TEN_MINUTES = 20
# Drawing a poster takes a few tenths of a second: enough for any print room, not for a script.
POSTERS_PER_TEN_MINUTES = 30
# Each language named in itself as on the forms' language switch ("Norsk (bokmål)").
LANGUAGES = {
    code: capfirst(get_language_info(code)["name_local"]) for code, _ in settings.LANGUAGES
}


def _where(code: str, slug: str | None) -> tuple[Service, Place | None]:
    """The service and, on a place's page, the place; 404 for either unknown."""
    service = Service.objects.filter(code=code).first()
    if service is None:
        raise Http404
    if slug is None:
        return service, None
    place = Place.objects.filter(service=service, slug=slug).first()
    if place is None:
        raise Http404
    return service, place


def _chosen(request: HttpRequest) -> str | None:
    """The language picked with the page's own links, if any."""
    asked = request.GET.get("lang", "")
    return asked if asked in LANGUAGES else None


def _page_url(service: Service, place: Place | None, **query) -> str:
    args = [service.code] + ([place.slug] if place else [])
    url = reverse("suggestions:place" if place else "suggestions:public", args=args)
    query = {key: value for key, value in query.items() if value}
    return f"{url}?{urlencode(query)}" if query else url


@require_http_methods(["GET", "POST"])
def note_page(request: HttpRequest, code: str, place: str | None = None) -> HttpResponse:
    service, where = _where(code, place)
    chosen = _chosen(request)
    language = chosen or translation.get_language() or settings.LANGUAGE_CODE
    with translation.override(language):
        response = _answer(request, service, where, chosen, language)
    response["Content-Language"] = language
    return response


@dataclass(frozen=True)
class Received:
    """What became of a posted note: stored, or the form back with why not."""

    form: NoteForm
    warning: tuple[str, ...] = ()  # the soft check's findings (`personal.KINDS` keys)
    status: int = 200
    message: str = ""
    stored: bool = False


def receive(request: HttpRequest, service: Service, place: Place | None) -> Received:
    """Store the posted note unless it is over the limit, invalid, or looks personal and was
    not confirmed. The row gets the text and today's date, nothing else about the request."""
    if over_limit(request, "suggestion", POSTS_PER_TEN_MINUTES, 600):
        message = _("Too many notes from this network. Wait a few minutes and try again.")
        return Received(NoteForm(), status=429, message=message)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return Received(form, status=400)
    text = form.cleaned_data["text"]
    warning = tuple(personal.looks_personal(text))
    if warning and not form.cleaned_data["confirmed"]:
        return Received(form, warning=warning)
    Note.objects.create(service=service, place=place, text=text, received_on=timezone.localdate())
    return Received(form, stored=True)


def _answer(request, service, place, chosen, language) -> HttpResponse:
    received = receive(request, service, place) if request.method == "POST" else None
    if received is not None and received.stored:
        return redirect(_page_url(service, place, lang=chosen, sendt="1"))
    received = received or Received(NoteForm())
    context = {
        "service": service,
        "place": place,
        "place_name": shown_text(place, "name", language) if place else None,
        "form": received.form,
        "warning": [personal.KINDS[kind] for kind in received.warning],
        "message": received.message,
        "sent": request.method == "GET" and request.GET.get("sendt") == "1",
        "notes": listing.public_notes(service, place),
        "limit": MAX_TEXT,
        "action": _page_url(service, place, lang=chosen),
        "languages": [
            (code, name, _page_url(service, place, lang=code)) for code, name in LANGUAGES.items()
        ],
        "language": language,
    }
    return render(request, "suggestions/public.html", context, status=received.status)


@require_GET
def poster(request: HttpRequest, code: str, place: str | None = None) -> HttpResponse:
    """The A4 poster with the page's QR code, drawn when asked for."""
    service, where = _where(code, place)
    if over_limit(request, "suggestion-poster", POSTERS_PER_TEN_MINUTES, 600):
        return HttpResponse(
            _("Too many posters from this network. Wait a few minutes and try again."),
            status=429,
            content_type="text/plain; charset=utf-8",
        )
    content = Poster(
        service_name=service.name,
        place_name=where.name if where else "",
        url=request.build_absolute_uri(_page_url(service, where)),
    )
    name = f"forslagskasse-{service.code}" + (f"-{where.slug}" if where else "") + ".pdf"
    response = HttpResponse(poster_pdf(content), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, name)
    return response
