"""A new service and its first administrator, made by a platform operator (issue #20).

One installation hosts several municipalities' services, each run by its own administrators in
the app. Someone has to open a service and name its first administrator: the platform operator,
the only superuser, who is a member of no service (`access.is_platform_operator`). The
administrator gets an invitation link like any staff member (`staff.invite`): an inactive
account with no password, so the operator never knows it, and two-factor login is set up at the
first login as for everyone. From then on the administrator invites the service's own staff.

The Django admin does not add services (`admin.ServiceAdmin`): a service added there would have
no administrator, and could only get one whose password the operator chose.
"""

from dataclasses import dataclass

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from services.audit import log
from services.audit.models import Action

from . import staff
from .models import Role, Service, User
from .staff_forms import no_formula_start

ACTOR = "create_service"
FIRST_ADMINISTRATOR = staff.Placement(
    roles=(Role.ADMINISTRATOR,), team=None, can_view_clients=False
)


class FoundingError(ValueError):
    """What is wrong with the service or administrator asked for; nothing was made."""


@dataclass(frozen=True)
class Founded:
    service: Service
    administrator: User
    token: str  # the invitation's token, to be shown once: only its hash is stored


def found(
    *, code: str, name: str, username: str, email: str, first_name: str = "", last_name: str = ""
) -> Founded:
    """Make the service and invite its first administrator, all or nothing, and log both."""
    service = Service(code=code, name=name)
    _check(service, username, email)
    with transaction.atomic():
        service.save()
        profile = {
            "username": username,
            "email": email,
            "first_name": first_name,
            "last_name": last_name,
        }
        member, token = staff.invite(
            service, profile=profile, placement=FIRST_ADMINISTRATOR, created_by=None
        )
        log.record(Action.CREATE, actor=ACTOR, obj=service, service=service)
        log.record(
            Action.CREATE,
            actor=ACTOR,
            obj=member,
            service=service,
            detail=f"invited; {FIRST_ADMINISTRATOR.describe()}",
        )
    return Founded(service, member, token)


def new_link(*, code: str, username: str) -> Founded:
    """A fresh link for a first administrator who has not used theirs (lost or expired):
    the service has nobody else yet who could send one. Their older links stop working."""
    service = Service.objects.filter(code=code).first()
    if service is None:
        raise FoundingError(f"No service with the code {code!r}.")
    member = User.objects.filter(
        username=username,
        memberships__service=service,
        memberships__role=Role.ADMINISTRATOR,
    ).first()
    if member is None:
        raise FoundingError(f"{username!r} is no administrator of {code!r}.")
    if member.is_active:
        raise FoundingError(
            f"{username!r} has logged in already: a lost password is for the service's "
            "administrators to reset on its staff page."
        )
    with transaction.atomic():
        token = staff.reinvite(member, service, created_by=None)
        log.record(
            Action.CHANGE,
            actor=ACTOR,
            obj=member,
            service=service,
            detail="new invitation; password removed",
        )
    return Founded(service, member, token)


def _check(service: Service, username: str, email: str) -> None:
    if Service.objects.filter(code__iexact=service.code).exists():
        raise FoundingError(f"A service with the code {service.code!r} exists already.")
    if User.objects.filter(username__iexact=username).exists():
        raise FoundingError(
            f"The username {username!r} is taken; choose another. (Someone who works in another "
            "service already is given a role here in the admin's memberships, not made anew.)"
        )
    try:
        service.full_clean()
        UnicodeUsernameValidator()(username)
        no_formula_start(username)
        validate_email(email)
    except ValidationError as error:
        raise FoundingError("; ".join(_messages(error))) from None


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [f"{field}: {' '.join(map(str, errors))}" for field, errors in error]
    return [str(message) for message in error]
