"""Issue #11: a client code must never start like a spreadsheet formula."""

import pytest
from django.urls import reverse

from services.clients.forms import NewClientForm
from services.clients.models import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", ["=1+2", "+4712345678", "-K1", "@SUM(A1)", "\t=1+2"])
def test_a_formula_like_code_is_refused(service, code):
    form = NewClientForm({"code": code, "age_group": "adult"}, service=service)
    assert not form.is_valid()
    assert "must not start with" in form.errors["code"][0]


def test_the_page_refuses_it_with_a_400_and_stores_nothing(client, helper):
    client.force_login(helper)
    response = client.post(reverse("clients:new"), {"code": "=1+2", "age_group": "adult"})
    assert response.status_code == 400
    assert not Client.objects.exists()


def test_an_ordinary_code_with_a_dash_inside_is_fine(service):
    assert NewClientForm({"code": "A-17", "age_group": "adult"}, service=service).is_valid()
