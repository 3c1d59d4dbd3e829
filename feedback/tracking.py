"""When a row last changed, for systems that copy our data (the API's `updated_since`).

A record system syncs by asking for what changed since its last visit, so every change must move
`updated_at`: Django's `auto_now` alone skips saves with `update_fields` (closing an episode,
renumbering sessions), so `save` adds the field to them. Queryset `update()` calls on these
models set it themselves.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TracksUpdates(models.Model):
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    class Meta:
        abstract = True

    def save(self, *args, update_fields=None, **kwargs):
        if update_fields is not None:
            update_fields = {*update_fields, "updated_at"}
        super().save(*args, update_fields=update_fields, **kwargs)
