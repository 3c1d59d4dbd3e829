"""The network coordinator's pages (issue #20 part 4): groups are made and members added from
the network's member services' helpers only, each change logged; nobody else gets the pages."""

import pytest
from django.urls import reverse

from services.audit import words
from services.audit.models import Action, AuditEvent
from services.peer.models import GroupMember, SupervisionGroup

from .helpers import shared

pytestmark = pytest.mark.django_db


def test_the_coordinator_makes_a_group_and_adds_helpers_of_member_services(client, kor):
    client.force_login(kor.coordinator)
    url = reverse("peer:groups", args=["agder"])
    response = client.post(url, {"name": "Barn og unge"})
    group = SupervisionGroup.objects.get(name="Barn og unge")
    assert response["Location"] == reverse("peer:members", args=[group.pk])
    assert client.post(url, {"name": "Barn og unge"}).status_code == 400
    members_url = reverse("peer:members", args=[group.pk])
    offered = client.get(members_url).context["form"].memberships.values()
    # Helpers of Arendal and Birkenes; not Froland's (another network), nor a leader.
    assert {m.user for m in offered} == {
        kor.helper_a,
        kor.colleague_a,
        kor.outsider_a,
        kor.helper_b,
    }
    froland = kor.helper_c.memberships.get()
    assert client.post(members_url, {"membership": froland.pk}).status_code == 400
    chosen = kor.helper_b.memberships.get()
    assert client.post(members_url, {"membership": chosen.pk}).status_code == 302
    member = GroupMember.objects.get(group=group, user=kor.helper_b)
    assert member.added_by == kor.coordinator
    row = AuditEvent.objects.get(action=Action.CREATE, object_type="groupmember")
    assert (row.service_id, row.detail) == (kor.birkenes.pk, f"in supervision group {group.pk}")
    assert AuditEvent.objects.filter(
        action=Action.CREATE,
        object_type="supervisiongroup",
        detail="supervision group in network agder",
    ).exists()
    remove = reverse("peer:remove_member", args=[group.pk, member.pk])
    client.force_login(kor.helper_b)
    assert client.post(remove).status_code == 404
    client.force_login(kor.coordinator)
    assert client.post(remove).status_code == 302
    assert not GroupMember.objects.filter(group=group).exists()


def test_a_removed_member_no_longer_sees_the_cases(client, kor):
    case = shared(client, kor)
    member = GroupMember.objects.get(group=kor.group, user=kor.helper_b)
    client.force_login(kor.coordinator)
    client.post(reverse("peer:remove_member", args=[kor.group.pk, member.pk]))
    client.force_login(kor.helper_b)
    assert client.get(reverse("peer:case", args=[case.pk])).status_code == 404


def test_only_the_networks_coordinator_keeps_its_groups(client, kor):
    for user in (kor.helper_a, kor.helper_b, kor.leader_a, kor.admin_a, kor.helper_c):
        client.force_login(user)
        assert client.get(reverse("peer:groups", args=["agder"])).status_code == 404, user
        assert client.get(reverse("peer:members", args=[kor.group.pk])).status_code == 404, user
    client.force_login(kor.coordinator)
    assert client.get(reverse("peer:groups", args=["indre"])).status_code == 404
    assert client.get(reverse("peer:members", args=[kor.other_group.pk])).status_code == 404
    page = client.get(reverse("peer:index")).content.decode()
    assert reverse("peer:groups", args=["agder"]) in page


def test_every_detail_peer_supervision_writes_is_said_in_words(client, kor):
    case = shared(client, kor)
    client.force_login(kor.helper_b)
    client.get(reverse("peer:group", args=[kor.group.pk]))
    client.get(reverse("peer:case", args=[case.pk]))
    client.post(reverse("peer:comment", args=[case.pk]), {"text": "Hei"})
    client.force_login(kor.helper_a)
    client.get(reverse("peer:share", args=[kor.client.pk, kor.episode.pk]))
    client.post(reverse("peer:withdraw", args=[case.pk]))
    client.force_login(kor.coordinator)
    client.post(reverse("peer:groups", args=["agder"]), {"name": "Ny"})
    details = set(AuditEvent.objects.exclude(detail="").values_list("detail", flat=True))
    assert len(details) >= 7
    assert all(words.is_known(detail) for detail in details), details
