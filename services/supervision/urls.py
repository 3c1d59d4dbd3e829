"""Supervision (under /veiledning/), the follow-up click on the client page, and the
administrator's supervisors page beside the staff pages (under /tjeneste/)."""

from django.urls import path

from . import follow_up_views, grant_views, views

app_name = "supervision"
urlpatterns = [
    path("veiledning/", views.index, name="index"),
    path("veiledning/<slug:code>/", views.service_page, name="service"),
    path("veiledning/<slug:code>/hjelper/<int:helper_id>/", views.helper_page, name="helper"),
    path(
        "veiledning/<slug:code>/hjelper/<int:helper_id>/forlop/<int:episode_id>/graf.svg",
        views.chart,
        name="chart",
    ),
    path(
        "veiledning/<slug:code>/hjelper/<int:helper_id>/forlop/<int:episode_id>/drottet/",
        views.discuss,
        name="discuss",
    ),
    path(
        "klienter/<int:pk>/forlop/<int:episode_pk>/fulgt-opp/",
        follow_up_views.follow_up,
        name="follow_up",
    ),
    path("tjeneste/<slug:code>/veiledere/", grant_views.grants, name="grants"),
    path(
        "tjeneste/<slug:code>/veiledere/<int:grant_id>/fjern/",
        grant_views.revoke,
        name="revoke",
    ),
]
