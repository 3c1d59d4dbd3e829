"""The client rates on the tablet, offline too, and on their own phone through a link."""

import re
from decimal import Decimal

import pytest
from django.contrib.sessions.models import Session as StaffSession
from django.urls import reverse

from services.accounts.pin import set_pin
from services.ratings.models import Rating

from .conftest import logged_in_context
from .test_accessibility import serious_violations

pytestmark = pytest.mark.browser

PIN = "2580"


def drag(page, line, start: float, end: float, steps: int = 8) -> None:
    """A finger put down on the line at `start`, moved to `end` (fractions of its length) and
    held still a moment before it is lifted, as people do; lifted in motion, Chrome would start
    a fling and take the next tap as "stop the fling" instead of a click."""
    line.scroll_into_view_if_needed()
    box = line.locator(".track").bounding_box()
    y = box["y"] + box["height"] / 2
    x0, x1 = box["x"] + box["width"] * start, box["x"] + box["width"] * end
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x0, "y": y}]})
    for step in range(1, steps + 1):
        x = x0 + (x1 - x0) * step / steps
        cdp.send(
            "Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]}
        )
        page.wait_for_timeout(16)
    page.wait_for_timeout(150)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x1, "y": y}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def mark_every_line(page, ends=(0.35, 0.5, 0.65, 0.8)) -> list[Decimal]:
    lines = page.locator("[role=slider]")
    assert lines.count() == 4
    submit = page.locator("[data-submit]")
    for index, end in enumerate(ends):
        assert submit.is_disabled()
        drag(page, lines.nth(index), 0.1, end)
    values = [Decimal(lines.nth(i).get_attribute("aria-valuenow")) for i in range(4)]
    for value, end in zip(values, ends, strict=True):
        assert abs(value - Decimal(str(end * 10))) <= Decimal("0.2")
    assert submit.is_enabled()
    return values


def hand_over(page, live_server, episode, **fields) -> None:
    page.goto(live_server.url + reverse("clients:detail", args=[episode.client_id]))
    for name, value in fields.items():
        page.fill(f"input[name={name}]", value)
    page.click("button[name=method][value=tablet]")
    page.wait_for_url(re.compile(r"/nettbrett/$"))


def test_the_client_rates_on_the_tablet_and_the_lock_holds(tablet, live_server, episode, helper):
    set_pin(helper, PIN)
    page = tablet.new_page()
    hand_over(page, live_server, episode, greeting="Hei!")
    assert "Hei!" in page.content()
    assert episode.client.code not in page.content()
    assert "Nordmann" not in page.content()
    page.go_back()
    assert page.url.endswith("/nettbrett/")
    assert episode.client.code not in page.content()
    track = page.locator("[role=slider] .track").first.bounding_box()
    assert abs(track["width"] - 10 / 2.54 * 96) < 1  # 10 cm in CSS units

    values = mark_every_line(page)
    page.locator("[data-submit]").tap()
    page.wait_for_url(re.compile(r"/nettbrett/takk/$"))
    rating = Rating.objects.get()
    assert rating.method == "tablet"
    assert [Decimal(rating.items[key]) for key in rating.instrument.spec.item_keys] == values

    for _ in range(page.evaluate("history.length")):  # back through every page this tab saw
        page.go_back()
        assert page.url == "about:blank" or "/nettbrett/" in page.url
        assert episode.client.code not in page.content()
    page.goto(live_server.url + reverse("clients:caseload"))
    assert page.url.endswith("/nettbrett/takk/")
    page.reload()
    assert episode.client.code not in page.content()

    page.locator("a.button-primary").tap()
    page.wait_for_url(re.compile(r"/nettbrett/las-opp/$"))
    page.fill("input[name=pin]", "0000")
    page.locator("button.button-primary").tap()
    page.locator("[role=alert]").wait_for()
    page.fill("input[name=pin]", PIN)
    page.locator("button.button-primary").tap()
    page.wait_for_url(re.compile(rf"/klienter/{episode.client_id}/"))
    assert episode.client.code in page.content()
    total = f"{rating.total:.1f}".replace(".", ",")
    assert total in page.locator("#ratings-heading ~ div table").inner_text()


def test_the_lines_work_with_the_keyboard(tablet, live_server, episode):
    page = tablet.new_page()
    hand_over(page, live_server, episode)
    line = page.locator("[role=slider]").first
    assert line.get_attribute("aria-valuenow") is None
    line.focus()
    expected = {"End": "10.0", "ArrowLeft": "9.9", "Home": "0.0", "PageUp": "1.0"}
    for key, value in expected.items():
        page.keyboard.press(key)
        assert line.get_attribute("aria-valuenow") == value
    assert "1,0" in line.get_attribute("aria-valuetext")
    assert page.locator("[data-submit]").is_disabled()


def go_offline(context, page) -> None:
    context.set_offline(True)
    page.wait_for_function("!navigator.onLine")


def wait_for_saved_on_device(page) -> None:
    saved = page.locator("[data-rating-form]").get_attribute("data-saved-text")
    page.wait_for_function(
        "t => document.querySelector('[data-status]').textContent === t", arg=saved
    )


def test_an_answer_given_offline_is_sent_once_when_the_network_is_back(
    tablet, live_server, episode
):
    page = tablet.new_page()
    hand_over(page, live_server, episode)
    mark_every_line(page)
    go_offline(tablet, page)
    page.locator("[data-submit]").tap()
    wait_for_saved_on_device(page)
    assert page.evaluate("Object.keys(JSON.parse(localStorage['feedback.outbox.v1'])).length") == 1
    assert not Rating.objects.exists()

    tablet.set_offline(False)
    page.wait_for_url(re.compile(r"/nettbrett/takk/$"))
    assert Rating.objects.count() == 1
    assert page.evaluate("Object.keys(JSON.parse(localStorage['feedback.outbox.v1'])).length") == 0


def test_an_answer_given_offline_is_sent_when_the_form_is_opened_again(
    tablet, live_server, episode
):
    page = tablet.new_page()
    hand_over(page, live_server, episode)
    mark_every_line(page)
    go_offline(tablet, page)
    page.locator("[data-submit]").tap()
    wait_for_saved_on_device(page)
    page.close()
    tablet.set_offline(False)
    assert not Rating.objects.exists()

    page = tablet.new_page()
    page.goto(live_server.url + reverse("ratings:kiosk"))
    page.wait_for_url(re.compile(r"/nettbrett/takk/$"))
    assert Rating.objects.count() == 1


def test_a_remote_link_works_once(tablet, phone, live_server, episode):
    staff_page = tablet.new_page()
    staff_page.goto(live_server.url + reverse("clients:detail", args=[episode.client_id]))
    staff_page.fill("input[name=greeting]", "Hei, Kari!")
    staff_page.click("button[name=method][value=link]")
    staff_page.wait_for_url(re.compile(r"/lenke/\d+/$"))
    assert staff_page.locator(".qr svg").is_visible()
    url = staff_page.locator("#link-url").input_value()
    assert url.startswith(live_server.url + "/s/")

    first, second = phone.new_page(), phone.new_page()
    for page in (first, second):
        page.goto(url)
        assert "Hei, Kari!" in page.content()
        assert episode.client.code not in page.content()
    first.bring_to_front()
    mark_every_line(first)
    first.locator("[data-submit]").tap()
    first.wait_for_url(re.compile(r"/takk/$"))

    second.bring_to_front()
    mark_every_line(second, ends=(0.9, 0.9, 0.9, 0.9))
    second.locator("[data-submit]").tap()
    second.locator("[data-status].notice-error").wait_for(state="visible")
    assert "/takk/" not in second.url

    again = second.goto(url)
    assert again.status == 410
    assert second.locator("[role=slider]").count() == 0
    assert Rating.objects.count() == 1
    assert Rating.objects.get().method == "link"


def test_the_client_page_shows_an_answer_waiting_on_the_device_until_it_arrives(
    tablet, live_server, episode, helper
):
    set_pin(helper, PIN)
    page = tablet.new_page()
    hand_over(page, live_server, episode)
    mark_every_line(page)
    tablet.route("**/nettbrett/svar/", lambda route: route.abort())  # the server is unreachable
    page.locator("[data-submit]").tap()
    wait_for_saved_on_device(page)

    page.goto(live_server.url + reverse("ratings:unlock"))
    page.fill("input[name=pin]", PIN)
    page.locator("button.button-primary").tap()
    page.wait_for_url(re.compile(rf"/klienter/{episode.client_id}/"))
    status = page.locator("[data-outbox-status]")
    status.wait_for(state="visible")
    assert status.inner_text().endswith(" 1")
    assert not Rating.objects.exists()

    tablet.unroute("**/nettbrett/svar/")
    page.evaluate("window.dispatchEvent(new Event('online'))")
    status.locator("a").wait_for()
    assert Rating.objects.count() == 1
    status.locator("a").click()
    assert f"{Rating.objects.get().total:.1f}".replace(".", ",") in page.content()


def test_the_client_is_thanked_after_the_helpers_session_ran_out(
    tablet, live_server, episode, helper
):
    """Issue #15: the helper's idle session ran out while the client held the tablet, and Send
    said the answer waited for the network, with no thank-you, until the helper logged in."""
    page = tablet.new_page()
    hand_over(page, live_server, episode)
    mark_every_line(page)
    StaffSession.objects.all().delete()  # SESSION_IDLE_MINUTES without a request
    page.locator("[data-submit]").tap()
    page.wait_for_url(re.compile(r"/nettbrett/takk/$"), timeout=5000)
    assert Rating.objects.count() == 1

    page.locator("a.button-primary").tap()
    page.wait_for_url(re.compile(r"/nettbrett/las-opp/$"))
    assert "Gi nettbrettet tilbake til hjelperen" in page.locator("h1").inner_text()
    assert "nett " not in page.locator("main").inner_text()
    assert serious_violations(page) == []
    page.locator("a.button-primary").tap()
    page.fill("input[name=username]", helper.username)
    page.fill("input[name=password]", "correct horse battery")
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(re.compile(rf"/klienter/{episode.client_id}/"))
    total = f"{Rating.objects.get().total:.1f}".replace(".", ",")
    assert total in page.locator("#ratings-heading ~ div table").inner_text()


LANDSCAPE = {"viewport": {"width": 1024, "height": 768}, "has_touch": True, "is_mobile": True}
# A device with a Norwegian voice, whose speech is written down instead of spoken.
SPEECH = """
window.spoken = [];
window.SpeechSynthesisUtterance = function (text) { this.text = text; };
Object.defineProperty(window, "speechSynthesis", {value: {
  getVoices: () => [{lang: "en-US", name: "English"}, {lang: "nb-NO", name: "Norsk"}],
  speak: (u) => window.spoken.push({text: u.text, lang: u.lang, voice: u.voice && u.voice.name}),
  cancel: () => {},
  addEventListener: () => {},
}});
"""


def test_an_adult_form_reads_aloud_and_the_way_back_is_on_the_first_screen(
    browser, live_server, episode, helper
):
    """Issue #15: small grey end words, no help for clients who read with difficulty, and
    "Give the tablet back" below the curve, out of sight at 1024 x 768."""
    context = logged_in_context(browser, live_server, helper, **LANDSCAPE)
    context.add_init_script(SPEECH)
    page = context.new_page()
    page.goto(live_server.url + reverse("clients:detail", args=[episode.client_id]))
    page.check("input[name=show_curve]")
    page.click("button[name=method][value=tablet]")
    page.wait_for_url(re.compile(r"/nettbrett/$"))

    size, colour = page.locator(".ends").first.evaluate(
        "e => [parseFloat(getComputedStyle(e).fontSize), getComputedStyle(e).color]"
    )
    assert size >= 20
    assert colour == "rgb(20, 32, 43)"  # the text's own colour, not the muted grey
    page.locator("[data-read-aloud]").click()
    spoken = page.evaluate("window.spoken")
    texts = [part["text"] for part in spoken]
    assert texts[0] == page.locator("h1.question").inner_text()
    assert "Meg selv" in texts
    assert any("Svært dårlig" in text and "Svært bra" in text for text in texts)
    assert {(part["lang"], part["voice"]) for part in spoken} == {("nb-NO", "Norsk")}

    silent = context.new_page()
    silent.add_init_script("window.SpeechSynthesisUtterance = undefined;")
    silent.goto(live_server.url + reverse("ratings:kiosk"))
    assert silent.locator("[data-read-aloud]").is_hidden()
    silent.close()

    mark_every_line(page)
    page.locator("[data-submit]").tap()
    page.wait_for_url(re.compile(r"/nettbrett/takk/$"))
    assert page.locator(".curve svg").is_visible()
    back = page.locator("a.button-primary").bounding_box()
    assert back["y"] + back["height"] <= LANDSCAPE["viewport"]["height"]
    assert serious_violations(page) == []
    context.close()
