"""The demo's notes (issue #18): themes, a place, answered and spam notes, added once."""

import pytest

from services.suggestions import demo
from services.suggestions.models import Note, Place, Theme

pytestmark = pytest.mark.django_db


def test_the_demo_fills_the_box_once(service):
    made = demo.seed(service, seed=5)
    assert made == len(demo.NOTES) == Note.objects.filter(service=service).count()
    assert Theme.objects.filter(service=service).count() == len(demo.THEMES)
    assert Place.objects.filter(service=service, slug="dagsenteret").exists()
    public = Note.objects.filter(reply_public=True, is_spam=False).exclude(reply="")
    assert public.count() == 2
    assert Note.objects.filter(is_spam=True).count() == 1
    assert demo.seed(service, seed=5) == 0
    assert Note.objects.count() == made
