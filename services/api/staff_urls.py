from django.urls import path

from . import staff_views

app_name = "api_keys"
urlpatterns = [
    path("tjeneste/<slug:code>/api-nokler/", staff_views.key_list, name="list"),
    path(
        "tjeneste/<slug:code>/api-nokler/<int:key_id>/trekk-tilbake/",
        staff_views.revoke,
        name="revoke",
    ),
]
