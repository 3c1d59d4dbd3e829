"""A client's or a service's ratings as a FHIR Bundle (type "collection").

What a record system needs to file a rating, and nothing more: the client is a Patient known
only by the pseudonymous code (never the name or initials, birth year or consent, which stay
here), each episode an EpisodeOfCare, each session an Encounter, each rating a
QuestionnaireResponse answering its instrument's Questionnaire, and the total of a scored form
an Observation in our own code system. Staff are not named: a helper's username means nothing
to another system.

Each resource is built as a fhir.resources model, so a bundle that would not validate fails
here rather than in the reader. A bundle costs the same few queries whatever its size (sessions
with their episodes and clients, ratings, instruments): everything else is done in memory.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone, translation
from fhir.resources.R4B.encounter import Encounter
from fhir.resources.R4B.episodeofcare import EpisodeOfCare
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from services.accounts.models import Service
from services.clients.models import Client, EndReason, Episode
from services.measures.age_groups import AgeGroup
from services.measures.definitions import FALLBACK_LANGUAGE
from services.measures.models import Instrument
from services.ratings.models import Rater, Rating
from services.sessions.models import Session, SessionKind

from . import codes
from .questionnaires import canonical, questionnaire, total_link_id


@dataclass(frozen=True)
class Exported:
    """A bundle, and the (client id, service id) pairs in it for the access log."""

    bundle: dict
    clients: list[tuple[int, int]]


def _dump(model) -> dict:
    return model.model_dump(mode="json")


def _coding(name: str, code: str, display) -> dict:
    return {"system": codes.code_system(name), "code": code, "display": str(display)}


def _reference(url: str) -> dict:
    return {"reference": url}


class _Builder:
    """Collects the entries of one bundle, each resource once, in reading order."""

    def __init__(self, service_code: str, instruments: dict[int, Instrument]):
        self.service_code = service_code
        self.instruments = instruments
        self.entries: list[dict] = []
        self.used: set[int] = set()
        self.clients: dict[int, int] = {}
        self.seen: set[str] = set()

    def add(self, url: str, model) -> None:
        if url not in self.seen:
            self.seen.add(url)
            self.entries.append({"fullUrl": url, "resource": _dump(model)})

    def patient_url(self, client: Client) -> str:
        return codes.entry_url("Patient", self.service_code, client.code)

    def episode_url(self, episode: Episode, client: Client) -> str:
        return codes.entry_url("EpisodeOfCare", self.service_code, client.code, episode.code)

    def session_url(self, session: Session, episode: Episode, client: Client) -> str:
        return codes.entry_url(
            "Encounter", self.service_code, client.code, episode.code, session.number
        )

    def patient(self, client: Client) -> None:
        """Only the code: no name, no birth year, no consent."""
        url = self.patient_url(client)
        if url in self.seen:
            return
        self.clients[client.pk] = client.service_id
        identifier = {"system": codes.client_system(self.service_code), "value": client.code}
        self.add(url, Patient(identifier=[identifier]))

    def episode(self, episode: Episode, client: Client) -> None:
        url = self.episode_url(episode, client)
        if url in self.seen:
            return
        period = {"start": episode.start_date}
        extensions = []
        if episode.end_date is not None:
            period["end"] = episode.end_date
            reason = EndReason(episode.end_reason)
            extensions.append(
                {
                    "url": codes.extension(codes.END_REASON),
                    "valueCoding": _coding(codes.END_REASON, reason.value, reason.label),
                }
            )
        resource = EpisodeOfCare.model_validate(
            {
                "resourceType": "EpisodeOfCare",
                "extension": extensions or None,
                "identifier": [
                    {
                        "system": codes.episode_system(self.service_code),
                        "value": codes.episode_value(client.code, episode.code),
                    }
                ],
                "status": "active" if episode.end_date is None else "finished",
                "patient": _reference(self.patient_url(client)),
                "period": period,
            }
        )
        self.add(url, resource)

    def session(self, session: Session, episode: Episode, client: Client) -> None:
        kind = SessionKind(session.kind)
        resource = Encounter.model_validate(
            {
                "resourceType": "Encounter",
                "identifier": [
                    {
                        "system": codes.session_system(self.service_code),
                        "value": codes.session_value(client.code, episode.code, session.number),
                    }
                ],
                "status": "finished",
                "class": {"system": codes.ACT_CODE, "code": "AMB", "display": "ambulatory"},
                "type": [{"coding": [_coding(codes.SESSION_KIND, kind.value, kind.label)]}],
                "subject": _reference(self.patient_url(client)),
                "episodeOfCare": [_reference(self.episode_url(episode, client))],
                "period": {"start": session.date},
            }
        )
        self.add(self.session_url(session, episode, client), resource)

    def rating(self, rating: Rating, session: Session, episode: Episode, client: Client) -> None:
        instrument = self.instruments[rating.instrument_id]
        self.used.add(instrument.pk)
        patient = _reference(self.patient_url(client))
        encounter = _reference(self.session_url(session, episode, client))
        rated_at = timezone.localtime(rating.rated_at)
        response_url = codes.submission_value(rating.submission_key)
        self.add(response_url, _response(rating, instrument, patient, encounter, rated_at))
        if instrument.spec.scored:
            self.add(
                codes.entry_url("Observation", rating.submission_key),
                _total(rating, instrument, patient, encounter, rated_at, response_url),
            )

    def bundle(self) -> dict:
        """Questionnaires first (those answered here), then the clients' entries."""
        used = sorted((self.instruments[pk] for pk in self.used), key=lambda i: (i.key, i.version))
        forms = [
            {
                "fullUrl": codes.entry_url("Questionnaire", instrument.key, instrument.version),
                "resource": _dump(questionnaire(instrument)),
            }
            for instrument in used
        ]
        return {
            "resourceType": "Bundle",
            "type": "collection",
            "timestamp": timezone.localtime().isoformat(),
            "entry": forms + self.entries,
        }


def _response(rating: Rating, instrument, patient, encounter, rated_at) -> QuestionnaireResponse:
    """The answers as given: the items (none for a form known only by its total) and the
    total, with who answered and the age group the rating was given for."""
    spec = instrument.spec
    rater = Rater(rating.rater)
    items = [
        {
            "linkId": item.key,
            "text": spec.item_label(item, rater.value).get(FALLBACK_LANGUAGE, item.key),
            "answer": [{"valueDecimal": Decimal(rating.items[item.key])}],
        }
        for item in spec.items
        if rating.items is not None
    ]
    items.append(
        {"linkId": total_link_id(spec), "answer": [{"valueDecimal": Decimal(rating.total)}]}
    )
    if rater == Rater.CLIENT:
        source = patient
    elif rating.rater_name:
        source = {"type": "RelatedPerson", "display": rating.rater_name}
    else:
        source = None
    return QuestionnaireResponse.model_validate(
        {
            "resourceType": "QuestionnaireResponse",
            "extension": [
                {
                    "url": codes.extension(codes.RATER),
                    "valueCoding": _coding(codes.RATER, rater.value, rater.label),
                },
                {
                    "url": codes.extension(codes.AGE_GROUP),
                    "valueCoding": _coding(
                        codes.AGE_GROUP, rating.age_group, AgeGroup(rating.age_group).label
                    ),
                },
            ],
            "identifier": {
                "system": codes.URI_SYSTEM,
                "value": codes.submission_value(rating.submission_key),
            },
            "questionnaire": canonical(instrument),
            "status": "completed",
            "subject": patient,
            "encounter": encounter,
            "authored": rated_at,
            "source": source,
            "item": items,
        }
    )


def _total(rating: Rating, instrument, patient, encounter, rated_at, response_url) -> Observation:
    name = instrument.spec.name.get(FALLBACK_LANGUAGE, instrument.key)
    return Observation.model_validate(
        {
            "resourceType": "Observation",
            "status": "final",
            "category": [
                {
                    "coding": [
                        {
                            "system": codes.OBSERVATION_CATEGORY,
                            "code": "survey",
                            "display": "Survey",
                        }
                    ]
                }
            ],
            "code": {
                "coding": [_coding(codes.SCORE, f"{instrument.key}-total", name)],
                "text": name,
            },
            "subject": patient,
            "encounter": encounter,
            "effectiveDateTime": rated_at,
            "valueQuantity": {
                "value": Decimal(rating.total),
                "unit": "score",
                "system": codes.UCUM,
                "code": codes.SCORE_UNIT,
            },
            "derivedFrom": [_reference(response_url)],
        }
    )


def _ratings_by_session(ratings) -> dict[int, list[Rating]]:
    by_session: dict[int, list[Rating]] = defaultdict(list)
    for rating in ratings.order_by("session_id", "purpose", "rater", "rater_name", "pk"):
        by_session[rating.session_id].append(rating)
    return by_session


def _instruments() -> dict[int, Instrument]:
    return {instrument.pk: instrument for instrument in Instrument.objects.all()}


def export_client(client: Client) -> Exported:
    """Everything about one client: every episode (also one without sessions), session and
    rating. Five queries."""
    service_code = Service.objects.values_list("code", flat=True).get(pk=client.service_id)
    episodes = list(Episode.objects.filter(client=client).order_by("start_date", "code", "pk"))
    sessions: dict[int, list[Session]] = defaultdict(list)
    for session in Session.objects.filter(episode__client=client).order_by("episode", "number"):
        sessions[session.episode_id].append(session)
    ratings = _ratings_by_session(Rating.objects.filter(session__episode__client=client))
    builder = _Builder(service_code, _instruments())
    with translation.override(FALLBACK_LANGUAGE):
        builder.patient(client)
        for episode in episodes:
            builder.episode(episode, client)
            for session in sessions[episode.pk]:
                builder.session(session, episode, client)
                for rating in ratings[session.pk]:
                    builder.rating(rating, session, episode, client)
        return Exported(builder.bundle(), sorted(builder.clients.items()))


def export_service(
    service: Service, start: datetime.date | None = None, end: datetime.date | None = None
) -> Exported:
    """Every session of the service dated in the period (both ends included, either open),
    with its episode, client and ratings. Three queries."""
    scope = {"episode__client__service": service}
    if start is not None:
        scope["date__gte"] = start
    if end is not None:
        scope["date__lte"] = end
    sessions = (
        Session.objects.filter(**scope)
        .select_related("episode__client")
        .order_by("episode__client__code", "episode__start_date", "episode__code", "number")
    )
    ratings = _ratings_by_session(
        Rating.objects.filter(**{f"session__{name}": value for name, value in scope.items()})
    )
    builder = _Builder(service.code, _instruments())
    with translation.override(FALLBACK_LANGUAGE):
        for session in sessions:
            episode = session.episode
            client = episode.client
            builder.patient(client)
            builder.episode(episode, client)
            builder.session(session, episode, client)
            for rating in ratings[session.pk]:
                builder.rating(rating, session, episode, client)
        return Exported(builder.bundle(), sorted(builder.clients.items()))


def client_bundle(client: Client) -> dict:
    return export_client(client).bundle


def service_bundle(
    service: Service, start: datetime.date | None = None, end: datetime.date | None = None
) -> dict:
    return export_service(service, start, end).bundle
