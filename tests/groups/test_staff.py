"""The group leader's pages (issue #18 part 3): their groups, a new group, its members and their
code cards. Only the group's leader opens a group (everyone else gets a 404); a client joins
only from the leader's own clients, and once; each change is in the access log, and so is each
client member shown on a page. Bad input is a 400 with a message that saves nothing."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from services.accounts.models import Role
from services.audit.models import Action, AuditEvent
from services.groups.models import CODE_ALPHABET, CODE_LENGTH, Group, Member
from tests.factories import (
    EpisodeFactory,
    MembershipFactory,
    ServiceFactory,
    TeamFactory,
    UserFactory,
)
from tests.handovers import in_language

from .conftest import past_meeting

pytestmark = pytest.mark.django_db


def says(response, message: str, **values) -> bool:
    """Whether the page shows `message` in bokmål, before and after the catalogues have it
    (as written by {% translate %}, or escaped as a form's error), with `values` put in."""
    said, page = in_language("nb", message), response.content.decode()
    if values:
        said = said % values
    return said in page or escape(said) in page


def detail_url(group) -> str:
    return reverse("groups:detail", args=[group.pk])


# Groups: the list and a new one.


def test_the_list_shows_the_leaders_groups_running_first(client, helper, service, group):
    ended = Group.objects.create(
        service=service, name="Turgruppe 2025", kind="activity", leader=helper
    )
    Group.objects.filter(pk=ended.pk).update(closed_on=timezone.localdate())
    colleague = UserFactory(username="kollega")
    MembershipFactory(user=colleague, service=service, role=Role.HELPER)
    Group.objects.create(service=service, name="Kollegas gruppe", kind="course", leader=colleague)
    client.force_login(helper)
    response = client.get(reverse("groups:index"))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("Mestringskurs") < page.index("Turgruppe 2025")
    assert "Kollegas gruppe" not in page
    assert reverse("groups:new") in page


def test_a_helper_without_groups_sees_how_to_start(client, helper):
    client.force_login(helper)
    response = client.get(reverse("groups:index"))
    assert says(
        response,
        "You lead no groups yet. Make a group, add its members, and each "
        "member gets a personal code to answer with at the meetings.",
    )


def test_the_menu_has_groups_for_helpers_only(client, helper, leader):
    client.force_login(helper)
    assert reverse("groups:index") in client.get(reverse("home")).content.decode()
    client.force_login(leader)
    assert reverse("groups:index") not in client.get(reverse("home")).content.decode()
    assert client.get(reverse("groups:index")).status_code == 404


def test_a_helper_makes_a_group_and_leads_it(client, helper, service):
    client.force_login(helper)
    response = client.post(reverse("groups:new"), {"name": "Mestringskurs", "kind": "course"})
    group = Group.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(group)
    assert (group.leader, group.service, group.kind) == (helper, service, "course")
    assert AuditEvent.objects.filter(
        action=Action.CREATE, object_type="group", object_id=str(group.pk), user=helper
    ).exists()


def test_a_group_without_a_name_is_refused(client, helper):
    client.force_login(helper)
    response = client.post(reverse("groups:new"), {"name": " ", "kind": "course"})
    assert response.status_code == 400
    assert says(response, "Give the group a name.")
    assert not Group.objects.exists()


def test_a_helper_in_two_services_chooses_one_of_them(client, helper, service):
    other = ServiceFactory(code="bergen", name="Bergen")
    MembershipFactory(user=helper, service=other, role=Role.HELPER)
    elsewhere = ServiceFactory(code="tromso")
    client.force_login(helper)
    page = client.get(reverse("groups:new")).content.decode()
    assert 'name="service"' in page and "Bergen" in page
    data = {"name": "Turgruppe", "kind": "activity", "service": elsewhere.pk}
    response = client.post(reverse("groups:new"), data)
    assert response.status_code == 400
    assert says(response, "Choose one of the services you work in.")
    client.post(reverse("groups:new"), data | {"service": other.pk})
    assert Group.objects.get().service == other


def test_only_helpers_make_groups(client, leader):
    client.force_login(leader)
    assert client.get(reverse("groups:new")).status_code == 404
    response = client.post(reverse("groups:new"), {"name": "X", "kind": "course"})
    assert response.status_code == 404
    assert not Group.objects.exists()


# Members.


def test_the_leader_adds_one_of_their_own_clients(client, helper, group, own_episode):
    client.force_login(helper)
    page = client.get(detail_url(group)).content.decode()
    assert f'<option value="{own_episode.pk}">K1 (Ola N)</option>' in page
    response = client.post(
        reverse("groups:add_client", args=[group.pk]), {"episode": own_episode.pk}
    )
    assert response.status_code == 302
    member = Member.objects.get(group=group)
    assert member.episode == own_episode and member.label == ""
    assert len(member.code) == CODE_LENGTH and set(member.code) <= set(CODE_ALPHABET)
    assert AuditEvent.objects.filter(
        action=Action.CREATE, object_type="member", client_id=own_episode.client_id
    ).exists()
    page = client.get(detail_url(group))
    assert says(
        page, "%(name)s is in the group. Their personal code is on the code cards.", name="Ola N"
    )
    assert member.code not in page.content.decode()


def test_a_client_the_leader_may_not_see_cannot_be_added(client, helper, service, group):
    colleague = UserFactory(username="kollega")
    MembershipFactory(user=colleague, service=service, role=Role.HELPER)
    theirs = EpisodeFactory(client__service=service, client__code="K9", team=TeamFactory())
    theirs.helpers.add(colleague)
    client.force_login(helper)
    assert "K9" not in client.get(detail_url(group)).content.decode()
    response = client.post(reverse("groups:add_client", args=[group.pk]), {"episode": theirs.pk})
    assert response.status_code == 400
    assert says(response, "Choose one of your clients in the list.")
    assert "K9" not in response.content.decode()
    assert not Member.objects.exists()


def test_a_closed_episode_or_another_services_client_cannot_be_added(
    client, helper, service, group, own_episode
):
    own_episode.end_date, own_episode.end_reason = timezone.localdate(), "planned"
    own_episode.save()
    elsewhere = EpisodeFactory(client__service=ServiceFactory(code="bergen"))
    elsewhere.helpers.add(helper)
    client.force_login(helper)
    for episode in (own_episode, elsewhere):
        response = client.post(
            reverse("groups:add_client", args=[group.pk]), {"episode": episode.pk}
        )
        assert response.status_code == 400
    assert not Member.objects.exists()


def test_the_same_client_twice_is_refused(client, helper, group, client_member, own_episode):
    client.force_login(helper)
    page = client.get(detail_url(group)).content.decode()
    assert f'<option value="{own_episode.pk}"' not in page
    response = client.post(
        reverse("groups:add_client", args=[group.pk]), {"episode": own_episode.pk}
    )
    assert response.status_code == 400
    assert says(response, "This client is already in the group.")
    assert Member.objects.count() == 1


def test_a_participant_is_added_by_first_name(client, helper, group):
    client.force_login(helper)
    page = client.get(detail_url(group)).content.decode()
    assert escape(in_language("nb", "First name or nickname, never a full name.")) in page
    response = client.post(
        reverse("groups:add_participant", args=[group.pk]), {"label": "  Kari  "}
    )
    assert response.status_code == 302
    member = Member.objects.get()
    assert (member.label, member.episode) == ("Kari", None)
    assert AuditEvent.objects.filter(
        action=Action.CREATE, object_type="member", object_id=str(member.pk), client_id=None
    ).exists()


def test_a_participant_without_a_name_is_refused(client, helper, group, participant):
    client.force_login(helper)
    url = reverse("groups:add_participant", args=[group.pk])
    response = client.post(url, {"label": ""})
    assert response.status_code == 400
    assert says(response, "Write a first name or a nickname.")
    response = client.post(url, {"label": "kari"})
    assert response.status_code == 400
    assert Member.objects.count() == 1


def test_a_member_leaves_the_group(client, helper, group, client_member, participant):
    client.force_login(helper)
    response = client.post(
        reverse("groups:member_left", args=[group.pk, client_member.pk]), {"confirmed": "yes"}
    )
    assert response.status_code == 302
    client_member.refresh_from_db()
    assert client_member.left_on == timezone.localdate()
    event = AuditEvent.objects.get(action=Action.CHANGE, object_type="member")
    assert (event.client_id, event.detail) == (client_member.episode.client_id, "left the group")
    page = client.get(detail_url(group)).content.decode()
    assert reverse("groups:member_left", args=[group.pk, client_member.pk]) not in page
    assert reverse("groups:member_left", args=[group.pk, participant.pk]) in page
    codes = client.get(reverse("groups:codes", args=[group.pk])).content.decode()
    assert participant.code in codes and client_member.code not in codes


def test_another_groups_member_is_a_404(client, helper, service, group, participant):
    other = Group.objects.create(service=service, name="Annen", kind="course", leader=helper)
    client.force_login(helper)
    for name in ("groups:member_left", "groups:new_code"):
        response = client.post(reverse(name, args=[other.pk, participant.pk]), {"confirmed": "yes"})
        assert response.status_code == 404, name
    participant.refresh_from_db()
    assert participant.left_on is None and participant.code == "GHJKM4"


def test_leaving_asks_first_without_a_script(client, helper, group, client_member, participant):
    """A member marked as left by a slip of the finger: the button opens a question (a plain
    <details>, as the CSP allows no inline script), and only its "Yes" marks them."""
    client.force_login(helper)
    page = client.get(detail_url(group)).content.decode()
    assert "<script" not in page and "onclick" not in page and "onsubmit" not in page
    form = page.split(reverse("groups:member_left", args=[group.pk, participant.pk]))[1]
    assert 'name="confirmed" value="yes"' in form.split("</form>")[0]
    response = client.post(reverse("groups:member_left", args=[group.pk, participant.pk]))
    assert response.status_code == 400
    assert says(
        response,
        "%(name)s is still in the group: confirm with “Yes, they have left”.",
        name="Kari",
    )
    assert response.content.decode().count('<details class="member-left" open>') == 1
    participant.refresh_from_db()
    assert participant.left_on is None
    assert not AuditEvent.objects.filter(action=Action.CHANGE).exists()


def test_a_client_who_left_comes_back(client, helper, group, client_member, own_episode):
    joined = timezone.localdate() - datetime.timedelta(days=30)
    Member.objects.filter(pk=client_member.pk).update(
        joined_on=joined, left_on=timezone.localdate()
    )
    client.force_login(helper)
    page = client.get(detail_url(group)).content.decode()
    assert f'<option value="{own_episode.pk}">K1 (Ola N)</option>' in page
    response = client.post(
        reverse("groups:add_client", args=[group.pk]), {"episode": own_episode.pk}
    )
    assert response.status_code == 302
    member = Member.objects.get()
    assert (member.pk, member.left_on, member.joined_on) == (client_member.pk, None, joined)
    assert member.code == "ACDEF3"  # the card they have still works
    assert AuditEvent.objects.filter(
        action=Action.CHANGE,
        object_type="member",
        object_id=str(member.pk),
        client_id=own_episode.client_id,
        detail="back in the group",
    ).exists()
    again = client.post(reverse("groups:add_client", args=[group.pk]), {"episode": own_episode.pk})
    assert again.status_code == 400
    assert says(again, "This client is already in the group.")


def test_a_participant_who_left_comes_back_by_the_same_name(client, helper, group, participant):
    Member.objects.filter(pk=participant.pk).update(left_on=timezone.localdate())
    client.force_login(helper)
    response = client.post(reverse("groups:add_participant", args=[group.pk]), {"label": "kari"})
    assert response.status_code == 302
    member = Member.objects.get()
    assert (member.pk, member.left_on, member.code) == (participant.pk, None, "GHJKM4")
    assert AuditEvent.objects.filter(
        action=Action.CHANGE, object_id=str(member.pk), detail="back in the group"
    ).exists()
    page = client.get(detail_url(group))
    assert says(
        page,
        "%(name)s is back in the group. Their code card from before still works.",
        name="Kari",
    )


# A new personal code.


def test_a_member_gets_a_new_code_that_is_not_logged(
    client, helper, group, client_member, participant
):
    client.force_login(helper)
    response = client.post(reverse("groups:new_code", args=[group.pk, client_member.pk]))
    assert response.status_code == 302 and response["Location"] == detail_url(group)
    client_member.refresh_from_db()
    assert client_member.code not in ("ACDEF3", "GHJKM4")
    assert len(client_member.code) == CODE_LENGTH and set(client_member.code) <= set(CODE_ALPHABET)
    event = AuditEvent.objects.get(action=Action.CHANGE, object_type="member")
    assert (event.client_id, event.detail) == (client_member.episode.client_id, "new code")
    assert client_member.code not in event.detail and "ACDEF3" not in event.detail
    page = client.get(detail_url(group))
    assert says(page, "%(name)s has a new code: print a new card.", name="Ola N")
    assert client_member.code not in page.content.decode()
    cards = client.get(reverse("groups:codes", args=[group.pk])).content.decode()
    assert client_member.code in cards and "ACDEF3" not in cards


def test_no_new_code_for_a_member_who_left_or_in_an_ended_group(client, helper, group, participant):
    Member.objects.filter(pk=participant.pk).update(left_on=timezone.localdate())
    client.force_login(helper)
    url = reverse("groups:new_code", args=[group.pk, participant.pk])
    response = client.post(url)
    assert response.status_code == 400
    assert says(response, "This member has left the group, so their code works at no new meeting.")
    Member.objects.filter(pk=participant.pk).update(left_on=None)
    Group.objects.filter(pk=group.pk).update(closed_on=timezone.localdate())
    response = client.post(url)
    assert response.status_code == 400
    assert says(response, "The group has ended: no members or meetings can be added.")
    participant.refresh_from_db()
    assert participant.code == "GHJKM4"


# The group's page.


def test_the_page_lists_members_without_their_codes(
    client, helper, group, client_member, participant
):
    """The page may be on the screen while the group meets: the codes are on the cards only."""
    client.force_login(helper)
    response = client.get(detail_url(group))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kari" in page
    assert "ACDEF3" not in page and "GHJKM4" not in page
    assert reverse("groups:new_code", args=[group.pk, participant.pk]) in page
    client_page = reverse("clients:detail", args=[client_member.episode.client_id])
    assert f'<a href="{client_page}">Ola N</a>' in page
    assert reverse("groups:codes", args=[group.pk]) in page
    assert reverse("groups:alliance_png", args=[group.pk]) not in page  # no meeting yet


def test_a_client_the_leader_no_longer_sees_is_not_named(
    client, helper, group, client_member, participant, meeting
):
    """The leader was taken off the client's episode (or moved team): the group keeps the
    client as a member, but its pages no longer say who it is, nor log a view of them."""
    client_member.episode.helpers.remove(helper)
    client.force_login(helper)
    for url in (
        detail_url(group),
        reverse("groups:codes", args=[group.pk]),
        reverse("groups:meeting", args=[group.pk, meeting.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        # Without the random CSRF tokens, in which "K1" was once found.
        page = re.sub(r'value="[A-Za-z0-9]{64}"', "", response.content.decode())
        assert "Ola N" not in page and "K1" not in page and "ACDEF3" not in page, url
        assert reverse("clients:detail", args=[client_member.episode.client_id]) not in page
        assert "Kari" in page, url
    for url in (detail_url(group), reverse("groups:meeting", args=[group.pk, meeting.pk])):
        assert says(client.get(url), "A client (you no longer have access)"), url
    assert not AuditEvent.objects.filter(
        action=Action.VIEW, client_id=client_member.episode.client_id
    ).exists()
    response = client.post(
        reverse("groups:member_left", args=[group.pk, client_member.pk]), {"confirmed": "yes"}
    )
    assert "Ola N" not in client.get(response["Location"]).content.decode()


def test_every_page_of_the_group_logs_the_client_members_it_shows(
    client, helper, group, client_member, participant, meeting
):
    client.force_login(helper)
    views = AuditEvent.objects.filter(
        action=Action.VIEW, client_id=client_member.episode.client_id, user=helper
    )
    for url, detail in (
        (detail_url(group), "group page"),
        (reverse("groups:codes", args=[group.pk]), "group member cards"),
        (reverse("groups:meeting", args=[group.pk, meeting.pk]), "group meeting page"),
    ):
        assert client.get(url).status_code == 200
        assert views.filter(detail=detail).count() == 1, url
    assert views.count() == 3  # the participant is no client, and is not logged


def test_the_clients_offered_for_the_group_are_logged_as_shown(client, helper, group, own_episode):
    client.force_login(helper)
    client.get(detail_url(group))
    assert AuditEvent.objects.filter(
        client_id=own_episode.client_id, detail="clients to add to a group"
    ).exists()


@pytest.mark.parametrize("who", ["colleague", "leader", "other_leader"])
def test_no_one_else_opens_the_group(client, service, group, meeting, client_member, who):
    user = UserFactory(username=who)
    if who == "colleague":  # a helper in the same team as the group's leader
        MembershipFactory(user=user, service=service, role=Role.HELPER)
        client_member.episode.helpers.add(user)
    elif who == "leader":
        MembershipFactory(user=user, service=service, role=Role.LEADER, can_view_clients=True)
    else:  # leads a group of their own
        MembershipFactory(user=user, service=service, role=Role.HELPER)
        Group.objects.create(service=service, name="Egen", kind="course", leader=user)
    client.force_login(user)
    for name, args in (
        ("groups:detail", [group.pk]),
        ("groups:codes", [group.pk]),
        ("groups:meeting", [group.pk, meeting.pk]),
        ("groups:qr", [group.pk, meeting.pk]),
    ):
        assert client.get(reverse(name, args=args)).status_code == 404, name
    for name, args in (
        ("groups:close", [group.pk]),
        ("groups:add_participant", [group.pk]),
        ("groups:member_left", [group.pk, client_member.pk]),
        ("groups:new_code", [group.pk, client_member.pk]),
        ("groups:new_meeting", [group.pk]),
        ("groups:attendance", [group.pk, meeting.pk]),
        ("groups:tablet_round", [group.pk, meeting.pk]),
    ):
        assert client.post(reverse(name, args=args), {"label": "X"}).status_code == 404, name
    assert not AuditEvent.objects.filter(user=user).exclude(action=Action.LOGIN).exists()


def test_a_leader_who_no_longer_helps_in_the_service_loses_the_group(client, helper, group):
    helper.memberships.update(role=Role.LEADER)
    client.force_login(helper)
    assert client.get(detail_url(group)).status_code == 404


def test_the_code_cards_show_each_current_member_with_the_instruction(
    client, helper, group, client_member, participant
):
    client.force_login(helper)
    response = client.get(reverse("groups:codes", args=[group.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('class="code-card"') == 2
    assert "Ola N" in page and "Kari" in page and "ACDEF3" in page and "GHJKM4" in page
    assert says(response, "Scan the group's QR code at the meeting and type this code.")
    assert says(
        response,
        "The codes are shown on this page only. Do not show it on a shared screen.",
    )


# Ending the group.


def test_ending_the_group_asks_first(client, helper, group):
    client.force_login(helper)
    page = client.get(detail_url(group))
    assert says(page, "Yes, end the group")
    assert 'type="checkbox" name="confirmed"' in page.content.decode()
    response = client.post(reverse("groups:close", args=[group.pk]))
    assert response.status_code == 400
    assert says(response, "Tick “Yes, end the group” to end it.")
    group.refresh_from_db()
    assert group.is_open
    assert not AuditEvent.objects.filter(action=Action.CHANGE).exists()


def test_an_ended_group_takes_no_new_members_or_meetings(client, helper, group, own_episode):
    client.force_login(helper)
    response = client.post(reverse("groups:close", args=[group.pk]), {"confirmed": "on"})
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.closed_on == timezone.localdate()
    assert AuditEvent.objects.filter(
        action=Action.CHANGE, object_type="group", detail="closed"
    ).exists()
    page = client.get(detail_url(group)).content.decode()
    assert reverse("groups:close", args=[group.pk]) not in page
    assert reverse("groups:add_participant", args=[group.pk]) not in page
    for name, data in (
        ("groups:add_participant", {"label": "Kari"}),
        ("groups:add_client", {"episode": own_episode.pk}),
        ("groups:new_meeting", {"date": timezone.localdate().isoformat()}),
    ):
        response = client.post(reverse(name, args=[group.pk]), data)
        assert response.status_code == 400, name
        assert says(response, "The group has ended: no members or meetings can be added.")
    assert not group.members.exists() and not group.meetings.exists()


# A constant number of queries.


def grow(group, service, helper, team, members: int, meetings: int) -> None:
    for n in range(members):
        episode = EpisodeFactory(client__service=service, team=team)
        episode.helpers.add(helper)
        Member.objects.create(group=group, episode=episode)
        Member.objects.create(group=group, label=f"Deltaker {n}")
    for n in range(meetings):
        past_meeting(group, days_ago=7 * (n + 1), number=n + 2)


@pytest.mark.parametrize("page", ["groups:detail", "groups:codes", "groups:meeting", "groups:qr"])
def test_the_pages_cost_the_same_whatever_the_size_of_the_group(
    client, helper, service, team, group, meeting, page, django_assert_max_num_queries
):
    client.force_login(helper)
    args = [group.pk, meeting.pk] if page in ("groups:meeting", "groups:qr") else [group.pk]
    url = reverse(page, args=args)
    client.get(url)
    # A closed meeting not read since it closed, in both counts: its figures are stored on the
    # first read (services/groups/figures.py), once for all such meetings.
    past_meeting(group, days_ago=100, number=50)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    assert len(small.captured_queries) <= 15
    grow(group, service, helper, team, members=12, meetings=8)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    shown = response.content.decode().count("Deltaker ")
    assert shown == 0 if page == "groups:qr" else shown >= 12
