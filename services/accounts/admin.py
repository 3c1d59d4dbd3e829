from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import Membership, Service, Team, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["service", "team"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "is_active", "last_login"]
    list_filter = ["is_active", "is_staff", "memberships__role", "memberships__service"]


class TeamInline(admin.TabularInline):
    model = Team
    extra = 0


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "created_at"]
    search_fields = ["name", "code"]
    inlines = [TeamInline]


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
