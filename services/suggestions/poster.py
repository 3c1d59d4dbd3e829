"""The printable poster that leads to the suggestion box: A4, a large QR code, a few words in
bokmål, nynorsk and English.

Drawn the way the app's other PDFs are (`services.clients.summary_pdf`, the monthly report): a
matplotlib figure through its PDF backend, so no new dependency. The QR code is the app's own
(`services.offers.qr.code`), drawn as one filled vector path, so it stays sharp when printed
large, with the quiet zone around it a reader needs. `poster_pdf` is a pure function of a
`Poster`; nothing about any note or person is on it.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import translation
from django.utils.translation import gettext as _

from services.charts import dashboard as charts
from services.offers import qr

if TYPE_CHECKING:  # matplotlib is imported only where a poster is drawn
    from matplotlib.figure import Figure

A4 = (8.27, 11.69)
MARGIN = 0.7
QR_SIZE = 4.3  # inches, quiet zone included: scanned from a couple of metres
QUIET_ZONE = 4  # modules of white around the code, as the QR standard asks
INK = "#14202B"
GREY = "#46515D"
LANGUAGES = ("nb", "nn", "en")


@dataclass(frozen=True)
class Poster:
    service_name: str
    place_name: str  # "" for the service's own poster
    url: str


@dataclass(frozen=True)
class Words:
    """The poster's words in one language."""

    language: str
    title: str
    question: str
    invitation: str
    warning: str


def words(language: str) -> Words:
    with translation.override(language):
        return Words(
            language=language,
            title=_("Suggestion box"),
            question=_("What works? What is missing? Do you have an idea?"),
            invitation=_(
                "Scan the code with your phone and write a short note. No login, and we do "
                "not store who you are."
            ),
            warning=_("Do not write names or personal details."),
        )


class _Sheet:
    """One A4 page written from the top down, centred."""

    def __init__(self):
        self.page = charts.new_figure(*A4)
        self.page.patch.set_facecolor("white")
        self.y = MARGIN

    def line(self, text: str, *, size: float, bold=False, colour=INK, gid=None, after=0.08):
        width = int((A4[0] - 2 * MARGIN) * 72 / (size * 0.55))
        wrapped = textwrap.fill(text, width)
        self.page.text(
            0.5,
            1 - self.y / A4[1],
            wrapped,
            fontsize=size,
            fontweight="bold" if bold else "normal",
            color=colour,
            ha="center",
            va="top",
            multialignment="center",
            gid=gid,
        )
        self.y += (wrapped.count("\n") + 1) * size * 1.35 / 72 + after

    def qr_code(self, url: str) -> None:
        from matplotlib.patches import PathPatch
        from matplotlib.path import Path

        matrix = qr.code(url).matrix
        size = len(matrix) + 2 * QUIET_ZONE
        vertices, codes = [], []
        for row, modules in enumerate(matrix):
            for column, dark in enumerate(modules):
                if dark:
                    x, y = column + QUIET_ZONE, row + QUIET_ZONE
                    vertices += [(x, y), (x + 1, y), (x + 1, y + 1), (x, y + 1), (x, y)]
                    codes += [Path.MOVETO, Path.LINETO, Path.LINETO, Path.LINETO, Path.CLOSEPOLY]
        left = (A4[0] - QR_SIZE) / 2
        axes = self.page.add_axes(
            (left / A4[0], 1 - (self.y + QR_SIZE) / A4[1], QR_SIZE / A4[0], QR_SIZE / A4[1])
        )
        axes.set_xlim(0, size)
        axes.set_ylim(size, 0)
        axes.set_axis_off()
        axes.add_patch(
            PathPatch(Path(vertices, codes), facecolor="black", edgecolor="none", gid="qr")
        )
        self.y += QR_SIZE + 0.05


def poster_page(poster: Poster) -> Figure:
    """The poster as one matplotlib figure (see `poster_pdf`)."""
    sheet = _Sheet()
    main, *others = (words(language) for language in LANGUAGES)
    sheet.line(main.title, size=34, bold=True, gid="title", after=0.05)
    where = poster.service_name + (f" – {poster.place_name}" if poster.place_name else "")
    sheet.line(where, size=16, colour=GREY, gid="where", after=0.2)
    sheet.line(main.question, size=20, bold=True, gid="question-nb")
    sheet.line(main.invitation, size=13, gid="invitation-nb", after=0.1)
    sheet.qr_code(poster.url)
    sheet.line(poster.url, size=12, colour=GREY, gid="url", after=0.12)
    sheet.line(main.warning, size=16, bold=True, gid="warning-nb", after=0.3)
    for other in others:
        sheet.line(other.question, size=12, bold=True, gid=f"question-{other.language}", after=0)
        sheet.line(other.invitation, size=10, gid=f"invitation-{other.language}", after=0)
        sheet.line(other.warning, size=10, bold=True, gid=f"warning-{other.language}", after=0.18)
    return sheet.page


def poster_pdf(poster: Poster) -> bytes:
    """The poster as PDF bytes, titled, without a creation date or software version."""
    from matplotlib.backends.backend_pdf import PdfPages

    metadata = {**charts.METADATA["pdf"], "Title": f"{words('nb').title} – {poster.service_name}"}
    buffer = io.BytesIO()
    with PdfPages(buffer, metadata=metadata) as pdf:
        pdf.savefig(poster_page(poster))
    return buffer.getvalue()
