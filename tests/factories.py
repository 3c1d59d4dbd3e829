"""factory_boy factories for every model; instruments come from the built-in migration."""

import datetime
import uuid
from decimal import Decimal

import factory
from django.utils import timezone

from services.accounts.models import Membership, Role, Service, Team, User
from services.clients.models import Client, Episode
from services.measures.models import Instrument
from services.ratings.models import Method, Rater, Rating
from services.sessions.models import Session


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"service-{n}")
    name = factory.LazyAttribute(lambda o: f"Tjeneste {o.code}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    service = factory.SubFactory(ServiceFactory)
    code = factory.Sequence(lambda n: f"team-{n}")
    name = factory.LazyAttribute(lambda o: f"Team {o.code}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    password = factory.django.Password("correct horse battery")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    service = factory.SubFactory(ServiceFactory)
    role = Role.HELPER


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    service = factory.SubFactory(ServiceFactory)
    code = factory.Sequence(lambda n: f"K{n:04d}")
    age_group = "adult"


class EpisodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Episode

    client = factory.SubFactory(ClientFactory)
    service = factory.SelfAttribute("client.service")
    code = factory.Sequence(lambda n: f"F{n}")
    start_date = datetime.date(2026, 1, 5)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    episode = factory.SubFactory(EpisodeFactory)
    number = factory.Sequence(lambda n: n + 1)
    date = datetime.date(2026, 1, 5)


def instrument(key: str) -> Instrument:
    return Instrument.objects.get(key=key, version=1)


def items_for(key: str, total: float | Decimal) -> dict[str, str]:
    """Four equal-ish item scores adding up to `total` (one decimal)."""
    total = Decimal(str(total))
    keys = instrument(key).spec.item_keys
    quarter = (total / 4).quantize(Decimal("0.1"), rounding="ROUND_DOWN")
    values = [quarter] * 3 + [total - 3 * quarter]
    return dict(zip(keys, map(str, values), strict=True))


class RatingFactory(factory.django.DjangoModelFactory):
    """A client ORS of 20.0 unless told otherwise; pass `key` and `score` to change it."""

    class Meta:
        model = Rating
        exclude = ["key", "score"]

    key = "ors"
    score = Decimal("20.0")
    session = factory.SubFactory(SessionFactory)
    instrument = factory.LazyAttribute(lambda o: instrument(o.key))
    purpose = factory.LazyAttribute(lambda o: o.instrument.purpose)
    rater = Rater.CLIENT
    age_group = factory.LazyAttribute(lambda o: o.session.episode.client.age_group)
    items = factory.LazyAttribute(lambda o: items_for(o.key, o.score))
    total = factory.LazyAttribute(lambda o: Decimal(str(o.score)))
    method = Method.TABLET
    rated_at = factory.LazyFunction(timezone.now)
    submission_key = factory.LazyFunction(uuid.uuid4)


# -- groups (issue #18 part 3) ------------------------------------------------------------------


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "groups.Group"

    service = factory.SubFactory(ServiceFactory)
    name = factory.Sequence(lambda n: f"Gruppe {n}")
    kind = "course"
    leader = factory.SubFactory(UserFactory)


class MemberFactory(factory.django.DjangoModelFactory):
    """A participant who is not a client unless given an `episode`."""

    class Meta:
        model = "groups.Member"

    group = factory.SubFactory(GroupFactory)
    label = factory.LazyAttribute(lambda o: "" if o.episode else "Deltaker")
    episode = None
    joined_on = datetime.date(2026, 1, 5)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "groups.Meeting"

    group = factory.SubFactory(GroupFactory)
    number = factory.Sequence(lambda n: n + 1)
    date = datetime.date(2026, 1, 5)
    open_until = factory.LazyAttribute(
        lambda o: datetime.datetime.combine(o.date, datetime.time(21), datetime.UTC)
    )


class GroupRatingFactory(factory.django.DjangoModelFactory):
    """A member's group alliance answer (gsrs) of 32.0 unless given a `score`."""

    class Meta:
        model = "groups.GroupRating"
        exclude = ["score"]

    score = Decimal("32.0")
    meeting = factory.SubFactory(MeetingFactory)
    member = factory.SubFactory(MemberFactory, group=factory.SelfAttribute("..meeting.group"))
    instrument = factory.LazyFunction(lambda: instrument("gsrs"))
    items = factory.LazyAttribute(lambda o: items_for("gsrs", o.score))
    total = factory.LazyAttribute(lambda o: Decimal(str(o.score)))
    method = "phone"
    rated_at = factory.LazyFunction(timezone.now)
    submission_key = factory.LazyFunction(uuid.uuid4)
