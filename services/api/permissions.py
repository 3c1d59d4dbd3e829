"""What a key may do: read its own service's data, and write it only with read-write access.

Objects of other services are never found (the views filter on the key's service), so they
answer 404 like a page would, without telling whether they exist.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from .models import ApiKey


class ServiceKey(permissions.BasePermission):
    message = _("This API key may only read.")

    def has_permission(self, request, view) -> bool:
        key = request.auth
        if not isinstance(key, ApiKey):
            return False
        return request.method in permissions.SAFE_METHODS or key.can_write
