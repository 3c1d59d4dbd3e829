"""The group alliance chart as a PNG, for the group's leader only (`access.group_for`).

It shows the meetings' means, each only where five or more answered, so it names nobody and
needs no access-log entry; the group's page that shows it logs the members it shows.

Cached by content (`services.charts.cache`): the key holds the group, the language and the
chart's data, whose means and meetings change when an answer or a meeting arrives, so a new
answer that changes the drawing is never served an old one. Three queries whatever the number
of meetings or answers: the group, its meetings' means, the service's group form.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from services.charts.cache import cached_chart
from services.charts.group_alliance import SIZES, group_alliance_chart
from services.measures.age_groups import AgeGroup
from services.measures.forms_in_use import chosen_form
from services.measures.models import Purpose

from .access import group_for
from .chart import alliance_chart
from .figures import alliance_by_meeting


@login_required
def alliance_png(request: HttpRequest, group_id: int) -> HttpResponse:
    group = group_for(request.user, group_id)
    size = request.GET.get("size", "wide")
    if size not in SIZES:
        return HttpResponseBadRequest(
            _("Unknown chart size. Use “wide” or “narrow”."), content_type="text/plain"
        )
    form = chosen_form(group.service_id, AgeGroup.ADULT, Purpose.GROUP_ALLIANCE)
    threshold = form.spec.alliance.threshold if form and form.spec.alliance else None
    png = cached_chart(
        group_alliance_chart,
        alliance_chart(alliance_by_meeting(group), threshold),
        model_version=f"group:{group.pk}",
        language=get_language() or "nb",
        fmt="png",
        size=size,
    )
    return HttpResponse(png, content_type="image/png")
