"""Offers in the platform operator's admin, to look at only: the service's administrators edit
them in the app, where each change is in the access log. Which offers were talked about with a
client is client data: reading it here is logged like any other."""

from django.contrib import admin

from feedback.admin_site import ReadOnlyAdmin
from services.audit.admin_access import ClientDataAdmin

from .models import Offer, OfferTalkedAbout


@admin.register(Offer)
class OfferAdmin(ReadOnlyAdmin):
    list_display = ["title", "service", "kind", "no_referral", "active", "order"]
    list_select_related = ["service"]
    list_filter = ["service", "kind", "active"]
    search_fields = ["title", "service__name"]


@admin.register(OfferTalkedAbout)
class OfferTalkedAboutAdmin(ClientDataAdmin, ReadOnlyAdmin):
    client_field, service_field = "episode__client_id", "episode__service_id"
    list_display = ["episode", "offer", "talked_on"]
    list_select_related = ["episode__client", "offer"]
    list_filter = ["offer__kind", "episode__service"]
    search_fields = ["episode__client__code"]
    date_hierarchy = "talked_on"
