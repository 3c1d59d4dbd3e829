from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Invitation, Membership, Service, Team, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["service", "team"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "is_active", "last_login"]
    list_filter = ["is_active", "is_staff", "memberships__role", "memberships__service"]
    # Cleared by the operator when a person's account at the login provider was made anew, so
    # their next single sign-on finds this account by e-mail again (docs/sso.md).
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("Single sign-on"), {"fields": ["oidc_subject"]}),
    ]


class TeamInline(admin.TabularInline):
    model = Team
    extra = 0


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    """Services are changed here but made with `manage.py create_service`, which invites the
    first administrator too (services.accounts.founding): one added here would have none."""

    list_display = ["name", "code", "created_at"]
    search_fields = ["name", "code"]
    inlines = [TeamInline]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "service"]
    list_filter = ["service"]
    search_fields = ["name", "code", "service__name"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "service", "role", "team"]
    list_filter = ["role", "service", "team"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "service__name"]
    autocomplete_fields = ["user", "service", "team"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Read-only: invitations are made on the service administration pages, which show the link.

    Only the token's hash is stored, so one made here could never be sent.
    """

    list_display = ["user", "service", "created_by", "created_at", "expires_at", "used_at"]
    list_filter = ["service"]
    search_fields = ["user__username", "service__name"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
