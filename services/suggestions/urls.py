"""The public suggestion box (/forslag/<service>/, a place's at /forslag/<service>/<place>/,
each with its poster) and the readers' pages (under /tjeneste/<service>/forslag/).

A place's short name is a slug, so it can never be "plakat.pdf": the two addresses under a
service cannot meet, and a service code needs no reserved words for them.
"""

from django.urls import path

from . import public_views, staff_views

app_name = "suggestions"
urlpatterns = [
    path("forslag/<slug:code>/", public_views.note_page, name="public"),
    path("forslag/<slug:code>/plakat.pdf", public_views.poster, name="poster"),
    path("forslag/<slug:code>/<slug:place>/", public_views.note_page, name="place"),
    path("forslag/<slug:code>/<slug:place>/plakat.pdf", public_views.poster, name="place_poster"),
    path("tjeneste/forslag/", staff_views.index, name="index"),
    path("tjeneste/<slug:code>/forslag/", staff_views.note_list, name="staff_list"),
    path("tjeneste/<slug:code>/forslag/<int:note_id>/", staff_views.note, name="note"),
    path("tjeneste/<slug:code>/forslag/<int:note_id>/tema/", staff_views.tag, name="tag"),
    path("tjeneste/<slug:code>/forslag/<int:note_id>/spam/", staff_views.spam, name="spam"),
    path("tjeneste/<slug:code>/forslag/<int:note_id>/svar/", staff_views.reply, name="reply"),
    path("tjeneste/<slug:code>/forslag/temaer/", staff_views.themes, name="themes"),
    path("tjeneste/<slug:code>/forslag/temaer/<int:theme_id>/", staff_views.theme, name="theme"),
    path("tjeneste/<slug:code>/forslag/steder/", staff_views.add_place, name="add_place"),
    path(
        "tjeneste/<slug:code>/forslag/steder/<int:place_id>/", staff_views.place, name="place_edit"
    ),
]
