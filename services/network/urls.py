from django.urls import path

from . import views

app_name = "network"
urlpatterns = [
    path("nettverk/", views.index, name="index"),
    path("nettverk/<slug:code>/", views.detail, name="detail"),
    path("oversikt/<slug:code>/nettverket/", views.benchmark, name="benchmark"),
    path("tjeneste/<slug:code>/nettverk/", views.memberships, name="memberships"),
    path("tjeneste/<slug:code>/nettverk/<int:member_id>/bli-med/", views.join, name="join"),
    path("tjeneste/<slug:code>/nettverk/<int:member_id>/forlat/", views.leave, name="leave"),
    path(
        "tjeneste/<slug:code>/nettverk/<int:member_id>/forventet-utvikling/",
        views.trajectories,
        name="trajectories",
    ),
]
