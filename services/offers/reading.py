"""An offer in the reader's language: nynorsk or English where the service wrote it, else
bokmål, field by field, so a half-translated offer still reads whole.

Each text carries the language it is in, so the page can mark a bokmål fallback with `lang`
and a screen reader pronounces it right.
"""

from dataclasses import dataclass

from .models import OTHER_LANGUAGES, Offer

DEFAULT = "nb"


@dataclass(frozen=True)
class Text:
    text: str
    lang: str

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text.strip())


@dataclass(frozen=True)
class ShownOffer:
    offer: Offer
    title: Text
    description: Text
    audience: Text
    when_where: Text


def text(offer: Offer, name: str, language: str) -> Text:
    """The field `name` in `language` if written there, else the bokmål text."""
    if language in OTHER_LANGUAGES:
        value = getattr(offer, f"{name}_{language}")
        if value.strip():
            return Text(value, language)
    return Text(getattr(offer, name), DEFAULT)


def shown(offer: Offer, language: str) -> ShownOffer:
    return ShownOffer(
        offer=offer,
        title=text(offer, "title", language),
        description=text(offer, "description", language),
        audience=text(offer, "audience", language),
        when_where=text(offer, "when_where", language),
    )


def shown_all(offers, language: str) -> list[ShownOffer]:
    return [shown(offer, language) for offer in offers]
