"""Leaders' pages: the dashboard, its exports and the monthly report. Thin: fetch with an access
check (`access`), compute (`figures`), draw (`visuals`), keep until the facts change
(`freshness`), export (`exports`, `report`), audit."""

import datetime
from dataclasses import replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from services.accounts.models import Membership
from services.audit import log
from services.audit.models import Action
from services.clients.models import EndReason
from services.measures.models import Instrument
from services.network.models import NetworkMember

from . import access, archive, benchmarks, exports, freshness, periods, report, visuals
from .facts import refresh_outdated
from .figures import Dashboard, build_dashboard, comparison_units, in_language
from .scope import Scope
from .statistics import SAES_MINIMUM_REFERENCE
from .suppression import MINIMUM


def requested_period(request: HttpRequest) -> periods.Period:
    """The period asked for; an unreadable one falls back to the last 12 months, said so."""
    today = timezone.localdate()
    try:
        return periods.parse(
            request.GET.get("period", ""),
            today,
            request.GET.get("from", ""),
            request.GET.get("to", ""),
        )
    except periods.PeriodError:
        messages.warning(request, _("That period could not be read; showing the last 12 months."))
        return periods.last_months(today, 12)


def period_picker(request: HttpRequest) -> dict:
    """What the period fields (dashboards/_period_fields.html) show: the choice and the offers."""
    return {
        "period_choice": request.GET.get("period", "12m") or "12m",
        "month_choices": periods.MONTH_CHOICES,
        "quarters": [
            (q.key, visuals.quarter_label(q.start))
            for q in periods.recent_quarters(timezone.localdate())
        ],
        "custom_from": request.GET.get("from", ""),
        "custom_to": request.GET.get("to", ""),
    }


def _level(request: HttpRequest, code: str):
    service = access.service_for(request.user, code)
    team = access.team_for(service, request.GET.get("team"))
    helper = access.helper_for(service, request.GET.get("helper"))
    return service, team, helper


def _dashboard(request: HttpRequest, code: str):
    """The service, team and helper asked for (access checked), the period and its figures,
    kept until the facts change (`freshness`)."""
    service, team, helper = _level(request, code)
    period = requested_period(request)
    team_id, helper_id = (team.pk if team else None), (helper.pk if helper else None)
    scope = Scope(service.pk, period.start, period.end, team_id, helper_id)
    units = comparison_units(service, scope)
    instruments = list(Instrument.objects.all())
    refresh_outdated(instruments)  # before the generation is read: see `freshness`
    roles = Membership.objects.filter(user=request.user, service=service).values_list("role")
    # What a kept page shows besides the facts: whose figures, over what, compared with whom
    # (names included), for whom (the viewer's dashboard roles), in which language.
    parts = (
        service.pk,
        service.helper_comparison,
        team_id,
        helper_id,
        period,
        tuple(units),
        tuple(sorted(role for (role,) in roles)),
        get_language(),
    )

    def build() -> Dashboard:
        dashboard = build_dashboard(
            service,
            period,
            team_id=team_id,
            helper_id=helper_id,
            units=units,
            instruments=instruments,
            refresh=False,
        )
        return replace(in_language(dashboard), service=None)  # kept without the live row

    dashboard = replace(freshness.kept(parts, build), service=service)
    return service, team, helper, period, dashboard


def _query(request: HttpRequest, **changes) -> str:
    """The current query string with some parameters changed (None drops one)."""
    params = {k: v for k, v in request.GET.items() if v}
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return urlencode(params)


def _whose(team, helper) -> list[str]:
    """The team and helper for an audit detail, by id and by name (issue #16)."""
    parts = []
    if team is not None:
        parts.append(f"team={team.pk} ({team.name})")
    if helper is not None:
        parts.append(f"helper={helper.pk} ({helper})")
    return parts


def _detail(period: periods.Period, team, helper, what: str) -> str:
    parts = [what, f"{period.start.isoformat()}..{period.end.isoformat()}"]
    return " ".join(parts + _whose(team, helper))


@login_required
def index(request: HttpRequest) -> HttpResponse:
    services = list(access.dashboard_services(request.user))
    if not services:
        raise Http404
    if len(services) == 1:
        return redirect("dashboards:service", code=services[0].code)
    return render(request, "dashboards/index.html", {"services": services})


@login_required
def service_dashboard(request: HttpRequest, code: str) -> HttpResponse:
    service, team, helper, period_shown, dashboard = _dashboard(request, code)
    if helper is not None:
        log.record(
            Action.VIEW,
            obj=helper,
            service=service,
            request=request,
            detail=_detail(period_shown, team, helper, "helper dashboard"),
        )
    today = timezone.localdate()
    return render(
        request,
        "dashboards/dashboard.html",
        {
            "service": service,
            "team": team,
            "helper": helper,
            "dashboard": dashboard,
            "closed_episodes": dashboard.row("closed").current,
            "benchmarks": benchmarks.BENCHMARKS,
            "in_network": NetworkMember.objects.active().filter(service=service).exists(),
            "dropout_reason": EndReason.DROPOUT.label,
            # Each chart is kept by its content, once for every page and generation that shows it.
            "charts": visuals.page_charts(dashboard),
            "saes_band": (
                visuals.band_label(dashboard.row("saes").current.value)
                if dashboard.row("saes").current.shown
                else ""
            ),
            **period_picker(request),
            "team_units": [row for row in dashboard.units if row.unit.kind == "team"],
            "helper_units": [row for row in dashboard.units if row.unit.kind == "helper"],
            "service_query": _query(request, team=None, helper=None),
            "team_query": _query(request, helper=None),
            "query": _query(request),
            "minimum": MINIMUM,
            "saes_minimum": SAES_MINIMUM_REFERENCE,
            "report": _report_buttons(service, team, helper, period_shown, today),
        },
    )


@login_required
def export_figures(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    service, team, helper, period, dashboard = _dashboard(request, code)
    log.record(
        Action.EXPORT,
        user=request.user,
        service=service,
        request=request,
        detail=_detail(period, team, helper, f"dashboard figures {fmt}"),
    )
    name = exports.figures_name(service, period.start, period.end, team, helper)
    if fmt == "xlsx":
        response = HttpResponse(
            exports.figures_xlsx(dashboard),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(exports.figures_csv(dashboard), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
def export_ratings(request: HttpRequest, code: str) -> StreamingHttpResponse:
    """The service's ratings in the period as interchange CSV, clients pseudonymised."""
    service = access.service_for(request.user, code)
    period = requested_period(request)
    log.record(
        Action.EXPORT,
        user=request.user,
        service=service,
        request=request,
        detail=_detail(period, None, None, "pseudonymised ratings csv"),
    )
    response = StreamingHttpResponse(
        exports.ratings_csv_lines(service, period.start, period.end),
        content_type="text/csv",
    )
    name = f"{service.code}-ratings-{period.start.isoformat()}-{period.end.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _report_month(request: HttpRequest, today: datetime.date) -> periods.Period:
    """The month asked for, or the one that goes with the period chosen on the dashboard
    (`periods.report_month`); UnreadableMonth or MonthNotOver for a month without a report."""
    if request.GET.get("month", "").strip():
        return periods.ended_month(request.GET["month"], today)
    try:
        shown = periods.parse(
            request.GET.get("period", ""),
            today,
            request.GET.get("from", ""),
            request.GET.get("to", ""),
        )
    except periods.PeriodError:
        shown = periods.last_months(today, 12)
    return periods.report_month(shown, today)


def _report_buttons(service, team, helper, shown, today) -> dict:
    """The report button for the month that goes with the period shown, naming it and whose
    figures, and links to the months before it."""
    url = reverse("dashboards:monthly_report", args=[service.code])
    chosen = periods.report_month(shown, today)

    def link(month: periods.Period) -> str:
        keep = {"team": team.pk if team else None, "helper": helper.pk if helper else None}
        query = urlencode({k: v for k, v in {**keep, "month": month.key}.items() if v})
        return f"{url}?{query}"

    values = {"month": report.month_name(chosen)}
    if team is None and helper is None:
        label = _("Monthly report for %(month)s (PDF)") % values
    else:
        label = _("Monthly report for %(month)s, %(whose)s (PDF)") % {
            **values,
            "whose": helper or team,
        }
    others = [
        (link(month), report.month_name(month))
        for month in periods.ended_months(today)
        if month != chosen
    ]
    return {"url": link(chosen), "label": label, "others": others}


@login_required
def monthly_report(request: HttpRequest, code: str) -> HttpResponse:
    """The month's report for the service, team or helper chosen on the dashboard; a month that
    cannot have a report is a 400 with a page that says why (issue #16)."""
    service, team, helper = _level(request, code)
    today = timezone.localdate()
    try:
        month = _report_month(request, today)
    except periods.MonthNotOver as error:
        message = _(
            "The monthly report for %(month)s can be made when the month is over, from %(date)s."
        ) % {
            "month": report.month_name(error.period),
            "date": formats.date_format(error.period.end + datetime.timedelta(days=1)),
        }
        return _report_refused(request, service, message)
    except periods.UnreadableMonth:
        message = _(
            "There is no monthly report for “%(value)s”. Choose a month that is over, "
            "written as year and month, like %(example)s."
        ) % {"value": request.GET["month"][:20], "example": periods.last_full_month(today).key}
        return _report_refused(request, service, message)
    pdf = archive.monthly_pdf(service, month, team=team, helper=helper)
    log.record(
        Action.EXPORT,
        user=request.user,
        service=service,
        request=request,
        detail=" ".join([f"monthly report pdf {month.key}", *_whose(team, helper)]),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    name = report.file_name(service, month, team, helper)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _report_refused(request: HttpRequest, service, message: str) -> HttpResponse:
    return render(
        request,
        "dashboards/report_refused.html",
        {"service": service, "message": message, "back": _query(request, month=None)},
        status=400,
    )
