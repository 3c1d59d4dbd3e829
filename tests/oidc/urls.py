"""The project's addresses with single sign-on's, as feedback/urls.py has them when
OIDC_RP_CLIENT_ID is set (the tests switch it on in settings, after the URLs were loaded)."""

from django.urls import include, path

from feedback.urls import handler500
from feedback.urls import urlpatterns as project_urlpatterns

__all__ = ["handler500", "urlpatterns"]

urlpatterns = [*project_urlpatterns, path("oidc/", include("services.accounts.oidc_urls"))]
