"""The OWASP rule against formula injection, as one pure function (issue #11)."""

from decimal import Decimal

import pytest

from feedback.spreadsheet import safe_cell, safe_row, starts_like_formula


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+2", "'=1+2"),
        ('=HYPERLINK("http://x.example";"klikk")', '\'=HYPERLINK("http://x.example";"klikk")'),
        ("+47 12345678", "'+47 12345678"),
        ("-2+3", "'-2+3"),
        ("-1e3", "'-1e3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-", "'-"),
        ("-3.0", "-3.0"),
        ("-3,0", "-3,0"),
        ("+4", "+4"),
        ("K-1", "K-1"),
        ("'=1", "'=1"),
        ("", ""),
        ("Too few to show", "Too few to show"),
    ],
)
def test_text_that_starts_like_a_formula_gets_a_quote(value, written):
    assert safe_cell(value) == written


@pytest.mark.parametrize("value", [-3.0, -3, Decimal("-3.0"), None, 0])
def test_numbers_stay_numbers(value):
    assert safe_cell(value) == value


def test_a_row_is_made_safe_cell_by_cell():
    assert safe_row(["=1", -1.5, "ok"]) == ["'=1", -1.5, "ok"]


def test_input_is_refused_on_the_first_character_alone():
    assert starts_like_formula("-3")
    assert not starts_like_formula("K=1")
