from django.urls import path

from . import own_views, views

app_name = "dashboards"
urlpatterns = [
    path("", views.index, name="index"),
    # Before the service codes: always the viewer's own (issue #16); a service may not use it.
    path("mine-resultater/", own_views.own_results, name="own_results"),
    path("<slug:code>/", views.service_dashboard, name="service"),
    path("<slug:code>/tall.<str:fmt>", views.export_figures, name="export_figures"),
    path("<slug:code>/vurderinger.csv", views.export_ratings, name="export_ratings"),
    path("<slug:code>/manedsrapport.pdf", views.monthly_report, name="monthly_report"),
]
