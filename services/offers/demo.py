"""A few realistic offers for the demo service, so the thank-you page and the public list have
something to show. Kept only when the service lists none, so a rerun adds nothing twice."""

from .models import Kind, Offer

DEMO_OFFERS = (
    {
        "kind": Kind.COURSE,
        "title": "Kurs i mestring av depresjon (KiD)",
        "title_nn": "Kurs i meistring av depresjon (KiD)",
        "title_en": "Coping with depression course",
        "description": "Åtte kvelder i gruppe der du lærer å kjenne igjen tanker og vaner som "
        "holder nedstemthet ved like, og prøver ut nye.",
        "audience": "Voksne som har vært nedstemt en stund",
        "audience_en": "Adults who have felt low for a while",
        "when_where": "Tirsdager kl. 18–20.30, Helsehuset, 2. etasje",
        "contact": "Ring tjenesten på 22 00 00 00",
        "no_referral": True,
        "order": 1,
    },
    {
        "kind": Kind.PEER,
        "title": "Snakk med en erfaringskonsulent",
        "title_nn": "Snakk med ein erfaringskonsulent",
        "title_en": "Talk to a peer worker",
        "description": "Erfaringskonsulenten har selv hatt psykiske helseplager og vet hvordan "
        "det er å stå i det. Du kan møte henne alene eller sammen med hjelperen din.",
        "audience": "Alle som får hjelp hos oss",
        "audience_en": "Everyone who gets help from us",
        "when_where": "Etter avtale",
        "contact": "Spør hjelperen din",
        "no_referral": True,
        "order": 2,
    },
    {
        "kind": Kind.SELF_HELP,
        "title": "Selvhjelpsgruppe",
        "title_nn": "Sjølvhjelpsgruppe",
        "description": "En liten gruppe som møtes jevnlig og deler erfaringer, uten "
        "behandler til stede. Selvhjelp Norge hjelper deg i gang.",
        "audience": "Voksne som vil dele erfaringer med andre i samme situasjon",
        "contact": "Selvhjelp Norge, 22 00 00 01",
        "link": "https://www.selvhjelp.no/",
        "no_referral": True,
        "order": 3,
    },
    {
        "kind": Kind.USER_ORGANISATION,
        "title": "Mental Helse – Hjelpetelefonen",
        "title_en": "Mental Helse helpline",
        "description": "Noen å snakke med når det er tungt, hele døgnet. Du kan være anonym.",
        "when_where": "Telefon 116 123, hele døgnet",
        "when_where_en": "Phone 116 123, day and night",
        "link": "https://mentalhelse.no/",
        "no_referral": True,
        "order": 4,
    },
    {
        "kind": Kind.HEALTHY_LIFE,
        "title": "Frisklivssentralen",
        "description": "Hjelp til å komme i gang med fysisk aktivitet, bedre søvn og kosthold, "
        "alene eller i gruppe.",
        "audience": "Voksne som vil endre levevaner",
        "when_where": "Mandag–fredag, Helsehuset, 1. etasje",
        "contact": "Frisklivssentralen, 22 00 00 02",
        "no_referral": True,
        "order": 5,
    },
    {
        "kind": Kind.ACTIVITY,
        "title": "Turgruppe",
        "title_en": "Walking group",
        "description": "Rolig tur på en time i nærområdet. Vi går i alt slags vær.",
        "when_where": "Onsdager kl. 11, oppmøte ved Helsehuset",
        "when_where_en": "Wednesdays at 11, meet at the health centre",
        "no_referral": True,
        "order": 6,
    },
    {
        "kind": Kind.NAV,
        "title": "Kontaktperson i NAV",
        "description": "Hvis arbeid, skole eller penger er en del av det som er vanskelig, "
        "kan vi sammen med deg ta kontakt med NAV.",
        "contact": "Spør hjelperen din",
        "order": 7,
    },
)


def seed(service) -> int:
    """The demo offers for `service` if it lists none yet; how many were added."""
    if Offer.objects.filter(service=service).exists():
        return 0
    Offer.objects.bulk_create(Offer(service=service, **fields) for fields in DEMO_OFFERS)
    return len(DEMO_OFFERS)
