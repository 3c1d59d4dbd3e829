"""What every login does: lift the tablet's unlock block (a guessing client cannot log in), and
start without the login provider's word on a second factor, which only a single sign-on gives."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from . import sso
from .pin import lift_block
from .two_factor import two_factor_required


@receiver(user_logged_in)
def lift_unlock_block(sender, request, user, **kwargs):
    """Where two factors are required the block is lifted only after the second one."""
    if not two_factor_required(user):
        lift_block(user, request=request)


@receiver(user_logged_in)
def forget_provider_mfa(sender, request, user, **kwargs):
    """A password login in a session that once came through the provider must not inherit its
    second factor; the single sign-on's callback marks the session again after this."""
    sso.forget_mfa(request)
