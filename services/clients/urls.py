from django.urls import path

from . import client_views, episode_views, views

app_name = "clients"
urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("ny/", views.new_client, name="new"),
    path("<int:pk>/", views.client_detail, name="detail"),
    path("<int:pk>/samtykke/", views.consent, name="consent"),
    path("<int:pk>/alder/", views.change_client_age, name="age"),
    path("<int:pk>/forlop/<int:episode_pk>/graf.png", views.chart_png, name="chart_png"),
    path("<int:pk>/forlop/<int:episode_pk>/vis/", client_views.show_client, name="show_client"),
    path(
        "<int:pk>/forlop/<int:episode_pk>/oppsummering.pdf",
        client_views.summary,
        name="summary_pdf",
    ),
    path("<int:pk>/forlop/<int:episode_pk>/ny-samtale/", views.new_session, name="new_session"),
    path("<int:pk>/forlop/<int:episode_pk>/avslutt/", views.close, name="close_episode"),
    # Corrections (issue #15): services/clients/episode_views.py.
    path(
        "<int:pk>/forlop/<int:episode_pk>/endre/",
        episode_views.episode_changes,
        name="episode_changes",
    ),
    path(
        "<int:pk>/forlop/<int:episode_pk>/tidligere-samtale/",
        episode_views.past_session,
        name="past_session",
    ),
    path(
        "<int:pk>/forlop/<int:episode_pk>/gjenapne/",
        episode_views.reopen,
        name="reopen_episode",
    ),
    path("<int:pk>/nytt-forlop/", episode_views.new_episode, name="new_episode"),
    path(
        "<int:pk>/forlop/<int:episode_pk>/ansvarlig/",
        episode_views.responsible,
        name="responsible",
    ),
]
