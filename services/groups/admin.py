"""Groups in the platform operator's admin, to look at only: group leaders keep them in the app,
where each change is in the access log. No member code is shown here."""

from django.contrib import admin

from feedback.admin_site import ReadOnlyAdmin

from .models import Attendance, Group, GroupRating, Meeting, Member, Turn


@admin.register(Group)
class GroupAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "service", "leader", "closed_on"]
    list_select_related = ["service", "leader"]
    list_filter = ["service", "kind"]
    search_fields = ["name", "service__name"]


@admin.register(Member)
class MemberAdmin(ReadOnlyAdmin):
    list_display = ["pk", "group", "is_client", "joined_on", "left_on"]
    list_select_related = ["group"]
    search_fields = ["group__name"]
    exclude = ["code", "label"]


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["group", "number", "date", "open_until"]
    list_select_related = ["group"]
    search_fields = ["group__name"]
    exclude = ["token"]


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdmin):
    list_display = ["pk", "meeting", "member_id"]
    list_select_related = ["meeting__group"]
    search_fields = ["meeting__group__name"]


@admin.register(Turn)
class TurnAdmin(ReadOnlyAdmin):
    list_display = ["pk", "meeting", "method", "opened_at"]
    list_select_related = ["meeting__group"]
    search_fields = ["meeting__group__name"]
    exclude = ["token"]


@admin.register(GroupRating)
class GroupRatingAdmin(ReadOnlyAdmin):
    list_display = ["pk", "meeting", "instrument", "method", "rated_at"]
    list_select_related = ["meeting__group", "instrument"]
    search_fields = ["meeting__group__name"]
    exclude = ["items", "total", "submission_key"]
