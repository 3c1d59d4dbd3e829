"""The leader's form: the two texts are needed and short, the date is not years ahead, and a
theme can only be one of the service's own."""

import datetime

import pytest
from django.utils import timezone

from services.changes.forms import ChangeForm
from services.changes.models import DID_MAX, SAID_MAX, Source

pytestmark = pytest.mark.django_db


def data(**changed) -> dict:
    return {
        "theme": "",
        "source": Source.SUGGESTIONS,
        "said": "Vanskelig å få time etter arbeid",
        "did": "Åpent til kl. 19 på tirsdager",
        "changed_on": "2026-03-01",
    } | changed


def test_a_plain_entry_is_valid_and_belongs_to_the_service(service, theme):
    form = ChangeForm(data(theme=str(theme.pk), said_nn="Vanskeleg å få time"), service=service)
    assert form.is_valid(), form.errors
    entry = form.save()
    assert (entry.service, entry.theme, entry.said_nn) == (service, theme, "Vanskeleg å få time")
    assert not entry.published


@pytest.mark.parametrize("name", ["said", "did", "changed_on", "source"])
def test_each_main_field_is_needed(service, name):
    form = ChangeForm(data(**{name: ""}), service=service)
    assert not form.is_valid()
    assert name in form.errors


def test_the_texts_are_short(service):
    form = ChangeForm(data(said="x" * (SAID_MAX + 1), did="y" * (DID_MAX + 1)), service=service)
    assert not form.is_valid()
    assert set(form.errors) == {"said", "did"}


def test_a_date_some_months_ahead_is_fine_but_not_years(service):
    today = timezone.localdate()
    soon = ChangeForm(data(changed_on=str(today + datetime.timedelta(days=90))), service=service)
    assert soon.is_valid(), soon.errors
    later = ChangeForm(data(changed_on=str(today + datetime.timedelta(days=800))), service=service)
    assert not later.is_valid()
    assert "more than a year ahead" in later.errors["changed_on"][0]


def test_only_the_services_own_themes_are_offered_or_taken(service, theme, other_theme):
    form = ChangeForm(data(theme=str(other_theme.pk)), service=service)
    assert list(form.fields["theme"].queryset) == [theme]
    assert not form.is_valid()
    assert form.errors["theme"] == ["Choose one of this service's themes."]


def test_a_new_form_starts_at_today(service):
    form = ChangeForm(service=service)
    assert form["changed_on"].value() == timezone.localdate()
    assert timezone.localdate().isoformat() in str(form["changed_on"])
    assert [field.name for field in form.nynorsk_fields()] == ["said_nn", "did_nn"]
    assert [field.name for field in form.english_fields()] == ["said_en", "did_en"]
