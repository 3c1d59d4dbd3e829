"""Correcting a stored answer (issue #15, item 8): edit, move or delete, always with a reason.

The rating row itself changes, so charts, signals, exports and the dashboard facts (checked
against a rebuild from nothing after every correction) never see a deleted answer; the history
keeps what it was, the audit log that it happened and why, without the scores.
"""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.test import Client as Browser
from django.urls import reverse

from services.accounts.models import Role
from services.audit.models import AuditEvent
from services.clients.privacy import erase_client
from services.dashboards import facts
from services.dashboards.models import EpisodeSummary
from services.measures.templatetags.measures import instrument_name
from services.ratings.corrections import (
    CorrectionError,
    delete_rating,
    edit_rating,
    history,
    move_rating,
)
from services.ratings.interchange import export_rows
from services.ratings.models import Rating
from services.sessions.models import RatingCorrection
from tests.dashboards.test_facts import assert_facts_are_true
from tests.factories import (
    EpisodeFactory,
    MembershipFactory,
    RatingFactory,
    SessionFactory,
    TeamFactory,
    UserFactory,
    instrument,
)

D = datetime.date
pytestmark = pytest.mark.django_db
KEYS = ("individually", "interpersonally", "socially", "overall")


def rated_episode(helper, service, code, scores=(14, 18, 22)):
    """An open episode with one client ORS and SRS per session, the helper responsible."""
    episode = EpisodeFactory(client__service=service, client__code=code, start_date=D(2026, 1, 5))
    episode.helpers.add(helper)
    for number, ors in enumerate(scores, 1):
        session = SessionFactory(
            episode=episode, number=number, date=D(2026, 1, 5) + datetime.timedelta(7 * number)
        )
        RatingFactory(session=session, score=ors)
        RatingFactory(session=session, key="srs", score=36)
    return episode


@pytest.fixture
def episode(helper, service):
    return rated_episode(helper, service, "K1")


def latest(episode):
    """The latest ORS on the caseload, as the helper's next look at it rebuilds it."""
    facts.refresh_outdated()
    return EpisodeSummary.objects.get(episode=episode).latest


def form_name() -> str:
    """The outcome form as the answers table names it."""
    return instrument_name(instrument("ors"))


def ors(episode, number) -> Rating:
    return Rating.objects.get(
        session__episode=episode, session__number=number, purpose="outcome", rater="client"
    )


def items(*values) -> dict[str, str]:
    return dict(zip(KEYS, values, strict=True))


def test_an_edit_keeps_what_the_answer_was_and_the_figures_follow(episode, helper):
    assert_facts_are_true()
    rating = ors(episode, 3)
    edit_rating(
        rating,
        items=items("7,5", "7", "6.5", "5"),
        total=None,
        rater="client",
        rater_name="",
        reason="  Typed from the paper   form wrongly ",
        user=helper,
    )
    rating.refresh_from_db()
    assert rating.total == Decimal("26.0")
    assert rating.items == items("7.5", "7.0", "6.5", "5.0")
    correction = RatingCorrection.objects.get()
    assert (correction.kind, correction.reason, correction.actor) == (
        "edited",
        "Typed from the paper form wrongly",
        "hjelper",
    )
    assert correction.before["total"] == "22.0"
    assert correction.after["total"] == "26.0"
    assert correction.rating_id == rating.pk
    event = AuditEvent.objects.get(action="change", object_type="rating")
    assert event.detail == (
        "corrected: edited items, total; reason: Typed from the paper form wrongly"
    )
    assert event.client_id == episode.client_id
    assert latest(episode) == 26
    assert_facts_are_true()


@pytest.mark.parametrize(
    ("values", "reason", "field", "message"),
    [
        (("5.5", "5.5", "5.5", "5.5"), "no change", None, "Nothing was changed"),
        (("11", "5.5", "5.5", "5.5"), "too high", "individually", "between 0 and 10"),
        (("5.5", "", "5.5", "5.5"), "skipped", "interpersonally", "not been answered"),
        (("6", "5.5", "5.5", "5.5"), "   ", "reason", "Write why"),
        (("6", "5.5", "5.5", "5.5"), "x" * 201, "reason", "200 characters"),
    ],
)
def test_a_wrong_edit_is_refused_and_changes_nothing(
    helper, service, values, reason, field, message
):
    episode = rated_episode(helper, service, "K2", scores=(22,))
    rating = ors(episode, 1)
    with pytest.raises(CorrectionError, match=message) as refused:
        edit_rating(
            rating,
            items=items(*values),
            total=None,
            rater="client",
            rater_name="",
            reason=reason,
            user=helper,
        )
    assert refused.value.field == field
    rating.refresh_from_db()
    assert rating.total == 22
    assert not RatingCorrection.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_total_only_answer_is_edited_by_its_total(episode, helper):
    rating = RatingFactory(
        session=SessionFactory(episode=episode, number=4, date=D(2026, 2, 9)),
        items=None,
        score=20,
        method="paper",
    )
    edit_rating(
        rating,
        items=None,
        total="24,5",
        rater="client",
        rater_name="",
        reason="misread",
        user=helper,
    )
    rating.refresh_from_db()
    assert (rating.items, rating.total) == (None, Decimal("24.5"))
    assert_facts_are_true()


def test_an_answer_said_to_be_the_parents_may_not_take_a_taken_place(episode, helper):
    rating = ors(episode, 1)
    RatingFactory(session=rating.session, rater="parent", rater_name="Mor", score=30)
    with pytest.raises(CorrectionError, match="already has an answer to this form"):
        edit_rating(
            rating,
            items=rating.items,
            total=None,
            rater="parent",
            rater_name=" Mor ",
            reason="it was the mother",
            user=helper,
        )
    edit_rating(
        rating,
        items=rating.items,
        total=None,
        rater="parent",
        rater_name="Far",
        reason="it was the father",
        user=helper,
    )
    rating.refresh_from_db()
    assert (rating.rater, rating.rater_name) == ("parent", "Far")
    assert "answered by Parent" in history(episode.pk)[0].what
    assert_facts_are_true()


def test_an_answer_moves_to_the_right_session(episode, helper):
    spare = SessionFactory(episode=episode, number=4, date=D(2026, 2, 9))
    rating = ors(episode, 3)
    move_rating(rating, to_session=spare, reason="belongs to the next session", user=helper)
    rating.refresh_from_db()
    assert rating.session == spare
    assert not ors_exists(episode, 3)
    assert history(episode.pk)[0].what == f"{form_name()} 22.0 moved from session 3 to session 4"
    event = AuditEvent.objects.get(object_type="rating")
    assert event.detail == (
        "corrected: moved from session 3 to session 4; reason: belongs to the next session"
    )
    assert_facts_are_true()


def ors_exists(episode, number) -> bool:
    return Rating.objects.filter(
        session__episode=episode, session__number=number, purpose="outcome"
    ).exists()


def test_a_moved_answer_never_makes_a_second_outcome_rating_in_a_session(episode, helper):
    rating = ors(episode, 3)
    with pytest.raises(CorrectionError, match="Session 2 already has an answer to this form"):
        move_rating(rating, to_session=ors(episode, 2).session, reason="wrong", user=helper)
    rating.refresh_from_db()
    assert rating.session.number == 3
    assert not RatingCorrection.objects.exists()
    assert not AuditEvent.objects.exists()


def test_an_answer_given_on_the_wrong_clients_page_moves_to_the_right_client(
    episode, helper, service
):
    other = EpisodeFactory(client__service=service, client__code="K9", start_date=D(2026, 1, 5))
    other.helpers.add(helper)
    target = SessionFactory(episode=other, number=1, date=D(2026, 1, 26))
    rating = ors(episode, 3)
    assert_facts_are_true()
    move_rating(rating, to_session=target, reason="handed over on the wrong page", user=helper)
    rating.refresh_from_db()
    assert rating.session == target
    assert latest(other) == 22
    assert latest(episode) == 18
    assert history(episode.pk)[0].what == f"{form_name()} 22.0 in session 3 moved to another client"
    assert (
        history(other.pk)[0].what
        == f"{form_name()} 22.0 moved here (session 1) from another client"
    )
    details = sorted(
        AuditEvent.objects.filter(object_type="rating").values_list("client_id", "detail")
    )
    assert details == sorted(
        [
            (
                episode.client_id,
                "corrected: moved to another client; reason: handed over on the wrong page",
            ),
            (
                other.client_id,
                "corrected: moved here from another client; reason: handed over on the wrong page",
            ),
        ]
    )
    assert_facts_are_true()
    # Erasing either client erases the history that holds their scores.
    erase_client(other.client)
    assert not RatingCorrection.objects.exists()
    assert_facts_are_true()


def test_an_answer_does_not_move_to_a_client_its_form_is_not_for(episode, helper, service):
    child = EpisodeFactory(client__service=service, client__age_group="child")
    target = SessionFactory(episode=child, number=1, date=D(2026, 1, 26))
    with pytest.raises(CorrectionError, match="not meant for the client's age group"):
        move_rating(ors(episode, 1), to_session=target, reason="wrong client", user=helper)
    elsewhere = SessionFactory(number=1)  # another service's
    with pytest.raises(CorrectionError, match="Choose another session"):
        move_rating(ors(episode, 1), to_session=elsewhere, reason="wrong client", user=helper)


def test_a_deleted_answer_is_gone_from_every_figure_and_kept_in_the_history(
    episode, helper, service
):
    assert_facts_are_true()
    rating = ors(episode, 3)
    rating_id, key = rating.pk, str(rating.submission_key)
    delete_rating(rating, reason="answered twice", user=helper)
    assert not Rating.objects.filter(pk=rating_id).exists()
    assert len(list(export_rows(service))) == 1 + 5
    correction = RatingCorrection.objects.get()
    assert (correction.kind, correction.rating_id, correction.after) == ("deleted", rating_id, None)
    assert correction.before["submission_key"] == key
    assert correction.before["items"] == rating.items
    event = AuditEvent.objects.get(object_type="rating")
    assert (event.action, event.object_id) == ("delete", str(rating_id))
    assert event.detail == "corrected: deleted; reason: answered twice"
    assert "22" not in event.detail
    assert latest(episode) == 18
    assert history(episode.pk)[0].what == f"{form_name()} 22.0 in session 3 deleted"
    assert_facts_are_true()
    with pytest.raises(CorrectionError, match="deleted meanwhile"):
        delete_rating(rating, reason="again", user=helper)
    erase_client(episode.client)
    assert not RatingCorrection.objects.exists()


def test_the_history_is_append_only(episode, helper):
    delete_rating(ors(episode, 1), reason="test", user=helper)
    correction = RatingCorrection.objects.get()
    correction.reason = "changed afterwards"
    with pytest.raises(ValueError, match="not changed"):
        correction.save()


# -- the pages ---------------------------------------------------------------------------------


def correct_url(rating, name="ratings:correct"):
    return reverse(name, args=[rating.session.episode.client_id, rating.pk])


def test_a_helper_deletes_a_wrong_answer_on_the_correction_page(client, episode, helper):
    rating = ors(episode, 2)
    client.force_login(helper)
    page = client.get(reverse("clients:detail", args=[episode.client_id])).content.decode()
    assert correct_url(rating) in page
    page = client.get(correct_url(rating)).content.decode()
    assert "Rett opp et svar" in page
    assert AuditEvent.objects.filter(action="view", detail="correct answer").exists()
    url = correct_url(rating, "ratings:delete_rating")
    response = client.post(url, {"delete-reason": ""})
    assert response.status_code == 400
    assert Rating.objects.filter(pk=rating.pk).exists()
    response = client.post(url, {"delete-reason": "Svarte for en annen klient"})
    assert response.status_code == 302
    assert not Rating.objects.filter(pk=rating.pk).exists()
    page = client.get(response["Location"]).content.decode()
    assert "Svaret er slettet." in page
    assert "Rettede svar" in page
    assert "Svarte for en annen klient" in page
    assert_facts_are_true()


def test_a_helper_edits_and_moves_on_the_correction_page(client, episode, helper, service):
    rating = ors(episode, 3)
    client.force_login(helper)
    data = {f"edit-item{i}": value for i, value in enumerate(("8", "12", "6", "5"), 1)}
    data |= {"edit-rater": "client", "edit-reason": "feil tall"}
    response = client.post(correct_url(rating, "ratings:edit_rating"), data)
    assert response.status_code == 400
    assert "mellom 0 og 10" in response.content.decode()
    data["edit-item2"] = "2"
    response = client.post(correct_url(rating, "ratings:edit_rating"), data)
    assert response.status_code == 302
    assert ors(episode, 3).total == 21
    other = rated_episode(helper, service, "K7", scores=())
    target = SessionFactory(episode=other, number=1, date=D(2026, 1, 26))
    page = client.get(correct_url(rating), {"til": "K7"}).content.decode()
    assert f'value="{target.pk}"' in page
    assert AuditEvent.objects.filter(client_id=other.client_id, action="view").exists()
    move = correct_url(rating, "ratings:move_rating")
    response = client.post(
        move, {"move-to": "K7", "move-session": target.pk, "move-reason": "feil klient"}
    )
    assert response.status_code == 302
    rating.refresh_from_db()
    assert rating.session == target
    assert_facts_are_true()


def test_moving_needs_a_client_the_helper_may_see(client, episode, helper, service):
    stranger = EpisodeFactory(client__service=service, client__code="K8")
    target = SessionFactory(episode=stranger, number=1, date=D(2026, 1, 26))
    rating = ors(episode, 3)
    client.force_login(helper)
    page = client.get(correct_url(rating), {"til": "K8"}).content.decode()
    assert f'value="{target.pk}"' not in page
    assert not AuditEvent.objects.filter(client_id=stranger.client_id).exists()
    response = client.post(
        correct_url(rating, "ratings:move_rating"),
        {"move-to": "K8", "move-session": target.pk, "move-reason": "feil klient"},
    )
    assert response.status_code == 400
    rating.refresh_from_db()
    assert rating.session.number == 3
    response = client.post(
        correct_url(rating, "ratings:move_rating"),
        {"move-session": ors(episode, 2).session_id, "move-reason": "feil samtale"},
    )
    assert response.status_code == 400
    assert "Samtale 2 har allerede et svar på dette skjemaet" in response.content.decode()


def test_only_helpers_who_see_the_client_may_correct(client, episode, helper, service):
    rating = ors(episode, 1)
    colleague = UserFactory(username="kollega")
    MembershipFactory(user=colleague, service=service, role=Role.HELPER, team=TeamFactory())
    leader = UserFactory(username="innsyn")
    MembershipFactory(user=leader, service=service, role=Role.LEADER, can_view_clients=True)
    urls = [correct_url(rating)] + [
        correct_url(rating, name)
        for name in ("ratings:edit_rating", "ratings:move_rating", "ratings:delete_rating")
    ]
    for user in (colleague, leader):
        client.force_login(user)
        assert client.get(urls[0]).status_code == 404
        for url in urls[1:]:
            assert client.post(url, {"delete-reason": "x"}).status_code == 404
    # The leader may see the client's page, and is offered no corrections there.
    page = client.get(reverse("clients:detail", args=[episode.client_id])).content.decode()
    assert urls[0] not in page
    assert Rating.objects.filter(pk=rating.pk).exists()
    # Another client's answer, by a guessed id, through this client's address: 404 too.
    client.force_login(helper)
    stranger = RatingFactory(
        session=SessionFactory(episode=EpisodeFactory(client__service=service))
    )
    url = reverse("ratings:delete_rating", args=[episode.client_id, stranger.pk])
    assert client.post(url, {"delete-reason": "x"}).status_code == 404


def test_corrections_are_post_only_and_need_the_csrf_token(episode, helper):
    rating = ors(episode, 1)
    browser = Browser(enforce_csrf_checks=True)
    browser.force_login(helper)
    url = correct_url(rating, "ratings:delete_rating")
    assert browser.get(url, {"delete-reason": "x"}).status_code == 405
    assert browser.post(url, {"delete-reason": "x"}).status_code == 403
    assert Rating.objects.filter(pk=rating.pk).exists()
    assert not RatingCorrection.objects.exists()


def test_a_stale_page_cannot_delete_twice(client, episode, helper):
    rating = ors(episode, 1)
    client.force_login(helper)
    url = correct_url(rating, "ratings:delete_rating")
    assert client.post(url, {"delete-reason": "to gange"}).status_code == 302
    assert client.post(url, {"delete-reason": "to gange"}).status_code == 404
    assert RatingCorrection.objects.count() == 1
    assert uuid.UUID(RatingCorrection.objects.get().before["submission_key"])
