"""Groups on the leaders' dashboard (issue #18 part 3): how many groups met, how many came, how
the members found the meetings, and how the clients among them are doing.

Whose groups: a group belongs to a service and is led by a helper, never to a team. So the
service's page counts every group of the service and a helper's page the groups that helper
leads; a team's page shows no group figures (`scope_groups` says None) rather than guessing
a team from the leader's.

Over the period, counting the meetings dated in it:
- groups with a meeting, and meetings held;
- attendance: attendances, of the member-meetings where the person was a member on the day
  (had joined, and had not left before it), so a member who joined late or left is not
  counted absent from meetings they were never part of;
- the group alliance: the mean total (0–40) of the answers at meetings that have closed and
  where five or more answered, the rule the group leader's own chart follows, so no pair of
  periods can be subtracted to find a meeting's mean that its leader may not see. It is the
  mean of the meetings' frozen means weighted by their answers (`services.groups.figures.
  freeze_closed`): today's meeting, still open, is not in it (a view at five answers and one
  at six would give the sixth away), and neither a later answer nor a client's erasure
  changes a figure once shown;
- the members who are clients: of their episodes with two or more outcome ratings on a scored
  form, the share clearly better and clearly worse so far (reliable change, as judged in the
  dashboard facts by `facts.judged`, the same rule as every other outcome figure).

Every figure is under the small-number rule, resting on people: the members (groups, meetings,
attendance), the members who answered (alliance), the clients (outcomes).

One statement on every view, whatever the data size: answers arrive at every meeting and are
not in the dashboard facts, so these figures are not kept with the page's (`freshness`). The
first view after a meeting of the period has closed takes three more, whatever the number of
meetings: the statement says so, the meetings are frozen (`freeze_closed`, two) and the
statement is made again. The client outcomes read the episode facts, which the page brings up
to date before it is drawn.
"""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    Max,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast
from django.utils import timezone

from services.accounts.models import Service
from services.groups.figures import freeze_closed
from services.groups.models import Attendance, Group, GroupRating, Meeting, Member

from .models import EpisodeFact
from .scope import Scope
from .suppression import MINIMUM, Figure, protect


@dataclass(frozen=True)
class GroupFigures:
    has_groups: bool  # the service has a group (a helper's page: the helper leads one)
    members: Figure  # people who were members on the day of a meeting in the period
    groups: Figure  # groups with a meeting in the period
    meetings: Figure
    attendance: Figure  # a share of the member-meetings; its n is the members
    attended: int | None  # the share's parts, None where it is withheld
    expected: int | None
    alliance: Figure  # mean total 0–40; its n is the members who answered
    answers: int | None  # the answers it rests on, None where withheld
    clients: Figure  # client members' episodes with two or more outcome ratings
    improved: Figure  # shares of those
    deteriorated: Figure

    @property
    def met(self) -> bool:
        """Whether anyone was a member at a meeting in the period (shown or not)."""
        return self.members.suppressed or bool(self.members.value)


def scope_groups(scope: Scope) -> QuerySet[Group] | None:
    """The groups a page counts: the service's, a helper's own; None on a team's page."""
    if scope.team_id is not None:
        return None
    groups = Group.objects.filter(service_id=scope.service_id)
    if scope.helper_id is not None:
        groups = groups.filter(leader_id=scope.helper_id)
    return groups


def _one(queryset: QuerySet, output_field=None, **aggregate) -> Subquery:
    """An aggregate over the whole queryset as a scalar subquery: grouping by a constant
    groups by nothing, so it is one row, also over no rows (a count of 0, a mean of NULL)."""
    ((name, expression),) = aggregate.items()
    rows = queryset.order_by().annotate(_all=Value(1)).values("_all").annotate(**{name: expression})
    return Subquery(rows.values(name), output_field=output_field or IntegerField())


def scope_meetings(scope: Scope, groups: QuerySet[Group]) -> QuerySet[Meeting]:
    return Meeting.objects.filter(Q(group__in=groups) & scope.dated("date"))


def sums(scope: Scope, groups: QuerySet[Group], now: datetime.datetime) -> dict:
    """Every count and sum the figures need, in one statement; `to_freeze` says whether a
    meeting has closed since it was last looked at, and the alliance is then not yet right."""
    meetings = scope_meetings(scope, groups)
    # A member and a meeting of their group in the period, where they were a member that day.
    on_the_day = Q(group__meetings__in=meetings, joined_on__lte=F("group__meetings__date")) & (
        Q(left_on__isnull=True) | Q(left_on__gte=F("group__meetings__date"))
    )
    pairs = Member.objects.filter(on_the_day)
    attendances = Attendance.objects.filter(
        Q(meeting__in=meetings, member__joined_on__lte=F("meeting__date"))
        & (Q(member__left_on__isnull=True) | Q(member__left_on__gte=F("meeting__date")))
    )
    # Frozen only when closed; `answered` is the count the frozen mean rests on.
    five_answered = meetings.filter(figures_frozen_at__isnull=False, answered__gte=MINIMUM)
    answered_by = GroupRating.objects.filter(meeting__in=five_answered.values("pk"))
    weighted = Sum(Cast("mean_total", FloatField()) * F("answered"), output_field=FloatField())
    outcomes = EpisodeFact.objects.filter(
        episode_id__in=pairs.filter(episode__isnull=False).values("episode_id"),
        scored=1,
        ors_count__gte=2,
    )
    columns = {
        "has_groups": Exists(groups),
        "to_freeze": Exists(meetings.filter(figures_frozen_at__isnull=True, open_until__lte=now)),
        "groups": _one(meetings, n=Count("group", distinct=True)),
        "meetings": _one(meetings, n=Count("pk")),
        "expected": _one(pairs, n=Count("pk")),
        "members": _one(pairs, n=Count("pk", distinct=True)),
        "attended": _one(attendances, n=Count("pk")),
        "answers": _one(five_answered, n=Sum("answered")),
        "most_answered": _one(five_answered, n=Max("answered")),
        "answered_by": _one(answered_by, n=Count("member", distinct=True)),
        "alliance": _one(
            five_answered, FloatField(), n=weighted / Cast(Sum("answered"), FloatField())
        ),
        "clients": _one(outcomes, n=Count("pk")),
        "improved": _one(outcomes, n=Sum("improved")),
        "deteriorated": _one(outcomes, n=Sum("deteriorated")),
    }
    # Named apart from the service's own fields and relations ("groups" is one).
    row = (
        Service.objects.filter(pk=scope.service_id)
        .annotate(**{f"figure_{name}": column for name, column in columns.items()})
        .values(*(f"figure_{name}" for name in columns))
        .get()
    )
    return {name: row[f"figure_{name}"] for name in columns}


def _share(part: int | None, whole: int | None) -> float | None:
    return (part or 0) / whole if whole else None


def figures(raw: dict) -> GroupFigures:
    """The counts and sums made into protected figures."""
    members = raw["members"] or 0
    attendance = protect(_share(raw["attended"], raw["expected"]), members)
    # The people who answered: those whose answers are still here, and never fewer than the
    # most at one meeting (an erasure takes a member's answers, not the frozen figures).
    answered_by = max(raw["answered_by"] or 0, raw["most_answered"] or 0)
    alliance = protect(
        None if raw["alliance"] is None else round(float(raw["alliance"]), 1), answered_by
    )
    clients = raw["clients"] or 0
    return GroupFigures(
        has_groups=bool(raw["has_groups"]),
        members=protect(members, members),
        groups=protect(raw["groups"] or 0, members),
        meetings=protect(raw["meetings"] or 0, members),
        attendance=attendance,
        attended=(raw["attended"] or 0) if attendance.shown else None,
        expected=raw["expected"] if attendance.shown else None,
        alliance=alliance,
        answers=raw["answers"] if alliance.shown else None,
        clients=protect(clients, clients),
        improved=protect(_share(raw["improved"], clients), clients),
        deteriorated=protect(_share(raw["deteriorated"], clients), clients),
    )


def group_figures(scope: Scope) -> GroupFigures | None:
    """The page's group figures; None on a team's page (groups are not a team's)."""
    groups = scope_groups(scope)
    if groups is None:
        return None
    now = timezone.now()
    raw = sums(scope, groups, now)
    if raw["to_freeze"]:
        freeze_closed(scope_meetings(scope, groups), now)
        raw = sums(scope, groups, now)
    return figures(raw)
