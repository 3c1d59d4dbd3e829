"""The public list (/tilbud/<service>/), the administrator's pages (under /tjeneste/), and the
helper's page of offers talked about in an episode (beside the client's other episode pages)."""

from django.urls import path

from . import public_views, staff_views, talked_views

app_name = "offers"
urlpatterns = [
    path("tilbud/<slug:code>/", public_views.public_list, name="public"),
    path("tjeneste/<slug:code>/tilbud/", staff_views.offer_list, name="staff_list"),
    path("tjeneste/<slug:code>/tilbud/ny/", staff_views.new, name="new"),
    path("tjeneste/<slug:code>/tilbud/<int:offer_id>/", staff_views.edit, name="edit"),
    path(
        "tjeneste/<slug:code>/tilbud/<int:offer_id>/vis/",
        staff_views.set_active,
        name="set_active",
    ),
    path(
        "klienter/<int:pk>/forlop/<int:episode_pk>/tilbud/",
        talked_views.talked_about_page,
        name="talked_about",
    ),
    path(
        "klienter/<int:pk>/forlop/<int:episode_pk>/tilbud/lagre/",
        talked_views.save,
        name="save_talked_about",
    ),
]
