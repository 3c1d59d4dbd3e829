"""What a service administrator may do to the staff of their own service, and nothing more.

Every function takes the service explicitly and touches only memberships in it; the few actions
that reach the whole account (its password, its second factor, its active flag) are allowed only
when the account belongs to no service the administrator does not run, so an administrator of
one service can never take over or lock out someone who works elsewhere.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import invitations
from .access import administered_services
from .models import Invitation, Membership, Role, Service, Team, User

ROLE_ORDER = [Role.HELPER, Role.LEADER, Role.ADMINISTRATOR, Role.COUNCIL]


def service_for(user, code: str) -> Service:
    """The service with this code if the user administers it; 404 otherwise."""
    service = administered_services(user).filter(code=code).first()
    if service is None:
        raise Http404
    return service


def staff_of(service: Service) -> QuerySet[User]:
    """The service's staff with their memberships here (`here`), two-factor and invite state."""
    now = timezone.now()
    return (
        User.objects.filter(pk__in=Membership.objects.filter(service=service).values("user"))
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(service=service).select_related("team"),
                to_attr="here",
            )
        )
        .annotate(
            has_two_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
            invited=Exists(
                Invitation.objects.filter(
                    user=OuterRef("pk"), service=service, used_at__isnull=True, expires_at__gt=now
                )
            ),
        )
        .order_by("last_name", "first_name", "username")
    )


def member_for(service: Service, user_id: int) -> User:
    """A staff member of this service; 404 for anyone else, whoever they are."""
    member = staff_of(service).filter(pk=user_id).first()
    if member is None:
        raise Http404
    return member


def roles_here(member: User) -> list[str]:
    """The member's roles in the service `staff_of` fetched them for, in a fixed order."""
    held = {m.role for m in member.here}
    return [role.value for role in ROLE_ORDER if role in held]


def works_elsewhere(member: User, service: Service) -> bool:
    return member.memberships.exclude(service=service).exists()


def deactivation_removes_roles(member: User, service: Service) -> bool:
    """Whether deactivating here only removes roles: the account is also used elsewhere."""
    return works_elsewhere(member, service) or member.is_superuser or member.is_staff


def may_manage_account(actor: User, member: User) -> bool:
    """Whether `actor` may change the account itself: password, second factor, active flag.

    Not their own account, not a platform operator's, and only if every service the member
    works in is one the actor administers.
    """
    if member.pk == actor.pk or member.is_superuser or member.is_staff:
        return False
    return not member.memberships.exclude(service__in=administered_services(actor)).exists()


@dataclass(frozen=True)
class Placement:
    """A staff member's roles, team and client permission in one service."""

    roles: tuple[str, ...]
    team: Team | None
    can_view_clients: bool

    def describe(self) -> str:
        team = self.team.pk if self.team else "-"
        return f"roles={','.join(self.roles) or '-'} team={team} clients={self.can_view_clients}"


def placement_of(member: User) -> Placement:
    here = member.here
    return Placement(
        roles=tuple(roles_here(member)),
        team=here[0].team if here else None,
        can_view_clients=any(m.can_view_clients for m in here),
    )


def place(member: User, service: Service, placement: Placement) -> None:
    """Give the member exactly these roles in this service, all with the same team."""
    with transaction.atomic():
        Membership.objects.filter(user=member, service=service).exclude(
            role__in=placement.roles
        ).delete()
        for role in placement.roles:
            Membership.objects.update_or_create(
                user=member,
                service=service,
                role=role,
                defaults={"team": placement.team, "can_view_clients": placement.can_view_clients},
            )


@transaction.atomic
def invite(
    service: Service, *, profile: dict, placement: Placement, created_by: User
) -> tuple[User, str]:
    """A new, inactive staff member with no password, placed in this service, and their link.

    Atomic on its own (a savepoint inside the view's transaction), so a username taken in a race
    rolls back only this and the view can still answer with a message.
    """
    member = User(is_active=False, **profile)
    member.set_unusable_password()
    member.save()
    place(member, service, placement)
    return member, invitations.issue(member, service, created_by=created_by)


@transaction.atomic
def reinvite(member: User, service: Service, *, created_by: User) -> str:
    """A lost password: the old one stops working, and a fresh link lets them choose anew."""
    member.set_unusable_password()
    member.save(update_fields=["password"])
    return invitations.issue(member, service, created_by=created_by)


@transaction.atomic
def deactivate(member: User, service: Service) -> str:
    """Stop the member working here. Returns what was done: "memberships" or "account".

    Someone who also works in another service (or runs the platform) only loses their roles
    here; anyone else keeps their roles but can no longer log in, so they can be reactivated.
    """
    invitations.expire_open(member, service)
    if deactivation_removes_roles(member, service):
        Membership.objects.filter(user=member, service=service).delete()
        return "memberships"
    member.is_active = False
    member.save(update_fields=["is_active"])
    return "account"


def reactivate(member: User) -> None:
    member.is_active = True
    member.save(update_fields=["is_active"])


def reset_two_factor(member: User) -> int:
    """Remove the member's authenticator and backup codes; they set up new ones at next login."""
    with transaction.atomic():
        removed, _ = TOTPDevice.objects.filter(user=member).delete()
        backup, _ = StaticDevice.objects.filter(user=member).delete()
    return removed + backup
