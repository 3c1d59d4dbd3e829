"""A few believable published entries for the demo service, so the public page and the
thank-you page show the loop closed. Kept only when the service has none, so a rerun adds
nothing twice. Dated back from today, so the demo never looks stale."""

import datetime

from django.utils import timezone

from services.suggestions.models import Theme

from .models import ChangeMade, Source

DEMO_CHANGES = (
    {
        "days_ago": 20,
        "theme": "Åpningstider",
        "source": Source.SUGGESTIONS,
        "said": "Det er vanskelig å få time etter arbeid eller skole.",
        "said_nn": "Det er vanskeleg å få time etter arbeid eller skule.",
        "said_en": "It is hard to get an appointment after work or school.",
        "did": "Vi har nå åpent til kl. 19 på tirsdager. Spør om kveldstime når du bestiller.",
        "did_nn": "Vi har no ope til kl. 19 på tysdagar. Spør om kveldstime når du bestiller.",
        "did_en": "We are now open until 7 pm on Tuesdays. Ask for an evening appointment "
        "when you book.",
    },
    {
        "days_ago": 75,
        "theme": None,
        "source": Source.COMMENTS,
        "said": "Det tar lang tid før noen svarer når dere ringer oss.",
        "said_nn": "Det tek lang tid før nokon svarar når de ringjer oss.",
        "did": "Vi har en egen telefonvakt kl. 9–11 hver dag, og ringer tilbake samme dag.",
        "did_nn": "Vi har ei eiga telefonvakt kl. 9–11 kvar dag, og ringjer tilbake same dag.",
    },
    {
        "days_ago": 160,
        "theme": None,
        "source": Source.OUTCOMES,
        "said": "Svarene på skjemaene viste at mange ikke merket bedring de første ukene.",
        "said_nn": "Svara på skjemaa viste at mange ikkje merka betring dei første vekene.",
        "did": "Etter tredje samtale ser vi nå på svarene sammen med deg, og endrer opplegget "
        "hvis det ikke hjelper.",
        "did_nn": "Etter den tredje samtalen ser vi no på svara saman med deg, og endrar "
        "opplegget viss det ikkje hjelper.",
    },
)


def seed(service) -> int:
    """The demo entries for `service`, published, if it has none yet; how many were added.

    An entry names its suggestion theme when the service's suggestion box has one of that name.
    """
    if ChangeMade.objects.filter(service=service).exists():
        return 0
    themes = {theme.name: theme for theme in Theme.objects.filter(service=service)}
    today = timezone.localdate()
    entries = []
    for fields in DEMO_CHANGES:
        fields = dict(fields)
        day = today - datetime.timedelta(days=fields.pop("days_ago"))
        theme = themes.get(fields.pop("theme"))
        entries.append(
            ChangeMade(
                service=service,
                theme=theme,
                changed_on=day,
                published=True,
                published_on=day,
                **fields,
            )
        )
    ChangeMade.objects.bulk_create(entries)
    return len(entries)
