"""Peer supervision in the platform operator's admin, to look at only: groups, members, shares
and comments are made in the app, where each is audited. A case belongs to a client, so its
pages write the access log (`ClientDataAdmin`)."""

from django.contrib import admin

from feedback.admin_site import ReadOnlyAdmin
from services.audit.admin_access import ClientDataAdmin

from .models import CaseComment, GroupMember, SharedCase, SupervisionGroup


class MemberInline(admin.TabularInline):
    model = GroupMember
    extra = 0
    fields = ["user", "added_by", "added_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SupervisionGroup)
class SupervisionGroupAdmin(ReadOnlyAdmin):
    list_display = ["name", "network", "created_by", "created_at"]
    list_select_related = ["network", "created_by"]
    list_filter = ["network"]
    search_fields = ["name"]
    inlines = [MemberInline]


@admin.register(SharedCase)
class SharedCaseAdmin(ClientDataAdmin, ReadOnlyAdmin):
    client_field, service_field = "episode__client_id", "episode__service_id"
    list_display = ["label", "group", "shared_by", "shared_at", "withdrawn_at"]
    list_select_related = ["group__network", "shared_by"]
    list_filter = ["group__network"]
    search_fields = ["label"]
    exclude = ["snapshot", "question"]


@admin.register(GroupMember)
class GroupMemberAdmin(ReadOnlyAdmin):
    list_display = ["user", "group", "added_by", "added_at"]
    list_select_related = ["user", "group__network", "added_by"]
    list_filter = ["group__network"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "group__name"]


@admin.register(CaseComment)
class CaseCommentAdmin(ClientDataAdmin, ReadOnlyAdmin):
    client_field, service_field = "case__episode__client_id", "case__episode__service_id"
    list_display = ["case", "author", "created_at"]
    list_select_related = ["case", "author"]
    search_fields = ["case__label"]
    exclude = ["text"]
