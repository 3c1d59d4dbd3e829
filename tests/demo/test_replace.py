"""seed_demo --replace deletes the service's clients table by table (services.demo.wipe).

Issue #14: through Django's collector, replacing 10,000 demo clients fetched every client,
episode and session and ran the delete receivers for each (minutes). The set-based delete must
leave nothing behind that pointed at those clients, and touch nothing else.
"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from services.audit import log
from services.audit.models import Action, AuditEvent
from services.clients.models import Client, Episode
from services.dashboards import facts
from services.dashboards.models import (
    CollateralFact,
    DailyActivity,
    EpisodeFact,
    EpisodeSummary,
    PendingChange,
    SessionFact,
)
from services.demo.wipe import delete_clients
from services.ratings.models import Handover, Method, Purpose, Rating
from services.sessions.models import RatingCorrection, Session

pytestmark = pytest.mark.django_db

DEPENDENT = (Episode, Session, Rating, SessionFact, EpisodeFact, CollateralFact, EpisodeSummary)


def _client_of(model):
    return {
        Episode: "client_id",
        Session: "episode__client_id",
        Rating: "session__episode__client_id",
    }.get(model, "client_id")


def _snapshot(service_code: str) -> dict:
    """Every row hanging on the service's clients, by model."""
    ids = list(Client.objects.filter(service__code=service_code).values_list("pk", flat=True))
    found = {"clients": sorted(ids)}
    for model in DEPENDENT:
        found[model.__name__] = sorted(
            model.objects.filter(**{f"{_client_of(model)}__in": ids}).values_list("pk", flat=True)
        )
    found["DailyActivity"] = DailyActivity.objects.filter(service__code=service_code).count()
    return found


def test_replace_leaves_nothing_of_the_old_clients_and_keeps_the_audit_log(capsys):
    call_command("seed_demo", clients=6)
    call_command("seed_demo", clients=4, service="annen")
    other = _snapshot("annen")
    old_clients = set(Client.objects.filter(service__code="demo").values_list("pk", flat=True))
    rating = Rating.objects.filter(session__episode__client_id__in=old_clients).first()
    episode = rating.session.episode
    helper = episode.helpers.first()
    Handover.objects.create(
        session=rating.session,
        instrument=rating.instrument,
        method=Method.TABLET,
        rater="client",
        created_by=helper,
    )
    RatingCorrection.objects.create(
        rating_id=rating.pk,
        episode=episode,
        moved_to=Episode.objects.filter(client_id__in=old_clients).exclude(pk=episode.pk).first(),
        kind="move",
        before={"total": str(rating.total)},
        reason="test",
        actor="test",
    )
    facts.mark_outdated([episode.client_id])
    log.record(Action.VIEW, actor="test", client=episode.client)
    events = AuditEvent.objects.count()

    call_command("seed_demo", clients=3, replace=True)

    assert Client.objects.filter(service__code="demo").count() == 3
    assert not Client.objects.filter(pk__in=old_clients).exists()
    for model in (*DEPENDENT, PendingChange):
        assert not model.objects.filter(**{f"{_client_of(model)}__in": old_clients}).exists()
    assert not Handover.objects.exists()
    assert not RatingCorrection.objects.exists()
    assert AuditEvent.objects.count() == events  # append-only: nothing deleted
    assert AuditEvent.objects.filter(client_id=episode.client_id).exists()
    assert _snapshot("annen") == other
    assert (
        SessionFact.objects.filter(service__code="demo").count()
        == Session.objects.filter(episode__client__service__code="demo").count()
    )


def test_a_handover_of_another_session_keeps_itself_when_its_rating_goes():
    """SET_NULL, as the collector does: only the link to the deleted rating is cleared."""
    call_command("seed_demo", clients=3)
    call_command("seed_demo", clients=3, service="annen")
    rating = Rating.objects.filter(session__episode__client__service__code="demo").first()
    kept_session = Session.objects.filter(episode__client__service__code="annen").first()
    handover = Handover.objects.create(
        session=kept_session,
        instrument=rating.instrument,
        method=Method.TABLET,
        rater="client",
        rating=rating,
    )
    delete_clients(Client.objects.filter(service__code="demo"))
    handover.refresh_from_db()
    assert handover.rating is None
    assert Rating.objects.filter(purpose=Purpose.OUTCOME).exists()


def _deleting(service: str) -> int:
    with CaptureQueriesContext(connection) as context:
        delete_clients(Client.objects.filter(service__code=service))
    return len(context.captured_queries)


def test_deleting_many_clients_costs_no_more_queries_than_deleting_few(capsys):
    """Issue #14: the collector's delete ran queries per client, episode and session."""
    call_command("seed_demo", clients=2, service="few")
    call_command("seed_demo", clients=30, service="many")
    assert _deleting("many") == _deleting("few")
    assert not Client.objects.exists()
