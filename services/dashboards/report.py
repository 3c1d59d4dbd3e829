"""The monthly report: the dashboard's figures and charts for one month as a PDF.

Built from the same protected Dashboard as the page (the month against the month before, with
trends over the twelve months up to it), drawn with the chart module's `draw_*` functions on
A4 pages through matplotlib's PDF backend. The bytes are stable for equal data: no creation date
or software version is written.
"""

import datetime
import io
import textwrap

from django.utils import formats
from django.utils.translation import gettext as _
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from services.accounts.models import Service
from services.charts import dashboard as charts

from . import periods, visuals
from .figures import Dashboard, build_dashboard
from .suppression import MINIMUM
from .templatetags.dashboard import change, figure, interval

A4 = (8.27, 11.69)
TEXT = "#1A1A1A"
GREY = "#595959"


def parse_month(value: str) -> tuple[int, int]:
    """ "2026-03" → (2026, 3); ValueError for anything else."""
    year, _, month = value.strip().partition("-")
    if not (year.isdigit() and month.isdigit() and len(year) == 4 and 1 <= int(month) <= 12):
        raise ValueError(f"not a month (YYYY-MM): {value!r}")
    return int(year), int(month)


def _page() -> Figure:
    figure = charts.new_figure(*A4)
    figure.patch.set_facecolor("white")
    return figure


def _cover(dashboard: Dashboard, service: Service) -> Figure:
    page = _page()
    period = dashboard.period
    month = formats.date_format(period.start, "F Y")
    previous = formats.date_format(dashboard.previous_period.start, "F Y")
    page.text(0.07, 0.95, _("Monthly report"), fontsize=20, fontweight="bold", color=TEXT)
    page.text(0.07, 0.92, f"{service.name} – {month}", fontsize=13, color=TEXT)
    page.text(
        0.07,
        0.895,
        _("Compared with %(previous)s. Trends cover the twelve months up to %(month)s.")
        % {"previous": previous, "month": month},
        fontsize=9,
        color=GREY,
    )
    headers = (_("Figure"), month, previous, _("Change"), f"95 % {_('CI')}")
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
        for x, value in zip(columns, values, strict=True):
            page.text(x, y, value, fontsize=9, color=TEXT, gid=f"row-{row.key}")
    notes = [
        _(
            "Figures resting on fewer than %(minimum)d episodes or clients are shown as "
            "“too few to show” and left out of the charts, so no client can be recognised."
        )
        % {"minimum": MINIMUM},
        _(
            "Outcome figures count closed episodes with at least two client ORS ratings: "
            "intake is the first, end the last. Reliable change and the clinical cutoff follow "
            "each age group's norms; the cutoff is a conversation aid, not a verdict."
        ),
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
    boxes = [
        (0.09, 0.72, 0.88, 0.22),
        (0.09, 0.46, 0.88, 0.19),
        (0.09, 0.24, 0.88, 0.16),
        (0.09, 0.04, 0.88, 0.14),
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


def monthly_report(service: Service, year: int, month: int) -> bytes:
    """The report for one calendar month as PDF bytes."""
    period = periods.month(year, month)
    dashboard = build_dashboard(service, period, trend_from=periods.add_months(period.start, -11))
    pages = [_cover(dashboard, service), _charts_page(dashboard)]
    comparison = _comparison_page(dashboard)
    if comparison is not None:
        pages.append(comparison)
    buffer = io.BytesIO()
    with PdfPages(buffer, metadata=charts.METADATA["pdf"]) as pdf:
        for page in pages:
            pdf.savefig(page)
    return buffer.getvalue()


def default_month(today: datetime.date) -> tuple[int, int]:
    """The last full month before `today`."""
    first = periods.add_months(today.replace(day=1), -1)
    return first.year, first.month
