"""A handful of notes for the demo service's suggestion box (issue #18): themes, a day centre
with its own page, notes over the last months, two answered on the public page and one spam.
Kept only when the service has no notes, so a rerun adds nothing twice."""

import datetime
import random

from django.utils import timezone

from .models import Note, Place, Theme

THEMES = (
    ("Åpningstider", "Opningstider", "Opening hours"),
    ("Aktiviteter", "Aktivitetar", "Activities"),
    ("Mat og kaffe", "Mat og kaffi", "Food and coffee"),
    ("Møte med de ansatte", "Møte med dei tilsette", "Meeting the staff"),
)
PLACE = {"slug": "dagsenteret", "name": "Dagsenteret", "name_en": "The day centre"}

# (text, theme index or None, at the day centre, reply, shown publicly, spam)
NOTES = (
    (
        "Det hadde vært fint å ha åpent én kveld i uka, jeg jobber på dagtid.",
        0,
        False,
        "Fra mars har vi åpent til kl. 19 hver torsdag.",
        True,
        False,
    ),
    ("Turgruppa på mandager er det beste med hele uka!", 1, True, "", False, False),
    (
        "Kaffen er kald når jeg kommer kl. 14.",
        2,
        True,
        "Takk! Nå setter vi på ny kaffe hver dag kl. 13.30.",
        True,
        False,
    ),
    ("Savner noe å gjøre i helgene.", 1, True, "", False, False),
    ("Det er vanskelig å få tak i noen på telefon om morgenen.", 0, False, "", False, False),
    ("Hyggelige folk i resepsjonen, man føler seg velkommen.", 3, False, "", False, False),
    ("Kunne dere hatt et kurs i matlaging på et budsjett?", 1, True, "", False, False),
    (
        "Ønsker meg flere samtaler ute, på tur, i stedet for på kontoret.",
        3,
        False,
        "",
        False,
        False,
    ),
    ("Mer frukt, takk.", None, True, "", False, False),
    ("Kjøp billige klokker her: www.eksempel.invalid", None, False, "", False, True),
)


def seed(service, seed: int) -> int:
    """Themes, a place and notes for `service`; the number of notes made (0 if it had some)."""
    if Note.objects.filter(service=service).exists():
        return 0
    rng = random.Random(seed)
    themes = [
        Theme.objects.get_or_create(
            service=service, name=name, defaults={"name_nn": nn, "name_en": en, "order": order}
        )[0]
        for order, (name, nn, en) in enumerate(THEMES, start=1)
    ]
    place, _ = Place.objects.get_or_create(
        service=service,
        slug=PLACE["slug"],
        defaults={k: v for k, v in PLACE.items() if k != "slug"},
    )
    today = timezone.localdate()
    notes = []
    for text, theme, at_place, reply, public, spam in NOTES:
        received = today - datetime.timedelta(days=rng.randint(3, 240))
        notes.append(
            Note(
                service=service,
                place=place if at_place else None,
                text=text,
                received_on=received,
                theme=themes[theme] if theme is not None else None,
                reply=reply,
                replied_on=min(today, received + datetime.timedelta(days=7)) if reply else None,
                reply_public=public,
                is_spam=spam,
            )
        )
    return len(Note.objects.bulk_create(notes))
