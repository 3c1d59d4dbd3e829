"""Who supervises where, and what a supervisor may see: every supervision view asks here.

A supervisor of a service is a member of it with the administrator's grant
(`SupervisorGrant`), or a leader of it allowed to see identified clients. They see the
service's helpers, and of each helper's open episodes only those whose signals call for
supervision (`SUPERVISED`), by client code: never the name, never the rest of the caseload.
Anything else is a 404, so a guessed id does not reveal that a client, helper or service exists.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from services.accounts.access import helpers_of
from services.accounts.models import Membership, Role, Service, User
from services.clients.models import Episode
from services.dashboards.models import EpisodeSummary
from services.measures.signals import Signal

from .models import SupervisorGrant

# The signals a supervisor looks at with the helper, most severe first.
SUPERVISED = (Signal.DETERIORATED, Signal.OFF_TRACK, Signal.ALLIANCE, Signal.NO_CHANGE)


def supervised_services(user) -> QuerySet[Service]:
    if not user.is_authenticated:
        return Service.objects.none()
    member = Membership.objects.filter(user=user, service=OuterRef("pk"))
    granted = SupervisorGrant.objects.filter(user=user, service=OuterRef("pk"))
    return Service.objects.filter(
        Exists(member.filter(role=Role.LEADER, can_view_clients=True))
        | (Exists(member) & Exists(granted))
    ).order_by("name")


def supervises(user) -> bool:
    return supervised_services(user).exists()


def service_for(user, code: str) -> Service:
    service = supervised_services(user).filter(code=code).first()
    if service is None:
        raise Http404
    return service


def helper_for(service: Service, helper_id: int) -> User:
    helper = helpers_of(service).filter(pk=helper_id).first()
    if helper is None:
        raise Http404
    return helper


def needs_supervision() -> Q:
    """Summaries raising any of the supervised signals."""
    wanted = Q()
    for signal in SUPERVISED:
        wanted |= Q(signals__contains=f",{signal.value},")
    return wanted


def responsible(user_id) -> Exists:
    """Rows with an `episode_id` whose episode this helper is responsible for."""
    return Exists(
        Episode.helpers.through.objects.filter(episode_id=OuterRef("episode_id"), user_id=user_id)
    )


def flagged(service: Service, helper: User) -> QuerySet[EpisodeSummary]:
    """The helper's open episodes in this service that call for supervision, most urgent first.

    Read the summaries after `caseload.up_to_date`, so they are judged on today's data.
    """
    return (
        EpisodeSummary.objects.filter(needs_supervision(), responsible(helper.pk), service=service)
        .select_related("client", "episode")
        .order_by("severity", "client__code")
    )


def flagged_episode(service: Service, helper: User, episode_id: int) -> EpisodeSummary:
    summary = flagged(service, helper).filter(episode_id=episode_id).first()
    if summary is None:
        raise Http404
    return summary
