"""Who sees a shared case (issue #20 part 4): the group's members from every member service and
the network's coordinators; not another network's members, not a helper outside the group, not
the sharing service's leader; a service that leaves takes its helpers and its cases out; a
withdrawn case keeps nothing but the fact."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from services.audit.models import Action, AuditEvent
from services.network.models import NetworkMember
from services.peer.models import CaseComment, SharedCase
from services.peer.sharing import comment
from tests.handovers import in_language

from .conftest import rated_episode
from .helpers import QUESTION, shared

pytestmark = pytest.mark.django_db


def pages(case) -> list[str]:
    return [
        reverse("peer:group", args=[case.group_id]),
        reverse("peer:case", args=[case.pk]),
    ]


def test_members_of_both_services_and_the_coordinator_see_the_case(client, kor):
    case = shared(client, kor)
    for user in (kor.helper_a, kor.helper_b, kor.coordinator):
        client.force_login(user)
        for url in pages(case):
            assert client.get(url).status_code == 200, (user, url)
        assert kor.group.name in client.get(reverse("peer:index")).content.decode()


def test_no_one_else_sees_it(client, kor):
    case = shared(client, kor)
    for user in (kor.helper_c, kor.outsider_a, kor.leader_a, kor.admin_a, kor.colleague_a):
        client.force_login(user)
        for url in pages(case):
            assert client.get(url).status_code == 404, (user, url)
        response = client.post(reverse("peer:comment", args=[case.pk]), {"text": "Hei"})
        assert response.status_code == 404, user
    assert not CaseComment.objects.exists()
    assert not AuditEvent.objects.filter(detail="peer case viewed").exists()


def test_a_service_that_leaves_takes_its_helpers_out(client, kor):
    case = shared(client, kor)
    NetworkMember.objects.filter(service=kor.birkenes).update(left_at=timezone.now())
    client.force_login(kor.helper_b)
    for url in [*pages(case), reverse("peer:index")]:
        assert client.get(url).status_code == 404, url
    # Joining again brings the member back.
    NetworkMember.objects.filter(service=kor.birkenes).update(left_at=None)
    assert client.get(reverse("peer:case", args=[case.pk])).status_code == 200


def test_a_service_that_leaves_takes_its_cases_out(client, kor):
    case = shared(client, kor)
    NetworkMember.objects.filter(service=kor.arendal).update(left_at=timezone.now())
    client.force_login(kor.coordinator)
    assert client.get(reverse("peer:case", args=[case.pk])).status_code == 404
    page = client.get(reverse("peer:group", args=[kor.group.pk])).content.decode()
    assert case.label not in page and QUESTION not in page
    # Nor can Arendal's helper share any more.
    client.force_login(kor.helper_a)
    share_page = client.get(reverse("peer:share", args=[kor.client.pk, kor.episode.pk]))
    assert share_page.context["has_groups"] is False


def test_withdrawing_deletes_what_the_group_saw(client, kor):
    case = shared(client, kor)
    client.force_login(kor.helper_b)
    comment_url = reverse("peer:comment", args=[case.pk])
    client.post(comment_url, {"text": "Prøv å spørre om alliansen."})
    # A member of another service may not withdraw it; the client's other helper may.
    assert client.post(reverse("peer:withdraw", args=[case.pk])).status_code == 404
    client.force_login(kor.colleague_a)
    response = client.post(reverse("peer:withdraw", args=[case.pk]))
    assert response["Location"].startswith(reverse("clients:detail", args=[kor.client.pk]))
    case.refresh_from_db()
    assert case.snapshot == {} and case.question == "" and case.withdrawn_by == kor.colleague_a
    assert not CaseComment.objects.exists()
    row = AuditEvent.objects.get(action=Action.CHANGE, object_type="sharedcase")
    assert (row.user, row.client_id, row.service_id) == (
        kor.colleague_a,
        kor.client.pk,
        kor.arendal.pk,
    )
    client.force_login(kor.helper_b)
    page = client.get(reverse("peer:case", args=[case.pk]))
    text = page.content.decode()
    assert 'id="withdrawn"' in text and "<svg" not in text and "alliansen" not in text
    assert (
        in_language("nb", "Withdrawn")
        in client.get(reverse("peer:group", args=[kor.group.pk])).content.decode()
    )
    assert not AuditEvent.objects.filter(user=kor.helper_b, detail="peer case viewed").exists()
    assert client.post(comment_url, {"text": "Hei"}).status_code == 404
    # Shared again, it is a new case with a new label.
    again = shared(client, kor)
    assert again.pk != case.pk and again.label != case.label


def test_the_group_page_costs_the_same_for_one_case_or_five(client, kor):
    shared(client, kor)
    client.force_login(kor.helper_b)
    url = reverse("peer:group", args=[kor.group.pk])

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    cost()  # the first request after a login also touches the session
    one = cost()
    for number in range(4):
        episode = rated_episode(kor.arendal, [kor.helper_a], code=f"K{number}", markers=False)
        made = SharedCase.objects.create(
            group=kor.group,
            episode=episode,
            shared_by=kor.helper_a,
            question=f"Spørsmål {number}",
            consent_recorded_at=timezone.now(),
            consent_recorded_by=kor.helper_a,
        )
        comment(made, "Hei", request=type("R", (), {"user": kor.helper_b, "META": {}})())
    assert cost() == one
    assert (
        AuditEvent.objects.filter(user=kor.helper_b, detail="peer group page").count() == 2 + 5
    )  # two looks at one case, one at five
