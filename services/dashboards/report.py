"""The monthly report: the dashboard's figures and charts for one month as a PDF.

Built from the same protected Dashboard as the page (the month against the month before, with
trends over the twelve months up to it), drawn with the chart module's `draw_*` functions on
A4 pages through matplotlib's PDF backend. The bytes are stable for equal data: no creation date
or software version is written.

A report is the service's, or one team's or one helper's, as the dashboard it is downloaded
from (issue #16): the title, the cover and the file name say whose figures and which month, so
two reports on a leader's desk cannot be mistaken for each other.
"""

from __future__ import annotations

import datetime
import io
import textwrap
from typing import TYPE_CHECKING

from django.utils import formats
from django.utils.text import slugify
from django.utils.translation import gettext as _

from services.accounts.models import Service, Team, User
from services.charts import dashboard as charts
from services.clients.models import EndReason

from . import benchmarks, periods, visuals
from .figures import Dashboard, build_dashboard
from .suppression import MINIMUM
from .templatetags.dashboard import change, figure, figure_value, interval

if TYPE_CHECKING:  # matplotlib is imported only where a report is drawn
    from matplotlib.figure import Figure

A4 = (8.27, 11.69)
COLUMNS = ("label", "current", "previous", "change", "ci")
TEXT = "#1A1A1A"
GREY = "#595959"


def parse_month(value: str) -> tuple[int, int]:
    """ "2026-03" → (2026, 3); ValueError for anything else."""
    year, _, month = value.strip().partition("-")
    if not (year.isdigit() and month.isdigit() and len(year) == 4 and 1 <= int(month) <= 12):
        raise ValueError(f"not a month (YYYY-MM): {value!r}")
    return int(year), int(month)


def month_name(period: periods.Period) -> str:
    """ "november 2026" in Norwegian, "November 2026" in English."""
    return formats.date_format(period.start, "F Y")


def whose(service: Service, team: Team | None = None, helper: User | None = None) -> str:
    """Whose figures, narrowest first: "Kari Nordmann, Team voksne, Lavterskel Oslo"."""
    return ", ".join(str(name) for name in (helper, team, service.name) if name)


def title(
    service: Service, period: periods.Period, team: Team | None = None, helper: User | None = None
) -> str:
    """The report's title, in the PDF's properties and on its cover."""
    return _("Monthly report for %(month)s – %(whose)s") % {
        "month": month_name(period),
        "whose": whose(service, team, helper),
    }


def file_name(
    service: Service, period: periods.Period, team: Team | None = None, helper: User | None = None
) -> str:
    """ "oslo-voksne-rapport-2026-11.pdf": whose and which month, in ASCII for every browser."""
    from .exports import file_stem

    word = slugify(_("report")) or "report"
    return f"{file_stem(service, team, helper)}-{word}-{period.key}.pdf"


def _page() -> Figure:
    figure = charts.new_figure(*A4)
    figure.patch.set_facecolor("white")
    return figure


def _cover(dashboard: Dashboard, service: Service, subject: str) -> Figure:
    from matplotlib.lines import Line2D

    page = _page()
    period = dashboard.period
    month = month_name(period)
    previous = month_name(dashboard.previous_period)
    page.text(0.07, 0.95, _("Monthly report"), fontsize=20, fontweight="bold", color=TEXT)
    page.text(0.07, 0.92, f"{subject} – {month}", fontsize=13, color=TEXT, gid="subject")
    page.text(
        0.07,
        0.895,
        _("Compared with %(previous)s. Trends cover the twelve months up to %(month)s.")
        % {"previous": previous, "month": month},
        fontsize=9,
        color=GREY,
    )
    headers = (_("Figure"), month, previous, _("Change"), "95 % " + _("CI"))
    columns = (0.07, 0.45, 0.6, 0.75, 0.86)
    top = 0.86
    for x, header in zip(columns, headers, strict=True):
        page.text(x, top, header, fontsize=9, fontweight="bold", color=TEXT)
    page.add_artist(Line2D([0.07, 0.95], [top - 0.008, top - 0.008], color=GREY, linewidth=0.6))
    line = 0.0265
    for i, row in enumerate(dashboard.rows, start=1):
        y = top - i * line
        ci = interval(row)
        values = (
            str(row.label),
            figure(row.current, row.style),
            figure(row.previous, row.style),
            change(row),
            ci,
        )
        for x, value, column in zip(columns, values, COLUMNS, strict=True):
            page.text(x, y, value, fontsize=9, color=TEXT, gid=f"row-{row.key}-{column}")
    notes = [
        _(
            "Figures resting on fewer than %(minimum)d episodes or clients are shown as "
            "“too few to show” and left out of the charts, so no client can be recognised. "
            "Where rows add up to a total, one more row is hidden with a small one, so that it "
            "cannot be worked out by subtracting."
        )
        % {"minimum": MINIMUM},
        _(
            "Outcome figures count closed episodes with a first and a last client rating on "
            "the same form, a form with scores for the client's age at the first rating; each "
            "is judged by that form's norms for that age. The cutoff is a conversation aid, "
            "not a verdict. Page 3 shows the closed episodes left out."
        ),
        _(
            "Dropout counts the closed episodes whose helper chose the end reason “%(reason)s”. "
            "It follows the published definition as far as the records allow: the client "
            "ended on their own, before getting better or finishing what was agreed (Swift and "
            "Greenberg, 2012). Whether the client had improved is not checked."
        )
        % {"reason": EndReason.DROPOUT.label},
        _(
            "Effect size: (mean end − mean intake) / SD of intake, with Becker's 95 percent "
            "interval. Severity-adjusted effect size: change adjusted by a straight line of "
            "change on intake fitted to the service's own closed episodes starting below "
            "the cutoff."
        ),
    ]
    y = top - (len(dashboard.rows) + 2) * line
    for note in notes:
        wrapped = textwrap.fill(note, 105)
        page.text(0.07, y, wrapped, fontsize=8, color=GREY, va="top")
        y -= 0.018 * (wrapped.count("\n") + 1) + 0.012
    return page


def _charts_page(dashboard: Dashboard) -> Figure:
    page = _page()
    # Each chart's legend and two-line axis labels sit below its box: room is left for them.
    boxes = [
        (0.09, 0.75, 0.88, 0.19),
        (0.09, 0.51, 0.88, 0.16),
        (0.09, 0.29, 0.88, 0.14),
        (0.09, 0.08, 0.88, 0.12),
    ]
    drawings = [
        (charts.draw_categories, visuals.categories(dashboard), _("Outcome categories")),
        (charts.draw_histogram, visuals.intake_histogram(dashboard), _("Intake ORS")),
        (charts.draw_trend, visuals.completeness_trend(dashboard), _("Completeness by month")),
        (charts.draw_trend, visuals.outcome_trend(dashboard), _("Outcomes by quarter")),
    ]
    for box, (draw, chart, title) in zip(boxes, drawings, strict=True):
        axes = page.add_axes(box)
        draw(axes, chart, font=8)
        axes.set_title(title, loc="left", fontsize=10, fontweight="bold", color=TEXT)
    return page


def _table(page: Figure, top: float, headers, rows, gid: str) -> float:
    """A small table of label, number and share columns; returns the y below it."""
    from matplotlib.lines import Line2D

    columns = (0.07, 0.62, 0.8)
    for x, header in zip(columns, headers, strict=True):
        page.text(x, top, header, fontsize=9, fontweight="bold", color=TEXT)
    page.add_artist(Line2D([0.07, 0.95], [top - 0.008, top - 0.008], color=GREY, linewidth=0.6))
    y = top
    for key, values in rows:
        y -= 0.024
        for i, (x, value) in enumerate(zip(columns, values, strict=False)):
            name = f"{gid}-{key}" if i == 1 else f"{gid}-{key}-{i}"
            page.text(x, y, value, fontsize=9, color=TEXT, gid=name)
    return y - 0.03


def _note(page: Figure, y: float, text: str, width: int = 105) -> float:
    wrapped = textwrap.fill(text, width)
    page.text(0.07, y, wrapped, fontsize=8, color=GREY, va="top")
    return y - 0.016 * (wrapped.count("\n") + 1) - 0.014


def _heading(page: Figure, y: float, text: str) -> None:
    page.text(0.07, y, text, fontsize=12, fontweight="bold", color=TEXT)


def _outcomes_page(dashboard: Dashboard) -> Figure:
    """What the outcome figures count and leave out, the clinical-intake episodes beside
    published figures (with their sources), and collateral raters' figures."""
    page = _page()
    closed = dashboard.row("closed").current
    _heading(page, 0.95, _("What the outcome figures count"))
    y = _note(
        page,
        0.935,
        _("Closed episodes this month: %(n)s. Counted, and left out by reason:")
        % {"n": figure(closed, "count")},
    )
    rows = [
        (row.key, (str(row.label), figure(row.count, "count"), figure(row.share, "percent")))
        for row in dashboard.left_out["current"]
    ]
    y = _table(page, y - 0.01, (_("Closed episodes"), _("Number"), _("Share")), rows, "left_out")
    y = _note(
        page,
        y,
        _(
            "Left out, as a change needs a first and a last rating to compare: episodes with no "
            "rating, or one only. Also left out: episodes rated on a form without scores, such "
            "as the young children's faces form. The more are left out, the less the figures say."
        ),
    )
    y -= 0.02
    _heading(page, y, _("Compared with published figures"))
    chart = visuals.benchmark_chart(dashboard)
    if chart is None:
        y = _note(
            page,
            y - 0.015,
            _(
                "No published figures are shown: none could be traced to a source that gives "
                "them in full."
            ),
        )
    elif dashboard.clinical_withheld:
        y = _note(
            page,
            y - 0.015,
            _(
                "Like for like, the service's bar would count only episodes that started below "
                "the cutoff, because the published figures come from people in treatment. It is "
                "not shown: fewer than five of the episodes counted started at or above the "
                "cutoff, and comparing the bar with the figures for all episodes would tell how "
                "those few went."
            ),
        )
    else:
        y = _note(
            page,
            y - 0.015,
            _(
                "Like for like: the service's bar counts only episodes that started below the "
                "cutoff (%(n)s this month), because the published figures come from people in "
                "treatment, and only someone who starts below the cutoff can end above it."
            )
            % {"n": figure(dashboard.clinical["n"], "count")},
        )
        axes = page.add_axes((0.09, y - 0.23, 0.88, 0.22))
        charts.draw_categories(axes, chart, font=8)
        y -= 0.31  # the legend sits below the axes
        for number, benchmark in enumerate(benchmarks.BENCHMARKS, start=1):
            shares = ", ".join(
                figure_value(getattr(benchmark, key), "percent")
                for key in ("improved", "unchanged", "deteriorated")
            )
            y = _note(page, y, f"{number}. {benchmark.label} ({shares}): {benchmark.citation}")
    y -= 0.02
    _heading(page, y, _("Parents', teachers' and others' ratings"))
    y = _note(
        page,
        y - 0.015,
        _(
            "Closed episodes with a first and a last rating from a parent, teacher or other; "
            "never counted in the client's own figures. Shares and mean change count each rater."
        ),
    )
    if dashboard.collateral:
        headers = (_("Rated by"), _("Episodes"), _("Clearly better"))
        rows = [
            (
                row.rater,
                (
                    str(row.label),
                    figure(row.episodes, "count"),
                    figure(row.improved, "percent"),
                    figure(row.deteriorated, "percent"),
                    figure(row.change, "points"),
                ),
            )
            for row in dashboard.collateral
        ]
        _collateral_table(page, y - 0.01, headers, rows)
    else:
        _note(
            page,
            y,
            _(
                "No closed episode this month has two or more ratings from a parent, teacher or "
                "other."
            ),
        )
    return page


def _collateral_table(page: Figure, top: float, headers, rows) -> None:
    columns = (0.07, 0.3, 0.45, 0.6, 0.74)
    headers = (*headers, _("Clearly worse"), _("Mean change (points)"))
    for x, header in zip(columns, headers, strict=True):
        page.text(x, top, header, fontsize=8, fontweight="bold", color=TEXT)
    y = top
    for key, values in rows:
        y -= 0.022
        for i, (x, value) in enumerate(zip(columns, values, strict=True)):
            page.text(x, y, value, fontsize=9, color=TEXT, gid=f"collateral-{key}-{i}")


def _comparison_page(dashboard: Dashboard) -> Figure | None:
    kinds = [
        (kind, chart, title)
        for kind, title in (("team", _("Teams compared")), ("helper", _("Helpers compared")))
        if (chart := visuals.caterpillar(dashboard, kind)) is not None
    ]
    if not kinds:
        return None
    page = _page()
    height = 0.86 / len(kinds)
    for i, (_kind, chart, title) in enumerate(kinds):
        bottom = 0.96 - (i + 1) * height + 0.06
        axes = page.add_axes((0.3, bottom, 0.65, height - 0.12))
        charts.draw_caterpillar(axes, chart, font=8)
        axes.set_title(title, loc="left", fontsize=10, fontweight="bold", color=TEXT)
    return page


def monthly_report(
    service: Service,
    year: int,
    month: int,
    *,
    team: Team | None = None,
    helper: User | None = None,
) -> bytes:
    """The report for one calendar month as PDF bytes: the service's, or the team's or the
    helper's (looked up and access-checked by the caller, as for the dashboard)."""
    period = periods.month(year, month)
    dashboard = build_dashboard(
        service,
        period,
        team_id=team.pk if team else None,
        helper_id=helper.pk if helper else None,
        trend_from=periods.add_months(period.start, -11),
    )
    pages = [
        _cover(dashboard, service, whose(service, team, helper)),
        _charts_page(dashboard),
        _outcomes_page(dashboard),
    ]
    comparison = _comparison_page(dashboard)
    if comparison is not None:
        pages.append(comparison)
    from matplotlib.backends.backend_pdf import PdfPages

    metadata = {**charts.METADATA["pdf"], "Title": title(service, period, team, helper)}
    buffer = io.BytesIO()
    with PdfPages(buffer, metadata=metadata) as pdf:
        for page in pages:
            pdf.savefig(page)
    return buffer.getvalue()


def default_month(today: datetime.date) -> tuple[int, int]:
    """The last full month before `today`."""
    first = periods.add_months(today.replace(day=1), -1)
    return first.year, first.month
