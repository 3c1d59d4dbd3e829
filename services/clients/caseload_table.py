"""The caseload table's rows, written in Python rather than in the template.

A helper's page shows fifty rows of nine cells. Through the template engine each row cost about
0.2 ms (variable lookups, filters, escaping), and through one `format_html` call a row still
cost about 0.15 ms, most of it translating, localising and escaping the same words and formats
fifty times (issue #14). So a page first makes a `Table`: every translated label, signal title,
separator, date format and the client page's address, once; a row is then a plain `str.format`
in which only what comes from the data (the client's code and name, a signal's detail text) is
escaped. The markup is the same as the template's was. The table's head and everything around it
stay in templates/clients/caseload.html.

On a phone the head is not shown and each row is a card (static/css/caseload.css, issue #15), so
each figure's cell carries its column's heading in `data-label`, drawn beside the figure there.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse
from django.utils import dateformat, formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from services.dashboards.models import EpisodeSummary
from services.measures.signals import TITLES, Signal

ARROWS = {1: "↑", -1: "↓", 0: "→"}
NOTHING = "–"
MINUS = "−"

# The headings of the figures' columns, as in the table's head (the same messages).
LABELS = (
    gettext_lazy("Sessions"),
    gettext_lazy("Last session"),
    gettext_lazy("First ORS"),
    gettext_lazy("Latest ORS"),
    gettext_lazy("Change"),
    gettext_lazy("Latest SRS"),
)

ROW = (
    "<tr>"
    '<td class="caseload-client"><a href="{link}?episode={episode}">{code}</a>{name}</td>'
    '<td class="text-end" data-label="{labels[0]}">{sessions}</td>'
    '<td data-label="{labels[1]}">{last}</td>'
    '<td class="text-end" data-label="{labels[2]}">{intake}</td>'
    '<td class="text-end" data-label="{labels[3]}">{latest}</td>'
    '<td class="text-end text-nowrap" data-label="{labels[4]}">{change}</td>'
    '<td class="text-end" data-label="{labels[5]}">{srs}</td>'
    '<td class="caseload-signals">{signals}</td>'
    '<td class="d-none d-md-table-cell sparkline" aria-hidden="true">{curve}</td>'
    "</tr>"
)
BADGE = '<div class="signal-item mb-1"><span class="badge signal signal-{}">{}</span>{}</div>'
DETAIL = ' <span class="signal-detail small d-block">{}</span>'


@dataclass(frozen=True)
class Table:
    """What every row of one page shares, in the reader's language, made once a page."""

    labels: tuple[str, ...]
    titles: dict[str, str]
    no_signals: str
    decimal_separator: str
    date_format: str
    link: str  # the client page's address with "{}" for the client's id

    @classmethod
    def now(cls) -> "Table":
        marker = 987654321
        return cls(
            labels=tuple(escape(str(label)) for label in LABELS),
            titles={signal.value: escape(str(TITLES[signal])) for signal in Signal},
            no_signals=format_no_signals(),
            decimal_separator=formats.get_format("DECIMAL_SEPARATOR"),
            date_format=formats.get_format("SHORT_DATE_FORMAT"),
            link=reverse("clients:detail", args=[marker]).replace(str(marker), "{}"),
        )

    def score(self, value: Decimal | None) -> str:
        """One decimal, as the `score` filter shows it (summaries hold tenths)."""
        if value is None:
            return NOTHING
        return f"{value:.1f}".replace(".", self.decimal_separator)

    def signed(self, value: Decimal) -> str:
        text = self.score(abs(value))
        return f"+{text}" if value > 0 else (f"{MINUS}{text}" if value < 0 else text)

    def change(self, value: Decimal | None) -> str:
        if value is None:
            return NOTHING
        arrow = ARROWS[(value > 0) - (value < 0)]
        return f'<span aria-hidden="true">{arrow}</span> {self.signed(value)}'

    def signals(self, summary: EpisodeSummary) -> str:
        keys = [key for key in summary.signals.strip(",").split(",") if key]
        if not keys:
            return self.no_signals
        details = summary.details_in_language()
        return "".join(
            BADGE.format(
                key,
                self.titles[key],
                DETAIL.format(escape(details[key])) if details.get(key) else "",
            )
            for key in keys
        )

    def row(self, summary: EpisodeSummary) -> str:
        client = summary.client
        name = client.display_name
        return ROW.format(
            link=self.link.format(summary.client_id),
            episode=summary.episode_id,
            code=escape(client.code),
            name=f' <span class="text-body-secondary">{escape(name)}</span>' if name else "",
            labels=self.labels,
            sessions=summary.sessions,
            last=dateformat.format(summary.last_session, self.date_format)
            if summary.last_session
            else NOTHING,
            intake=self.score(summary.intake),
            latest=self.score(summary.latest),
            change=self.change(summary.change),
            srs=self.score(summary.latest_srs),
            signals=self.signals(summary),
            curve=summary.sparkline,  # written by services.charts.sparkline, not by a user
        )


def format_no_signals() -> str:
    return f'<span class="visually-hidden">{escape(_("No signals"))}</span>'


def rows_html(summaries: Iterable[EpisodeSummary]) -> SafeString:
    table = Table.now()
    return mark_safe("\n".join(table.row(summary) for summary in summaries))  # escaped above
