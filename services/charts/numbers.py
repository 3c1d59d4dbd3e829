"""Numbers written as the reader's tables write them: 8 402, 41 %, 0,63, −0,10.

Pure: the separators come in a `NumberFormat`, filled by the caller from the active language
(Django's formats, the same source the dashboard tables use), so a chart beside a table never
shows "0.25" next to "0,25". Negative numbers get the real minus sign (U+2212), as in the
tables, never a hyphen; a value that rounds to zero is written without a sign ("0,0", not
"−0,0"), since a sign on nothing reads as a change that is not there.
"""

from dataclasses import dataclass

MINUS = "\u2212"
NO_BREAK_SPACE = "\u00a0"


@dataclass(frozen=True)
class NumberFormat:
    """The decimal mark and thousands separator of one language (Norwegian by default)."""

    decimal_mark: str = ","
    thousands: str = NO_BREAK_SPACE


def format_number(
    value: float, decimals: int = 0, style: NumberFormat = NumberFormat(), grouping: bool = True
) -> str:
    """`value` rounded to `decimals`, with the language's marks and a real minus sign."""
    text = f"{abs(value):.{decimals}f}"
    whole, _, fraction = text.partition(".")
    if grouping and len(whole) > 3:
        head = len(whole) % 3 or 3
        whole = style.thousands.join(
            [whole[:head]] + [whole[i : i + 3] for i in range(head, len(whole), 3)]
        )
    text = f"{whole}{style.decimal_mark}{fraction}" if fraction else whole
    negative = value < 0 and float(f"{abs(value):.{decimals}f}") != 0
    return f"{MINUS}{text}" if negative else text


def format_percent(share: float, decimals: int = 0, style: NumberFormat = NumberFormat()) -> str:
    """A share (0.416) as a percentage ("41,6 %"), with a space before the sign as in the
    tables."""
    return f"{format_number(share * 100, decimals, style)} %"


def decimals_for(step: float) -> int:
    """How many decimals tick labels `step` apart need: 0.5 → 1, 0.25 → 2, 2 → 0."""
    for decimals in range(4):
        if abs(round(step, decimals) - step) < 1e-9:
            return decimals
    return 4
