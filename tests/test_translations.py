"""Every message is translated in bokmål, nynorsk and English, and the catalogues are compiled."""

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
