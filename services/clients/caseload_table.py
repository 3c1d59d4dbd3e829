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

The "Goals" cell (issue #17) shows the episode's open goals and their mean change, "2 mål, +3",
from `services.goals.progress`, read by the view for the page's rows in one query. Its figure is
short for the eye and hidden from screen readers, which read the same in words instead; an
episode has at most three open goals and few different changes, so each different cell is
written once a page.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse
from django.utils import dateformat, formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from services.dashboards.models import EpisodeSummary
from services.goals.progress import GoalProgress
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
    gettext_lazy("Goals"),
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
    '<td class="caseload-goals text-nowrap" data-label="{labels[6]}">{goals}</td>'
    '<td class="caseload-signals">{signals}</td>'
    '<td class="d-none d-md-table-cell sparkline" aria-hidden="true">{curve}</td>'
    "</tr>"
)
BADGE = '<div class="signal-item mb-1"><span class="badge signal signal-{}">{}</span>{}</div>'
DETAIL = ' <span class="signal-detail small d-block">{}</span>'
GOALS = (
    '<span aria-hidden="true" title="{words}">{figure}</span>'
    '<span class="visually-hidden">{words}</span>'
)


@dataclass(frozen=True)
class Table:
    """What every row of one page shares, in the reader's language, made once a page."""

    labels: tuple[str, ...]
    titles: dict[str, str]
    no_signals: str
    decimal_separator: str
    date_format: str
    link: str  # the client page's address with "{}" for the client's id
    goal_cells: dict = field(default_factory=dict)  # each different goals cell, written once

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

    def goals(self, progress: GoalProgress | None) -> str:
        key = (progress.goals, progress.change) if progress else None
        cell = self.goal_cells.get(key)
        if cell is None:
            cell = self.goal_cells[key] = self.write_goals(progress)
        return cell

    def write_goals(self, progress: GoalProgress | None) -> str:
        if progress is None:
            return GOALS.format(words=escape(_("No open goals")), figure=NOTHING)
        count = {"count": progress.goals}
        figure = ngettext("%(count)d goal", "%(count)d goals", progress.goals) % count
        goals = ngettext("%(count)d open goal", "%(count)d open goals", progress.goals) % count
        change = progress.change
        if change is None:
            words = _("%(goals)s, not yet scored twice") % {"goals": goals}
        else:
            figure = f"{figure}, {self.whole_or_tenths(change, signed=True)}"
            words = self.goal_words(goals, change)
        return GOALS.format(words=escape(words), figure=escape(figure))

    def goal_words(self, goals: str, change: Decimal) -> str:
        if change == 0:
            return _("%(goals)s: on average as close as at the first score") % {"goals": goals}
        size = abs(change)
        values = {"goals": goals, "change": self.whole_or_tenths(size)}
        number = int(size) if size == size.to_integral_value() else 2  # "1.5 points"
        if change > 0:
            return (
                ngettext(
                    "%(goals)s: on average %(change)s point closer than at the first score",
                    "%(goals)s: on average %(change)s points closer than at the first score",
                    number,
                )
                % values
            )
        return (
            ngettext(
                "%(goals)s: on average %(change)s point further away than at the first score",
                "%(goals)s: on average %(change)s points further away than at the first score",
                number,
            )
            % values
        )

    def whole_or_tenths(self, value: Decimal, *, signed: bool = False) -> str:
        """ "3" rather than "3,0", "2,5" when it is not whole; signed with a real minus."""
        size = abs(value)
        text = (
            str(int(size))
            if size == size.to_integral_value()
            else f"{size:.1f}".replace(".", self.decimal_separator)
        )
        if not signed or value == 0:
            return text
        return f"+{text}" if value > 0 else f"{MINUS}{text}"

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

    def row(self, summary: EpisodeSummary, goals: GoalProgress | None = None) -> str:
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
            goals=self.goals(goals),
            signals=self.signals(summary),
            curve=summary.sparkline,  # written by services.charts.sparkline, not by a user
        )


def format_no_signals() -> str:
    return f'<span class="visually-hidden">{escape(_("No signals"))}</span>'


def rows_html(
    summaries: Iterable[EpisodeSummary], goals: Mapping[int, GoalProgress] | None = None
) -> SafeString:
    """The rows, with each episode's open goals from `goals` (by episode id) when given."""
    table = Table.now()
    goals = goals or {}
    return mark_safe(  # escaped above
        "\n".join(table.row(summary, goals.get(summary.episode_id)) for summary in summaries)
    )
