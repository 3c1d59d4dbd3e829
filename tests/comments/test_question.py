"""Issue #17, part 2: "Is there anything we should do differently?" after the alliance form.

Asked on the thank-you page of the tablet or the link, optional, short, stored exactly once
for the answer it follows; bad input is told plainly with a 4xx, never a 500.
"""

import datetime

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from services.audit.models import AuditEvent
from services.comments.models import MAX_LENGTH, SessionComment
from services.comments.question import WINDOW
from services.ratings import kiosk
from services.ratings.models import Handover

from .conftest import THANKS, answered, comment, link_thanks, lock

pytestmark = pytest.mark.django_db


def in_bokmaal(msgid: str, **values) -> str:
    with translation.override("nb"):
        return gettext(msgid) % values if values else gettext(msgid)


def test_the_thank_you_page_asks_after_the_alliance_form(client, tablet):
    page = client.get(THANKS).content.decode()
    assert 'id="comment-text"' in page
    assert f'maxlength="{MAX_LENGTH}"' in page
    assert in_bokmaal("Do not write names.") in page
    assert tablet.token.hex in page  # the page's own hand-over, checked on the post
    assert tablet.session.episode.client.code not in page


def test_the_outcome_form_has_no_question(client, helper, episode):
    handover = answered(episode, helper, purpose="outcome")
    client.force_login(helper)
    lock(client, handover)
    page = client.get(THANKS)
    assert page.status_code == 200
    assert 'id="comment-text"' not in page.content.decode()
    assert comment(client, handover, "Mer tid").status_code == 400
    assert not SessionComment.objects.exists()


def test_a_comment_is_stored_once_and_thanked(client, tablet):
    first = comment(client, tablet, "  Litt mer tid til slutt, takk.  ")
    assert (first.status_code, first["Location"]) == (302, THANKS)
    # A double tap sends the same words again: the same "sent", still one comment.
    again = comment(client, tablet, "Litt mer tid til slutt, takk.")
    assert (again.status_code, again["Location"]) == (302, THANKS)
    stored = SessionComment.objects.get()
    assert (stored.rating_id, stored.text) == (tablet.rating_id, "Litt mer tid til slutt, takk.")
    page = client.get(THANKS).content.decode()
    assert 'id="comment-text"' not in page
    assert "notice-ok" in page
    # Other words after it are refused, plainly, and change nothing.
    other = comment(client, tablet, "Noe helt annet")
    assert other.status_code == 409
    assert "notice-error" in other.content.decode()
    assert SessionComment.objects.get().text == "Litt mer tid til slutt, takk."
    assert AuditEvent.objects.filter(action="create", object_type="sessioncomment").count() == 1


@pytest.mark.parametrize(
    "text, status",
    [("x" * (MAX_LENGTH + 1), 400), ("", 400), ("   ", 400), ("Nul\x00tegn", 400)],
)
def test_bad_words_are_refused_with_the_reason(client, tablet, text, status):
    response = comment(client, tablet, text)
    assert response.status_code == status
    page = response.content.decode()
    assert 'id="comment-error"' in page
    assert 'id="comment-text"' in page  # the question stays, with what was written
    assert not SessionComment.objects.exists()


def test_the_length_limit_is_said_in_numbers(client, tablet):
    with translation.override("en"):
        page = comment(client, tablet, "x" * 612).content.decode()
    assert "500" in page and "612" in page


def test_the_longest_allowed_comment_is_kept_whole(client, tablet):
    assert comment(client, tablet, "æ" * MAX_LENGTH).status_code == 302
    assert SessionComment.objects.get().text == "æ" * MAX_LENGTH


def test_a_page_of_another_hand_over_cannot_comment_on_this_answer(client, helper, episode, tablet):
    """A thank-you page left open from an earlier client names its own hand-over; the tablet now
    shows the next one, and the comment must not land on that answer."""
    response = client.post(THANKS, {"handover": "0" * 32, "text": "Fra forrige klient"})
    assert response.status_code == 409
    earlier = answered(episode, helper, purpose="outcome")
    response = comment(client, earlier, "Fra forrige klient")
    assert response.status_code == 409
    assert not SessionComment.objects.exists()


def test_without_a_hand_over_there_is_nothing_to_comment_on(client, helper, tablet):
    client.logout()
    response = comment(client, tablet, "Hei")
    assert response.status_code == 302  # to the login, as the page itself
    assert not SessionComment.objects.exists()


def test_the_tablet_cookie_alone_takes_the_comment(client, tablet):
    """The helper's session may run out while the client writes (issue #15's hand-over
    cookie): the comment is stored on the tablet's own authority, once."""
    client.logout()
    client.cookies[kiosk.COOKIE] = kiosk.cookie_value(tablet.token.hex, "nb", tablet.created_at)
    assert 'id="comment-text"' in client.get(THANKS).content.decode()
    assert comment(client, tablet, "Bra samtale").status_code == 302
    assert SessionComment.objects.get().text == "Bra samtale"


def test_the_link_asks_too_and_stores_once(client, helper, episode):
    handover = answered(episode, helper, method="link")
    url = link_thanks(handover)
    assert 'id="comment-text"' in client.get(url).content.decode()
    assert comment(client, handover, "Kortere skjema", url).status_code == 302
    assert comment(client, handover, "Kortere skjema", url).status_code == 302
    assert comment(client, handover, "Noe annet", url).status_code == 409
    assert SessionComment.objects.count() == 1


def test_a_late_comment_is_refused(client, helper, episode):
    handover = answered(episode, helper, method="link")
    Handover.objects.filter(pk=handover.pk).update(used_at=timezone.now() - WINDOW)
    url = link_thanks(handover)
    assert 'id="comment-text"' not in client.get(url).content.decode()
    assert comment(client, handover, "Sent", url).status_code == 410
    assert not SessionComment.objects.exists()


def test_an_expired_link_takes_no_comment(client, helper, episode):
    handover = answered(episode, helper, method="link")
    past = timezone.now() - datetime.timedelta(minutes=1)
    Handover.objects.filter(pk=handover.pk).update(expires_at=past)
    assert comment(client, handover, "Sent", link_thanks(handover)).status_code == 410
    assert not SessionComment.objects.exists()


def test_a_script_posting_again_and_again_is_slowed_down(client, tablet):
    statuses = {comment(client, tablet, "x" * 501).status_code for _ in range(35)}
    assert statuses == {400, 429}
