"""An entry in the reader's language, text by text, with the offers' fallback to bokmål
(`services.offers.reading.text`), and where it came from in a client's words."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from services.offers.reading import Text, text

from .models import ChangeMade, Source

# On the public pages the source is said as to a client; "other" needs no words.
HEARD_IN = {
    Source.SUGGESTIONS: _("From the suggestion box"),
    Source.COMMENTS: _("From comments after conversations"),
    Source.OUTCOMES: _("From your answers on the forms"),
}


@dataclass(frozen=True)
class ShownChange:
    change: ChangeMade
    said: Text
    did: Text
    theme: Text | None
    heard_in: str


def shown(change: ChangeMade, language: str) -> ShownChange:
    theme = change.theme
    return ShownChange(
        change=change,
        said=text(change, "said", language),
        did=text(change, "did", language),
        theme=text(theme, "name", language) if theme is not None else None,
        heard_in=str(HEARD_IN.get(change.source, "")),
    )


def shown_all(changes, language: str) -> list[ShownChange]:
    return [shown(change, language) for change in changes]
