"""The login page is written out by hand for speed (issue #14); it must still say what is wrong,
in a way screen readers announce."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_missing_password_is_marked_on_its_field(client):
    page = client.post(reverse("login"), {"username": "someone", "password": ""}).content.decode()
    assert 'value="someone"' in page
    assert 'aria-invalid="true" aria-describedby="id_password_error"' in page
    assert 'id="id_password_error" class="invalid-feedback"' in page


def test_wrong_credentials_are_said_above_the_form(client, helper):
    page = client.post(reverse("login"), {"username": "hjelper", "password": "wrong"})
    text = page.content.decode()
    assert 'class="alert alert-block alert-danger" role="alert"' in text
    assert 'autocomplete="current-password"' in text and "autofocus" in text
