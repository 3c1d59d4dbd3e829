"""Offers talked about with the client (issue #17): the helper ticks them on the episode's page,
the client page counts them, and they are the client's data: audited when read and written,
in the client's export, and erased with the client."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from services.accounts.models import Role
from services.audit.models import Action, AuditEvent
from services.audit.words import is_known
from services.clients.privacy import client_export, erase_client
from services.offers.models import Kind, OfferTalkedAbout
from tests.factories import EpisodeFactory, MembershipFactory, SessionFactory, UserFactory

from .conftest import offer

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 1, 5)


@pytest.fixture
def episode(helper, service):
    episode = EpisodeFactory(client__service=service, client__code="TILB1", start_date=START)
    episode.helpers.add(helper)
    SessionFactory(episode=episode, number=1, date=START)
    return episode


@pytest.fixture
def peer(offers, service):
    return offer(service, "Erfaringskonsulent", kind=Kind.PEER, order=5)


def page_url(episode) -> str:
    return reverse("offers:talked_about", args=[episode.client_id, episode.pk])


def save_url(episode) -> str:
    return reverse("offers:save_talked_about", args=[episode.client_id, episode.pk])


def in_bokmaal(msgid: str, **values) -> str:
    with translation.override("nb"):
        text = translation.gettext(msgid)
    return escape(text % values if values else text)


def ticked(episode) -> dict[str, datetime.date]:
    return {
        row.offer.title: row.talked_on
        for row in OfferTalkedAbout.objects.filter(episode=episode).select_related("offer")
    }


def test_the_page_lists_the_services_active_offers_peer_first(
    client, helper, episode, offers, peer
):
    client.force_login(helper)
    response = client.get(page_url(episode))
    assert response.status_code == 200
    page = response.content.decode()
    titles = ["Erfaringskonsulent", "Selvhjelpsgruppe", "Kurs i mestring", "Turgruppe"]
    places = [page.index(title) for title in titles]
    assert places == sorted(places)  # peer and self-help first, then by order
    assert "Nedlagt samtalegruppe" not in page  # taken off the clients' list
    assert "Bergens eget kurs" not in page  # another service's
    assert page.count('type="checkbox" name="offers"') == 4
    assert "checked" not in page
    assert AuditEvent.objects.filter(
        user=helper,
        action=Action.VIEW,
        client_id=episode.client_id,
        detail="offers talked about page",
    ).exists()
    assert is_known("offers talked about page")


def test_ticking_stores_each_offer_once_with_the_day_and_logs_it(
    client, helper, episode, offers, peer
):
    client.force_login(helper)
    chosen = [peer.pk, offers["course"].pk]
    response = client.post(save_url(episode), {"offers": chosen, "talked_on": "2026-01-12"})
    assert response.status_code == 302 and response["Location"] == page_url(episode)
    day = datetime.date(2026, 1, 12)
    assert ticked(episode) == {"Erfaringskonsulent": day, offers["course"].title: day}
    assert set(OfferTalkedAbout.objects.values_list("recorded_by", flat=True)) == {helper.pk}
    created = AuditEvent.objects.filter(
        action=Action.CREATE, object_type="offertalkedabout", client_id=episode.client_id
    )
    assert created.count() == 2
    page = client.get(page_url(episode)).content.decode()
    assert page.count("checked") == 2
    # Saved again with one more: the first two keep their day, and nothing is logged twice.
    response = client.post(
        save_url(episode), {"offers": [*chosen, offers["walk"].pk], "talked_on": "2026-01-19"}
    )
    assert ticked(episode)["Erfaringskonsulent"] == day
    assert ticked(episode)["Turgruppe"] == datetime.date(2026, 1, 19)
    assert created.count() == 3


def test_unticking_removes_the_row_and_logs_it(client, helper, episode, offers, peer):
    OfferTalkedAbout.objects.create(episode=episode, offer=peer, talked_on=START)
    kept = OfferTalkedAbout.objects.create(episode=episode, offer=offers["walk"], talked_on=START)
    client.force_login(helper)
    response = client.post(
        save_url(episode), {"offers": [offers["walk"].pk], "talked_on": "2026-01-12"}
    )
    assert response.status_code == 302
    assert list(OfferTalkedAbout.objects.filter(episode=episode)) == [kept]
    assert AuditEvent.objects.filter(
        action=Action.DELETE, object_type="offertalkedabout", client_id=episode.client_id
    ).exists()


def test_an_offer_taken_off_the_list_keeps_its_tick(client, helper, episode, offers):
    OfferTalkedAbout.objects.create(episode=episode, offer=offers["old"], talked_on=START)
    client.force_login(helper)
    page = client.get(page_url(episode)).content.decode()
    assert "Nedlagt samtalegruppe" in page  # shown, ticked, while it is ticked
    response = client.post(
        save_url(episode), {"offers": [offers["old"].pk], "talked_on": "2026-01-12"}
    )
    assert response.status_code == 302
    assert ticked(episode) == {"Nedlagt samtalegruppe": START}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"talked_on": "2099-01-01"}, "The date cannot be in the future."),
        ({"talked_on": "2025-12-31"}, "The date cannot be before the episode started."),
    ],
)
def test_a_bad_date_is_refused_with_the_reason(client, helper, episode, offers, data, message):
    client.force_login(helper)
    response = client.post(save_url(episode), {"offers": [offers["walk"].pk], **data})
    assert response.status_code == 400
    page = response.content.decode()
    assert in_bokmaal(message) in page
    assert f'value="{offers["walk"].pk}" id="talked_offer_{offers["walk"].pk}" checked' in page
    assert not OfferTalkedAbout.objects.exists()


def test_another_services_or_an_inactive_offer_cannot_be_ticked(client, helper, episode, offers):
    client.force_login(helper)
    for other in (offers["elsewhere"], offers["old"]):
        response = client.post(save_url(episode), {"offers": [other.pk], "talked_on": "2026-01-12"})
        assert response.status_code == 400
    assert not OfferTalkedAbout.objects.exists()


def test_a_closed_episode_is_looked_at_not_changed(client, helper, episode, offers):
    OfferTalkedAbout.objects.create(episode=episode, offer=offers["walk"], talked_on=START)
    episode.end_date, episode.end_reason = datetime.date(2026, 2, 1), "completed"
    episode.save()
    client.force_login(helper)
    page = client.get(page_url(episode)).content.decode()
    assert 'type="checkbox"' not in page and "Turgruppe" in page
    response = client.post(save_url(episode), {"offers": [], "talked_on": "2026-01-12"})
    assert response.status_code == 400
    assert OfferTalkedAbout.objects.count() == 1


def test_a_leader_allowed_to_see_clients_looks_but_cannot_tick(client, service, episode, offers):
    leader = UserFactory(username="innsyn")
    MembershipFactory(user=leader, service=service, role=Role.LEADER, can_view_clients=True)
    client.force_login(leader)
    page = client.get(page_url(episode)).content.decode()
    assert 'type="checkbox"' not in page
    assert client.post(save_url(episode), {"offers": [offers["walk"].pk]}).status_code == 404
    assert not OfferTalkedAbout.objects.exists()


def test_a_helper_of_another_client_gets_a_404(client, service, episode, offers):
    stranger = MembershipFactory(service=service, role=Role.HELPER).user
    client.force_login(stranger)
    assert client.get(page_url(episode)).status_code == 404
    response = client.post(
        save_url(episode), {"offers": [offers["walk"].pk], "talked_on": "2026-01-12"}
    )
    assert response.status_code == 404
    assert not OfferTalkedAbout.objects.exists()


def test_the_database_keeps_one_tick_per_offer_and_episode(episode, offers):
    OfferTalkedAbout.objects.create(episode=episode, offer=offers["walk"], talked_on=START)
    with pytest.raises(IntegrityError), transaction.atomic():
        OfferTalkedAbout.objects.create(episode=episode, offer=offers["walk"], talked_on=START)


def test_the_client_page_counts_the_offers_talked_about(client, helper, episode, offers, peer):
    client.force_login(helper)
    detail = reverse("clients:detail", args=[episode.client_id])
    page = client.get(detail).content.decode()
    assert in_bokmaal("No offers talked about with the client yet in this episode.") in page
    assert page_url(episode) in page
    OfferTalkedAbout.objects.create(episode=episode, offer=peer, talked_on=START)
    OfferTalkedAbout.objects.create(episode=episode, offer=offers["walk"], talked_on=START)
    page = client.get(detail).content.decode()
    line = page[page.index('id="tilbud"') :]
    line = line[: line.index("</p>")]
    expected = (
        "Offers talked about with the client: %(offers)s, of them peer or self-help: %(peer)s."
    )
    assert in_bokmaal(expected, offers=2, peer=1) in line


@pytest.mark.parametrize("count", [0, 3])
def test_the_pages_cost_the_same_however_many_offers(
    client, helper, episode, service, count, django_assert_max_num_queries
):
    for n in range(count * 5):
        made = offer(service, f"Tilbud {n}", kind=Kind.PEER if n % 2 else Kind.GROUP)
        if n % 5 == 0:
            OfferTalkedAbout.objects.create(episode=episode, offer=made, talked_on=START)
    client.force_login(helper)
    # The login session and user, the client and episode (access), the offers with their
    # ticks, the access-log row, whether the viewer is a helper here, the menu's roles, and
    # saving the session (three statements).
    with django_assert_max_num_queries(11):
        assert client.get(page_url(episode)).status_code == 200
    # The client page's budget (tests/clients/test_progress_pages.py) holds the count's query.
    with django_assert_max_num_queries(21):
        assert client.get(reverse("clients:detail", args=[episode.client_id])).status_code == 200


def test_the_export_lists_them_and_erasure_deletes_them(episode, offers, peer):
    OfferTalkedAbout.objects.create(episode=episode, offer=peer, talked_on=START)
    exported = client_export(episode.client)
    assert exported["offers_talked_about"] == [
        {
            "episode": episode.code,
            "offer": "Erfaringskonsulent",
            "kind": "peer",
            "talked_on": "2026-01-05",
        }
    ]
    erase_client(episode.client)
    assert not OfferTalkedAbout.objects.exists()
    assert peer.__class__.objects.filter(pk=peer.pk).exists()  # the directory stays


def test_the_form_date_defaults_to_today(client, helper, episode, offers):
    client.force_login(helper)
    page = client.get(page_url(episode)).content.decode()
    assert f'value="{timezone.localdate().isoformat()}"' in page
