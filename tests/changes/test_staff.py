"""The leaders' "vi gjorde" pages: the service's leaders and administrators write and publish,
its user council reads along, helpers and other services get a 404; every change is in the
access log, and bad input is a 400 that saves nothing.

No client data is involved: the entries are the service's own words about itself, written by
staff, so the pages read nothing of any client and log no view."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from services.audit.models import Action, AuditEvent
from services.changes.models import ChangeMade, Source
from tests.handovers import in_language

from .conftest import change

pytestmark = pytest.mark.django_db

NEW = {
    "theme": "",
    "source": Source.COMMENTS,
    "said": "Det tar lang tid før noen svarer på telefonen",
    "did": "Egen telefonvakt kl. 9–11 hver dag",
    "changed_on": "2026-03-01",
    "did_en": "A phone duty 9–11 every day",
}


def urls(code, entry) -> dict[str, str]:
    return {
        "list": reverse("changes:staff_list", args=[code]),
        "new": reverse("changes:new", args=[code]),
        "edit": reverse("changes:edit", args=[code, entry.pk]),
        "publish": reverse("changes:set_published", args=[code, entry.pk]),
    }


@pytest.mark.parametrize("role", ["leader", "administrator"])
def test_leaders_and_administrators_see_every_entry_of_the_service(client, changes, role, request):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("changes:staff_list", args=["oslo"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kaffen er dårlig" in page  # the draft too
    assert "Åpent til kl. 19 på tirsdager" in page
    assert "Bergens endring" not in page
    assert "http://testserver/dere-sa-vi-gjorde/oslo/" in page
    assert reverse("changes:new", args=["oslo"]) in page
    assert reverse("changes:set_published", args=["oslo", changes["draft"].pk]) in page


def test_a_leader_sees_no_administrators_tabs_and_an_administrator_does(
    client, leader, administrator, changes
):
    url = reverse("changes:staff_list", args=["oslo"])
    client.force_login(leader)
    page = client.get(url).content.decode()
    assert reverse("staff:list", args=["oslo"]) not in page
    assert 'aria-current="page" href="/tjeneste/oslo/vi-gjorde/"' in page
    client.force_login(administrator)
    assert reverse("staff:list", args=["oslo"]) in client.get(url).content.decode()


def test_the_leaders_dashboard_links_here(client, leader, service):
    client.force_login(leader)
    page = client.get(reverse("dashboards:service", args=["oslo"])).content.decode()
    assert reverse("changes:staff_list", args=["oslo"]) in page


def test_the_council_reads_but_does_not_write_or_publish(client, council, changes):
    draft = changes["draft"]
    paths = urls("oslo", draft)
    client.force_login(council)
    response = client.get(paths["list"])
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kaffen er dårlig" in page
    assert paths["new"] not in page and paths["publish"] not in page
    assert client.get(paths["new"]).status_code == 404
    assert client.post(paths["new"], NEW).status_code == 404
    assert client.get(paths["edit"]).status_code == 404
    assert client.post(paths["publish"], {"published": "1"}).status_code == 404
    assert not ChangeMade.objects.get(pk=draft.pk).published
    assert ChangeMade.objects.count() == 4


def test_helpers_and_other_services_get_a_404_every_way(client, helper, other_leader, changes):
    draft = changes["draft"]
    for user in (helper, other_leader):
        client.force_login(user)
        for name, path in urls("oslo", draft).items():
            method = client.post if name == "publish" else client.get
            assert method(path, {"published": "1"}).status_code == 404, (user, name)
    # Their own service's code with this service's entry: still not theirs.
    mine = urls("bergen", draft)
    assert client.get(mine["edit"]).status_code == 404
    assert client.post(mine["publish"], {"published": "1"}).status_code == 404
    assert not ChangeMade.objects.get(pk=draft.pk).published


def test_anonymous_visitors_are_sent_to_log_in(client, changes):
    response = client.get(reverse("changes:staff_list", args=["oslo"]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_new_entry_is_a_draft_of_the_service_and_is_logged(client, leader, service):
    client.force_login(leader)
    response = client.post(reverse("changes:new", args=["oslo"]), NEW)
    assert response.status_code == 302
    entry = ChangeMade.objects.get()
    assert (entry.service, entry.created_by, entry.did_en) == (service, leader, NEW["did_en"])
    assert not entry.published
    event = AuditEvent.objects.get(object_type="changemade")
    assert (event.action, event.user, event.service_id, event.client_id) == (
        Action.CREATE,
        leader,
        service.pk,
        None,
    )


def test_bad_input_is_a_400_in_norwegian_and_saves_nothing(client, leader, service):
    client.force_login(leader)
    response = client.post(
        reverse("changes:new", args=["oslo"]), NEW | {"said": "", "changed_on": "31.02.2026"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    # In bokmål from the installed catalogues: Django REST framework's (issue #19) words it
    # "Dette feltet er påkrevd.", and an app's catalogue comes before Django's own.
    assert in_language("nb", "This field is required.") in page
    assert "Oppgi en gyldig dato." in page
    assert not ChangeMade.objects.exists()
    assert not AuditEvent.objects.filter(object_type="changemade").exists()


def test_another_services_theme_is_refused_with_a_message(client, leader, service, other_theme):
    client.force_login(leader)
    response = client.post(
        reverse("changes:new", args=["oslo"]), NEW | {"theme": str(other_theme.pk)}
    )
    assert response.status_code == 400
    message = escape(in_language("nb", "Choose one of this service's themes."))
    assert message in response.content.decode()
    assert not ChangeMade.objects.exists()


def test_an_entry_starts_from_a_theme_of_the_suggestion_box(client, leader, theme):
    client.force_login(leader)
    url = reverse("changes:new", args=["oslo"])
    response = client.get(url, {"tema": theme.pk})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["theme"] == theme
    assert form.initial["source"] == Source.SUGGESTIONS
    page = response.content.decode()
    assert f'<option value="{theme.pk}" selected>' in page
    response = client.post(f"{url}?tema={theme.pk}", NEW | {"theme": str(theme.pk)})
    assert response.status_code == 302
    assert ChangeMade.objects.get().theme == theme


def test_the_list_offers_to_start_from_a_theme(client, leader, theme):
    client.force_login(leader)
    page = client.get(reverse("changes:staff_list", args=["oslo"])).content.decode()
    assert 'name="tema"' in page and f'<option value="{theme.pk}">Åpningstider<' in page


@pytest.mark.parametrize("wanted", ["other", "abc", "99999"])
def test_a_theme_not_of_this_service_is_a_404(client, leader, other_theme, wanted):
    client.force_login(leader)
    value = str(other_theme.pk) if wanted == "other" else wanted
    response = client.get(reverse("changes:new", args=["oslo"]), {"tema": value})
    assert response.status_code == 404


def test_editing_saves_and_logs_which_fields_changed(client, administrator, changes):
    client.force_login(administrator)
    phone = changes["phone"]
    url = reverse("changes:edit", args=["oslo", phone.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "Egen telefonvakt" in response.content.decode()
    data = NEW | {"did": "Telefonvakt kl. 8–11", "changed_on": "2025-11-10"}
    assert client.post(url, data).status_code == 302
    saved = ChangeMade.objects.get(pk=phone.pk)
    assert saved.did == "Telefonvakt kl. 8–11" and saved.published  # still published
    event = AuditEvent.objects.get(object_type="changemade", object_id=str(phone.pk))
    assert event.action == Action.CHANGE and "did" in event.detail


def test_editing_with_bad_input_is_a_400_and_changes_nothing(client, leader, changes):
    client.force_login(leader)
    phone = changes["phone"]
    url = reverse("changes:edit", args=["oslo", phone.pk])
    assert client.post(url, NEW | {"did": ""}).status_code == 400
    assert ChangeMade.objects.get(pk=phone.pk).did == "Egen telefonvakt kl. 9–11"


def test_an_entry_is_published_and_taken_off_again(client, leader, changes):
    client.force_login(leader)
    draft = changes["draft"]
    url = reverse("changes:set_published", args=["oslo", draft.pk])
    public = reverse("changes:public", args=["oslo"])
    assert client.get(url).status_code == 405
    assert client.post(url, {"published": "1"}).status_code == 302
    entry = ChangeMade.objects.get(pk=draft.pk)
    assert entry.published and entry.published_on is not None
    assert "Ny kaffetrakter i venterommet" in client.get(public).content.decode()
    client.post(url, {"published": "1"})  # again: nothing more to log
    client.post(url, {"published": "0"})
    entry = ChangeMade.objects.get(pk=draft.pk)
    assert not entry.published and entry.published_on is None
    assert "Ny kaffetrakter i venterommet" not in client.get(public).content.decode()
    details = AuditEvent.objects.filter(object_type="changemade").order_by("pk")
    assert [event.detail for event in details] == ["published", "unpublished"]


def test_the_list_takes_the_same_queries_for_many_entries(
    client, leader, service, theme, django_assert_max_num_queries
):
    client.force_login(leader)
    url = reverse("changes:staff_list", args=["oslo"])
    change(service, "a", "b", "2026-01-01", theme=theme)
    client.get(url)
    with django_assert_max_num_queries(
        8
    ) as one:  # session, user, roles, place, count, page, themes
        client.get(url)
    for number in range(15):
        change(service, f"sa {number}", f"gjorde {number}", "2026-01-01", theme=theme)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(url).status_code == 200
