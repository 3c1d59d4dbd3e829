from django.urls import reverse

from services.peer.models import SharedCase

QUESTION = "Ingen bedring etter fire samtaler. Hva kan jeg prøve?"


def share(client, kor, *, consent=True, group=None, question=QUESTION):
    """Share the kor client's episode as its responsible helper, through the page."""
    client.force_login(kor.helper_a)
    data = {"group": (group or kor.group).pk, "question": question}
    if consent:
        data["consent"] = "on"
    return client.post(reverse("peer:share", args=[kor.client.pk, kor.episode.pk]), data)


def shared(client, kor) -> SharedCase:
    response = share(client, kor)
    assert response.status_code == 302, response.content.decode()[:2000]
    client.cookies.pop("messages", None)  # "Shared as …" is for the sharer's next page only
    return SharedCase.objects.get(episode=kor.episode, withdrawn_at__isnull=True)
