"""Downloads for leaders: the dashboard's figures (CSV, XLSX) and pseudonymised ratings.

The figure exports are built from the same protected Dashboard as the page, so a figure that
is "too few to show" on the page is the same words in the file, never the number, and its n
(the count it rests on) is left empty too. The ratings
export is the interchange CSV (docs/interchange.md) with each client code replaced by a keyed
pseudonym and each helper by a code that holds only within the file, so a leader can analyse
the ratings without seeing who gave or took them. Every cell goes through
feedback.spreadsheet.safe_cell, so no stored text can become a live formula in a spreadsheet.
Views audit every download.

The figures CSV is written for Excel as Norwegian offices set it up (issue #16): semicolons
between cells, decimal commas, UTF-8 with a byte-order mark. The page offers the XLSX first, as
it needs no such care; the ratings CSV stays a machine format (docs/interchange.md). File names
say whose figures they are (`file_stem`), so a team's file does not overwrite the service's.
"""

import csv
import datetime
import hashlib
import hmac
import io
from collections.abc import Iterator
from decimal import Decimal

from django.conf import settings
from django.utils.text import slugify
from django.utils.translation import gettext as _

from feedback.spreadsheet import safe_row
from services.accounts.models import Service, Team, User
from services.ratings.interchange import COLUMNS, export_rows

from . import benchmarks
from .figures import CATEGORIES, CLINICAL_CATEGORIES, Dashboard, bin_labels
from .suppression import Figure

HEADER = ("section", "group", "figure", "label", "from", "to", "value", "n", "ci_low", "ci_high")
PERCENT_STYLES = {"percent"}


def _value(figure: Figure, withheld=None):
    if figure.suppressed:
        return _("Too few to show") if withheld is None else withheld
    return figure.value


def _dates(start: datetime.date, end: datetime.date) -> tuple[str, str]:
    return start.isoformat(), end.isoformat()


def _row(
    section: str, group: str, key: str, label: str, dates, figure: Figure, withheld=None
) -> tuple:
    """One protected figure as a row: its value or "too few to show", and its n if shown."""
    return (section, group, key, label, *dates, _value(figure, withheld), figure.n, None, None)


def figure_rows(dashboard: Dashboard, withheld=None) -> list[tuple]:
    """Every figure on the page, one value per row, protected as on the page. A withheld figure's
    value is the words "Too few to show", or `withheld` (the API's marker for null)."""
    now = _dates(dashboard.period.start, dashboard.period.end)
    before = _dates(dashboard.previous_period.start, dashboard.previous_period.end)
    rows: list[tuple] = []
    for row in dashboard.rows:
        rows.append(
            (
                "summary",
                "current",
                row.key,
                str(row.label),
                *now,
                _value(row.current, withheld),
                row.current.n,
                row.low,
                row.high,
            )
        )
        rows.append(
            (
                "summary",
                "previous",
                row.key,
                str(row.label),
                *before,
                _value(row.previous, withheld),
                row.previous.n,
                None,
                None,
            )
        )
    for group, dates in (("current", now), ("previous", before)):
        for key in CATEGORIES:
            figure = dashboard.categories[group][key]
            rows.append(
                (
                    "outcome_categories",
                    group,
                    key,
                    "",
                    *dates,
                    _value(figure, withheld),
                    figure.n,
                    None,
                    None,
                )
            )
    clinical_n = dashboard.clinical["n"]
    for key in CLINICAL_CATEGORIES:
        figure = dashboard.clinical[key]
        rows.append(
            (
                "outcome_categories_clinical",
                "current",
                key,
                _("Episodes that started below the cutoff"),
                *now,
                _value(figure, withheld),
                clinical_n.n if figure.shown else None,
                None,
                None,
            )
        )
    for group, dates in (("current", now), ("previous", before)):
        for row in dashboard.left_out[group]:
            for key, figure in ((row.key, row.count), (f"{row.key}_share", row.share)):
                rows.append(_row("left_out", group, key, str(row.label), dates, figure, withheld))
    for benchmark in benchmarks.BENCHMARKS:
        for key in ("improved", "unchanged", "deteriorated"):
            rows.append(
                (
                    "benchmark",
                    benchmark.key,
                    key,
                    benchmark.citation,
                    "",
                    "",
                    getattr(benchmark, key),
                    None,
                    None,
                    None,
                )
            )
    for label, figure in zip(bin_labels(), dashboard.intake_bins, strict=True):
        rows.append(
            ("intake_ors", "current", label, "", *now, _value(figure, withheld), None, None, None)
        )
    for kind, points, length in (
        ("month", dashboard.months, 1),
        ("quarter", dashboard.quarters, 3),
    ):
        for point in points:
            end = _period_end(point.start, length)
            for key, figure in point.values.items():
                rows.append(
                    (
                        kind,
                        point.start.isoformat()[:7],
                        key,
                        "",
                        point.start.isoformat(),
                        end,
                        _value(figure, withheld),
                        figure.n,
                        None,
                        None,
                    )
                )
    for unit in dashboard.units:
        for key in ("clients", "sessions", "ors_completeness", "closed", "improved", "saes"):
            figure = getattr(unit, key)
            low = unit.saes_low if key == "saes" else None
            high = unit.saes_high if key == "saes" else None
            rows.append(
                (
                    unit.unit.kind,
                    unit.unit.name,
                    key,
                    "",
                    *now,
                    _value(figure, withheld),
                    figure.n,
                    low,
                    high,
                )
            )
    for collateral in dashboard.collateral:
        for key, figure in (
            ("episodes", collateral.episodes),
            ("improved", collateral.improved),
            ("deteriorated", collateral.deteriorated),
            ("mean_change", collateral.change),
        ):
            rows.append(
                _row(
                    "collateral",
                    collateral.rater,
                    key,
                    str(collateral.label),
                    now,
                    figure,
                    withheld,
                )
            )
    return rows


def _period_end(start: datetime.date, months: int) -> str:
    month = start.month - 1 + months
    following = datetime.date(start.year + month // 12, month % 12 + 1, 1)
    return (following - datetime.timedelta(days=1)).isoformat()


def file_stem(service: Service, team: Team | None = None, helper: User | None = None) -> str:
    """The start of a download's name: "oslo", "oslo-voksne" (a team's code) or
    "oslo-hjelper-12" (a helper's id, not their name: names change and are not ASCII)."""
    parts = [service.code]
    if team is not None:
        parts.append(team.code)
    if helper is not None:
        parts += [slugify(_("helper")) or "helper", str(helper.pk)]
    return "-".join(parts)


def figures_name(
    service: Service, start: datetime.date, end: datetime.date, team=None, helper=None
) -> str:
    """ "oslo-voksne-2026-01-01-2026-11-30" for the figures CSV and XLSX (without the suffix)."""
    return f"{file_stem(service, team, helper)}-{start.isoformat()}-{end.isoformat()}"


def csv_number(value):
    """A number as Excel set up for Norway reads it from CSV: "0,25", "-1,5", "12".

    The minus is the ASCII hyphen-minus, not the real minus sign (U+2212) the pages use: Excel
    reads "−1,5" as text, so it would not add up or chart, and a leader would not see why. Floats
    are written with every digit Python needs to give the same float back, and never in
    exponent notation, which Excel would not read with a comma. Anything else is left as it is.
    """
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, int):
        return str(value)
    text = repr(float(value))
    if "e" in text or "E" in text:
        text = format(Decimal(text), "f")
    if text.endswith(".0"):
        text = text[:-2]
    return text.replace(".", ",")


def figures_csv(dashboard: Dashboard) -> str:
    """The figures for Excel in Norway: `;` between cells (a comma is the decimal sign there),
    decimal commas (`csv_number`), and a byte-order mark first, without which Excel takes UTF-8
    for the old Windows code page and shows "Ã¥" for "å"."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in figure_rows(dashboard):
        cells = safe_row("" if value is None else value for value in row)
        writer.writerow([csv_number(cell) for cell in cells])
    return buffer.getvalue()


def figures_xlsx(dashboard: Dashboard) -> bytes:
    """The same rows as the CSV in a workbook, numbers as numbers (openpyxl would store text
    starting with `=` as a formula, hence safe_row)."""
    from openpyxl import Workbook  # here, not at the top: every command loads this module
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Figures")[:31]
    sheet.append(HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in figure_rows(dashboard):
        sheet.append(safe_row(row))
    for column, width in zip("ABCDEFGHIJ", (18, 22, 22, 40, 12, 12, 18, 8, 10, 10), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    workbook.properties.creator = "feedback"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def pseudonym(service: Service, client_code: str) -> str:
    """A stable code for a client that cannot be traced back without the server's secret."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(),
        f"dashboard-export:{service.code}:{client_code}".encode(),
        hashlib.sha256,
    ).hexdigest()
    return f"P{digest[:12]}"


class HelperCodes:
    """H1, H2, … for helpers in the order they first appear in one export.

    A username identifies a member of staff to anyone outside the service, so the file carries
    a code instead. The numbering is kept only while one file is written: the same helper has the
    same code throughout that file (so ratings can be grouped by helper), but nothing links a code
    to a person or to the same code in another export. Unlike client pseudonyms, which are keyed
    on the server's secret so that a client can be followed across exports, no key is involved.
    """

    def __init__(self):
        self.codes: dict[str, str] = {}

    def __call__(self, username: str) -> str:
        if not username:
            return ""
        return self.codes.setdefault(username, f"H{len(self.codes) + 1}")


def pseudonymised_rows(
    service: Service, start: datetime.date | None, end: datetime.date | None
) -> Iterator[list[str]]:
    """Interchange rows with pseudonymous client codes and per-export helper codes; helpers
    left out where the service does not allow comparing helpers."""
    client = COLUMNS.index("client")
    helper = COLUMNS.index("helper")
    helper_code = HelperCodes()
    rows = export_rows(service, start, end)
    yield next(rows)
    for row in rows:
        row[client] = pseudonym(service, row[client])
        row[helper] = helper_code(row[helper]) if service.helper_comparison else ""
        yield row


class _Line:
    """A file-like target for csv.writer that hands back each written line."""

    def write(self, text: str) -> str:
        return text


def ratings_csv_lines(
    service: Service, start: datetime.date | None, end: datetime.date | None
) -> Iterator[str]:
    writer = csv.writer(_Line(), lineterminator="\n")
    for row in pseudonymised_rows(service, start, end):
        yield writer.writerow(safe_row(row))
