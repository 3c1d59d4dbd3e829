"""The caseload table's rows, written in Python rather than in the template.

A helper's page shows fifty rows of nine cells. Through the template engine each row cost about
0.2 ms (variable lookups, filters, escaping), most of the page's own time (issue #14); here a
row is one `format_html` call with the same markup. The table's head and everything around it
stay in templates/clients/caseload.html.

On a phone the head is not shown and each row is a card (static/css/caseload.css, issue #15), so
each figure's cell carries its column's heading in `data-label`, drawn beside the figure there.
"""

from collections.abc import Iterable

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from services.dashboards.models import EpisodeSummary
from services.measures.templatetags.measures import score, signed_score

ARROWS = {1: "↑", -1: "↓", 0: "→"}


def _change(summary: EpisodeSummary) -> SafeString:
    if summary.change is None:
        return signed_score(None)
    arrow = ARROWS[(summary.change > 0) - (summary.change < 0)]
    return format_html('<span aria-hidden="true">{}</span> {}', arrow, signed_score(summary.change))


def _signals(summary: EpisodeSummary) -> SafeString:
    badges = summary.badges
    if not badges:
        return format_html('<span class="visually-hidden">{}</span>', _("No signals"))
    return format_html_join(
        "",
        '<div class="signal-item mb-1"><span class="badge signal signal-{}">{}</span>{}</div>',
        (
            (
                key,
                title,
                format_html(' <span class="signal-detail small d-block">{}</span>', detail)
                if detail
                else "",
            )
            for key, title, detail in badges
        ),
    )


# The headings of the figures' columns, as in the table's head (the same messages).
LABELS = (
    gettext_lazy("Sessions"),
    gettext_lazy("Last session"),
    gettext_lazy("First ORS"),
    gettext_lazy("Latest ORS"),
    gettext_lazy("Change"),
    gettext_lazy("Latest SRS"),
)


def row_html(summary: EpisodeSummary, labels: tuple[str, ...] | None = None) -> SafeString:
    """One row; `labels` are the translated LABELS, passed in so a page translates them once."""
    sessions, last_session, first, latest, change, srs = labels or tuple(map(str, LABELS))
    client = summary.client
    name = (
        format_html(' <span class="text-body-secondary">{}</span>', client.display_name)
        if client.display_name
        else ""
    )
    last = date_format(summary.last_session, "SHORT_DATE_FORMAT") if summary.last_session else "–"
    return format_html(
        "<tr>"
        '<td class="caseload-client"><a href="{}?episode={}">{}</a>{}</td>'
        '<td class="text-end" data-label="{}">{}</td>'
        '<td data-label="{}">{}</td>'
        '<td class="text-end" data-label="{}">{}</td>'
        '<td class="text-end" data-label="{}">{}</td>'
        '<td class="text-end text-nowrap" data-label="{}">{}</td>'
        '<td class="text-end" data-label="{}">{}</td>'
        '<td class="caseload-signals">{}</td>'
        '<td class="d-none d-md-table-cell sparkline" aria-hidden="true">{}</td>'
        "</tr>",
        reverse("clients:detail", args=[summary.client_id]),
        summary.episode_id,
        client.code,
        name,
        sessions,
        summary.sessions,
        last_session,
        last,
        first,
        score(summary.intake),
        latest,
        score(summary.latest),
        change,
        _change(summary),
        srs,
        score(summary.latest_srs),
        _signals(summary),
        summary.curve,
    )


def rows_html(summaries: Iterable[EpisodeSummary]) -> SafeString:
    labels = tuple(map(str, LABELS))
    return mark_safe("\n".join(row_html(summary, labels) for summary in summaries))  # rows are safe
