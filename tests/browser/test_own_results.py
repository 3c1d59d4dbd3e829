"""A helper's own results in a real browser (issue #16): reached from the menu, the viewer's
own only, and a 404 for a colleague or a leader who names another helper."""

import pytest
from django.urls import reverse

from services.accounts.models import Role
from tests.factories import MembershipFactory, UserFactory

from .conftest import logged_in_context

pytestmark = pytest.mark.browser
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


def test_only_the_helper_sees_their_own_results(browser, live_server, service, helper):
    colleague = UserFactory(username="kollega", first_name="Kollega")
    MembershipFactory(user=colleague, service=service, role=Role.HELPER)
    leader = UserFactory(username="leder")
    MembershipFactory(user=leader, service=service, role=Role.LEADER)
    own = live_server.url + reverse("dashboards:own_results")

    context = logged_in_context(browser, live_server, helper, **DESKTOP)
    page = context.new_page()
    page.goto(live_server.url + reverse("clients:caseload"))
    page.click(f"nav a[href='{reverse('dashboards:own_results')}']")
    page.wait_for_url(own)
    assert page.locator("h1").count() == 1
    assert page.locator("section.own-section").count() == 4
    assert "Kollega" not in page.content()
    context.close()

    for user in (colleague, leader):
        context = logged_in_context(browser, live_server, user, **DESKTOP)
        page = context.new_page()
        assert page.goto(f"{own}?helper={helper.pk}").status == 404
        context.close()
    context = logged_in_context(browser, live_server, leader, **DESKTOP)
    assert context.new_page().goto(own).status == 404
    context.close()
