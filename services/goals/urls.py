"""The goals page of an episode and its changes, beside the client's other episode pages."""

from django.urls import path

from . import views

app_name = "goals"
urlpatterns = [
    path("klienter/<int:pk>/forlop/<int:episode_pk>/mal/", views.goals, name="goals"),
    path("klienter/<int:pk>/forlop/<int:episode_pk>/mal/nytt/", views.add, name="add"),
    path("klienter/<int:pk>/forlop/<int:episode_pk>/mal/endre/", views.change, name="change"),
    path("klienter/<int:pk>/forlop/<int:episode_pk>/mal/skar/", views.scores, name="scores"),
]
