from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from services.accounts import login_views, two_factor_views
from services.audit import views as audit_views
from services.clients import privacy_views

from . import health, views

urlpatterns = [
    path("", views.home, name="home"),
    path("klienter/", include("services.clients.urls")),
    path("", include("services.network.urls")),  # before the dashboards' "oversikt/<code>/"
    path("oversikt/", include("services.dashboards.urls")),
    path("logg-inn/", login_views.StaffLoginView.as_view(), name="login"),
    path("logg-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("to-trinn/", two_factor_views.verify, name="two_factor_verify"),
    path("to-trinn/oppsett/", two_factor_views.setup, name="two_factor_setup"),
    path("tilgangslogg/", audit_views.audit_log, name="audit_log"),
    path("tilgangslogg/klient/<int:client_id>/", audit_views.access_report, name="access_report"),
    path("personvern/", privacy_views.privacy, name="privacy"),
    path("personvern/klient/<int:pk>/eksport/", privacy_views.export_client, name="export_client"),
    path("personvern/klient/<int:pk>/slett/", privacy_views.erase, name="erase_client"),
    path("", include("services.ratings.urls")),
    path("profil/", include("services.accounts.urls")),
    path("", include("services.accounts.staff_urls")),
    path("", include("services.supervision.urls")),
    path("", include("services.offers.urls")),
    path("", include("services.comments.urls")),
    path("", include("services.goals.urls")),
    path("", include("services.suggestions.urls")),
    path("", include("services.changes.urls")),
    path("", include("services.groups.urls")),
    path("", include("services.messaging.urls")),
    path("api/v1/", include("services.api.urls")),
    path("", include("services.api.staff_urls")),
    path("forskning/", include("services.research.urls")),
    path("", include("services.peer.urls")),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
    # Answered first by feedback.health.HealthCheckMiddleware; named here for reverse().
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]

# Staff single sign-on (docs/sso.md): these addresses exist only when it is configured.
if settings.OIDC_RP_CLIENT_ID:
    urlpatterns.append(path("oidc/", include("services.accounts.oidc_urls")))

# A lost database connection met outside a view gets the calm 503, not a 500 (feedback.outage).
handler500 = "feedback.outage.server_error"
