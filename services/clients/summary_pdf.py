"""One episode's summary for the record system (EPJ): the chart, the scores and the signals.

Helpers attach it to the client's journal, so it names the client by code only: the display
name is a working aid inside this app and must not travel into another system with the file.
It is drawn the way the monthly report is (`services.dashboards.report`): A4 pages of a
matplotlib figure through matplotlib's PDF backend, so no new dependency. The chart is the
helper's chart as the client page shows it, embedded as a 200 dpi image; everything else is text
in the reader's language, with dates as 14.03.2026 and decimal commas in Norwegian.

`summary_pdf` is a pure function of a `ClientSummary` (plain values); `summary_for` reads them.
"""

from __future__ import annotations

import datetime
import io
import textwrap
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from services.charts import dashboard as charts
from services.charts.data import ChartSize
from services.charts.progress import progress_chart
from services.measures.definitions import Norms, translate
from services.measures.models import Instrument
from services.measures.signal_details import limit_text
from services.measures.signals import EXPLANATIONS, TITLES
from services.measures.templatetags.measures import score

from .final_outcome import FinalOutcome

if TYPE_CHECKING:  # matplotlib is imported only where a summary is drawn
    from matplotlib.figure import Figure

A4 = (8.27, 11.69)
MARGIN = 0.65
FOOTER = 0.75  # inches kept free at the foot of each page
TEXT = "#1A1A1A"
GREY = "#595959"
# As wide as the page allows: narrower, the legend falls into one tall column.
CHART = ChartSize(width=7.4, height=4.7, dpi=200, font_size=8.5)
ROW = 0.23
# No., date, ORS, SRS: inches from the left margin, and how each column is aligned.
COLUMNS = ((0.0, "left"), (0.6, "left"), (2.6, "right"), (3.9, "right"))
TABLE_WIDTH = 4.0


@dataclass(frozen=True)
class ScoreRow:
    number: int
    date: datetime.date
    ors: Decimal | None
    srs: Decimal | None


@dataclass(frozen=True)
class ClientSummary:
    """Everything the summary shows, already read; `signals` are (title, detail) pairs."""

    client_code: str
    episode_code: str
    service_name: str
    age_group: str
    start_date: datetime.date
    end_date: datetime.date | None
    end_reason: str
    forms: tuple[str, ...]
    norms: Norms | None
    signals: tuple[tuple[str, str], ...]
    outcome: FinalOutcome | None
    rows: tuple[ScoreRow, ...]
    chart_png: bytes
    made_on: datetime.date


def date_text(value: datetime.date) -> str:
    """14.03.2026 in Norwegian, the reader's short date format otherwise."""
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def file_name(summary: ClientSummary) -> str:
    """E.g. "K1-F1-oppsummering-2026-03-14.pdf": the code, the episode and the date, sortable."""
    word = _("summary")  # outside the f-string, where makemessages finds it
    return f"{summary.client_code}-{summary.episode_code}-{word}-{summary.made_on.isoformat()}.pdf"


class _Pages:
    """A4 pages written from the top down; a new page starts when the next block won't fit."""

    def __init__(self, summary: ClientSummary):
        self.summary = summary
        self.pages: list[Figure] = []
        self.y = 0.0
        self.new_page()

    def new_page(self) -> None:
        page = charts.new_figure(*A4)
        page.patch.set_facecolor("white")
        self.pages.append(page)
        self.y = MARGIN

    @property
    def page(self) -> Figure:
        return self.pages[-1]

    def room_for(self, height: float) -> None:
        if self.y + height > A4[1] - FOOTER:
            self.new_page()

    def text(
        self, x: float, text: str, *, size=9.5, bold=False, colour=TEXT, gid=None, ha="left"
    ) -> None:
        self.page.text(
            (MARGIN + x) / A4[0],
            1 - self.y / A4[1],
            text,
            fontsize=size,
            fontweight="bold" if bold else "normal",
            color=colour,
            va="top",
            ha=ha,
            gid=gid,
        )

    def line(self, text: str, *, size=9.5, bold=False, colour=TEXT, gid=None, after=0.06):
        """A paragraph wrapped to the page width, and the cursor below it."""
        width = int((A4[0] - 2 * MARGIN) * 72 / (size * 0.55))
        wrapped = textwrap.fill(text, width)
        height = (wrapped.count("\n") + 1) * size * 1.45 / 72
        self.room_for(height)
        self.text(0, wrapped, size=size, bold=bold, colour=colour, gid=gid)
        self.y += height + after

    def heading(self, text: str, gid: str | None = None) -> None:
        self.room_for(0.3 + 3 * ROW)  # never a heading alone at the foot of a page
        self.y += 0.12
        self.line(text, size=12, bold=True, gid=gid, after=0.08)

    def image(self, png: bytes, width: float, height: float) -> None:
        """The image centred on the page: a chart keeps its own margins inside it."""
        from matplotlib.image import imread

        self.room_for(height)
        left = (A4[0] - width) / 2
        axes = self.page.add_axes(
            (left / A4[0], 1 - (self.y + height) / A4[1], width / A4[0], height / A4[1])
        )
        axes.imshow(imread(io.BytesIO(png), format="png"), interpolation="none")
        axes.set_axis_off()
        axes.set_gid("chart")
        self.y += height + 0.1

    def footers(self) -> None:
        summary = self.summary
        note = _(
            "The clinical cutoff is an aid for the conversation (“is this where you are?”), "
            "not a verdict."
        )
        for number, page in enumerate(self.pages, start=1):
            made = _("Client %(code)s · made %(date)s · page %(page)d of %(pages)d") % {
                "code": summary.client_code,
                "date": date_text(summary.made_on),
                "page": number,
                "pages": len(self.pages),
            }
            for offset, text in ((0.5, note), (0.3, made)):
                page.text(
                    MARGIN / A4[0],
                    offset / A4[1],
                    text,
                    fontsize=8,
                    color=GREY,
                    ha="left",
                    va="bottom",
                    gid=f"footer-{number}" if offset == 0.3 else None,
                )


def _episode_line(summary: ClientSummary) -> str:
    start = date_text(summary.start_date)
    if summary.end_date is None:
        return _("Episode %(code)s, started %(start)s, ongoing") % {
            "code": summary.episode_code,
            "start": start,
        }
    return _("Episode %(code)s, %(start)s – %(end)s, closed: %(reason)s") % {
        "code": summary.episode_code,
        "start": start,
        "end": date_text(summary.end_date),
        "reason": summary.end_reason,
    }


def _norms_line(summary: ClientSummary) -> str:
    age_group, form = _("Age group"), _("Form")
    parts = [f"{age_group}: {summary.age_group}"]
    if summary.forms:
        parts.append(f"{form}: {', '.join(summary.forms)}")
    if summary.norms is not None:
        parts.append(
            _("clinical cutoff %(cutoff)s, reliable change %(rc)s")
            % {
                "cutoff": limit_text(summary.norms.cutoff),
                "rc": limit_text(summary.norms.reliable_change),
            }
        )
    return " · ".join(parts)


def _scores(pages: _Pages, rows: tuple[ScoreRow, ...]) -> None:
    from matplotlib.lines import Line2D

    headers = (_("No."), _("Date"), _("ORS (life)"), _("SRS (session)"))

    def header_row() -> None:
        for (x, align), header in zip(COLUMNS, headers, strict=True):
            pages.text(x, header, bold=True, ha=align)
        rule = 1 - (pages.y + ROW - 0.03) / A4[1]
        pages.page.add_artist(
            Line2D(
                [MARGIN / A4[0], (MARGIN + TABLE_WIDTH) / A4[0]],
                [rule, rule],
                color=GREY,
                linewidth=0.6,
            )
        )
        pages.y += ROW + 0.02

    header_row()
    for row in rows:
        if pages.y + ROW > A4[1] - FOOTER:
            pages.new_page()
            pages.line(_("Scores (continued)"), size=12, bold=True, after=0.08)
            header_row()
        values = (str(row.number), date_text(row.date), score(row.ors), score(row.srs))
        for column, ((x, align), value) in enumerate(zip(COLUMNS, values, strict=True)):
            pages.text(x, value, gid=f"score-{row.number}-{column}", ha=align)
        pages.y += ROW


def summary_pages(summary: ClientSummary) -> list[Figure]:
    """The summary's A4 pages as matplotlib figures (see `summary_pdf`)."""
    pages = _Pages(summary)
    pages.line(_("Feedback summary"), size=17, bold=True, gid="title", after=0.1)
    pages.line(
        _("Client") + f" {summary.client_code} · {summary.service_name}",
        size=11,
        gid="client",
    )
    pages.line(_episode_line(summary), gid="episode")
    pages.line(_norms_line(summary), colour=GREY, gid="norms", after=0.15)
    pages.image(summary.chart_png, CHART.width, CHART.height)

    if summary.outcome is not None:
        pages.heading(_("Outcome at the end of the episode"))
        pages.line(summary.outcome.title, bold=True, gid="outcome")
        pages.line(summary.outcome.detail, gid="outcome-detail")
    else:
        pages.heading(_("Signals"))
        if not summary.signals:
            pages.line(_("No signals."), gid="signal-0")
        for index, (title, detail) in enumerate(summary.signals):
            pages.line(f"{title}: {detail}", gid=f"signal-{index}")

    pages.heading(_("Scores"))
    if summary.rows:
        _scores(pages, summary.rows)
    else:
        pages.line(_("No sessions yet."))
    pages.footers()
    return pages.pages


def summary_pdf(summary: ClientSummary) -> bytes:
    """The summary as PDF bytes, without a creation date or software version."""
    from matplotlib.backends.backend_pdf import PdfPages

    buffer = io.BytesIO()
    with PdfPages(buffer, metadata=charts.METADATA["pdf"]) as pdf:
        for page in summary_pages(summary):
            pdf.savefig(page)
    return buffer.getvalue()


def summary_for(client, episode, progress, today: datetime.date) -> ClientSummary:
    """The summary of `episode` from the client page's `EpisodeProgress` (one more query, for
    the names of the forms used)."""
    language = get_language() or "nb"
    used = [r.ors_instrument_id for r in progress.records if r.ors_instrument_id is not None]
    names = {
        pk: translate(spec.name, language)
        for pk, spec in ((i.pk, i.spec) for i in Instrument.objects.filter(pk__in=set(used)))
    }
    data = progress.data
    norms = (
        Norms(cutoff=data.cutoff, reliable_change=data.reliable_change)
        if data.cutoff is not None and data.reliable_change is not None
        else None
    )
    return ClientSummary(
        client_code=client.code,
        episode_code=episode.code,
        service_name=client.service.name,
        age_group=str(client.get_age_group_display()),
        start_date=episode.start_date,
        end_date=episode.end_date,
        end_reason=str(episode.get_end_reason_display()),
        forms=tuple(dict.fromkeys(names[pk] for pk in used if pk in names)),
        norms=norms,
        signals=tuple(
            (str(TITLES[key]), progress.details.get(key) or str(EXPLANATIONS[key]))
            for key in progress.signals
        ),
        outcome=progress.outcome,
        rows=tuple(ScoreRow(r.number, r.date, r.ors, r.srs) for r in progress.records),
        chart_png=progress_chart(data, fmt="png", size=CHART),
        made_on=today,
    )
