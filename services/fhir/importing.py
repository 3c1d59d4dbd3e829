"""Importing a FHIR Bundle of QuestionnaireResponses into one service.

The bundle is read into the interchange CSV's rows and stored by the interchange importer
(services.ratings.interchange), so a rating from a record system passes exactly the checks a
rating from a file passes (scores, age groups, dates, agreement with what is stored) and is
stored the same way: all or nothing in one transaction, with clients, episodes and sessions
created as needed and nothing widened (no helper is linked). What FHIR carries beyond a CSV row
is kept: who answered by name (a parent, a teacher), when, and the rating's identifier.

Idempotent by the response's identifier (its submission key): a response already stored is
counted as unchanged, never stored twice, and an identifier used by any other rating, in this
service or another, is refused. A response without an identifier is keyed by what it is about
(client, episode, session, form, rater), as the CSV's rows are.

Scoped to one service: a Patient must carry this service's client-code identifier system, so a
bundle exported from another service is refused entry by entry and can never touch that
service's clients. Every error names the entry (`Bundle.entry[3]` and its fullUrl) and why.
"""

import datetime
import json
import re
import uuid
from dataclasses import dataclass, fields
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle
from pydantic import ValidationError

from feedback.bulk_insert import insert_objects
from services.accounts.models import Service
from services.audit.models import Action
from services.measures.models import Instrument
from services.measures.scoring import ScoreError, parse_score
from services.ratings.interchange import (
    _EPISODE_FACTS,
    _SAME_RATING,
    _SESSION_FACTS,
    IMPORT_NAMESPACE,
    ImportRejected,
    ImportSummary,
    Row,
    _among,
    _Importer,
    _parse_row,
    _rated_at,
    _RowError,
    _Stored,
    _submission_key,
    columns,
)
from services.ratings.models import Rater, Rating

from . import codes
from .audit import record_clients
from .questionnaires import QUESTION, total_link_id

MAX_SCHEMA_ERRORS = 20  # a bundle that is not FHIR at all is listed this far
NAME_LENGTH = 80  # Rating.rater_name
SESSION_DIGITS = 9  # a session number fits the database's integer
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_IMPORTABLE = ("completed", "amended")


class BundleRejected(ValueError):
    """Nothing was imported; `errors` lists (where, reason), where naming the entry."""

    def __init__(self, errors: list[tuple[str, str]]):
        self.errors = errors
        super().__init__("\n".join(f"{where}: {reason}" for where, reason in errors))


@dataclass(frozen=True)
class FhirRow(Row):
    """An interchange row with what a QuestionnaireResponse says beyond it."""

    rater_name: str = ""
    rated_at: datetime.datetime | None = None
    submission_key: uuid.UUID | None = None


class _EntryError(ValueError):
    pass


def _refuse_constant(name: str):
    raise ValueError(_("%(value)s is not a number JSON allows") % {"value": name})


def _entry_label(index: int, full_url: object) -> str:
    if isinstance(full_url, str) and full_url:
        return f"Bundle.entry[{index}] ({full_url[:200]})"
    return f"Bundle.entry[{index}]"


def _schema_errors(data: dict, error: ValidationError) -> list[tuple[str, str]]:
    """pydantic's errors, each under the entry it is in (never echoing the input)."""
    entries = data.get("entry") if isinstance(data.get("entry"), list) else []
    found = []
    for detail in error.errors(include_url=False, include_input=False)[:MAX_SCHEMA_ERRORS]:
        location = list(detail["loc"])
        where = "Bundle"
        if location[:1] == ["entry"] and len(location) > 1 and isinstance(location[1], int):
            index = location[1]
            entry = entries[index] if index < len(entries) else None
            full_url = entry.get("fullUrl") if isinstance(entry, dict) else None
            where, location = _entry_label(index, full_url), location[2:]
            if location[:1] == ["resource"]:
                location = location[1:]
        path = ".".join(str(part) for part in location)
        found.append((where, f"{path}: {detail['msg']}" if path else detail["msg"]))
    return found


def _unknown_resource_types(data: dict) -> list[tuple[str, str]]:
    """fhir.resources raises a bare KeyError on a resource type it does not know; say which."""
    entries = data.get("entry")
    found = []
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        kind = resource.get("resourceType") if isinstance(resource, dict) else None
        if kind is None:
            continue
        try:
            get_fhir_model_class(str(kind))
        except (ValueError, KeyError, AttributeError):
            found.append(
                (
                    _entry_label(index, entry.get("fullUrl")),
                    _("%(type)s is not a FHIR R4B resource type") % {"type": str(kind)[:80]},
                )
            )
    return found


def parse_bundle(data: dict | bytes | str) -> Bundle:
    """The data as a validated R4B Bundle, or BundleRejected saying what is wrong with it.

    Numbers are read as decimals, so a score of 7.3 is 7.3 and not a float near it.
    """
    if isinstance(data, bytes | bytearray | str):
        try:
            data = json.loads(data, parse_float=Decimal, parse_constant=_refuse_constant)
        except json.JSONDecodeError as error:
            raise BundleRejected(
                [
                    (
                        "Bundle",
                        _("not JSON: %(reason)s (line %(line)d, column %(column)d)")
                        % {"reason": error.msg, "line": error.lineno, "column": error.colno},
                    )
                ]
            ) from None
        except (ValueError, RecursionError) as error:
            reason = str(error) if not isinstance(error, UnicodeDecodeError) else ""
            raise BundleRejected(
                [("Bundle", _("not JSON: %(reason)s") % {"reason": reason or _("not UTF-8")})]
            ) from None
    if not isinstance(data, dict) or data.get("resourceType") != "Bundle":
        raise BundleRejected([("Bundle", _('not a FHIR Bundle (resourceType must be "Bundle")'))])
    unknown = _unknown_resource_types(data)
    if unknown:
        raise BundleRejected(unknown)
    try:
        return Bundle.model_validate(data)
    except ValidationError as error:
        raise BundleRejected(_schema_errors(data, error)) from None
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        raise BundleRejected([("Bundle", _("not a valid FHIR R4B Bundle"))]) from None


def _day(value, what: str) -> datetime.date:
    """A FHIR date or dateTime as the local calendar day."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            return timezone.localtime(value).date()
        return value.date()
    if isinstance(value, datetime.date):
        return value
    raise _EntryError(_("%(field)s is missing or not a full date") % {"field": what})


def _moment(value) -> datetime.datetime | None:
    """`authored` as an aware moment; a bare date is noon that day (as a CSV row's)."""
    if isinstance(value, datetime.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    if isinstance(value, datetime.date):
        return _rated_at(value)
    return None


def _number_text(value) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


class _Reader:
    """Turns the bundle's QuestionnaireResponses into interchange rows, one error per entry."""

    def __init__(self, service: Service, bundle: Bundle):
        self.service = service
        self.entries = bundle.entry or []
        self.index: dict[str, int] = {}
        for number, entry in enumerate(self.entries):
            if entry.fullUrl:
                self.index.setdefault(entry.fullUrl, number)
            resource = entry.resource
            if resource is not None and getattr(resource, "id", None):
                self.index.setdefault(f"{resource.get_resource_type()}/{resource.id}", number)
        self.instruments = {i.key: i for i in Instrument.objects.current()}
        self.definitions = {key: i.spec for key, i in self.instruments.items()}

    def where(self, number: int) -> str:
        return _entry_label(number, self.entries[number].fullUrl)

    def rows(self) -> list[FhirRow]:
        rows, errors = [], []
        for number, entry in enumerate(self.entries):
            resource = entry.resource
            if resource is None or resource.get_resource_type() != "QuestionnaireResponse":
                continue
            try:
                rows.append(self.row(number, resource))
            except _EntryError as error:
                errors.append((number, str(error)))
        if not rows and not errors:
            raise BundleRejected([("Bundle", _("the bundle has no QuestionnaireResponse"))])
        errors += _disagreements(rows, self.definitions)
        if errors:
            raise BundleRejected(
                [(self.where(number), reason) for number, reason in sorted(errors)]
            )
        return rows

    def resolve(self, reference, kind: str, field: str):
        target = getattr(reference, "reference", None)
        if not target:
            raise _EntryError(_("%(field)s is missing") % {"field": field})
        number = self.index.get(target)
        if number is None:
            raise _EntryError(
                _("%(field)s refers to %(reference)s, which is not in the bundle")
                % {"field": field, "reference": target[:200]}
            )
        resource = self.entries[number].resource
        if resource is None or resource.get_resource_type() != kind:
            raise _EntryError(
                _("%(field)s must refer to a %(type)s") % {"field": field, "type": kind}
            )
        return resource

    def identifier(self, resource, system: str) -> str:
        """The resource's one identifier in this service's `system`."""
        identifiers = resource.identifier or []
        values = {i.value for i in identifiers if i.system == system and i.value}
        facts = {"type": resource.get_resource_type(), "system": system}
        if len(values) == 1:
            return values.pop()
        if len(values) > 1:
            raise _EntryError(_("the %(type)s has more than one identifier in %(system)s") % facts)
        if any((i.system or "").startswith(codes.services_prefix()) for i in identifiers):
            raise _EntryError(
                _("the %(type)s belongs to another service (its identifier is not in %(system)s)")
                % facts
            )
        raise _EntryError(_("the %(type)s has no identifier in %(system)s") % facts)

    def coded(self, resource, name: str) -> str | None:
        """The code of one of our coded extensions on `resource`, or None if it has none."""
        url = codes.extension(name)
        found = [e for e in resource.extension or [] if e.url == url]
        if not found:
            return None
        coding = found[0].valueCoding
        if len(found) > 1 or coding is None or not coding.code:
            raise _EntryError(
                _("the extension %(url)s must be given once, as a Coding") % {"url": url}
            )
        if coding.system and coding.system != codes.code_system(name):
            raise _EntryError(
                _("the extension %(url)s must use the code system %(system)s")
                % {"url": url, "system": codes.code_system(name)}
            )
        return coding.code

    def row(self, number: int, response) -> FhirRow:
        """The response as an interchange row, checked by the CSV's own row reader."""
        if response.status not in _IMPORTABLE:
            raise _EntryError(
                _("only completed responses can be imported, not %(status)s")
                % {"status": response.status}
            )
        instrument = self.instrument(response.questionnaire)
        age_group = self.coded(response, codes.AGE_GROUP)
        if not age_group:
            raise _EntryError(
                _("the extension %(url)s (the rating's age group) is missing")
                % {"url": codes.extension(codes.AGE_GROUP)}
            )
        rater, rater_name = self.rater(response)
        items, total = self.answers(response, instrument.spec)
        raw = {
            "service": self.service.code,
            **self.place(response),
            "age_group": age_group,
            "helper": "",
            "instrument": instrument.key,
            "rater": rater,
            **{f"item{n}": text for n, text in enumerate(items, start=1)},
            "total": total,
        }
        try:
            row = _parse_row(number, raw, self.definitions, columns(len(instrument.spec.items)))
        except _RowError as error:
            raise _EntryError(str(error)) from None
        return FhirRow(
            **{field.name: getattr(row, field.name) for field in fields(Row)},
            rater_name=rater_name,
            rated_at=_moment(response.authored),
            submission_key=self.submission_key(response, row, rater_name),
        )

    def place(self, response) -> dict[str, str]:
        """The client, episode and session a response is about, as the CSV's columns: its
        Patient, its Encounter and that one's EpisodeOfCare, all about the same patient."""
        patient = self.resolve(response.subject, "Patient", "subject")
        client = self.identifier(patient, codes.client_system(self.service.code))
        encounter = self.resolve(response.encounter, "Encounter", "encounter")
        if (
            encounter.subject is not None
            and self.resolve(encounter.subject, "Patient", "Encounter.subject") is not patient
        ):
            raise _EntryError(_("the encounter is about another patient"))
        if len(encounter.episodeOfCare or []) != 1:
            raise _EntryError(_("the encounter must refer to exactly one EpisodeOfCare"))
        episode = self.resolve(
            encounter.episodeOfCare[0], "EpisodeOfCare", "Encounter.episodeOfCare"
        )
        if self.resolve(episode.patient, "Patient", "EpisodeOfCare.patient") is not patient:
            raise _EntryError(_("the episode of care is about another patient"))
        episode_code = self.episode_code(episode, client)
        period = episode.period
        ended = period is not None and period.end is not None
        return {
            "client": client,
            "episode": episode_code,
            "episode_start": _day(
                period and period.start, "EpisodeOfCare.period.start"
            ).isoformat(),
            "episode_end": _day(period.end, "EpisodeOfCare.period.end").isoformat()
            if ended
            else "",
            "end_reason": self.coded(episode, codes.END_REASON) or "",
            "session": str(self.session_number(encounter, client, episode_code)),
            "session_date": _day(
                encounter.period and encounter.period.start, "Encounter.period.start"
            ).isoformat(),
        }

    def instrument(self, reference: str | None) -> Instrument:
        parsed = codes.questionnaire_key(reference or "")
        instrument = self.instruments.get(parsed[0]) if parsed else None
        if instrument is None:
            raise _EntryError(
                _("questionnaire %(reference)s is not one of the forms in use here (%(forms)s)")
                % {
                    "reference": (reference or "")[:200],
                    "forms": ", ".join(
                        codes.questionnaire_url(key) for key in sorted(self.instruments)
                    ),
                }
            )
        return instrument

    def episode_code(self, episode, client: str) -> str:
        value = self.identifier(episode, codes.episode_system(self.service.code))
        prefix = codes.episode_value(client, "")
        if not value.startswith(prefix) or value == prefix:
            raise _EntryError(
                _("the episode's identifier must be %(format)s") % {"format": f"{prefix}…"}
            )
        return value[len(prefix) :]

    def session_number(self, encounter, client: str, episode: str) -> int:
        value = self.identifier(encounter, codes.session_system(self.service.code))
        prefix = codes.session_value(client, episode, "")
        number = value[len(prefix) :]
        digits = number.isascii() and number.isdigit() and len(number) <= SESSION_DIGITS
        if not value.startswith(prefix) or not digits:
            raise _EntryError(
                _("the encounter's identifier must be %(format)s")
                % {"format": f"{prefix}<{_('session number')}>"}
            )
        return int(number)

    def rater(self, response) -> tuple[str, str]:
        """Who answered: our rater extension, else the client when the source is the patient
        (or not given); a parent's or teacher's name is the source's display."""
        rater = self.coded(response, codes.RATER)
        source = response.source
        if rater is None:
            if source is not None and source.reference != response.subject.reference:
                raise _EntryError(
                    _("the extension %(url)s (who answered) is missing")
                    % {"url": codes.extension(codes.RATER)}
                )
            rater = Rater.CLIENT
        name = "" if rater == Rater.CLIENT or source is None else (source.display or "").strip()
        if len(name) > NAME_LENGTH or _CONTROL.search(name):
            raise _EntryError(
                _("source.display must be at most %(limit)d characters of plain text")
                % {"limit": NAME_LENGTH}
            )
        return rater, name

    def answers(self, response, spec) -> tuple[list[str], str]:
        """The item scores in the form's order (none for a total only) and the total, as
        text; each checked by the one reader of a score, naming its linkId."""
        total_id = total_link_id(spec)
        given: dict[str, object] = {}
        for item in response.item or []:
            link_id = item.linkId
            if link_id in given:
                raise _EntryError(_("item %(item)s is given twice") % {"item": link_id})
            if link_id not in spec.item_keys and link_id not in (total_id, QUESTION):
                raise _EntryError(_("unknown item %(item)s") % {"item": link_id[:80]})
            answers = item.answer or []
            if len(answers) > 1:
                raise _EntryError(_("item %(item)s has more than one answer") % {"item": link_id})
            value = None
            if answers:
                value = answers[0].valueDecimal
                if value is None:
                    value = answers[0].valueInteger
                if value is None:
                    raise _EntryError(
                        _("item %(item)s: the answer must be a decimal or an integer")
                        % {"item": link_id}
                    )
            given[link_id] = value
        items = [given.get(key) for key in spec.item_keys]
        answered = [value for value in items if value is not None]
        try:
            for key, value in zip(spec.item_keys, items, strict=True):
                if answered:
                    parse_score(value, maximum=spec.scale_max, decimals=spec.decimals, field=key)
            total = given.get(total_id)
            if total is None and len(answered) == len(items) and answered:
                total = sum((Decimal(value) for value in answered), Decimal(0))
            parse_score(total, maximum=spec.max_total, decimals=spec.decimals, field=total_id)
        except ScoreError as error:
            raise _EntryError(f"{error.field}: {error.message}") from None
        texts = [_number_text(value) for value in items] if answered else []
        return texts, _number_text(total)

    def submission_key(self, response, row: Row, rater_name: str) -> uuid.UUID:
        """The response's UUID identifier; any other identifier keyed to a UUID of its own;
        none, the row's key as the CSV import makes it."""
        identifier = response.identifier
        value = identifier.value if identifier is not None else None
        if value:
            if identifier.system == codes.URI_SYSTEM and value.startswith("urn:uuid:"):
                try:
                    return uuid.UUID(value.removeprefix("urn:uuid:"))
                except ValueError:
                    raise _EntryError(
                        _("identifier %(value)s is not a UUID") % {"value": value[:80]}
                    ) from None
            name = json.dumps([self.service.code, identifier.system or "", value])
            return uuid.uuid5(IMPORT_NAMESPACE, name)
        if not rater_name:
            return _submission_key(row)
        parts = (row.service, row.client, row.episode, row.session, row.instrument, row.rater)
        return uuid.uuid5(IMPORT_NAMESPACE, "|".join(map(str, (*parts, rater_name))))


def _disagreements(rows: list[FhirRow], definitions) -> list[tuple[int, str]]:
    """Responses about one episode or session must agree, and no two be the same rating.

    As the CSV's check (interchange._consistency_errors), with the rater's name in a rating's
    identity (two teachers may answer in one session) and its identifier unique.
    """
    errors = []
    seen: dict[tuple, tuple[int, tuple]] = {}

    def agree(key: tuple, facts: tuple, row: FhirRow, what=None) -> None:
        if key in seen and seen[key][1] != facts:
            values = {"what": what, "index": seen[key][0]}
            if what is None:
                message = _("the identifier is also that of Bundle.entry[%(index)d]") % values
            else:
                message = _("%(what)s differs from Bundle.entry[%(index)d]") % values
            errors.append((row.line, message))
        seen.setdefault(key, (row.line, facts))

    for row in rows:
        episode = (row.client, row.episode)
        agree(
            ("episode", *episode),
            (row.episode_start, row.episode_end, row.end_reason),
            row,
            _EPISODE_FACTS,
        )
        agree(("session", *episode, row.session), (row.session_date,), row, _SESSION_FACTS)
        purpose = definitions[row.instrument].purpose
        slot = ("rating", *episode, row.session, purpose, row.rater, row.rater_name)
        agree(slot, (row.line,), row, _SAME_RATING)
        agree(("key", row.submission_key), (row.line,), row)
    return errors


class _FhirImporter(_Importer):
    """The interchange importer, matching ratings by identifier and by rater's name too."""

    def ratings(self, rows: list[FhirRow], clients: dict, sessions: dict) -> None:
        stored_sessions = [s.pk for s in sessions.values() if s.pk not in self.new_sessions]
        slots: dict[tuple, _Stored] = {}
        values = Rating.objects.values_list(
            "session_id", "purpose", "rater", "rater_name", "age_group", "total", "items"
        )
        for session_id, purpose, rater, rater_name, *rest in _among(
            values, "session", stored_sessions
        ):
            slots[(session_id, purpose, rater, rater_name)] = _Stored(*rest)
        keys = Rating.objects.values_list(
            "submission_key", "session_id", "purpose", "rater", "rater_name"
        )
        used = {
            key: tuple(slot)
            for key, *slot in _among(keys, "submission_key", [row.submission_key for row in rows])
        }
        new = []
        for row in rows:
            client = clients[(row.service, row.client)]
            session = sessions[(row.service, row.client, row.episode, row.session)]
            slot = (session.pk, self.instruments[row.instrument].purpose, row.rater, row.rater_name)
            if row.submission_key in used and used[row.submission_key] != slot:
                self.errors.append(
                    (row.line, _("the response's identifier is already used by another rating"))
                )
                continue
            stored = {slot[:3]: slots[slot]} if slot in slots else {}
            rating = self._rating(row, client, session, stored)
            if rating is not None:
                rating.rater_name = row.rater_name
                rating.rated_at = row.rated_at or rating.rated_at
                rating.submission_key = row.submission_key
                new.append(rating)
                self.changed_clients.add(client.pk)
        insert_objects(new)
        if new:
            self.summary.created["ratings"] = len(new)


def import_bundle(
    service: Service,
    data: dict | bytes | str,
    *,
    user=None,
    request=None,
    actor: str = "",
) -> ImportSummary:
    """Store the bundle's responses in `service`, all or none; raise BundleRejected.

    Each client given new data gets an access-log row ("FHIR import"), in the same transaction.
    """
    reader = _Reader(service, parse_bundle(data))
    rows = reader.rows()
    importer = _FhirImporter(False, rows)
    try:
        with transaction.atomic():
            summary = importer.run(rows)
            record_clients(
                service,
                importer.changed_clients,
                action=Action.IMPORT,
                detail="FHIR import",
                user=user,
                request=request,
                actor=actor,
            )
    except ImportRejected as rejected:
        raise BundleRejected(
            [(reader.where(number), reason) for number, reason in rejected.errors]
        ) from None
    except IntegrityError:
        raise BundleRejected(
            [
                (
                    "Bundle",
                    _(
                        "another import stored some of these ratings at the same time; "
                        "import the bundle again"
                    ),
                )
            ]
        ) from None
    return summary
