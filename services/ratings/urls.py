from django.urls import path

from . import handover_views, kiosk_views, paper_views, remote_views

app_name = "ratings"
urlpatterns = [
    path(
        "klienter/<int:pk>/forlop/<int:episode_pk>/gi-skjema/",
        handover_views.hand_over,
        name="handover",
    ),
    path("klienter/<int:pk>/lenke/<int:handover_pk>/", handover_views.link, name="link"),
    path("klienter/<int:pk>/forlop/<int:episode_pk>/papir/", paper_views.paper, name="paper"),
    path("nettbrett/", kiosk_views.form, name="kiosk"),
    path("nettbrett/svar/", kiosk_views.submit, name="kiosk_submit"),
    path("nettbrett/takk/", kiosk_views.thanks, name="kiosk_thanks"),
    path("nettbrett/las-opp/", kiosk_views.unlock, name="unlock"),
    path("nettbrett/sprak/", kiosk_views.language, name="kiosk_language"),
    path("svar/<str:token>/", remote_views.remote, name="remote"),
    path("svar/<str:token>/takk/", remote_views.thanks, name="remote_thanks"),
]
