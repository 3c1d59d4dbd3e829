"""Cells that a spreadsheet will not run: the OWASP rule against CSV (formula) injection.

Excel, LibreOffice and Google Sheets treat a cell that starts with `=`, `+`, `-` or `@` (and,
after trimming, one that starts with a tab or carriage return) as a formula, even in a plain CSV
file, so a client code like `=HYPERLINK(...)` could run on a leader's machine when they open an
export. Every CSV or XLSX file the app writes passes its cells through `safe_cell`, which puts a
single quote in front of such a text: spreadsheets then show it as text.

Numbers are left alone. A cell that is not text (an int, float or Decimal, as in the dashboard
figures) is written as a number and cannot hold a formula. A text that is *strictly* a plain
number, such as `-3.0` or `-3,0` (an optional sign, digits, at most one decimal separator and
digits), is left alone too: a spreadsheet reads it as that number and nothing else, and a quote
would turn a legitimate negative change into text. Anything else starting with a sign, such as
`-2+3` or `-1e3`, gets the quote.

The quote is part of the exported text: importing an exported file gives codes with the quote.
Import and the client form refuse codes that start like a formula (`starts_like_formula`), so
only data stored before that rule can ever be quoted.
"""

import re
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def starts_like_formula(text: str) -> bool:
    """True when a spreadsheet could read the text as a formula (used to refuse input)."""
    return text.startswith(FORMULA_STARTS)


def safe_cell(value):
    """The value, with a single quote in front when it is text that starts like a formula."""
    if isinstance(value, str) and starts_like_formula(value) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_row(row: Iterable) -> list:
    return [safe_cell(value) for value in row]
