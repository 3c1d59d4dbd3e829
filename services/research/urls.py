"""The leaders' research pages, under /forskning/ (feedback/urls.py)."""

from django.urls import path

from . import views

app_name = "research"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:code>/", views.projects, name="projects"),
    path("<slug:code>/ny/", views.new, name="new"),
    path("<slug:code>/<int:project_id>/", views.detail, name="detail"),
    path("<slug:code>/<int:project_id>/godkjenn/", views.approve, name="approve"),
    path("<slug:code>/<int:project_id>/trekk-tilbake/", views.withdraw, name="withdraw"),
    path("<slug:code>/<int:project_id>/datasett.zip", views.download, name="download"),
]
