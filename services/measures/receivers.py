"""A new service starts with the built-in forms, so its clients can rate from the first day."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from services.accounts.models import Service

from .forms_in_use import choose_builtin_forms


@receiver(post_save, sender=Service, dispatch_uid="measures_builtin_forms_for_new_service")
def builtin_forms_for_new_service(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        choose_builtin_forms(instance)
