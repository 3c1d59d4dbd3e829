from django.contrib import admin

from .models import Coordinator, Network, NetworkMember


class MemberInline(admin.TabularInline):
    """Invitations: the operator adds a service; one of its administrators accepts in the app."""

    model = NetworkMember
    extra = 0
    fields = [
        "service",
        "invited_at",
        "joined_at",
        "joined_by",
        "left_at",
        "use_network_trajectories",
    ]
    readonly_fields = [
        "invited_at",
        "joined_at",
        "joined_by",
        "left_at",
        "use_network_trajectories",
    ]
    autocomplete_fields = ["service"]


class CoordinatorInline(admin.TabularInline):
    model = Coordinator
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "created_at"]
    search_fields = ["name", "code"]
    inlines = [MemberInline, CoordinatorInline]


@admin.register(NetworkMember)
class NetworkMemberAdmin(admin.ModelAdmin):
    """Who is invited to and a member of which network: joining and leaving is the service
    administrators' choice, made and logged in the app, so it is read here, not changed."""

    list_display = [
        "service",
        "network",
        "invited_at",
        "joined_at",
        "left_at",
        "use_network_trajectories",
    ]
    list_filter = ["network"]
    readonly_fields = [
        "invited_at",
        "joined_at",
        "joined_by",
        "left_at",
        "use_network_trajectories",
    ]


@admin.register(Coordinator)
class CoordinatorAdmin(admin.ModelAdmin):
    list_display = ["user", "network", "added_at"]
    list_filter = ["network"]
    autocomplete_fields = ["user"]
