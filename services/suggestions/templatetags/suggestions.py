"""The dashboard's suggestion-box part, behind one line in the page
(templates/suggestions/_dashboard.html): notes by theme over the period, in one query on the
service's own view (`counts`), none on a team's or a helper's."""

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from services.suggestions.counts import ThemeCounts, bucket_kind, count_rows, theme_counts

register = template.Library()


@register.simple_tag(takes_context=True)
def suggestion_counts(context) -> ThemeCounts | None:
    if context.get("team") or context.get("helper"):
        return None
    period = context["dashboard"].period
    kind = bucket_kind(period.start, period.end)
    rows = count_rows(context["service"].pk, period.start, period.end, kind)
    language = get_language() or "nb"
    return theme_counts(rows, period.start, period.end, kind, language, _("No theme yet"))
