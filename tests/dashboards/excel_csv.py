"""The dashboard's figures CSV read back as Excel set up for Norway reads it (issue #16 item 5):
a byte-order mark, semicolons between cells, decimal commas.

Number cells come back with a decimal point ("-0,25" → "-0.25"), so the tests that compare
the file's figures with the page's go on comparing numbers as before; what the file itself
holds is checked in test_report_selection.
"""

import csv
import io
import re

_DECIMAL = re.compile(r"-?\d+,\d+")


def _number(cell: str) -> str:
    return cell.replace(",", ".") if _DECIMAL.fullmatch(cell) else cell


def cells(text: str | bytes) -> list[list[str]]:
    """Every row of the file, header first."""
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    assert text.startswith("\ufeff"), "the figures CSV starts with a byte-order mark"
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";")
    return [[_number(cell) for cell in row] for row in reader]


def rows(text: str | bytes) -> list[dict[str, str]]:
    """The rows below the header as dicts, as csv.DictReader gives them."""
    header, *body = cells(text)
    return [dict(zip(header, row, strict=True)) for row in body]
