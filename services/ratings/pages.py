"""The pages a client sees: the rating form, the thank-you, a closed link.

They share one small stylesheet and one script instead of the staff pages' Bootstrap, so the form
loads fast on a weak connection, and they show nothing about the client but the greeting.
"""

import uuid
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.template.context_processors import csrf, i18n
from django.utils.translation import get_language

from services.measures.definitions import translate

from .answers import ITEM_PREFIX
from .models import Handover, Method


@dataclass(frozen=True)
class Line:
    key: str
    field: str
    label: str
    low: str
    high: str


def lines(handover: Handover, language: str) -> list[Line]:
    """The form's lines in the wording for the handover's rater: a parent answering a child
    form reads "The child", not the child's own "Me"."""
    spec = handover.instrument.spec
    return [
        Line(
            key=item.key,
            field=f"{ITEM_PREFIX}{item.key}",
            label=translate(spec.item_label(item, handover.rater), language),
            low=translate(item.low, language),
            high=translate(item.high, language),
        )
        for item in spec.items
    ]


def render_form(
    request: HttpRequest,
    handover: Handover,
    *,
    submit_url: str,
    error: str = "",
    status: int = 200,
    kiosk: bool | None = None,
) -> HttpResponse:
    """The form, with a fresh submission key each time it is drawn.

    `kiosk` says whether the form is the locked tablet's (by default: a tablet hand-over's); a
    group meeting's tablet passed round is not locked, so it passes False.
    """
    language = get_language() or "nb"
    spec = handover.instrument.spec
    context = {
        "handover": handover,
        "kiosk": handover.method == Method.TABLET if kiosk is None else kiosk,
        "title": translate(spec.name_for(handover.rater), language),
        "question": translate(spec.question_for(handover.rater), language),
        "lines": lines(handover, language),
        "faces": spec.faces,
        "scale_max": spec.scale_max,
        "decimals": spec.decimals,
        "submission_key": uuid.uuid4(),
        "submit_url": submit_url,
        "error": error,
    }
    return render_client_page(request, "ratings/form.html", context, status=status)


def render_closed(request: HttpRequest, message: str, *, status: int) -> HttpResponse:
    return render_client_page(request, "ratings/closed.html", {"message": message}, status=status)


def render_client_page(
    request: HttpRequest, template: str, context: dict, *, status: int = 200
) -> HttpResponse:
    """A client page with only what it uses: the request, the CSRF token and the language.

    The staff pages' context processors are left out: the client sees no menu, user or
    messages, and the one for the menu's roles costs a query on every drawing of the tablet form.
    """
    context = {**i18n(request), **csrf(request), "request": request, **context}
    return HttpResponse(loader.render_to_string(template, context), status=status)
