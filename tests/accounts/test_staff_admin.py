"""Service administration in the app: staff, invitations, teams and settings, within one service.

Pages are read in English (the language cookie), so the assertions do not depend on the
catalogues.
"""

import datetime
import hashlib
import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from services.accounts import invitations
from services.accounts.models import Invitation, Membership, Role, Service, Team, User
from services.accounts.two_factor import new_backup_codes
from services.audit.models import Action, AuditEvent
from tests.factories import (
    EpisodeFactory,
    MembershipFactory,
    ServiceFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "lilla-sjiraff-paraply-91"


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def client_factory():
    """A second browser, e.g. the new staff member's own phone."""
    return Client


@pytest.fixture
def admin_client(english, administrator):
    english.force_login(administrator)
    return english


@pytest.fixture
def other_service():
    return ServiceFactory(code="bergen", name="Lavterskel Bergen")


@pytest.fixture
def other_admin(other_service):
    user = UserFactory(username="admin-bergen")
    MembershipFactory(user=user, service=other_service, role=Role.ADMINISTRATOR)
    return user


def url(name, *args):
    return reverse(f"staff:{name}", args=args)


def invite(client, service, **changes):
    data = {
        "first_name": "Kari",
        "last_name": "Nordmann",
        "email": "",
        "username": "kari",
        "roles": [Role.HELPER, Role.LEADER],
        "can_view_clients": "on",
    }
    data.update(changes)
    return client.post(url("invite", service.code), data)


def link_in(response) -> str:
    found = re.search(r'value="(http[^"]+/invitasjon/([^"/]+)/)"', response.content.decode())
    assert found, "the page shows the link"
    return found.group(2)


def audit(action, **filters):
    return AuditEvent.objects.filter(action=action, **filters)


# Inviting and accepting


def test_an_invitation_makes_an_inactive_member_and_stores_only_a_hash(admin_client, service, team):
    response = invite(admin_client, service, team=team.pk)
    assert response.status_code == 200
    token = link_in(response)
    kari = User.objects.get(username="kari")
    assert not kari.is_active
    assert not kari.has_usable_password()
    memberships = Membership.objects.filter(user=kari)
    assert {m.role for m in memberships} == {Role.HELPER, Role.LEADER}
    assert {(m.service_id, m.team_id, m.can_view_clients) for m in memberships} == {
        (service.pk, team.pk, True)
    }
    invitation = Invitation.objects.get(user=kari)
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in invitation.token_hash
    assert invitation.expires_at - timezone.now() > datetime.timedelta(days=6, hours=23)
    assert audit(Action.CREATE, object_type="user", object_id=str(kari.pk)).count() == 1


def test_accepting_sets_the_password_activates_logs_in_and_works_once(
    admin_client, service, client_factory
):
    token = link_in(invite(admin_client, service))
    phone = client_factory()
    phone.cookies["django_language"] = "en"
    page = phone.get(url("accept", token))
    assert page.status_code == 200
    assert "kari" in page.content.decode()
    done = phone.post(
        url("accept", token), {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done.status_code == 302
    kari = User.objects.get(username="kari")
    assert kari.is_active
    assert kari.check_password(NEW_PASSWORD)
    assert Invitation.objects.get(user=kari).used_at is not None
    assert phone.get(reverse("home")).status_code == 200
    assert audit(Action.CHANGE, detail="invitation accepted", user=kari).count() == 1
    again = client_factory()
    again.cookies["django_language"] = "en"
    assert again.get(url("accept", token)).status_code == 410
    second = again.post(url("accept", token), {"new_password1": "x", "new_password2": "x"})
    assert second.status_code == 410
    assert "already been used" in second.content.decode()


def test_a_used_invitation_cannot_be_accepted_twice_even_between_form_and_save(
    admin_client, service
):
    token = link_in(invite(admin_client, service))
    invitation = invitations.find(token)
    invitations.accept(invitation, NEW_PASSWORD)
    with pytest.raises(invitations.InvitationClosed):
        invitations.accept(invitation, "another-long-password-7")
    assert User.objects.get(username="kari").check_password(NEW_PASSWORD)


def test_after_accepting_the_new_member_is_sent_to_set_up_two_factor(
    admin_client, service, client_factory
):
    token = link_in(invite(admin_client, service))
    phone = client_factory()
    with override_settings(TWO_FACTOR_REQUIRED=True):
        done = phone.post(
            url("accept", token), {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        )
        next_page = phone.get(done["Location"])
    assert next_page.status_code == 302
    assert next_page["Location"].startswith(reverse("two_factor_setup"))


def test_a_weak_password_is_refused_and_the_invitation_stays_open(admin_client, service):
    token = link_in(invite(admin_client, service))
    admin_client.logout()
    response = admin_client.post(
        url("accept", token), {"new_password1": "kari", "new_password2": "kari"}
    )
    assert response.status_code == 400
    assert not User.objects.get(username="kari").is_active
    assert Invitation.objects.get().used_at is None


def test_an_expired_invitation_is_refused(admin_client, service):
    token = link_in(invite(admin_client, service))
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    admin_client.logout()
    admin_client.cookies["django_language"] = "en"
    assert admin_client.get(url("accept", token)).status_code == 410
    response = admin_client.post(
        url("accept", token), {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert not User.objects.get(username="kari").is_active


@pytest.mark.parametrize("token", ["nothing-here", "x" * 500, "a" * 43])
def test_a_wrong_token_is_a_calm_404(english, token):
    response = english.get(url("accept", token))
    assert response.status_code == 404
    assert "does not work" in response.content.decode()


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("=cmd", "cannot start with"),
        ("+1", "cannot start with"),
        ("-x", "cannot start with"),
        ("@sum", "cannot start with"),
        ("hjelper", "already works in this service"),
        ("HJELPER", "already works in this service"),
        ("admin-bergen", "That username is taken"),
    ],
)
def test_bad_or_existing_usernames_are_refused(
    admin_client, service, helper, other_admin, username, message
):
    before = (User.objects.count(), Membership.objects.count(), Invitation.objects.count())
    response = invite(admin_client, service, username=username)
    assert response.status_code == 400
    assert message in response.content.decode()
    after = (User.objects.count(), Membership.objects.count(), Invitation.objects.count())
    assert after == before
    assert not other_admin.memberships.filter(service=service).exists()


def test_an_invitation_needs_a_role_and_a_team_of_this_service(
    admin_client, service, other_service
):
    foreign_team = TeamFactory(service=other_service)
    assert invite(admin_client, service, roles=[]).status_code == 400
    assert invite(admin_client, service, team=foreign_team.pk).status_code == 400
    assert not User.objects.filter(username="kari").exists()


# Staying within one's own service


def test_an_administrator_of_another_service_gets_404_everywhere_here(
    client, service, team, helper, other_admin
):
    client.force_login(other_admin)
    token = invitations.issue(helper, service, created_by=None)
    assert token
    member = (service.code, helper.pk)
    gets = [
        url("list", service.code),
        url("invite", service.code),
        url("member", *member),
        url("teams", service.code),
        url("team", service.code, team.pk),
        url("settings", service.code),
    ]
    posts = [
        url("invite", service.code),
        url("member", *member),
        url("deactivate", *member),
        url("reactivate", *member),
        url("reset_two_factor", *member),
        url("reinvite", *member),
        url("teams", service.code),
        url("team", service.code, team.pk),
        url("team_delete", service.code, team.pk),
        url("settings", service.code),
    ]
    for address in gets:
        assert client.get(address).status_code == 404, address
    for address in posts:
        assert client.post(address, {"name": "x", "roles": ["helper"]}).status_code == 404, address
    helper.refresh_from_db()
    assert helper.is_active
    assert Team.objects.filter(pk=team.pk).exists()
    assert Service.objects.get(pk=service.pk).name == "Lavterskel Oslo"


def test_a_guessed_id_of_another_services_member_or_team_is_404(
    admin_client, service, other_service, other_admin
):
    foreign_team = TeamFactory(service=other_service)
    member = (service.code, other_admin.pk)
    for address in [url("member", *member), url("team", service.code, foreign_team.pk)]:
        assert admin_client.get(address).status_code == 404
    for address in [
        url("member", *member),
        url("deactivate", *member),
        url("reset_two_factor", *member),
        url("reinvite", *member),
        url("team_delete", service.code, foreign_team.pk),
    ]:
        assert admin_client.post(address, {"roles": ["helper"]}).status_code == 404
    other_admin.refresh_from_db()
    assert other_admin.is_active
    assert other_admin.has_usable_password()
    assert Team.objects.filter(pk=foreign_team.pk).exists()


def test_the_index_picks_a_service_and_the_menu_links_to_it(admin_client, administrator, service):
    assert url("index") in admin_client.get(reverse("home")).content.decode()
    response = admin_client.get(url("index"))
    assert response.status_code == 302
    assert response["Location"] == url("list", service.code)
    second = ServiceFactory(code="tromso", name="Lavterskel Tromsø")
    MembershipFactory(user=administrator, service=second, role=Role.ADMINISTRATOR)
    page = admin_client.get(url("index"))
    assert page.status_code == 200
    assert url("list", second.code) in page.content.decode()


# The staff list


def test_the_staff_list_shows_roles_team_two_factor_and_pages(
    admin_client, service, team, helper, leader, other_admin
):
    TOTPDevice.objects.create(user=helper, name="app", confirmed=True)
    page = admin_client.get(url("list", service.code)).content.decode()
    assert "hjelper" in page and "leder" in page
    assert "admin-bergen" not in page
    assert "Team voksne" in page
    assert "Set up" in page and "Not set up" in page
    for n in range(30):
        MembershipFactory(user=UserFactory(username=f"extra{n:02d}"), service=service)
    second = admin_client.get(url("list", service.code), {"page": 2})
    assert second.status_code == 200
    assert "Page 2 of 2" in second.content.decode()


# Editing a member


def test_changing_roles_is_saved_and_audited(admin_client, service, team, helper):
    response = admin_client.post(
        url("member", service.code, helper.pk),
        {"roles": [Role.LEADER], "team": "", "can_view_clients": "on"},
    )
    assert response.status_code == 302
    memberships = Membership.objects.filter(user=helper, service=service)
    assert [(m.role, m.team_id, m.can_view_clients) for m in memberships] == [
        (Role.LEADER, None, True)
    ]
    event = audit(Action.CHANGE, object_id=str(helper.pk)).get()
    assert event.service_id == service.pk
    assert "roles=helper" in event.detail and "roles=leader" in event.detail


def test_an_administrator_cannot_demote_or_deactivate_themselves(
    admin_client, administrator, service
):
    demote = admin_client.post(url("member", service.code, administrator.pk), {"roles": ["helper"]})
    assert demote.status_code == 400
    assert "cannot remove your own administrator role" in demote.content.decode()
    deactivate = admin_client.post(url("deactivate", service.code, administrator.pk))
    assert deactivate.status_code == 400
    assert "cannot deactivate yourself" in deactivate.content.decode()
    administrator.refresh_from_db()
    assert administrator.is_active
    assert Membership.objects.filter(user=administrator, role=Role.ADMINISTRATOR).exists()
    assert not audit(Action.CHANGE).exists()


def test_deactivating_a_member_of_only_this_service_locks_the_account_and_can_be_undone(
    admin_client, service, helper
):
    response = admin_client.post(url("deactivate", service.code, helper.pk))
    assert response.status_code == 302
    helper.refresh_from_db()
    assert not helper.is_active
    assert Membership.objects.filter(user=helper, service=service).exists()
    assert audit(Action.CHANGE, detail="deactivated: account").count() == 1
    assert admin_client.post(url("reactivate", service.code, helper.pk)).status_code == 302
    helper.refresh_from_db()
    assert helper.is_active
    assert audit(Action.CHANGE, detail="reactivated").count() == 1


def test_a_member_of_two_services_deactivated_here_keeps_the_other(
    admin_client, service, helper, other_service
):
    MembershipFactory(user=helper, service=other_service, role=Role.LEADER)
    response = admin_client.post(url("deactivate", service.code, helper.pk))
    assert response.status_code == 302
    helper.refresh_from_db()
    assert helper.is_active
    assert not Membership.objects.filter(user=helper, service=service).exists()
    assert Membership.objects.filter(user=helper, service=other_service).exists()
    assert audit(Action.CHANGE, detail="deactivated: memberships").count() == 1
    assert admin_client.get(url("member", service.code, helper.pk)).status_code == 404


def test_deactivating_ends_an_open_invitation(admin_client, service):
    token = link_in(invite(admin_client, service))
    kari = User.objects.get(username="kari")
    admin_client.post(url("deactivate", service.code, kari.pk))
    admin_client.logout()
    admin_client.cookies["django_language"] = "en"
    assert admin_client.get(url("accept", token)).status_code == 410


def test_resetting_the_second_factor_removes_the_devices(admin_client, service, helper):
    TOTPDevice.objects.create(user=helper, name="app", confirmed=True)
    new_backup_codes(helper)
    response = admin_client.post(url("reset_two_factor", service.code, helper.pk))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=helper).exists()
    assert not StaticDevice.objects.filter(user=helper).exists()
    assert not StaticToken.objects.filter(device__user=helper).exists()
    assert audit(Action.CHANGE, detail="two-factor reset").count() == 1


def test_a_new_invitation_replaces_the_password_and_the_old_link(admin_client, service, helper):
    old = invitations.issue(helper, service, created_by=None)
    response = admin_client.post(url("reinvite", service.code, helper.pk))
    assert response.status_code == 200
    new = link_in(response)
    helper.refresh_from_db()
    assert not helper.has_usable_password()
    admin_client.logout()
    assert admin_client.get(url("accept", old)).status_code == 410
    assert admin_client.get(url("accept", new)).status_code == 200


def test_account_wide_actions_are_refused_for_someone_who_also_works_elsewhere(
    admin_client, service, helper, other_service
):
    MembershipFactory(user=helper, service=other_service, role=Role.HELPER)
    TOTPDevice.objects.create(user=helper, name="app", confirmed=True)
    for name in ("reset_two_factor", "reinvite", "reactivate"):
        response = admin_client.post(url(name, service.code, helper.pk))
        assert response.status_code == 400, name
        assert "service you do not administer" in response.content.decode()
    helper.refresh_from_db()
    assert helper.has_usable_password()
    assert TOTPDevice.objects.filter(user=helper).exists()
    assert not Invitation.objects.exists()


# Teams


def test_teams_are_created_renamed_and_deleted_only_when_unused(
    admin_client, service, team, helper
):
    created = admin_client.post(url("teams", service.code), {"name": "Team unge", "code": "unge"})
    assert created.status_code == 302
    young = Team.objects.get(service=service, code="unge")
    duplicate = admin_client.post(url("teams", service.code), {"name": "Igjen", "code": "unge"})
    assert duplicate.status_code == 400
    assert "already has that code" in duplicate.content.decode()
    renamed = admin_client.post(url("team", service.code, young.pk), {"name": "Unge", "code": "u"})
    assert renamed.status_code == 302
    young.refresh_from_db()
    assert (young.name, young.code) == ("Unge", "u")
    in_use = admin_client.post(url("team_delete", service.code, team.pk))
    assert in_use.status_code == 400
    assert "is kept" in in_use.content.decode()
    assert admin_client.post(url("team_delete", service.code, young.pk)).status_code == 302
    assert not Team.objects.filter(pk=young.pk).exists()
    assert audit(Action.CREATE, object_type="team").count() == 1
    assert audit(Action.CHANGE, object_type="team").count() == 1
    assert audit(Action.DELETE, object_type="team", object_id=str(young.pk)).count() == 1


def test_a_team_with_episodes_is_kept(admin_client, service):
    team = TeamFactory(service=service)
    EpisodeFactory(client__service=service, team=team)
    assert admin_client.post(url("team_delete", service.code, team.pk)).status_code == 400
    assert Team.objects.filter(pk=team.pk).exists()


# Settings


SETTINGS = {
    "name": "Lavterskel Oslo sentrum",
    "team_access": "on",
    "helper_comparison": "on",
    "require_two_factor": "on",
    "off_track_from_session": "3",
    "no_change_by_session": "4",
    "off_track_alert": "red",
    "retention_years": "5",
}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("off_track_from_session", "1"),
        ("off_track_from_session", "21"),
        ("no_change_by_session", "0"),
        ("retention_years", "0"),
        ("retention_years", "21"),
        ("retention_years", "-3"),
        ("retention_years", "fem"),
        ("name", ""),
        ("off_track_alert", "yellow"),
    ],
)
def test_settings_out_of_bounds_are_refused_whole(admin_client, service, field, value):
    response = admin_client.post(url("settings", service.code), {**SETTINGS, field: value})
    assert response.status_code == 400
    service.refresh_from_db()
    assert service.name == "Lavterskel Oslo"
    assert not service.team_access
    assert not audit(Action.CHANGE).exists()


def test_settings_within_bounds_are_saved_and_audited(admin_client, service):
    response = admin_client.post(
        url("settings", service.code), {**SETTINGS, "retention_years": "20"}
    )
    assert response.status_code == 302
    service.refresh_from_db()
    assert (service.name, service.team_access, service.retention_years) == (
        "Lavterskel Oslo sentrum",
        True,
        20,
    )
    event = audit(Action.CHANGE, object_type="service").get()
    assert "retention_years=20" in event.detail
    assert service.code == "oslo"


def test_the_off_track_alert_level_is_a_setting(admin_client, service):
    """Issue #12 item 3: a service chooses whether orange or only red raises the signal."""
    assert service.off_track_alert == "red"
    page = admin_client.get(url("settings", service.code)).content.decode()
    assert 'name="off_track_alert"' in page
    response = admin_client.post(
        url("settings", service.code), {**SETTINGS, "off_track_alert": "orange"}
    )
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.off_track_alert == "orange"
    assert "off_track_alert=orange" in audit(Action.CHANGE, object_type="service").get().detail
