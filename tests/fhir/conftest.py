"""A service with the kinds of ratings a bundle must carry: items and total-only (paper),
client and other raters (two named teachers in one session), an unscored form, a closed
episode, and a client who declined feedback after rating."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.utils import timezone

from services.clients.models import Consent
from services.ratings.models import Method, Rater, Rating
from tests.factories import (
    ClientFactory,
    EpisodeFactory,
    RatingFactory,
    SessionFactory,
    instrument,
)


def at(day: datetime.date, hour: int, minute: int = 0, micro: int = 0) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(hour, minute, 0, micro))
    )


def rate(session, key: str, items: dict | None, *, total=None, **fields) -> Rating:
    """A stored rating as the app stores one: item scores as text with the form's decimals."""
    total = total if total is not None else sum(map(Decimal, items.values()))
    fields.setdefault("rated_at", at(session.date, 10, 15, 123456))
    return RatingFactory(
        session=session,
        key=key,
        items=items,
        total=Decimal(str(total)),
        age_group=fields.pop("age_group", session.episode.client.age_group),
        **fields,
    )


@pytest.fixture
def seeded(service, helper):
    jan = datetime.date(2026, 1, 5)
    adult = ClientFactory(
        service=service, code="K-100", display_name="Ola Nordmann", birth_year=1990
    )
    closed = EpisodeFactory(
        client=adult,
        code="F1",
        start_date=jan,
        end_date=datetime.date(2026, 3, 1),
        end_reason="planned",
    )
    first = SessionFactory(episode=closed, number=1, date=jan, helper=helper)
    second = SessionFactory(episode=closed, number=2, date=datetime.date(2026, 1, 19))
    ors = dict(zip(instrument("ors").spec.item_keys, ["4.5", "6.0", "7.3", "10.0"], strict=True))
    srs = dict(zip(instrument("srs").spec.item_keys, ["9.1", "8.0", "9.9", "0.0"], strict=True))
    rate(first, "ors", ors)
    rate(first, "srs", srs, method=Method.LINK)
    rate(second, "ors", None, total="31.4", method=Method.PAPER)

    child = ClientFactory(service=service, code="B/7", age_group="child")
    open_episode = EpisodeFactory(client=child, code="F/2", start_date=jan)
    family = SessionFactory(episode=open_episode, number=1, date=datetime.date(2026, 2, 2))
    cors = dict(zip(instrument("cors").spec.item_keys, ["1.0", "2.0", "3.0", "4.0"], strict=True))
    rate(family, "cors", cors)
    rate(family, "cors", cors, rater=Rater.PARENT, rater_name="Mor")
    rate(family, "cors", cors, rater=Rater.TEACHER, rater_name="Lærer Hansen")
    rate(family, "cors", cors, rater=Rater.TEACHER, rater_name="Lærer Berg")
    rate(family, "cors", None, total="12.5", rater=Rater.OTHER, method=Method.PAPER)
    SessionFactory(episode=open_episode, number=2, date=datetime.date(2026, 2, 9))  # no rating

    young = ClientFactory(service=service, code="Y1", age_group="young_child")
    faces = SessionFactory(episode=EpisodeFactory(client=young, code="F1"), number=1, date=jan)
    ycors = dict(zip(instrument("ycors").spec.item_keys, ["5.0", "5.0", "5.0", "5.0"], strict=True))
    rate(faces, "ycors", ycors)

    declined = ClientFactory(service=service, code="D1", consent=Consent.DECLINED)
    earlier = SessionFactory(episode=EpisodeFactory(client=declined, code="F1"), number=1, date=jan)
    rate(earlier, "ors", ors, submission_key=uuid.UUID("00000000-0000-4000-8000-000000000001"))
    return service


def snapshot(service) -> set[tuple]:
    """Everything a rating is, by the codes a bundle carries (no database ids)."""
    rows = Rating.objects.filter(session__episode__client__service=service).values_list(
        "session__episode__client__code",
        "session__episode__code",
        "session__episode__start_date",
        "session__episode__end_date",
        "session__episode__end_reason",
        "session__number",
        "session__date",
        "instrument__key",
        "instrument__version",
        "purpose",
        "rater",
        "rater_name",
        "age_group",
        "items",
        "total",
        "rated_at",
        "submission_key",
    )
    return {
        (*row[:13], tuple(sorted(row[13].items())) if row[13] else None, *row[14:]) for row in rows
    }
