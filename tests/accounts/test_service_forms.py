"""The administrator chooses which form the service gives each age group (issue #12, item 10).

Loading or upgrading a form never changes what clients get; only this page does, and every
change is audited. Pages are read in English (the language cookie).
"""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from services.audit.models import Action, AuditEvent
from services.measures.forms_in_use import chosen_form
from services.measures.loading import load_definition
from services.measures.models import Instrument, ServiceForm
from services.ratings.handovers import prepare_handover
from tests.factories import EpisodeFactory, ServiceFactory, instrument
from tests.measures.test_definitions import builtin
from tests.seven_items import load_seven_item_form, seven_item_definition

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, administrator):
    client.cookies["django_language"] = "en"
    client.force_login(administrator)
    return client


def page_url(service):
    return reverse("staff:forms", args=[service.code])


def choose(admin_client, service, form, purpose="outcome", age_group="adult"):
    data = {"purpose": purpose, "age_group": age_group, "instrument": form.pk}
    return admin_client.post(page_url(service), data)


def choices(service) -> list[tuple]:
    return list(
        ServiceForm.objects.filter(service=service)
        .order_by("purpose", "age_group")
        .values_list("purpose", "age_group", "instrument_id", "chosen_by_id", "chosen_at")
    )


def test_the_page_shows_every_purpose_and_age_group_and_is_in_the_navigation(admin_client, service):
    response = admin_client.get(page_url(service))
    assert response.status_code == 200
    page = response.content.decode()
    assert f'href="{page_url(service)}"' in page
    # Issue #18 adds the group alliance form, for adults and adolescents (no group form for
    # children, so those two rows are left out): 8 + 2 choices.
    assert page.count('name="instrument"') == 10
    assert "How has life been? (ORS-style) (ors v1)" in page
    assert "(ycors v1)" in page
    assert "built-in choice" in page


def test_only_forms_for_the_age_group_and_purpose_are_offered(admin_client, service):
    load_seven_item_form()
    rows = {
        (r.purpose, r.age_group): r for r in admin_client.get(page_url(service)).context["rows"]
    }
    keys = {k: [o.instrument.key for o in row.options] for k, row in rows.items()}
    assert keys[("outcome", "adult")] == ["aaa_outcome", "ors"]
    assert keys[("outcome", "child")] == ["cors"]
    assert keys[("alliance", "adult")] == ["srs"]


def test_choosing_a_form_is_audited_and_reaches_the_next_handover(
    admin_client, administrator, service, helper
):
    seven = load_seven_item_form()
    response = choose(admin_client, service, seven)
    assert response.status_code == 302
    choice = ServiceForm.objects.get(service=service, purpose="outcome", age_group="adult")
    assert (choice.instrument, choice.chosen_by) == (seven, administrator)
    event = AuditEvent.objects.get(action=Action.CHANGE, object_type="serviceform")
    assert event.detail == "form outcome adult: ors v1 -> aaa_outcome v1"
    assert (event.user, event.service_id) == (administrator, service.pk)
    episode = EpisodeFactory(client__service=service)
    handover = prepare_handover(episode, method="tablet", purpose="outcome", user=helper)
    assert handover.instrument == seven
    assert chosen_form(service.pk, "adolescent", "outcome").key == "ors"


def test_choosing_the_form_already_in_use_changes_and_logs_nothing(admin_client, service):
    before = choices(service)
    assert choose(admin_client, service, instrument("ors")).status_code == 302
    assert choices(service) == before
    assert not AuditEvent.objects.filter(object_type="serviceform").exists()


@pytest.mark.parametrize(
    ("key", "purpose", "age_group"),
    [
        ("cors", "outcome", "adult"),
        ("srs", "outcome", "adult"),
        ("ors", "alliance", "adult"),
        ("ors", "outcome", "young_child"),
    ],
)
def test_a_form_not_made_for_the_age_group_and_purpose_is_refused(
    admin_client, service, key, purpose, age_group
):
    before = choices(service)
    response = choose(admin_client, service, instrument(key), purpose, age_group)
    assert response.status_code == 400
    assert "not made for this age group and purpose" in response.content.decode()
    assert choices(service) == before


def test_an_inactive_form_cannot_be_chosen(admin_client, service):
    seven = load_seven_item_form()
    Instrument.objects.filter(pk=seven.pk).update(active=False)
    assert choose(admin_client, service, seven).status_code == 400
    assert chosen_form(service.pk, "adult", "outcome").key == "ors"


def test_loading_forms_and_versions_never_changes_a_choice(service, tmp_path):
    before = choices(service)
    for name, data in [
        ("seven.json", seven_item_definition()),
        ("ors2.json", builtin("ors") | {"version": 2}),
        ("seven2.json", seven_item_definition(version=2)),
    ]:
        path = tmp_path / name
        path.write_text(json.dumps(data), encoding="utf-8")
        call_command("load_instrument", str(path))
    call_command("load_instrument", str(tmp_path / "ors2.json"))
    assert choices(service) == before
    assert chosen_form(service.pk, "adult", "outcome").version == 1


def test_a_newer_version_of_the_chosen_form_is_offered_as_an_upgrade(admin_client, service):
    upgrade = load_form(builtin("ors") | {"version": 2})
    rows = {
        (r.purpose, r.age_group): r for r in admin_client.get(page_url(service)).context["rows"]
    }
    assert rows[("outcome", "adult")].upgrade.instrument == upgrade
    assert rows[("outcome", "child")].upgrade is None
    assert "Upgrade to version 2" in admin_client.get(page_url(service)).content.decode()
    assert choose(admin_client, service, upgrade).status_code == 302
    assert chosen_form(service.pk, "adult", "outcome") == upgrade
    assert chosen_form(service.pk, "adolescent", "outcome").version == 1
    rows = {
        (r.purpose, r.age_group): r for r in admin_client.get(page_url(service)).context["rows"]
    }
    assert rows[("outcome", "adult")].upgrade is None
    assert rows[("outcome", "adolescent")].upgrade.instrument == upgrade


def load_form(data):
    return load_definition(data)[0]


def rows_of(admin_client, service) -> dict:
    page = admin_client.get(page_url(service))
    return {(row.purpose, row.age_group): row for row in page.context["rows"]}


def test_another_services_choice_is_untouched(admin_client, service):
    other = ServiceFactory(code="bergen")
    before = choices(other)
    choose(admin_client, service, load_seven_item_form())
    assert choices(other) == before


def test_the_page_costs_a_constant_number_of_queries(
    admin_client, service, django_assert_max_num_queries
):
    for version in range(2, 6):
        load_form(builtin("ors") | {"version": version})
        load_seven_item_form(f"form{version}")
    with django_assert_max_num_queries(11):
        assert admin_client.get(page_url(service)).status_code == 200
