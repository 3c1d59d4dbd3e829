"""The printable poster (issue #18): an A4 PDF for anyone, with the page's address as a QR code
that is exactly the app's QR code of that address, and the few words in three languages."""

import numpy as np
import pytest
from django.urls import reverse

from services.offers import qr
from services.suggestions import public_views
from services.suggestions.poster import QUIET_ZONE, Poster, poster_page, words
from tests import pdftext

pytestmark = pytest.mark.django_db

A4_POINTS = b"/MediaBox [ 0 0 595.44 841.68 ]"


def test_the_poster_is_an_a4_pdf_with_the_page_address(client, service):
    response = client.get(reverse("suggestions:poster", args=[service.code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="forslagskasse-oslo.pdf"'
    pdf = response.content
    assert pdf.startswith(b"%PDF") and pdf.rstrip().endswith(b"%%EOF")
    assert A4_POINTS in pdf
    assert b"CreationDate" not in pdf
    assert pdftext.title(pdf) == f"{words('nb').title} – {service.name}"
    shown = pdftext.text(pdf)
    assert "http://testserver/forslag/oslo/" in shown
    assert service.name in shown


def test_a_places_poster_leads_to_the_places_page(client, service, place):
    response = client.get(reverse("suggestions:place_poster", args=[service.code, place.slug]))
    assert response.status_code == 200
    assert 'filename="forslagskasse-oslo-dagsenteret.pdf"' in response["Content-Disposition"]
    shown = pdftext.text(response.content)
    assert "http://testserver/forslag/oslo/dagsenteret/" in shown
    assert "Dagsenteret" in shown


def test_the_poster_says_it_in_bokmal_nynorsk_and_english():
    figure = poster_page(Poster("Lavterskel Oslo", "", "https://kor.example.no/forslag/oslo/"))
    texts = {text.get_gid(): text.get_text().replace("\n", " ") for text in figure.texts}
    for language in ("nb", "nn", "en"):
        said = words(language)
        assert texts[f"warning-{language}"] == said.warning
        assert texts[f"question-{language}"] == said.question
    assert texts["url"] == "https://kor.example.no/forslag/oslo/"
    assert texts["where"] == "Lavterskel Oslo"


def test_the_drawn_code_is_the_apps_qr_code_of_the_address():
    """Rendered, every module of the code is dark or light as `offers.qr.code` has it, and
    the quiet zone around it is white."""
    url = "https://kor.example.no/forslag/oslo/dagsenteret/"
    figure = poster_page(Poster("Lavterskel Oslo", "Dagsenteret", url))
    (axes,) = figure.axes
    assert [patch.get_gid() for patch in axes.patches] == ["qr"]
    figure.canvas.draw()
    pixels = np.asarray(figure.canvas.buffer_rgba())[:, :, 0]
    height = pixels.shape[0]
    matrix = qr.code(url).matrix
    size = len(matrix) + 2 * QUIET_ZONE
    for row in range(-QUIET_ZONE, len(matrix) + QUIET_ZONE):
        for column in range(-QUIET_ZONE, len(matrix) + QUIET_ZONE):
            x, y = axes.transData.transform((column + QUIET_ZONE + 0.5, row + QUIET_ZONE + 0.5))
            value = pixels[int(height - y), int(x)]
            inside = 0 <= row < len(matrix) and 0 <= column < len(matrix)
            dark = inside and bool(matrix[row][column])
            assert (value < 128) == dark, (row, column, size)


def test_posters_are_limited_per_address(client, service, monkeypatch):
    monkeypatch.setattr(public_views, "POSTERS_PER_TEN_MINUTES", 2)
    address = reverse("suggestions:poster", args=[service.code])
    for _ in range(2):
        assert client.get(address).status_code == 200
    assert client.get(address).status_code == 429


def test_an_unknown_service_has_no_poster(client):
    assert client.get(reverse("suggestions:poster", args=["nowhere"])).status_code == 404
