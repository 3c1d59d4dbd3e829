"""The suggestion box in the platform operator's admin, to look at only: the service's readers
tag, answer and publish in the app, where each change is in the access log. A note holds no
client and nothing about its writer."""

from django.contrib import admin

from feedback.admin_site import ReadOnlyAdmin

from .models import Note, Place, Theme


@admin.register(Theme)
class ThemeAdmin(ReadOnlyAdmin):
    list_display = ["name", "service", "order"]
    list_select_related = ["service"]
    list_filter = ["service"]
    search_fields = ["name", "service__name"]


@admin.register(Place)
class PlaceAdmin(ReadOnlyAdmin):
    list_display = ["name", "slug", "service", "order"]
    list_select_related = ["service"]
    list_filter = ["service"]
    search_fields = ["name", "slug", "service__name"]


@admin.register(Note)
class NoteAdmin(ReadOnlyAdmin):
    list_display = ["received_on", "service", "place", "theme", "is_spam", "reply_public"]
    list_select_related = ["service", "place", "theme"]
    list_filter = ["service", "is_spam", "reply_public"]
    date_hierarchy = "received_on"
