"""Service administration (under /tjeneste/) and the public invitation link (/invitasjon/)."""

from django.urls import path

from . import invitation_views, staff_views

app_name = "staff"
urlpatterns = [
    path("tjeneste/", staff_views.index, name="index"),
    path("tjeneste/<slug:code>/ansatte/", staff_views.staff_list, name="list"),
    path("tjeneste/<slug:code>/ansatte/ny/", staff_views.invite, name="invite"),
    path("tjeneste/<slug:code>/ansatte/<int:user_id>/", staff_views.member, name="member"),
    path(
        "tjeneste/<slug:code>/ansatte/<int:user_id>/deaktiver/",
        staff_views.deactivate,
        name="deactivate",
    ),
    path(
        "tjeneste/<slug:code>/ansatte/<int:user_id>/aktiver/",
        staff_views.reactivate,
        name="reactivate",
    ),
    path(
        "tjeneste/<slug:code>/ansatte/<int:user_id>/nullstill-to-trinn/",
        staff_views.reset_two_factor,
        name="reset_two_factor",
    ),
    path(
        "tjeneste/<slug:code>/ansatte/<int:user_id>/ny-invitasjon/",
        staff_views.reinvite,
        name="reinvite",
    ),
    path("tjeneste/<slug:code>/team/", staff_views.team_list, name="teams"),
    path("tjeneste/<slug:code>/team/<int:team_id>/", staff_views.team_edit, name="team"),
    path(
        "tjeneste/<slug:code>/team/<int:team_id>/slett/",
        staff_views.team_delete,
        name="team_delete",
    ),
    path("tjeneste/<slug:code>/innstillinger/", staff_views.service_settings, name="settings"),
    path("tjeneste/<slug:code>/skjema/", staff_views.service_forms, name="forms"),
    path("invitasjon/<str:token>/", invitation_views.accept, name="accept"),
]
