"""Every URI the FHIR exchange writes or expects: identifier systems, code systems, extensions.

Identifiers are scoped per service, because a client code is unique only within its service
(`Client.code`): "K12" of one service and "K12" of another are different people, so each service
has its own identifier systems and an import for one service can never match another's clients.
They all hang under one canonical base (`FHIR_BASE_URL`), which an installation sets once to an
address it owns and never changes: a system that changes makes every stored identifier a
stranger to the next import.

Codes we define ourselves (raters, age groups, end reasons, the totals) live in local code
systems under the same base, never in LOINC or SNOMED: an ORS-style sum has no LOINC code of its
own, and inventing one would mislead anyone who reads the record.
"""

import json
import uuid

from django.conf import settings

# A UUID for a Bundle entry's fullUrl is derived from what the entry describes, so exporting
# the same data twice gives the same document (a diff shows what changed).
ENTRY_NAMESPACE = uuid.UUID("0b7f3e2c-54a1-4a8e-9d61-2f7c5a3e9b14")

# A globally unique identifier (the rating's submission key, a UUID) needs no system of ours.
URI_SYSTEM = "urn:ietf:rfc:3986"

UCUM = "http://unitsofmeasure.org"
SCORE_UNIT = "{score}"  # a UCUM annotation: a number without a physical unit

# Standard FHIR URIs (core extensions and terminology), not ours.
TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
MAX_DECIMAL_PLACES = "http://hl7.org/fhir/StructureDefinition/maxDecimalPlaces"
ITEM_CONTROL = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
ITEM_CONTROL_CODES = "http://hl7.org/fhir/questionnaire-item-control"
USAGE_CONTEXT_TYPE = "http://terminology.hl7.org/CodeSystem/usage-context-type"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"

# Local code systems and extensions (names under the base).
RATER = "rater"
AGE_GROUP = "age-group"
END_REASON = "end-reason"
SCORE = "score"
SESSION_KIND = "session-kind"


def base() -> str:
    return settings.FHIR_BASE_URL.rstrip("/")


def code_system(name: str) -> str:
    return f"{base()}/CodeSystem/{name}"


def extension(name: str) -> str:
    return f"{base()}/StructureDefinition/{name}"


def questionnaire_url(key: str) -> str:
    return f"{base()}/Questionnaire/{key}"


def questionnaire_key(canonical: str) -> tuple[str, str] | None:
    """(instrument key, version or "") of one of our Questionnaires' canonical URLs, else None."""
    url, _bar, version = canonical.partition("|")
    prefix = questionnaire_url("")
    if not url.startswith(prefix) or not url[len(prefix) :]:
        return None
    return url[len(prefix) :], version


def services_prefix() -> str:
    """What every service's identifier systems start with."""
    return f"{base()}/services/"


def _service_system(service_code: str, kind: str) -> str:
    return f"{services_prefix()}{service_code}/{kind}"


def client_system(service_code: str) -> str:
    """Patient.identifier: the pseudonymous client code, unique within the service."""
    return _service_system(service_code, "clients")


def episode_system(service_code: str) -> str:
    """EpisodeOfCare.identifier: `<client code>/<episode code>` (episode codes are unique per
    client only); the client code comes first so the episode code is what follows it."""
    return _service_system(service_code, "episodes")


def session_system(service_code: str) -> str:
    """Encounter.identifier: `<client code>/<episode code>/<session number>`."""
    return _service_system(service_code, "sessions")


def episode_value(client_code: str, episode_code: str) -> str:
    return f"{client_code}/{episode_code}"


def session_value(client_code: str, episode_code: str, number: int) -> str:
    return f"{client_code}/{episode_code}/{number}"


def submission_value(key: uuid.UUID) -> str:
    return f"urn:uuid:{key}"


def entry_url(*parts: object) -> str:
    """A stable `urn:uuid:` fullUrl for the entry that `parts` describe."""
    name = json.dumps([str(part) for part in parts], ensure_ascii=False)
    return f"urn:uuid:{uuid.uuid5(ENTRY_NAMESPACE, name)}"
