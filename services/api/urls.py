"""/api/v1/: the resources, the OpenAPI schema at a stable address, and its rendered docs."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView
from rest_framework.routers import SimpleRouter

from . import fhir_views, views

app_name = "api"

router = SimpleRouter()
router.register("instruments", views.InstrumentViewSet, basename="instrument")
router.register("clients", views.ClientViewSet, basename="client")
router.register("episodes", views.EpisodeViewSet, basename="episode")
router.register("sessions", views.SessionViewSet, basename="session")
router.register("ratings", views.RatingViewSet, basename="rating")

urlpatterns = [
    *router.urls,
    path("report/", views.ReportView.as_view(), name="report"),
    path("fhir/clients/<int:pk>/", fhir_views.FhirClientBundle.as_view(), name="fhir-client"),
    path("fhir/bundle/", fhir_views.FhirServiceBundle.as_view(), name="fhir-bundle"),
    path("fhir/import/", fhir_views.FhirImport.as_view(), name="fhir-import"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularRedocView.as_view(url_name="api:schema"), name="docs"),
]
