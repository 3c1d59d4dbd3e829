"""Every change to peer supervision, each with its row in the access log in the same
transaction: a case shared, viewed, commented on or withdrawn is logged with the client's id
and the client's service, so the client's "who has seen my data" report and the client's own
service's access log list it, whichever service the reader works in."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from services.audit import log
from services.audit.models import Action
from services.clients.models import Episode

from . import snapshot
from .models import CaseComment, GroupMember, SharedCase, SupervisionGroup, new_label

LABEL_TRIES = 20


def _client_of(case: SharedCase):
    return case.episode.client


@transaction.atomic
def share(
    episode: Episode, group: SupervisionGroup, question: str, *, user, request=None
) -> SharedCase:
    """Share the episode with the group; the caller has checked that the client agreed."""
    now = timezone.now()
    frozen = snapshot.take(episode)
    for _attempt in range(LABEL_TRIES):
        try:
            with transaction.atomic():
                case = SharedCase.objects.create(
                    group=group,
                    episode=episode,
                    label=new_label(),
                    shared_by=user,
                    question=question,
                    consent_recorded_at=now,
                    consent_recorded_by=user,
                    snapshot=frozen,
                )
            break
        except IntegrityError:
            if SharedCase.objects.filter(
                group=group, episode=episode, withdrawn_at__isnull=True
            ).exists():
                raise
    else:
        raise IntegrityError("no free case label")
    log.record(
        Action.CREATE,
        user=user,
        obj=case,
        client=episode.client,
        service=episode.service,
        request=request,
        detail=f"shared in supervision group {group.pk}",
    )
    return case


def record_view(case: SharedCase, request) -> None:
    log.record(
        Action.VIEW,
        obj=case,
        client=_client_of(case),
        service=case.episode.service,
        request=request,
        detail="peer case viewed",
    )


def record_group_view(group: SupervisionGroup, rows, request) -> None:
    """The group page lists its cases' labels and questions: one row per client, one statement.
    `rows` are (client id, service id) pairs."""
    log.record_clients(request, rows, detail="peer group page")


@transaction.atomic
def comment(case: SharedCase, text: str, *, request) -> CaseComment:
    made = CaseComment.objects.create(case=case, author=request.user, text=text)
    log.record(
        Action.CREATE,
        obj=made,
        client=_client_of(case),
        service=case.episode.service,
        request=request,
        detail="peer case comment",
    )
    return made


@transaction.atomic
def withdraw(case: SharedCase, *, user, request=None, actor: str = "") -> bool:
    """Withdraw the case: its snapshot, question and comments are deleted; that it was shared,
    with the client's consent, and withdrawn stays. False if it was withdrawn already."""
    locked = SharedCase.objects.select_for_update().get(pk=case.pk)
    if locked.withdrawn_at is not None:
        return False
    CaseComment.objects.filter(case=locked).delete()
    locked.snapshot, locked.question = {}, ""
    locked.withdrawn_at, locked.withdrawn_by = timezone.now(), user
    locked.save(update_fields=["snapshot", "question", "withdrawn_at", "withdrawn_by"])
    log.record(
        Action.CHANGE,
        user=user,
        actor=actor,
        obj=locked,
        client=_client_of(case),
        service=case.episode.service,
        request=request,
        detail=f"withdrawn from supervision group {locked.group_id}",
    )
    case.refresh_from_db()
    return True


@transaction.atomic
def create_group(network, name: str, *, request) -> SupervisionGroup:
    group = SupervisionGroup.objects.create(network=network, name=name, created_by=request.user)
    log.record(
        Action.CREATE,
        obj=group,
        request=request,
        detail=f"supervision group in network {network.code}",
    )
    return group


@transaction.atomic
def add_member(group: SupervisionGroup, membership, *, request) -> GroupMember:
    """Add the helper of `membership` (a helper membership in a member service); logged in that
    service, so its administrators see where their helpers take part."""
    member, _created = GroupMember.objects.get_or_create(
        group=group, user=membership.user, defaults={"added_by": request.user}
    )
    log.record(
        Action.CREATE,
        obj=member,
        service=membership.service,
        request=request,
        detail=f"in supervision group {group.pk}",
    )
    return member


@transaction.atomic
def remove_member(member: GroupMember, *, request) -> None:
    log.record(
        Action.DELETE,
        obj=member,
        request=request,
        detail=f"in supervision group {member.group_id}",
    )
    member.delete()
