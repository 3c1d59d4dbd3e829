"""The reader's language, field by field, with bokmål where nothing else is written."""

from services.offers import reading
from services.offers.models import Kind, Offer


def an_offer(**fields) -> Offer:
    return Offer(title="Turgruppe", description="Vi går tur.", **fields)


def test_the_readers_language_is_used_where_it_is_written():
    shown = reading.shown(an_offer(title_nn="Turgruppe for alle", title_en="Walking group"), "en")
    assert (shown.title.text, shown.title.lang) == ("Walking group", "en")


def test_an_empty_translation_falls_back_to_bokmal_and_says_so():
    shown = reading.shown(an_offer(title_en="Walking group", description_en="  "), "en")
    assert (shown.description.text, shown.description.lang) == ("Vi går tur.", "nb")
    assert reading.shown(an_offer(), "nn").title.lang == "nb"


def test_bokmal_readers_see_bokmal_even_when_translations_exist():
    shown = reading.shown(an_offer(title_nn="Turgruppe (nn)"), "nb")
    assert (shown.title.text, shown.title.lang) == ("Turgruppe", "nb")


def test_an_empty_text_is_false_so_the_page_leaves_it_out():
    assert not reading.shown(an_offer(), "nb").audience


def test_peer_and_self_help_are_told_by_kind():
    assert an_offer(kind=Kind.SELF_HELP).is_peer_or_self_help
    assert an_offer(kind=Kind.PEER).is_peer_or_self_help
    assert an_offer(kind=Kind.USER_ORGANISATION).is_peer_or_self_help
    assert not an_offer(kind=Kind.COURSE).is_peer_or_self_help
