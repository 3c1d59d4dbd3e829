"""A full login lifts the tablet's unlock block, since a guessing client cannot log in."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .pin import lift_block
from .two_factor import two_factor_required


@receiver(user_logged_in)
def lift_unlock_block(sender, request, user, **kwargs):
    """Where two factors are required the block is lifted only after the second one."""
    if not two_factor_required(user):
        lift_block(user, request=request)
