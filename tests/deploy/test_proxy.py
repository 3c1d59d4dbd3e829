"""Behind a load balancer the client's own address counts, and only a trusted proxy can name it."""

import pytest
from django.test import override_settings
from django.urls import reverse

from feedback.proxy import client_address, networks
from services.audit.models import AuditEvent

BALANCERS = networks(["10.0.0.0/29", "::1"])


@pytest.mark.parametrize(
    ("remote_addr", "forwarded_for", "client"),
    [
        ("10.0.0.2", "203.0.113.9", "203.0.113.9"),
        ("10.0.0.2", "198.51.100.1, 203.0.113.9", "203.0.113.9"),  # left part: the client's own
        ("10.0.0.2", "203.0.113.9, 10.0.0.3", "203.0.113.9"),  # through two balancers
        ("::1", "2001:db8::7", "2001:db8::7"),
        ("198.51.100.1", "203.0.113.9", "198.51.100.1"),  # not from a balancer: ignored
        ("10.0.0.2", "not-an-address", "10.0.0.2"),
        ("10.0.0.2", "10.0.0.3", "10.0.0.2"),  # only balancers: the nearest stays
    ],
)
def test_the_client_is_the_first_untrusted_address_from_the_right(
    remote_addr, forwarded_for, client
):
    assert client_address(remote_addr, forwarded_for, BALANCERS) == client


@pytest.mark.django_db
@override_settings(TRUSTED_PROXIES=["10.0.0.0/29"])
def test_logins_behind_the_balancer_are_audited_with_the_clients_address(client, helper):
    helper.set_password("correct horse battery")
    helper.save()
    client.post(
        reverse("login"),
        {"username": "hjelper", "password": "correct horse battery"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )
    assert AuditEvent.objects.get(action="login").ip_address == "203.0.113.9"


@pytest.mark.django_db
@override_settings(REMOTE_LINK_RATE_LIMIT=3, TRUSTED_PROXIES=["10.0.0.0/29"])
def test_one_client_over_the_limit_does_not_block_the_others_behind_the_balancer(client):
    def status(address):
        return client.get(
            "/svar/x/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=address
        ).status_code

    assert [status("203.0.113.9") for _ in range(4)][-1] == 429
    assert status("198.51.100.1") != 429


@pytest.mark.django_db
def test_without_trusted_proxies_a_forwarded_address_is_ignored(client, helper):
    helper.set_password("correct horse battery")
    helper.save()
    client.post(
        reverse("login"),
        {"username": "hjelper", "password": "correct horse battery"},
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )
    assert AuditEvent.objects.get(action="login").ip_address == "127.0.0.1"
