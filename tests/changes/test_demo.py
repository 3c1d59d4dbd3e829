"""The demo's entries: a few, published, in place once however often the demo is seeded."""

import pytest
from django.urls import reverse

from services.changes import demo
from services.changes.models import ChangeMade
from services.suggestions.models import Theme

pytestmark = pytest.mark.django_db


def test_the_demo_publishes_a_few_entries_once(client, service):
    Theme.objects.create(service=service, name="Åpningstider")
    assert demo.seed(service) == len(demo.DEMO_CHANGES)
    assert demo.seed(service) == 0
    assert ChangeMade.objects.filter(service=service, published=True).count() == 3
    assert ChangeMade.objects.filter(theme__name="Åpningstider").count() == 1
    page = client.get(reverse("changes:public", args=[service.code])).content.decode()
    assert "åpent til kl. 19 på tirsdager" in page
