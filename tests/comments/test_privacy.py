"""The comments in the client's export, erasure and retention (issue #17, part 2)."""

import datetime

import pytest
from django.utils import timezone

from services.clients.privacy import apply_retention, client_export, erase_client
from services.comments.models import SessionComment
from tests.factories import RatingFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def written(episode):
    session = SessionFactory(episode=episode, number=1, date=episode.start_date)
    rating = RatingFactory(session=session, key="srs", score=33)
    return SessionComment.objects.create(rating=rating, text="Kari vil ha mer tid")


def test_the_export_has_the_clients_comments(episode, written):
    exported = client_export(episode.client)
    assert exported["comments_after_sessions"] == [
        {
            "episode": episode.code,
            "session": 1,
            "instrument": "srs",
            "rater": "client",
            "text": "Kari vil ha mer tid",
            "written_at": written.created_at.isoformat(),
        }
    ]


def test_erasure_deletes_the_comments(episode, written):
    erase_client(episode.client)
    assert not SessionComment.objects.exists()


def test_retention_deletes_the_words_of_anonymised_episodes(episode, service, written):
    service.retention_years = 1
    service.save()
    today = timezone.localdate()
    episode.start_date = today - datetime.timedelta(days=900)
    episode.end_date = today - datetime.timedelta(days=800)
    episode.end_reason = "planned"
    episode.save()
    apply_retention(service, today)
    assert not SessionComment.objects.exists()
