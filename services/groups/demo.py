"""Two groups for the demo service, led by the demo helper (issue #18 part 3).

- "Mestringskurs – depresjon og angst", a course: eight members (five of the helper's own
  adult clients, by their open episodes, and three participants known by first name; more
  participants where the helper has fewer such clients), one who joined at the second meeting
  and one who stopped after the fifth; seven weekly meetings up to the last Tuesday, with who
  came, everyone's group form (a slowly rising alliance) and, at the first, fourth and last
  meeting, the client members' outcome form in a group session of their own episode. At the
  third meeting only four answered, so the leader's chart and the dashboard show what the
  small-number rule hides.
- "Turgruppa", an activity group: four participants, three Monday walks, never five answers,
  so every mean is withheld.

Without them a newcomer's demo has an empty group list, an empty group chart and no group
figures on the dashboard. Made after the caseload, from the demo's seed (the same seed gives
the same groups, members, meetings and scores; member codes, QR tokens and submission keys are
random by design), with a fixed number of statements. The demo's earlier groups go first, so
`seed_demo --replace` rebuilds them whole. A client's group sessions are numbered in date
order among their other sessions, as `sessions.recording.register_session` numbers them.
"""

import datetime
import random
import uuid
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from feedback.bulk_insert import insert_rows
from services.clients.models import Episode
from services.demo.generate import RATING_FIELDS, split_total
from services.measures.age_groups import AgeGroup
from services.measures.forms_in_use import chosen_form
from services.measures.models import Purpose
from services.ratings.models import Method, Rater, Rating
from services.sessions.models import Session, SessionKind

from .models import Attendance, Group, GroupKind, GroupRating, Meeting, Member, Turn, TurnMethod

COURSE = "Mestringskurs – depresjon og angst"
WALK = "Turgruppa"
COURSE_MEETINGS = 7
CLIENT_MEMBERS = 5
PARTICIPANTS = ("Mona", "Stian", "Hege")
WALKERS = ("Eva", "Terje", "Linn", "Håkon")
FEW_ANSWERS_AT = 2  # the third meeting: five came, four answered
OUTCOME_AT = (0, 3, 6)  # the client members' outcome form at the first, fourth and last
EXTRA_PARTICIPANTS = ("Tone", "Geir", "Randi", "Vidar", "Åse")  # where the helper has fewer clients
# Episodes begun at least this long before the course: a session or more before it.
SETTLED = datetime.timedelta(days=7)


def seed(service, leader, seed: int) -> dict[str, int]:
    """The two demo groups of `service`, led by `leader`; counts of what was made."""
    Group.objects.filter(service=service, name__in=(COURSE, WALK)).delete()
    rng = random.Random(seed + 18)
    today = timezone.localdate()
    gsrs = chosen_form(service.pk, AgeGroup.ADULT, Purpose.GROUP_ALLIANCE)
    if gsrs is None:
        return {"groups": 0, "meetings": 0, "group_answers": 0}
    last_tuesday = today - datetime.timedelta(days=(today.weekday() - 1) % 7 or 7)
    course_days = [
        last_tuesday - datetime.timedelta(weeks=COURSE_MEETINGS - 1 - i) for i in range(7)
    ]
    last_monday = today - datetime.timedelta(days=today.weekday() or 7)
    walk_days = [last_monday - datetime.timedelta(weeks=2 - i) for i in range(3)]

    course = Group.objects.create(
        service=service, name=COURSE, kind=GroupKind.COURSE, leader=leader
    )
    walk = Group.objects.create(service=service, name=WALK, kind=GroupKind.ACTIVITY, leader=leader)
    episodes = _client_episodes(service, leader, course_days[0])
    fill = EXTRA_PARTICIPANTS[: CLIENT_MEMBERS - len(episodes)]
    members = Member.objects.bulk_create(
        [
            *(Member(group=course, episode_id=pk, joined_on=course_days[0]) for pk in episodes),
            *(Member(group=course, label=name, joined_on=course_days[0]) for name in fill),
            Member(group=course, label=PARTICIPANTS[0], joined_on=course_days[0]),
            # One came from the second meeting, one stopped after the fifth.
            Member(
                group=course,
                label=PARTICIPANTS[1],
                joined_on=course_days[0],
                left_on=course_days[4],
            ),
            Member(group=course, label=PARTICIPANTS[2], joined_on=course_days[1]),
            *(Member(group=walk, label=name, joined_on=walk_days[0]) for name in WALKERS),
        ]
    )
    course_members = [m for m in members if m.group_id == course.pk]
    walkers = [m for m in members if m.group_id == walk.pk]
    meetings = Meeting.objects.bulk_create(
        [
            *(_meeting(course, number, day, leader) for number, day in enumerate(course_days, 1)),
            *(_meeting(walk, number, day, leader) for number, day in enumerate(walk_days, 1)),
        ]
    )
    came, answered = {}, {}
    for index, meeting in enumerate(m for m in meetings if m.group_id == course.pk):
        here = [m for m in course_members if m.was_member_on(meeting.date)]
        came[meeting] = _course_attendance(rng, here, index)
        answered[meeting] = came[meeting][:4] if index == FEW_ANSWERS_AT else came[meeting]
    for meeting in (m for m in meetings if m.group_id == walk.pk):
        came[meeting] = rng.sample(walkers, rng.choice((3, 4)))
        answered[meeting] = came[meeting][: rng.choice((2, 3))]  # never five
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, member=member)
        for meeting, here in came.items()
        for member in here
    )
    answers = _answers(rng, gsrs, answered, course_days)
    Turn.objects.bulk_create(
        Turn(meeting_id=answer.meeting_id, member_id=answer.member_id, method=answer.method)
        for answer in answers
    )
    GroupRating.objects.bulk_create(answers)
    outcome_days = {
        member.episode_id: [
            meeting.date
            for index, meeting in enumerate(m for m in meetings if m.group_id == course.pk)
            if index in OUTCOME_AT and member in came[meeting]
        ]
        for member in course_members
        if member.is_client
    }
    _group_sessions(service, leader, rng, outcome_days)
    return {"groups": 2, "meetings": len(meetings), "group_answers": len(answers)}


def _client_episodes(service, leader, first_meeting: datetime.date) -> list[int]:
    """Up to five of the leader's adult clients' open episodes begun before the course, the
    longest-running first (participants fill the places of any missing)."""
    return list(
        Episode.objects.filter(
            service=service,
            end_date__isnull=True,
            helpers=leader,
            client__age_group=AgeGroup.ADULT,
            start_date__lte=first_meeting - SETTLED,
        )
        .order_by("start_date", "pk")
        .values_list("pk", flat=True)[:CLIENT_MEMBERS]
    )


def _meeting(group: Group, number: int, day: datetime.date, leader) -> Meeting:
    evening = datetime.datetime.combine(day, datetime.time(21), ZoneInfo(settings.TIME_ZONE))
    return Meeting(group=group, number=number, date=day, open_until=evening, created_by=leader)


def _course_attendance(rng: random.Random, here: list[Member], index: int) -> list[Member]:
    """Who came: most, most weeks; five at the third meeting (a stormy evening)."""
    if index == FEW_ANSWERS_AT:
        return rng.sample(here, 5)
    missing = rng.choice((0, 1, 1, 2))
    return rng.sample(here, len(here) - missing)


def _answers(rng, gsrs, answered: dict, course_days: list) -> list[GroupRating]:
    """Everyone's group form: an alliance rising slowly over the course, each member a little
    above or below the group; the walks high and steady."""
    keys = gsrs.spec.item_keys
    oslo = ZoneInfo(settings.TIME_ZONE)
    offsets: dict[int, float] = {}
    answers = []
    for meeting, members in answered.items():
        progress = course_days.index(meeting.date) / 6 if meeting.date in course_days else None
        for member in members:
            offset = offsets.setdefault(member.pk, rng.gauss(0, 1.5))
            centre = 37.5 if progress is None else 30.5 + 5.5 * progress
            items = split_total(rng, min(39.6, max(12.0, centre + offset + rng.gauss(0, 1))))
            answers.append(
                GroupRating(
                    meeting=meeting,
                    member=member,
                    instrument=gsrs,
                    items=dict(zip(keys, map(str, items), strict=True)),
                    total=sum(items),
                    method=TurnMethod.PHONE if rng.random() < 0.7 else TurnMethod.TABLET,
                    rated_at=datetime.datetime.combine(meeting.date, datetime.time(19, 40), oslo),
                    submission_key=uuid.uuid4(),
                )
            )
    return answers


def _group_sessions(service, leader, rng, outcome_days: dict[int, list[datetime.date]]) -> None:
    """A group session with the client's outcome form in their episode at each of `outcome_days`,
    a little better each time than their latest form before it; then the episode's sessions
    numbered again by date (a group session on the day of an individual one comes after it)."""
    ors = chosen_form(service.pk, AgeGroup.ADULT, Purpose.OUTCOME)
    if ors is None or not outcome_days:
        return
    before = Session.objects.filter(episode_id__in=outcome_days)
    existing = list(before.values_list("pk", "episode_id", "date", "number"))
    # After the episode's second session, so its first two keep their numbers (the demo's
    # offers are ticked at the second session, `demo.extras`).
    second = {episode_id: day for _, episode_id, day, number in existing if number == 2}
    outcome_days = {
        episode_id: [day for day in days if episode_id in second and day > second[episode_id]]
        for episode_id, days in outcome_days.items()
    }
    latest: dict[int, list[tuple[datetime.date, float]]] = {}
    for episode_id, day, total in (
        Rating.objects.filter(session__in=before, purpose=Purpose.OUTCOME, rater=Rater.CLIENT)
        .order_by("session__date", "pk")
        .values_list("session__episode_id", "session__date", "total")
    ):
        latest.setdefault(episode_id, []).append((day, float(total)))
    # Out of the way of every number in use while both old and new are there.
    before.update(number=F("number") + 10000)
    planned = [(episode_id, day) for episode_id, days in outcome_days.items() for day in days]
    new_ids = insert_rows(
        Session,
        ("episode_id", "number", "date", "helper_id", "kind"),
        [
            (episode_id, 20000 + index, day, leader.pk, SessionKind.GROUP)
            for index, (episode_id, day) in enumerate(planned)
        ],
    )
    keys = ors.spec.item_keys
    oslo = ZoneInfo(settings.TIME_ZONE)
    rows = []
    for session_id, (episode_id, day) in zip(new_ids, planned, strict=True):
        earlier = [total for rated, total in latest.get(episode_id, []) if rated <= day]
        score = min(38.0, (earlier[-1] if earlier else 18.0) + rng.uniform(0.5, 2.5))
        latest.setdefault(episode_id, []).append((day, score))
        latest[episode_id].sort()
        items = split_total(rng, score)
        rows.append(
            (
                session_id,
                ors.pk,
                Purpose.OUTCOME,
                Rater.CLIENT,
                "",
                AgeGroup.ADULT,
                dict(zip(keys, map(str, items), strict=True)),
                sum(items),
                Method.TABLET,
                datetime.datetime.combine(day, datetime.time(19, 30), oslo),
                uuid.uuid4(),
            )
        )
    insert_rows(Rating, RATING_FIELDS, rows)
    order = [(episode_id, day, 0, pk) for pk, episode_id, day, _ in existing]
    order += [
        (episode_id, day, 1, pk) for pk, (episode_id, day) in zip(new_ids, planned, strict=True)
    ]
    numbered, counters = [], {}
    for episode_id, _day, _kind, pk in sorted(order):
        counters[episode_id] = counters.get(episode_id, 0) + 1
        numbered.append(Session(pk=pk, number=counters[episode_id]))
    Session.objects.bulk_update(numbered, ["number"], batch_size=1000)
