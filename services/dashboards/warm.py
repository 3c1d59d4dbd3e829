"""Draw each service's default dashboard charts in the job worker, after its facts changed.

Why: a leader's first view after the data changed used to draw every chart whose data had
changed: since the charts were made readable on phones (issue #16: two sizes of each, sixteen
pictures) that cost about a second of CPU on the page. The job worker takes in the changes every
two minutes (`rebuild_dashboard_facts`); right after, it draws the charts of the page leaders
open first, the whole service over the last 12 months in the site's language, exactly as the
page would (`views._dashboard` with no choices made), so they are in the shared cache, kept by
their content (`visuals`), when the page asks. Other choices (a team, a helper, another period,
another language) are drawn when asked for, as before.
"""

from django.conf import settings
from django.utils import timezone, translation

from services.accounts.models import Service
from services.measures.models import Instrument

from . import periods, visuals
from .figures import build_dashboard, comparison_units, in_language
from .scope import Scope


def warm_default_charts(service_ids=None) -> int:
    """Draw the default page's charts of these services (all by default); return how many
    services. Charts already drawn with the same content cost one cache read each."""
    services = Service.objects.order_by("code")
    if service_ids is not None:
        services = services.filter(pk__in=service_ids)
    instruments = list(Instrument.objects.all())
    today = timezone.localdate()
    warmed = 0
    with translation.override(settings.LANGUAGE_CODE):
        for service in services:
            period = periods.parse("", today, "", "")
            units = comparison_units(service, Scope(service.pk, period.start, period.end))
            dashboard = build_dashboard(
                service, period, units=units, instruments=instruments, refresh=False
            )
            visuals.page_charts(in_language(dashboard))
            warmed += 1
    return warmed
