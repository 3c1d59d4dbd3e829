"""Playwright on Debian's chromium against pytest-django's live server.

Locally the browser tests skip, saying why, when chromium is missing; in CI (CI=true) a missing
chromium is a failure, so the tests can never be skipped there without anyone noticing.
"""

import os
from pathlib import Path

import pytest
from django.test import Client

from services.measures.loading import load_builtin_instruments
from services.measures.models import Instrument

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TABLET = {"viewport": {"width": 800, "height": 1280}, "has_touch": True, "is_mobile": True}
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}


@pytest.fixture(scope="module")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        message = f"Debian's chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}; browser tests must run in CI.")
        pytest.skip(f"{message}; skipping the browser tests.")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread, so Django would refuse the ORM
    # calls the tests make between browser calls (never inside the loop). Only while the
    # browser runs, so no other test's subprocess inherits it.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture(autouse=True)
def builtin_instruments(transactional_db):
    """The shipped forms come from a data migration, which a live-server test's flush removes."""
    if not Instrument.objects.exists():
        load_builtin_instruments()


def logged_in_context(browser, live_server, user, **options):
    """A browser context with the user's staff session, without typing the password each time."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(**options)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context


@pytest.fixture
def tablet(browser, live_server, helper):
    context = logged_in_context(browser, live_server, helper, **TABLET)
    yield context
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE)
    yield context
    context.close()


@pytest.fixture
def episode(helper, service, team):
    """An open episode of an adult client that the helper is responsible for."""
    from tests.factories import EpisodeFactory

    episode = EpisodeFactory(
        client__service=service, client__display_name="Kari Nordmann", team=team
    )
    episode.helpers.add(helper)
    return episode
