"""The group leader's pages (under /grupper/) and the members' pages at a meeting: the group QR
code's address /gruppe/<token>/ and each member's turn at /gruppe/svar/<token>/."""

from django.urls import path

from . import chart_views, meeting_views, public_views, staff_views

app_name = "groups"
urlpatterns = [
    path("grupper/", staff_views.index, name="index"),
    path("grupper/ny/", staff_views.new, name="new"),
    path("grupper/<int:group_id>/", staff_views.detail, name="detail"),
    path("grupper/<int:group_id>/avslutt/", staff_views.close, name="close"),
    path("grupper/<int:group_id>/deltakere/klient/", staff_views.add_client, name="add_client"),
    path(
        "grupper/<int:group_id>/deltakere/ny/",
        staff_views.add_participant,
        name="add_participant",
    ),
    path(
        "grupper/<int:group_id>/deltakere/<int:member_id>/slutt/",
        staff_views.member_left,
        name="member_left",
    ),
    path(
        "grupper/<int:group_id>/deltakere/<int:member_id>/ny-kode/",
        staff_views.new_code,
        name="new_code",
    ),
    path("grupper/<int:group_id>/koder/", staff_views.codes, name="codes"),
    path("grupper/<int:group_id>/samarbeid.png", chart_views.alliance_png, name="alliance_png"),
    path("grupper/<int:group_id>/moter/ny/", meeting_views.new, name="new_meeting"),
    path("grupper/<int:group_id>/moter/<int:meeting_id>/", meeting_views.meeting, name="meeting"),
    path("grupper/<int:group_id>/moter/<int:meeting_id>/qr/", meeting_views.qr, name="qr"),
    path(
        "grupper/<int:group_id>/moter/<int:meeting_id>/oppmote/",
        meeting_views.attendance,
        name="attendance",
    ),
    path(
        "grupper/<int:group_id>/moter/<int:meeting_id>/deltakere/<int:member_id>/apne-igjen/",
        meeting_views.reopen_turn,
        name="reopen_turn",
    ),
    path(
        "grupper/<int:group_id>/moter/<int:meeting_id>/nettbrett/",
        meeting_views.tablet_round,
        name="tablet_round",
    ),
    path("gruppe/<uuid:token>/", public_views.join, name="join"),
    path("gruppe/svar/<uuid:token>/", public_views.turn, name="turn"),
    path("gruppe/svar/<uuid:token>/takk/", public_views.thanks, name="turn_thanks"),
]
