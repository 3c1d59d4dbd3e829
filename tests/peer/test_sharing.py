"""Sharing a case (issue #20 part 4): only with the client's consent, recorded; what the group
sees holds nothing that identifies the client or is the client's own; the share and each look
at the case are in the client's access log."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from services.audit.models import Action, AuditEvent
from services.network.models import NetworkMember
from services.peer import snapshot
from services.peer.models import SharedCase

from .conftest import MARKERS
from .helpers import QUESTION, share, shared

pytestmark = pytest.mark.django_db


def test_sharing_needs_the_clients_consent(client, kor):
    response = share(client, kor, consent=False)
    assert response.status_code == 400
    assert not SharedCase.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.CREATE, client_id=kor.client.pk).exists()
    case = shared(client, kor)
    assert case.consent_recorded_by == kor.helper_a
    assert case.consent_recorded_at is not None
    assert case.question == QUESTION
    row = AuditEvent.objects.get(action=Action.CREATE, client_id=kor.client.pk)
    assert (row.user, row.service_id, row.object_type) == (
        kor.helper_a,
        kor.arendal.pk,
        "sharedcase",
    )
    assert row.detail == f"shared in supervision group {kor.group.pk}"


def test_the_same_episode_is_shared_once_a_group_until_withdrawn(client, kor):
    shared(client, kor)
    assert share(client, kor).status_code == 400
    assert SharedCase.objects.count() == 1


def test_a_helper_shares_only_with_their_own_groups(client, kor):
    """Another network's group is not a choice, even with its id posted."""
    assert share(client, kor, group=kor.other_group).status_code == 400
    assert not SharedCase.objects.exists()


def test_what_the_group_sees_identifies_no_one(client, kor):
    case = shared(client, kor)
    frozen = json.dumps(case.snapshot, ensure_ascii=False)
    for what, marker in MARKERS.items():
        assert marker not in frozen, what
    assert "2026" not in frozen  # no date: weeks since the start
    assert str(kor.client.pk) not in case.label and kor.client.code not in case.label
    assert [row["week"] for row in case.snapshot["sessions"]] == [0, 2, 4, 6]
    assert [row["ors"] for row in case.snapshot["sessions"]] == ["14.3", "14.6", "14.9", "15.2"]
    assert case.snapshot["signals"], "a low, flat course raises signals"
    assert set(case.snapshot) == {
        "version", "age_group", "open", "sessions", "cutoff", "reliable_change",
        "alliance_threshold", "max_total", "expected", "signals", "outcome", "model",
    }  # fmt: skip
    client.force_login(kor.helper_b)
    for url in (reverse("peer:case", args=[case.pk]), reverse("peer:group", args=[kor.group.pk])):
        page = client.get(url).content.decode()
        assert QUESTION in page
        for what, marker in MARKERS.items():
            assert marker not in page, (url, what)
        assert "05.01.2026" not in page and "19.01.2026" not in page


def test_the_snapshot_draws_the_client_pages_chart(client, kor):
    """The frozen numbers give the chart its points, norms, trajectory and signals."""
    case = shared(client, kor)
    data = snapshot.chart_data(case.snapshot)
    assert [float(point.ors) for point in data.points] == [14.3, 14.6, 14.9, 15.2]
    assert all(point.date is None for point in data.points)
    assert data.cutoff is not None and data.expected
    assert {marker.key for marker in data.signals} == set(case.snapshot["signals"])
    client.force_login(kor.helper_b)
    page = client.get(reverse("peer:case", args=[case.pk])).content.decode()
    assert "<svg" in page


def test_a_look_from_another_service_is_in_the_clients_access_log(client, kor):
    case = shared(client, kor)
    client.force_login(kor.helper_b)
    assert client.get(reverse("peer:case", args=[case.pk])).status_code == 200
    row = AuditEvent.objects.get(user=kor.helper_b, action=Action.VIEW, object_type="sharedcase")
    assert (row.client_id, row.service_id, row.detail) == (
        kor.client.pk,
        kor.arendal.pk,
        "peer case viewed",
    )
    client.get(reverse("peer:group", args=[kor.group.pk]))
    assert AuditEvent.objects.filter(
        user=kor.helper_b, client_id=kor.client.pk, detail="peer group page"
    ).exists()
    # Arendal's administrator sees Birkenes' helper in the client's "who has seen my data".
    client.force_login(kor.admin_a)
    report = client.get(reverse("access_report", args=[kor.client.pk]))
    assert kor.helper_b in {event.user for event in report.context["events"]}
    log_page = client.get(reverse("audit_log")).content.decode()
    assert "Bente" in log_page


def test_members_comment_and_the_comment_is_logged(client, kor):
    case = shared(client, kor)
    client.force_login(kor.helper_b)
    url = reverse("peer:comment", args=[case.pk])
    assert client.post(url, {"text": ""}).status_code == 400
    assert client.post(url, {"text": "Har dere snakket om målene?"}).status_code == 302
    client.force_login(kor.helper_a)
    assert (
        "Har dere snakket om målene?"
        in client.get(reverse("peer:case", args=[case.pk])).content.decode()
    )
    assert AuditEvent.objects.filter(
        user=kor.helper_b,
        action=Action.CREATE,
        client_id=kor.client.pk,
        detail="peer case comment",
    ).exists()


def test_the_client_page_shares_and_lists_the_cases(client, kor):
    client.force_login(kor.helper_a)  # the login remembers that Arendal is in a network
    page = client.get(reverse("clients:detail", args=[kor.client.pk])).content.decode()
    share_url = reverse("peer:share", args=[kor.client.pk, kor.episode.pk])
    assert share_url in page
    assert client.get(share_url).status_code == 200
    case = shared(client, kor)
    page = client.get(reverse("clients:detail", args=[kor.client.pk])).content.decode()
    assert case.label in page and reverse("peer:withdraw", args=[case.pk]) in page


def test_a_client_page_outside_networks_pays_nothing(client, kor):
    """A helper whose service is in no network is not asked about shared cases at all: their
    client page reads no shared case and offers no sharing."""
    NetworkMember.objects.filter(service=kor.arendal).update(left_at=timezone.now())
    client.force_login(kor.helper_a)
    assert client.session.get("helps_in_network") is False
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("clients:detail", args=[kor.client.pk])).content.decode()
    assert not [q for q in queries.captured_queries if "peer_sharedcase" in q["sql"]]
    assert reverse("peer:share", args=[kor.client.pk, kor.episode.pk]) not in page
