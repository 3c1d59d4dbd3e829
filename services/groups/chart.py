"""The group alliance chart's data: the meetings' protected means and the words, translated.

The means come from `figures.alliance_by_meeting`, where a meeting with fewer than five answers
has already lost its mean: the chart gets None there, never a number to leave out, so neither
the drawing nor its cache key can hold it. A meeting still open has no mean at all (nor a count
of answers here), so its drawing does not change as its answers arrive.
"""

from collections.abc import Sequence
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _

from services.charts.group_alliance import GroupAllianceChart, GroupAllianceText, MeetingMean
from services.charts.numbers import NumberFormat, format_number

from .figures import MeetingAlliance


def chart_text(threshold: Decimal | None) -> GroupAllianceText:
    decimal_mark = formats.get_format("DECIMAL_SEPARATOR")
    thousands = formats.get_format("THOUSAND_SEPARATOR")
    line = _("Threshold for good collaboration")
    if threshold is not None:
        decimals = 0 if float(threshold).is_integer() else 1
        written = format_number(float(threshold), decimals, NumberFormat(decimal_mark, thousands))
        line = _("Threshold for good collaboration (%(threshold)s)") % {"threshold": written}
    return GroupAllianceText(
        y_label=_("Collaboration in the group: the mean of the answers (0–40)"),
        x_label=_("Meeting"),
        mean=_("Mean of the answers"),
        threshold=line,
        too_few=_("Too few answers"),
        none_shown=_("Too few answers to show a mean yet"),
        not_closed=_("Not closed yet"),
        none_closed=_("The mean is shown when the meeting has closed"),
        no_meetings=_("No meetings yet"),
        date_format="%d.%m",
        decimal_mark=decimal_mark,
        thousands=thousands,
    )


def alliance_chart(
    meetings: Sequence[MeetingAlliance], threshold: Decimal | None
) -> GroupAllianceChart:
    return GroupAllianceChart(
        meetings=tuple(
            MeetingMean(m.number, m.date, float(m.mean.value) if m.shown else None, m.still_open)
            for m in meetings
        ),
        threshold=None if threshold is None else float(threshold),
        text=chart_text(threshold),
    )
