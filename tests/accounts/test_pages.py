"""The pages that exist: login, home, admin for every model; settings safety."""

import os
import subprocess
import sys

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from tests.factories import EpisodeFactory, RatingFactory

pytestmark = pytest.mark.django_db


def test_home_needs_login_and_the_login_page_is_norwegian(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="nb">' in page
    assert "Logg inn" in page


def test_a_helper_sees_their_services_and_roles(client, helper):
    client.force_login(helper)
    page = client.get(reverse("home")).content.decode()
    assert "Lavterskel Oslo" in page
    assert "Team voksne" in page


def test_login_with_the_right_password_works(client, helper):
    response = client.post(
        reverse("login"), {"username": "hjelper", "password": "correct horse battery"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_every_model_has_a_useful_admin_page(client, operator):
    RatingFactory(session__episode=EpisodeFactory())
    client.force_login(operator)
    ours = [m for m in apps.get_models() if m.__module__.startswith("services.")]
    assert ours
    for model in ours:
        assert model in admin.site._registry, f"{model.__name__} is not in the admin"
        model_admin = admin.site._registry[model]
        assert len(model_admin.list_display) > 1 or model_admin.list_display != ("__str__",)
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert client.get(url).status_code == 200, url
        assert client.get(url, {"q": "x"}).status_code == 200, url


def run_settings_check(**env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        env=environment | env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_it_refuses_to_start_with_the_development_secret_when_debug_is_off():
    refused = run_settings_check(DEBUG="0")
    assert refused.returncode != 0
    assert "Set SECRET_KEY" in refused.stderr
    assert run_settings_check(DEBUG="0", SECRET_KEY="x" * 50).returncode == 0


def test_staff_language_is_saved_on_the_user_and_follows_them(client, helper):
    client.force_login(helper)
    client.post(reverse("set_language"), {"language": "nn", "next": "/"})
    helper.refresh_from_db()
    assert helper.language == "nn"
    client.cookies.clear()
    client.force_login(helper)
    page = client.get(reverse("home")).content.decode()
    assert '<html lang="nn">' in page
    assert "Tenestene dine" in page


def test_bokmal_is_the_default_whatever_the_browser_asks(client, helper):
    client.force_login(helper)
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="nb">' in page


def test_a_service_code_cannot_take_a_page_address():
    """/oversikt/mine-resultater/ is a helper's own results (issue #16), not a service."""
    from django.core.exceptions import ValidationError

    from services.accounts.models import Service

    with pytest.raises(ValidationError):
        Service(code="mine-resultater", name="X").full_clean()
    Service(code="mine", name="X").full_clean()
