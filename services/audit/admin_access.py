"""Django admin pages that show client data write the access log, like the app's own pages.

Only platform operators reach /admin/ (see feedback.admin_site), but they read the same health
data as anyone else, so a client's "who has seen my data" report must list them too. A model
admin names where its rows keep the client and the service; every list, object, history and
delete page then logs one row per client it shows, and every change through the admin is
logged as well.
"""

from django.contrib.admin.utils import unquote

from . import log
from .models import Action


class ClientDataAdmin:
    """Mix into a ModelAdmin whose rows belong to clients; set the two value paths."""

    client_field = "client_id"
    service_field = "client__service_id"

    def _clients_of(self, pks) -> list[tuple[int, int]]:
        rows = self.model._default_manager.filter(pk__in=list(pks))
        return [
            (client, service)
            for client, service in rows.values_list(self.client_field, self.service_field)
            if client is not None
        ]

    def _log_object(self, request, object_id, what: str) -> None:
        obj = self.get_object(request, unquote(object_id))
        if obj is not None:
            detail = f"admin {self.opts.model_name} {obj.pk} {what}"
            log.record_clients(request, self._clients_of([obj.pk]), detail=detail)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if changelist is not None:
            shown = [row.pk for row in changelist.result_list]
            detail = f"admin {self.opts.model_name} list"
            log.record_clients(request, self._clients_of(shown), detail=detail)
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._log_object(request, object_id, "page")
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._log_object(request, object_id, "history")
        return super().history_view(request, object_id, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self._log_object(request, object_id, "delete page")
        return super().delete_view(request, object_id, extra_context)

    def _log_write(self, request, action: str, pks, what: str) -> None:
        detail = f"admin {self.opts.model_name} {what}"
        log.record_clients(request, self._clients_of(pks), detail=detail, action=action)

    def log_addition(self, request, obj, message):
        self._log_write(request, Action.CREATE, [obj.pk], f"{obj.pk} added")
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        self._log_write(request, Action.CHANGE, [obj.pk], f"{obj.pk} changed")
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        pks = list(queryset.values_list("pk", flat=True))
        self._log_write(request, Action.DELETE, pks, "deleted")
        return super().log_deletions(request, queryset)
