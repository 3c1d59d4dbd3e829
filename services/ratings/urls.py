from django.urls import path, re_path

from . import correction_views, handover_views, kiosk_views, paper_views, remote_views

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
    path("nettbrett/sw.js", kiosk_views.worker, name="kiosk_worker"),
    path("svar/<str:token>/", remote_views.remote, name="remote"),
    path("svar/<str:token>/takk/", remote_views.thanks, name="remote_thanks"),
    # The short address of a text message, also when a slash is typed after it.
    re_path(r"^s/(?P<code>[^/]+)/?$", remote_views.short, name="short"),
    path("s/<str:code>/takk/", remote_views.short_thanks, name="short_thanks"),
    # Correcting a stored answer (issue #15): the page, then one POST per kind of correction.
    path("klienter/<int:pk>/svar/<int:rating_pk>/rett/", correction_views.correct, name="correct"),
    path(
        "klienter/<int:pk>/svar/<int:rating_pk>/endre/",
        correction_views.edit,
        name="edit_rating",
    ),
    path(
        "klienter/<int:pk>/svar/<int:rating_pk>/flytt/",
        correction_views.move,
        name="move_rating",
    ),
    path(
        "klienter/<int:pk>/svar/<int:rating_pk>/slett/",
        correction_views.delete,
        name="delete_rating",
    ),
]
