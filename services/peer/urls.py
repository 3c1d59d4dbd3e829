"""Peer supervision: the groups' pages (under /veiledningsgrupper/), sharing from the client
page (under /klienter/), and the coordinator's groups beside the network's page."""

from django.urls import path

from . import coordinator_views, share_views, views

app_name = "peer"
urlpatterns = [
    path("veiledningsgrupper/", views.index, name="index"),
    path("veiledningsgrupper/<int:pk>/", views.group_page, name="group"),
    path("veiledningsgrupper/sak/<int:pk>/", views.case_page, name="case"),
    path("veiledningsgrupper/sak/<int:pk>/kommentar/", views.comment, name="comment"),
    path("veiledningsgrupper/sak/<int:pk>/trekk-tilbake/", share_views.withdraw, name="withdraw"),
    path(
        "klienter/<int:pk>/forlop/<int:episode_pk>/del-i-veiledningsgruppe/",
        share_views.share,
        name="share",
    ),
    path("nettverk/<slug:code>/veiledningsgrupper/", coordinator_views.groups, name="groups"),
    path("veiledningsgrupper/<int:pk>/medlemmer/", coordinator_views.members, name="members"),
    path(
        "veiledningsgrupper/<int:pk>/medlemmer/<int:member_pk>/fjern/",
        coordinator_views.remove_member,
        name="remove_member",
    ),
]
