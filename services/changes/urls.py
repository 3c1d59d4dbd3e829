"""The public page (/dere-sa-vi-gjorde/<service>/) and the leaders' pages (under /tjeneste/)."""

from django.urls import path

from . import public_views, staff_views

app_name = "changes"
urlpatterns = [
    path("dere-sa-vi-gjorde/<slug:code>/", public_views.public_list, name="public"),
    path("tjeneste/<slug:code>/vi-gjorde/", staff_views.change_list, name="staff_list"),
    path("tjeneste/<slug:code>/vi-gjorde/ny/", staff_views.new, name="new"),
    path("tjeneste/<slug:code>/vi-gjorde/<int:change_id>/", staff_views.edit, name="edit"),
    path(
        "tjeneste/<slug:code>/vi-gjorde/<int:change_id>/publiser/",
        staff_views.set_published,
        name="set_published",
    ),
]
