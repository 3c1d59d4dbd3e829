"""An entry belongs to its service; a theme only ever its own service's, and deleting a theme
leaves the published words standing."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from services.changes.models import ChangeMade, Source

from .conftest import change

pytestmark = pytest.mark.django_db


def test_a_new_entry_is_a_draft_from_elsewhere_until_said_otherwise(service):
    entry = change(service, "Lang kø", "Flere timer", datetime.date(2026, 1, 5))
    assert not entry.published and entry.published_on is None
    assert entry.source == Source.OTHER
    assert str(entry) == "2026-01-05: Flere timer"
    assert str(ChangeMade._meta.verbose_name) == "change made"


def test_newest_change_first(service):
    old = change(service, "a", "b", datetime.date(2025, 1, 1))
    new = change(service, "c", "d", datetime.date(2026, 1, 1))
    assert list(ChangeMade.objects.all()) == [new, old]


def test_another_services_theme_is_refused(service, other_theme):
    entry = ChangeMade(
        service=service, theme=other_theme, said="a", did="b", changed_on=datetime.date.today()
    )
    with pytest.raises(ValidationError) as refused:
        entry.full_clean()
    assert "theme" in refused.value.message_dict


def test_deleting_a_theme_keeps_the_entry(service, changes, theme):
    theme.delete()
    entry = ChangeMade.objects.get(pk=changes["evening"].pk)
    assert entry.theme is None and entry.published
    assert entry.source == Source.SUGGESTIONS


def test_the_service_takes_its_entries_with_it(service, changes):
    service.delete()
    assert list(ChangeMade.objects.values_list("said", flat=True)) == ["Bergens tilbakemelding"]
