"""Leaders' pages: the dashboard, its exports and the monthly report. Thin: fetch with an access
check (`access`), compute (`figures`), draw (`visuals`), keep until the facts change
(`freshness`), export (`exports`, `report`), audit."""

import datetime
from dataclasses import replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from services.accounts.models import Membership
from services.audit import log
from services.audit.models import Action
from services.clients.models import EndReason
from services.measures.models import Instrument

from . import access, archive, benchmarks, exports, freshness, periods, report, visuals
from .facts import refresh_outdated
from .figures import Dashboard, build_dashboard, comparison_units, in_language
from .scope import Scope
from .statistics import SAES_MINIMUM_REFERENCE
from .suppression import MINIMUM


def _period(request: HttpRequest) -> periods.Period:
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


def _level(request: HttpRequest, code: str):
    service = access.service_for(request.user, code)
    team = access.team_for(service, request.GET.get("team"))
    helper = access.helper_for(service, request.GET.get("helper"))
    return service, team, helper


def _dashboard(request: HttpRequest, code: str):
    """The service, team and helper asked for (access checked), the period and its figures,
    kept until the facts change (`freshness`)."""
    service, team, helper = _level(request, code)
    period = _period(request)
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


def _detail(period: periods.Period, team, helper, what: str) -> str:
    parts = [what, f"{period.start.isoformat()}..{period.end.isoformat()}"]
    if team is not None:
        parts.append(f"team={team.pk}")
    if helper is not None:
        parts.append(f"helper={helper.pk}")
    return " ".join(parts)


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
            "dropout_reason": EndReason.DROPOUT.label,
            # Each chart is kept by its content, once for every page and generation that shows it.
            "charts": visuals.page_charts(dashboard),
            "saes_band": (
                visuals.band_label(dashboard.row("saes").current.value)
                if dashboard.row("saes").current.shown
                else ""
            ),
            "period_choice": request.GET.get("period", "12m") or "12m",
            "month_choices": periods.MONTH_CHOICES,
            "quarters": [
                (q.key, visuals.quarter_label(q.start)) for q in periods.recent_quarters(today)
            ],
            "custom_from": request.GET.get("from", ""),
            "custom_to": request.GET.get("to", ""),
            "team_units": [row for row in dashboard.units if row.unit.kind == "team"],
            "helper_units": [row for row in dashboard.units if row.unit.kind == "helper"],
            "service_query": _query(request, team=None, helper=None),
            "team_query": _query(request, helper=None),
            "query": _query(request),
            "minimum": MINIMUM,
            "saes_minimum": SAES_MINIMUM_REFERENCE,
            "report_month": _last_month(today).strftime("%Y-%m"),
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
    name = f"{service.code}-{period.start.isoformat()}-{period.end.isoformat()}"
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
    period = _period(request)
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


def _last_month(today: datetime.date) -> datetime.date:
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


@login_required
def monthly_report(request: HttpRequest, code: str) -> HttpResponse:
    service = access.service_for(request.user, code)
    try:
        year, month = report.parse_month(request.GET.get("month", ""))
    except ValueError:
        first = _last_month(timezone.localdate())
        year, month = first.year, first.month
    pdf = archive.monthly_pdf(service, year, month)
    log.record(
        Action.EXPORT,
        user=request.user,
        service=service,
        request=request,
        detail=f"monthly report pdf {year}-{month:02d}",
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{service.code}-report-{year}-{month:02d}.pdf"'
    )
    return response
