"""Every message is translated in bokmål, nynorsk and English, and the catalogues are compiled."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"


@pytest.mark.parametrize("language", [code for code, _ in settings.LANGUAGES])
def test_every_message_is_translated_and_compiled(language):
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    assert len(po) > 100
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    compiled = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))
    assert {e.msgid: e.msgstr for e in compiled if e.msgid} == {
        e.msgid: e.msgstr for e in po.translated_entries() if not e.msgid_plural
    } | {e.msgid: e.msgstr for e in compiled if e.msgid_plural}


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_norwegian_catalogues_are_norwegian(language):
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    translated = {e.msgid: e.msgstr for e in po}
    assert translated["Log in"] == "Logg inn"
    assert translated["Every line must be marked."] != "Every line must be marked."


def test_the_english_catalogue_says_each_message_as_written():
    """The source texts are English: an English entry that says anything else is a fuzzy guess
    left behind (a goal count once read "%(count)d of %(total)d" and broke the caseload)."""
    po = polib.pofile(str(LOCALE / "en" / "LC_MESSAGES" / "django.po"))
    assert [e.msgid for e in po if not e.msgid_plural and e.msgstr != e.msgid] == []
    assert [
        e.msgid
        for e in po
        if e.msgid_plural and [e.msgstr_plural[0], e.msgstr_plural[1]] != [e.msgid, e.msgid_plural]
    ] == []


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_each_translation_keeps_the_placeholders_of_its_message(language):
    """A translation with another placeholder than its message raises a KeyError on the page."""
    placeholders = re.compile(r"%\((\w+)\)")
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    wrong = []
    for entry in po:
        wanted = set(placeholders.findall(entry.msgid_plural or entry.msgid))
        said = [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
        wrong += [entry.msgid for text in said if not set(placeholders.findall(text)) <= wanted]
    assert wrong == []
