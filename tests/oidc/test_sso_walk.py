"""The URL walk for single sign-on's two addresses (issue #19: every new URL is walked).

They exist only when SSO is configured (feedback/urls.py), so the pages' walk in
tests/test_permissions.py never meets them; here they are walked with every role, SSO on and a
provider that does not answer: no one gets past the login page, and no one is logged in by them.
"""

import pytest
from django.urls import get_resolver, reverse

from tests.servers import free_port
from tests.test_permissions import ROLES, RULES, outcome, url_names
from tests.test_permissions import world as world  # the fixture, for this module

from .conftest import switch_on

pytestmark = pytest.mark.django_db

SSO_URLS = {"oidc_authentication_init", "oidc_authentication_callback"}


def test_sso_adds_exactly_the_two_walked_addresses(settings):
    switch_on(settings, f"http://127.0.0.1:{free_port()}/o/.well-known/openid-configuration")
    assert url_names(get_resolver("tests.oidc.urls")) - set(RULES) == SSO_URLS


@pytest.mark.parametrize("name", sorted(SSO_URLS))
def test_every_role_is_sent_back_to_the_login_page(client, world, settings, name):
    switch_on(settings, f"http://127.0.0.1:{free_port()}/o/.well-known/openid-configuration")
    users, _objects = world
    seen = {}
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(users[role])
        seen[role] = outcome(client.get(reverse(name), {"code": "x", "state": "y"}))
        if role == "anonymous":
            assert "_auth_user_id" not in client.session
    assert seen == dict.fromkeys(ROLES, "login")
