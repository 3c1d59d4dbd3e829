"""Small but visible (issue #15, item 11): the access log's "What" column in the reader's
language (it showed raw English codes, "client", "handover link", in the Norwegian interface),
and an icon for the browser's tab."""

import ast
import re
import struct
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import translation

from services.audit import log, words
from services.audit.models import Action, AuditEvent
from services.ratings.handovers import prepare_handover
from tests.factories import EpisodeFactory

pytestmark = pytest.mark.django_db


def what_cells(page: str) -> list[str]:
    """The text of the log table's fifth column, row by row."""
    rows = re.findall(r"<tr>(.*?)</tr>", page.split("<tbody>")[1], re.S)
    return [
        re.sub(r"\s+", " ", re.findall(r"<td>(.*?)</td>", row, re.S)[4]).strip() for row in rows
    ]


def test_the_log_says_what_in_norwegian(client, administrator, helper, service):
    episode = EpisodeFactory(client__service=service, client__code="K7")
    episode.helpers.add(helper)
    client.force_login(helper)
    client.get(reverse("clients:caseload"))
    client.get(reverse("clients:detail", args=[episode.client_id]))
    prepare_handover(episode, method="link", purpose="outcome", user=helper)
    client.force_login(administrator)
    page = client.get(reverse("audit_log"), {"client": "K7"}).content.decode()
    cells = what_cells(page)
    assert "utlevering som lenke" in cells
    assert "klient: klientliste" in cells
    assert "klient" in cells
    assert not any(re.search(r"\b(client|handover|link|caseload)\b", cell) for cell in cells)


@pytest.mark.parametrize(
    ("object_type", "detail", "nb", "nn", "en"),
    [
        ("client", "", "klient", "klient", "client"),
        (
            "handover",
            "link",
            "utlevering som lenke",
            "utlevering som lenkje",
            "hand-over as a link",
        ),
        (
            "handover",
            "tablet",
            "utlevering på nettbrettet",
            "utlevering på nettbrettet",
            "hand-over on the tablet",
        ),
        ("", "access log", "tilgangslogg", "tilgangslogg", "access log"),
        (
            "client",
            "chart client",
            "klient: graf for klienten",
            "klient: graf for klienten",
            "client: chart for the client",
        ),
        (
            "client",
            "consent declined",
            "klient: samtykke: Har sagt nei",
            "klient: samtykke: Har sagt nei",
            "client: consent: Declined",
        ),
        (
            "",
            "erased: 2 episodes, 5 sessions, 9 ratings",
            "slettet: 2 forløp, 5 samtaler, 9 svar",
            "sletta: 2 forløp, 5 samtalar, 9 svar",
            "erased: 2 episodes, 5 sessions, 9 ratings",
        ),
        (
            "",
            "something new nobody translated",
            "something new nobody translated",
            "something new nobody translated",
            "something new nobody translated",
        ),
    ],
)
def test_each_kind_of_row_is_said_in_each_language(object_type, detail, nb, nn, en):
    for language, expected in (("nb", nb), ("nn", nn), ("en", en)):
        with translation.override(language):
            assert words.describe(object_type, detail) == expected, language


def test_the_data_in_a_row_is_kept_as_it_is():
    with translation.override("nb"):
        said = words.describe(
            "user", "placement roles=helper team=4 clients=False -> roles=- team=- clients=False"
        )
    assert said.startswith("ansatt: plassering: ")
    assert said.endswith("roles=helper team=4 clients=False -> roles=- team=- clients=False")


def detail_texts() -> list[tuple[str, str]]:
    """Every detail the code writes as a plain string, with where it is written."""
    found = []
    for path in sorted(Path(settings.BASE_DIR, "services").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            for keyword in node.keywords:
                # Only strings: DRF's `@action(detail=True)` (services/api) is no audit detail.
                if (
                    keyword.arg == "detail"
                    and isinstance(keyword.value, ast.Constant)
                    and isinstance(keyword.value.value, str)
                ):
                    found.append((keyword.value.value, f"{path.name}:{node.lineno}"))
    return found


def test_every_detail_the_code_writes_has_words():
    """A new audit detail needs an entry in services/audit/words.py, or it shows in English."""
    texts = detail_texts()
    assert len(texts) > 15
    unknown = [(text, where) for text, where in texts if not words.is_known(text)]
    assert unknown == []


def test_a_logged_view_still_reads_back_in_english_for_the_english_reader(helper, service):
    episode = EpisodeFactory(client__service=service)
    event = log.record(Action.VIEW, obj=episode.client, user=helper, detail="paper entry form")
    event = AuditEvent.objects.get(pk=event.pk)
    assert event.detail == "paper entry form"  # stored as written: the log itself is unchanged
    with translation.override("en"):
        assert words.describe(event.object_type, event.detail) == "client: paper form entry"


def test_staff_pages_have_an_icon_with_a_png_fallback(client):
    page = client.get(reverse("login")).content.decode()
    links = dict(re.findall(r'<link rel="[^"]*icon" href="/static/([^"]+)" type="([^"]+)"', page))
    assert set(links.values()) == {"image/svg+xml", "image/png"}
    svg = ElementTree.parse(finders.find("icons/favicon.svg")).getroot()
    assert svg.get("viewBox") == "0 0 32 32"
    for name, size in (("icons/favicon.png", 32), ("icons/apple-touch-icon.png", 180)):
        assert f"/static/{name}" in page
        header = Path(finders.find(name)).read_bytes()[:24]
        assert header[:8] == b"\x89PNG\r\n\x1a\n"
        assert struct.unpack(">II", header[16:24]) == (size, size)
