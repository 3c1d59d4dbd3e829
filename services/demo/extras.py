"""Goals, goal scores, session comments and offers talked about for the demo service (issue #17).

Without them a newcomer's demo shows empty goal pages, charts without goal lines, a leader
comment list hidden by the rule of five and no offers told about on the dashboard. Made after
the caseload from what it inserted, with a fixed number of statements whatever its size, and
from the demo's seed, so two runs with the same seed give the same data.
"""

import datetime
import random
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count

from services.comments.models import SessionComment
from services.goals.models import Goal, GoalMethod, GoalRating
from services.measures.models import Purpose
from services.offers.models import Offer, OfferTalkedAbout
from services.ratings.models import Rater, Rating
from services.sessions.models import Session

GOAL_TEXTS = (
    "Klare å handle alene",
    "Sove bedre",
    "Komme meg ut av huset hver dag",
    "Ha mindre angst på bussen",
    "Drikke mindre i helgene",
    "Snakke med søsteren min igjen",
    "Komme tilbake på jobb",
    "Være mer sammen med venner",
    "Få orden på økonomien",
    "Slutte å grue meg til mandager",
)

COMMENTS = (
    "Fint å få snakke uten å bli avbrutt.",
    "Skulle gjerne hatt litt lengre tid.",
    "Det hjalp å se kurven sammen.",
    "Vanskelig å finne fram til kontoret første gang.",
    "Ønsker meg timer etter arbeidstid.",
    "Godt at jeg ikke trengte henvisning.",
    "Litt mye skjema, men greit.",
    "Vil gjerne vite mer om gruppetilbudene.",
    "Føler meg tatt på alvor.",
    "Kunne vi gått en tur i stedet for å sitte inne?",
)

SHARE_WITH_GOALS = 0.45
SHARE_COMMENTED = 0.08
SHARE_TOLD_ABOUT_OFFERS = 0.4


def seed_goals_and_comments(service, seed: int) -> dict[str, int]:
    """Goals with rising scores on about half of the episodes with two or more sessions, and a
    comment on a few of the alliance forms. Adds nothing when the service has goals already."""
    if Goal.objects.filter(episode__service=service).exists():
        return {"goals": 0, "goal_scores": 0, "comments": 0}
    rng = random.Random(seed)
    goals = _goals(service, rng)
    scores = _scores(goals, rng)
    comments = _comments(service, rng)
    return {"goals": len(goals), "goal_scores": scores, "comments": comments}


def _goals(service, rng: random.Random) -> list[Goal]:
    episodes = (
        Session.objects.filter(episode__service=service)
        .values("episode_id", "episode__start_date")
        .annotate(sessions=Count("pk"))
        .filter(sessions__gte=2)
        .order_by("episode_id")
    )
    goals = []
    for row in episodes:
        if rng.random() >= SHARE_WITH_GOALS:
            continue
        texts = rng.sample(GOAL_TEXTS, rng.choice((1, 2, 2, 3)))
        goals += [
            Goal(
                episode_id=row["episode_id"],
                position=place,
                text=text,
                created_on=row["episode__start_date"],
            )
            for place, text in enumerate(texts, start=1)
        ]
    return Goal.objects.bulk_create(goals, batch_size=1000)


def _scores(goals: list[Goal], rng: random.Random) -> int:
    """A score per goal at each of the episode's sessions: starting low, mostly rising."""
    sessions = {}
    rows = Session.objects.filter(episode_id__in={g.episode_id for g in goals})
    for session_id, episode_id, date in rows.values_list("pk", "episode_id", "date").order_by(
        "episode_id", "number"
    ):
        sessions.setdefault(episode_id, []).append((session_id, date))
    ratings = []
    for goal in goals:
        score = rng.randint(1, 4)
        for session_id, date in sessions.get(goal.episode_id, []):
            ratings.append(
                GoalRating(
                    goal=goal,
                    session_id=session_id,
                    score=score,
                    rated_at=_ten_oclock(date),
                    method=GoalMethod.TABLET,
                )
            )
            score = max(0, min(10, score + rng.choice((-1, 0, 1, 1, 1, 2))))
    GoalRating.objects.bulk_create(ratings, batch_size=2000)
    return len(ratings)


def _comments(service, rng: random.Random) -> int:
    alliance = Rating.objects.filter(
        session__episode__service=service, purpose=Purpose.ALLIANCE, rater=Rater.CLIENT
    ).order_by("pk")
    comments = [
        SessionComment(rating_id=pk, text=rng.choice(COMMENTS))
        for pk in alliance.values_list("pk", flat=True)
        if rng.random() < SHARE_COMMENTED
    ]
    SessionComment.objects.bulk_create(comments, batch_size=2000)
    return len(comments)


def seed_offers_talked_about(service, seed: int) -> int:
    """One or two of the service's offers ticked, at the second session, on about two in five
    episodes with two sessions or more; peer and self-help offers as likely as the others.
    Adds nothing when the service has ticks already or lists no offers."""
    if OfferTalkedAbout.objects.filter(episode__service=service).exists():
        return 0
    offers = list(Offer.objects.filter(service=service).order_by("pk").values_list("pk", flat=True))
    if not offers:
        return 0
    rng = random.Random(seed + 1)
    second_sessions = (
        Session.objects.filter(episode__service=service, number=2)
        .order_by("episode_id")
        .values_list("episode_id", "date")
    )
    ticks = [
        OfferTalkedAbout(episode_id=episode_id, offer_id=offer_id, talked_on=date)
        for episode_id, date in second_sessions
        if rng.random() < SHARE_TOLD_ABOUT_OFFERS
        for offer_id in rng.sample(offers, min(len(offers), rng.choice((1, 1, 2))))
    ]
    OfferTalkedAbout.objects.bulk_create(ticks, batch_size=2000)
    return len(ticks)


def _ten_oclock(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(10), ZoneInfo(settings.TIME_ZONE))
