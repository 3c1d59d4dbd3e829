from django.urls import path

from . import views

app_name = "clients"
urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("ny/", views.new_client, name="new"),
    path("<int:pk>/", views.client_detail, name="detail"),
    path("<int:pk>/samtykke/", views.consent, name="consent"),
    path("<int:pk>/alder/", views.change_client_age, name="age"),
    path("<int:pk>/forlop/<int:episode_pk>/graf.png", views.chart_png, name="chart_png"),
    path("<int:pk>/forlop/<int:episode_pk>/ny-samtale/", views.new_session, name="new_session"),
    path("<int:pk>/forlop/<int:episode_pk>/avslutt/", views.close, name="close_episode"),
]
