"""The dashboard's plain sentences in templates (see `sentences`), made at render time.

Rendering translates: a page kept for one language (`freshness`) holds figures, never these
sentences, so a reader of another language gets them in theirs.
"""

from django import template
from django.utils.translation import gettext as _

from services.dashboards import sentences
from services.dashboards.suppression import WITHHELD, Figure

register = template.Library()


def _leads(dashboard) -> dict:
    row = dashboard.row
    return {
        "outcome": lambda: sentences.outcome(row("improved").current, row("deteriorated").current),
        "adjusted": lambda: sentences.adjusted(row("saes").current),
        "clinical": lambda: sentences.clinical(dashboard.clinical.get("improved", WITHHELD)),
        "activity": lambda: sentences.activity(
            row("clients").current, row("sessions").current, row("closed").current
        ),
        "before": lambda: sentences.compared_with_before(
            row("improved").current, row("improved").previous
        ),
        "intake": lambda: sentences.intake(row("intake_below").current),
        "completeness": lambda: sentences.completeness(row("ors").current),
        "alliance": lambda: sentences.alliance(
            row("alliance_flagged").current, row("dropout").current
        ),
    }


@register.simple_tag
def lead(dashboard, key: str) -> str:
    """The one plain sentence that leads a figure of the dashboard."""
    return _leads(dashboard)[key]()


def _bases(dashboard) -> dict[str, Figure]:
    """The counts a key figure may name as its base: only ones the page itself shows."""
    saes = dashboard.row("saes").current
    alliance = dashboard.row("alliance_mean").current
    ratings = dashboard.report.get("alliance", {}).get("n") if dashboard.report else None
    return {
        "sessions": dashboard.row("sessions").current,
        "new": dashboard.intake_n,
        "outcome": dashboard.outcome_n,
        "clinical": Figure(saes.n, saes.n) if saes.n else WITHHELD,
        "closed": dashboard.row("closed").current,
        "srs": Figure(ratings, ratings) if alliance.shown and ratings else WITHHELD,
    }


@register.filter
def counted(row, dashboard) -> str:
    """What a key figure counts this period, or how many it needs to be shown."""
    return sentences.row_counted(row.key, row.current, _bases(dashboard))


@register.filter
def base(value: Figure) -> str:
    """The count a shown figure rests on, for a table cell: "of 14"."""
    if not value.shown or not value.n:
        return ""
    return _("of %(n)s") % {"n": sentences.count(value.n)}


@register.filter
def any_shown(rows, name: str) -> bool:
    """Whether any row has the figure `name` to show (a chart of none is not drawn)."""
    return any(getattr(row, name).shown for row in rows)
