"""The readers' pages (issue #18): leaders, administrators and user-council members read the
notes, tag them, mark spam and reply; leaders and administrators keep themes and places. Each
change is in the access log; bad input is a 400 and changes nothing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from services.accounts.models import Membership, Role
from services.audit import words
from services.audit.models import Action, AuditEvent
from services.suggestions.models import Place, Theme
from tests.factories import MembershipFactory, ServiceFactory, UserFactory

from .conftest import note

pytestmark = pytest.mark.django_db


def changes():
    """The access log's rows, without the logins of the test's users."""
    return AuditEvent.objects.exclude(action=Action.LOGIN).order_by("pk")


def url(name, service, *args):
    return reverse(f"suggestions:{name}", args=[service.code, *args])


def listed(response) -> list[str]:
    return [n.text for n in response.context["page"].object_list]


@pytest.fixture
def notes(service, themes, place):
    return {
        "hours": note(service, "Åpent lenger", theme=themes[0]),
        "walk": note(service, "Flere turer", theme=themes[1], place=place),
        "loose": note(service, "Mer frukt"),
        "spam": note(service, "Kjøp klokker", is_spam=True),
        "elsewhere": note(ServiceFactory(code="bergen"), "Bergens lapp"),
    }


@pytest.mark.parametrize("role", ["leader", "administrator", "council"])
def test_the_service_readers_see_its_notes_without_spam(client, request, notes, service, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(url("staff_list", service))
    assert response.status_code == 200
    assert sorted(listed(response)) == ["Flere turer", "Mer frukt", "Åpent lenger"]
    page = response.content.decode()
    assert "Bergens lapp" not in page and "Kjøp klokker" not in page
    assert "/forslag/oslo/plakat.pdf" in page and "/forslag/oslo/dagsenteret/plakat.pdf" in page


def test_a_helper_or_another_services_leader_gets_a_404(client, helper, notes, service):
    for user in (helper, UserFactory(username="leder-bergen")):
        if user.username == "leder-bergen":
            MembershipFactory(user=user, service=notes["elsewhere"].service, role=Role.LEADER)
        client.force_login(user)
        assert client.get(url("staff_list", service)).status_code == 404
        assert client.get(url("note", service, notes["hours"].pk)).status_code == 404


def test_the_list_filters_by_theme_place_and_spam(client, leader, notes, service, themes, place):
    client.force_login(leader)
    address = url("staff_list", service)
    assert listed(client.get(address, {"theme": themes[0].pk})) == ["Åpent lenger"]
    assert listed(client.get(address, {"theme": "none"})) == ["Mer frukt"]
    assert listed(client.get(address, {"place": place.pk})) == ["Flere turer"]
    assert sorted(listed(client.get(address, {"place": "none"}))) == ["Mer frukt", "Åpent lenger"]
    assert listed(client.get(address, {"spam": "1"})) == ["Kjøp klokker"]
    assert client.get(address, {"theme": "x"}).status_code == 404


def test_the_list_is_newest_first_and_paged(client, leader, service):
    """By the day received, and within a day by the order they came in, latest first."""
    start = datetime.date(2026, 2, 1)
    for number in range(1, 31):
        note(service, f"Lapp {number}", day=start + datetime.timedelta(days=number // 2))
    client.force_login(leader)
    first = client.get(url("staff_list", service))
    assert listed(first) == [f"Lapp {number}" for number in range(30, 5, -1)]
    second = client.get(url("staff_list", service), {"page": 2})
    assert listed(second) == [f"Lapp {number}" for number in range(5, 0, -1)]


@pytest.mark.parametrize("count", [3, 40])
def test_the_list_takes_a_constant_number_of_queries(
    client, leader, service, themes, place, count, django_assert_max_num_queries
):
    for number in range(count):
        note(service, f"Lapp {number}", theme=themes[number % 2], place=place)
    client.force_login(leader)
    # Session, user, the reader's roles with the service, themes, places, the count, the
    # page of notes with their theme and place, the menu's roles, and the session's refresh
    # (an update between a savepoint and its release).
    with django_assert_max_num_queries(11):
        assert client.get(url("staff_list", service)).status_code == 200


def test_a_council_member_tags_a_note_and_it_is_logged(client, council, notes, service, themes):
    client.force_login(council)
    hours = notes["hours"]
    response = client.post(
        url("tag", service, hours.pk), {"theme": themes[1].pk, "back": "theme=5&page=2&x=1"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{url('staff_list', service)}?theme=5&page=2#note-{hours.pk}"
    hours.refresh_from_db()
    assert hours.theme == themes[1]
    (event,) = changes()
    assert (event.user, event.object_type, event.object_id) == (council, "note", str(hours.pk))
    assert event.detail == "suggestion box fields theme"
    assert words.is_known(event.detail)


def test_a_theme_of_another_service_is_refused(client, leader, notes, service):
    other = Theme.objects.create(service=notes["elsewhere"].service, name="Bergen")
    client.force_login(leader)
    response = client.post(url("tag", service, notes["hours"].pk), {"theme": other.pk})
    assert response.status_code == 400
    notes["hours"].refresh_from_db()
    assert notes["hours"].theme.name == "Åpningstider"
    assert not changes().exists()


def test_a_note_of_another_service_is_a_404(client, leader, notes, service):
    client.force_login(leader)
    elsewhere = notes["elsewhere"].pk
    for name in ("tag", "spam", "reply"):
        assert client.post(url(name, service, elsewhere), {"spam": "1"}).status_code == 404


def test_spam_is_hidden_and_never_public(client, leader, service):
    shown = note(service, "Kjøp klokker", reply="Nei", reply_public=True)
    client.force_login(leader)
    assert client.post(url("spam", service, shown.pk), {"spam": "1"}).status_code == 302
    shown.refresh_from_db()
    assert shown.is_spam and not shown.reply_public
    assert client.post(url("spam", service, shown.pk), {"spam": "yes"}).status_code == 400
    assert client.post(url("spam", service, shown.pk), {"spam": "0"}).status_code == 302
    shown.refresh_from_db()
    assert not shown.is_spam
    details = list(changes().values_list("detail", flat=True))
    assert details == [
        "suggestion box fields is_spam, reply_public",
        "suggestion box fields is_spam",
    ]


def test_a_reply_is_saved_dated_and_shown_publicly_when_chosen(client, leader, notes, service):
    client.force_login(leader)
    loose = notes["loose"]
    data = {"reply": "Nå har vi frukt hver dag.", "reply_public": "on"}
    assert client.post(url("reply", service, loose.pk), data).status_code == 302
    loose.refresh_from_db()
    assert loose.reply == "Nå har vi frukt hver dag." and loose.reply_public
    assert (loose.replied_on, loose.replied_by) == (timezone.localdate(), leader)
    public = client.get(reverse("suggestions:public", args=[service.code])).content.decode()
    assert "Mer frukt" in public and "Nå har vi frukt hver dag." in public
    assert client.post(url("reply", service, loose.pk), {"reply": ""}).status_code == 302
    loose.refresh_from_db()
    assert (loose.reply, loose.replied_on, loose.reply_public) == ("", None, False)


def test_a_note_is_not_made_public_without_a_reply(client, leader, notes, service):
    client.force_login(leader)
    loose = notes["loose"]
    response = client.post(url("reply", service, loose.pk), {"reply": " ", "reply_public": "on"})
    assert response.status_code == 400
    assert response.context["reply_form"].non_field_errors()
    loose.refresh_from_db()
    assert not loose.reply_public
    too_long = client.post(url("reply", service, loose.pk), {"reply": "x" * 2001})
    assert too_long.status_code == 400
    assert not changes().exists()


def test_leaders_keep_themes_and_places_and_council_members_do_not(
    client, leader, council, service, themes
):
    client.force_login(council)
    assert client.get(url("themes", service)).status_code == 404
    assert client.post(url("themes", service), {"new-theme-name": "Mat"}).status_code == 404
    client.force_login(leader)
    assert client.get(url("themes", service)).status_code == 200
    added = client.post(url("themes", service), {"new-theme-name": "Mat", "new-theme-order": 3})
    assert added.status_code == 302
    theme = Theme.objects.get(service=service, name="Mat")
    twice = client.post(url("themes", service), {"new-theme-name": "mat", "new-theme-order": 4})
    assert twice.status_code == 400
    prefix = f"theme-{theme.pk}"
    renamed = client.post(
        url("theme", service, theme.pk),
        {
            f"{prefix}-name": "Mat og kaffe",
            f"{prefix}-name_nn": "Mat og kaffi",
            f"{prefix}-order": 3,
        },
    )
    assert renamed.status_code == 302
    theme.refresh_from_db()
    assert (theme.name, theme.name_nn) == ("Mat og kaffe", "Mat og kaffi")
    clash = client.post(
        url("theme", service, theme.pk),
        {f"{prefix}-name": "Aktiviteter", f"{prefix}-order": 3},
    )
    assert clash.status_code == 400
    theme.refresh_from_db()
    assert theme.name == "Mat og kaffe"
    logged = list(changes().values_list("action", "detail"))
    assert logged == [
        (Action.CREATE, ""),
        (Action.CHANGE, "suggestion box fields name, name_nn"),
    ]


def test_a_place_is_added_once_and_renamed_without_changing_its_address(
    client, administrator, service
):
    client.force_login(administrator)
    data = {"new-place-name": "Dagsenteret", "new-place-slug": "Dagsenteret", "new-place-order": 1}
    assert client.post(url("add_place", service), data).status_code == 302
    place = Place.objects.get(service=service)
    assert place.slug == "dagsenteret"
    assert client.post(url("add_place", service), data).status_code == 400
    bad = {**data, "new-place-slug": "plakat.pdf"}
    assert client.post(url("add_place", service), bad).status_code == 400
    prefix = f"place-{place.pk}"
    renamed = client.post(
        url("place_edit", service, place.pk),
        {f"{prefix}-name": "Aktivitetshuset", f"{prefix}-slug": "nytt", f"{prefix}-order": 1},
    )
    assert renamed.status_code == 302
    place.refresh_from_db()
    assert (place.name, place.slug) == ("Aktivitetshuset", "dagsenteret")
    assert Place.objects.count() == 1


def test_an_administrator_grants_the_council_role_and_it_opens_the_box_only(
    client, administrator, service, notes
):
    member = UserFactory(username="ruth")
    MembershipFactory(user=member, service=service, role=Role.HELPER)
    client.force_login(administrator)
    page = client.get(reverse("staff:member", args=[service.code, member.pk])).content.decode()
    assert 'value="council"' in page
    changed = client.post(
        reverse("staff:member", args=[service.code, member.pk]), {"roles": ["council"]}
    )
    assert changed.status_code == 302
    assert list(Membership.objects.filter(user=member).values_list("role", flat=True)) == [
        "council"
    ]
    client.force_login(member)
    assert client.get(reverse("suggestions:index")).status_code == 302
    assert client.get(url("staff_list", service)).status_code == 200
    home = client.get(reverse("home")).content.decode()
    assert reverse("suggestions:index") in home
    assert reverse("dashboards:index") not in home and reverse("clients:caseload") not in home
    for name, args in [
        ("dashboards:index", []),
        ("dashboards:service", [service.code]),
        ("comments:leader", [service.code]),
        ("clients:caseload", []),
        ("staff:list", [service.code]),
        ("suggestions:themes", [service.code]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404, name


def test_the_index_lists_the_services_of_someone_who_reads_several(client, leader, service):
    other = ServiceFactory(code="bergen", name="Bergen")
    MembershipFactory(user=leader, service=other, role=Role.COUNCIL)
    client.force_login(leader)
    response = client.get(reverse("suggestions:index"))
    assert response.status_code == 200
    assert [s.code for s in response.context["services"]] == ["bergen", "oslo"]


def test_the_note_page_shows_one_note_with_its_forms(client, council, notes, service):
    client.force_login(council)
    response = client.get(url("note", service, notes["walk"].pk))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Flere turer" in page and "Dagsenteret" in page
    # A council member sees the service's shared tabs, not the administrators' own.
    assert reverse("staff:list", args=[service.code]) not in page
    assert url("themes", service) not in page
