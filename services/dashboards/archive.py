"""Monthly reports stored once and served from the store (`MonthlyReportFile`).

The background job `store_monthly_reports` calls `store_missing` every night: the first night
of a month it stores last month's report of every service, in the site's language; later nights
find nothing missing, and make up a night the job did not run. A leader's download of a stored
month in that language gets the stored bytes; any other month or language is drawn as before.

Only the whole service's report is stored: a team's or a helper's is drawn when a leader asks
for it (issue #16), as storing every team and helper every month would draw many reports that
nobody reads.
"""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from services.accounts.models import Service, Team, User
from services.audit import log
from services.audit.models import Action

from .models import MonthlyReportFile
from .periods import Period
from .report import default_month, monthly_report

ACTOR = "store_monthly_reports"


def store_missing(today: datetime.date | None = None) -> int:
    """Store last month's report for each service that has none yet; return how many."""
    year, number = default_month(today or timezone.localdate())
    month = datetime.date(year, number, 1)
    language = settings.LANGUAGE_CODE
    stored = 0
    for service in Service.objects.exclude(
        pk__in=MonthlyReportFile.objects.filter(month=month).values("service_id")
    ).order_by("code"):
        with translation.override(language):
            pdf = monthly_report(service, year, number)
        try:
            with transaction.atomic():
                MonthlyReportFile.objects.create(
                    service=service, month=month, language=language, pdf=pdf
                )
                log.record(
                    Action.EXPORT,
                    actor=ACTOR,
                    service=service,
                    detail=f"monthly report pdf {year}-{number:02d} stored",
                )
        except IntegrityError:
            continue  # stored meanwhile by another run
        stored += 1
    return stored


def monthly_pdf(
    service: Service, month: Period, *, team: Team | None = None, helper: User | None = None
) -> bytes:
    """The service's stored report of that month in the active language, or a newly drawn one;
    a team's or a helper's report is always drawn."""
    year, number = month.start.year, month.start.month
    if team is not None or helper is not None:
        return monthly_report(service, year, number, team=team, helper=helper)
    stored = (
        MonthlyReportFile.objects.filter(
            service=service,
            month=month.start,
            language=translation.get_language(),
        )
        .values_list("pdf", flat=True)
        .first()
    )
    return bytes(stored) if stored is not None else monthly_report(service, year, number)
