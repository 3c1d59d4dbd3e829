"""The interchange CSV: one format for import (paper, other tools) and export.

Import is all-or-nothing: every row is checked first, and one bad row rejects the whole file with
its line number and reason, so a migration never leaves a half-imported service behind.
Importing the same file twice changes nothing: a rating is matched on its session, form and rater.

Each row's `age_group` is that rating's own (`Rating.age_group`): a client's group changes over
time (a child becomes an adolescent and changes form), so rows about one client may differ, and
each is checked against its own form. A client created by an import is recorded with the group
of its latest row; an existing client's recorded group is left as it is.

A file comes from outside, so nothing in it may widen anyone's access: a helper column only links
an account that already is a helper in the row's service, and new accounts (with
`create_helpers`) are created inactive, without a password. Bad bytes (not UTF-8, NUL and other
control characters, huge fields) are line-numbered errors like any other bad value, and codes that
a spreadsheet would run as a formula are refused (see feedback.spreadsheet).
"""

import codecs
import csv
import datetime
import re
import unicodedata
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import BinaryIO
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from feedback.spreadsheet import FORMULA_STARTS, starts_like_formula
from services.accounts.models import Membership, Role, Service, User
from services.clients.models import Client, EndReason, Episode
from services.measures.age_groups import AgeGroup
from services.measures.definitions import InstrumentDefinition
from services.measures.models import Instrument
from services.measures.scoring import ScoreError, score_items, score_total_only
from services.sessions.models import Session

from .models import Method, Rater, Rating

FIRST_COLUMNS = (
    "service",
    "client",
    "age_group",
    "episode",
    "episode_start",
    "episode_end",
    "end_reason",
    "session",
    "session_date",
    "helper",
    "instrument",
    "rater",
)
USUAL_ITEMS = 4


def columns(item_count: int = USUAL_ITEMS) -> tuple[str, ...]:
    """The header: the fixed columns, `item1`…`itemN` for a form of N items, then `total`."""
    return (*FIRST_COLUMNS, *(f"item{n}" for n in range(1, item_count + 1)), "total")


def _item_columns(header: tuple[str, ...]) -> tuple[str, ...]:
    return header[len(FIRST_COLUMNS) : -1]


COLUMNS = columns()  # the header as long as no form has more than four items
IMPORT_NAMESPACE = uuid.UUID("6f1c3a52-2a49-4c4e-9a43-3f0b4b7f5a10")
MAX_VALUE_LENGTH = 100
CODE_LENGTH = 40


class ImportRejected(ValueError):
    """The file was not imported; `errors` lists (line number, reason)."""

    def __init__(self, errors: list[tuple[int, str]]):
        self.errors = errors
        super().__init__("\n".join(f"line {line}: {reason}" for line, reason in errors))


@dataclass(frozen=True)
class Row:
    line: int
    service: str
    client: str
    age_group: str
    episode: str
    episode_start: datetime.date
    episode_end: datetime.date | None
    end_reason: str
    session: int
    session_date: datetime.date
    helper: str
    instrument: str
    rater: str
    items: dict[str, Decimal] | None
    total: Decimal


@dataclass
class ImportSummary:
    created: dict[str, int] = field(default_factory=dict)
    unchanged: int = 0

    def count(self, kind: str) -> None:
        self.created[kind] = self.created.get(kind, 0) + 1


class _RowError(ValueError):
    pass


def _date(value: str, column: str, required: bool = True) -> datetime.date | None:
    if not value:
        if required:
            raise _RowError(_("%(column)s is missing") % {"column": column})
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise _RowError(
            _("%(column)s is not a date (YYYY-MM-DD): %(value)s")
            % {"column": column, "value": value}
        ) from None


def _choice(value: str, column: str, choices: Iterable[str]) -> str:
    choices = list(choices)
    if value not in choices:
        raise _RowError(
            _("%(column)s must be one of %(choices)s, not %(value)r")
            % {"column": column, "choices": ", ".join(choices), "value": value}
        )
    return value


def _code(value: str, column: str) -> str:
    if not value:
        raise _RowError(_("%(column)s is missing") % {"column": column})
    if len(value) > CODE_LENGTH:
        raise _RowError(_("%(column)s is longer than 40 characters") % {"column": column})
    if starts_like_formula(value):
        raise _RowError(
            _("%(column)s must not start with %(characters)s (a spreadsheet would run it)")
            % {"column": column, "characters": " ".join(FORMULA_STARTS[:4])}
        )
    return value


def _plain_text(value: dict[str, str]) -> None:
    """No value is long or holds control characters: they would end in a traceback (NUL in
    PostgreSQL) or in an error message quoting a whole field back."""
    for column, text in value.items():
        if len(text) > MAX_VALUE_LENGTH:
            raise _RowError(
                _("%(column)s is longer than %(limit)d characters")
                % {"column": column, "limit": MAX_VALUE_LENGTH}
            )
        if any(unicodedata.category(character) == "Cc" for character in text):
            raise _RowError(_("%(column)s contains a control character") % {"column": column})


def _items(value: dict[str, str], item_columns: tuple[str, ...], definition) -> list[str]:
    """The row's item values in the form's order; the columns beyond the form's items must be
    empty, and a form with more items than the file has columns can only be given as a total."""
    given = [value[column] for column in item_columns]
    count = len(definition.items)
    if not any(given):
        return []
    if count > len(item_columns):
        raise _RowError(
            _(
                "instrument %(instrument)s has %(count)d items: the file needs the columns item1 "
                "to item%(count)d, or give only the total"
            )
            % {"instrument": definition.key, "count": count}
        )
    extra = next((c for c, v in zip(item_columns[count:], given[count:], strict=True) if v), None)
    if extra is not None:
        raise _RowError(
            ngettext(
                "%(column)s: instrument %(instrument)s has only %(count)d item",
                "%(column)s: instrument %(instrument)s has only %(count)d items",
                count,
            )
            % {"column": extra, "instrument": definition.key, "count": count}
        )
    return given[:count]


def _parse_row(
    line: int,
    raw: dict[str, str],
    definitions: dict[str, InstrumentDefinition],
    header: tuple[str, ...] = COLUMNS,
) -> Row:
    value = {column: (raw.get(column) or "").strip() for column in header}
    _plain_text(value)
    age_group = _choice(value["age_group"], "age_group", AgeGroup.values)
    episode_start = _date(value["episode_start"], "episode_start")
    episode_end = _date(value["episode_end"], "episode_end", required=False)
    end_reason = value["end_reason"]
    if episode_end is None and end_reason:
        raise _RowError(_("end_reason is given but episode_end is empty"))
    if episode_end is not None:
        _choice(end_reason, "end_reason", EndReason.values)
        if episode_end < episode_start:
            raise _RowError(_("episode_end is before episode_start"))
    try:
        session = int(value["session"])
    except ValueError:
        raise _RowError(_("session must be a whole number of 1 or more")) from None
    if session < 1:
        raise _RowError(_("session must be a whole number of 1 or more"))
    session_date = _date(value["session_date"], "session_date")
    if session_date < episode_start or (episode_end and session_date > episode_end):
        raise _RowError(_("session_date is outside the episode"))
    definition = definitions.get(value["instrument"])
    if definition is None:
        raise _RowError(
            _("instrument must be one of %(choices)s, not %(value)r")
            % {"choices": ", ".join(sorted(definitions)), "value": value["instrument"]}
        )
    if age_group not in definition.age_groups:
        raise _RowError(
            _("instrument %(instrument)s is not for age group %(age_group)s")
            % {"instrument": definition.key, "age_group": age_group}
        )
    given = _items(value, _item_columns(header), definition)
    try:
        if given:
            scored = score_items(definition, dict(zip(definition.item_keys, given, strict=True)))
            stated = score_total_only(definition, value["total"]).total
            if stated != scored.total:
                raise _RowError(
                    _("total %(total)s is not the sum of the items (%(sum)s)")
                    % {"total": stated, "sum": scored.total}
                )
        else:
            scored = score_total_only(definition, value["total"])
    except ScoreError as error:
        column = (
            f"item{definition.item_keys.index(error.field) + 1}"
            if error.field in definition.item_keys
            else "total"
        )
        raise _RowError(f"{column}: {error.message}") from None
    return Row(
        line=line,
        service=_code(value["service"], "service"),
        client=_code(value["client"], "client"),
        age_group=age_group,
        episode=_code(value["episode"], "episode"),
        episode_start=episode_start,
        episode_end=episode_end,
        end_reason=end_reason if episode_end else "",
        session=session,
        session_date=session_date,
        helper=_code(value["helper"], "helper") if value["helper"] else "",
        instrument=definition.key,
        rater=_choice(value["rater"], "rater", Rater.values),
        items=scored.items,
        total=scored.total,
    )


def _consistency_errors(rows: list[Row], definitions) -> list[tuple[int, str]]:
    """Rows that describe the same episode or session must agree with each other.

    Not the age group: it is each rating's own, and a client's may differ between ratings.
    """
    errors = []
    seen: dict[tuple, tuple[int, tuple]] = {}

    def agree(key: tuple, facts: tuple, row: Row, what: str) -> None:
        if key in seen and seen[key][1] != facts:
            errors.append(
                (
                    row.line,
                    _("%(what)s differs from line %(line)d") % {"what": what, "line": seen[key][0]},
                )
            )
        seen.setdefault(key, (row.line, facts))

    for row in rows:
        client = (row.service, row.client)
        episode = (*client, row.episode)
        agree(
            ("episode", *episode),
            (row.episode_start, row.episode_end, row.end_reason),
            row,
            _("the episode's dates or end reason"),
        )
        agree(
            ("session", *episode, row.session),
            (row.session_date, row.helper),
            row,
            _("the session's date or helper"),
        )
        purpose = definitions[row.instrument].purpose
        agree(
            ("rating", *episode, row.session, purpose, row.rater),
            (row.line,),
            row,
            _("another rating of the same kind by the same rater in this session"),
        )
    return errors


class _Unreadable(ValueError):
    """A line that cannot be read at all; reading stops there."""

    def __init__(self, line: int, reason: str):
        self.line, self.reason = line, reason
        super().__init__(reason)


_LONE_CR = re.compile(r"(?<=\r)(?!\n)")


def decoded_lines(stream: BinaryIO) -> Iterator[str]:
    """The file's lines as text, decoded one line at a time so that a byte that is not UTF-8 is
    reported on its own line. A byte order mark (as Excel writes) is dropped, and lines ended by
    a lone carriage return (old Mac spreadsheets) are split as text mode would."""
    number = 0
    for chunk in stream:
        if number == 0:
            chunk = chunk.removeprefix(codecs.BOM_UTF8)
        try:
            text = chunk.decode("utf-8")
        except UnicodeDecodeError:
            raise _Unreadable(
                number + 1, _("not UTF-8 text (save the file as CSV UTF-8)")
            ) from None
        for line in _LONE_CR.split(text):
            if line:
                number += 1
                yield line


def _csv_reason(error: csv.Error) -> str:
    if "field larger than field limit" in str(error):
        return _("a value is longer than %(limit)d characters") % {"limit": csv.field_size_limit()}
    return _("the line is not valid CSV: %(reason)s") % {"reason": error}


def _records(reader: csv.DictReader) -> Iterator[tuple[int, dict]]:
    """(line, row) for each row; a line the csv module cannot read stops with _Unreadable.

    The line number is the csv reader's own: DictReader's is only updated after a good row."""
    try:
        for raw in reader:
            yield reader.line_num, raw
    except csv.Error as error:
        raise _Unreadable(reader.reader.line_num, _csv_reason(error)) from None


def read_bytes(stream: BinaryIO) -> list[Row]:
    """Like `read_rows`, for a file opened in binary mode (as the import command does)."""
    return read_rows(decoded_lines(stream))


def read_rows(stream: Iterable[str]) -> list[Row]:
    """Parse and check a whole file; raise ImportRejected listing every bad line."""
    definitions = {instrument.key: instrument.spec for instrument in Instrument.objects.current()}
    reader = csv.DictReader(stream)
    try:
        fieldnames = reader.fieldnames
    except csv.Error as error:
        raise ImportRejected([(reader.reader.line_num, _csv_reason(error))]) from None
    except _Unreadable as error:
        raise ImportRejected([(error.line, error.reason)]) from None
    if fieldnames is None:
        raise ImportRejected([(1, _("the file is empty"))])
    header = tuple(fieldnames)
    if len(header) <= len(FIRST_COLUMNS) + 1 or header != columns(len(_item_columns(header))):
        widest = max((len(d.items) for d in definitions.values()), default=USUAL_ITEMS)
        expected = ",".join(columns(max(widest, USUAL_ITEMS)))
        raise ImportRejected(
            [(1, _("the header must be exactly: %(columns)s") % {"columns": expected})]
        )
    rows, errors = [], []
    try:
        for line, raw in _records(reader):
            if None in raw:
                errors.append((line, _("the row has more columns than the header")))
                continue
            try:
                rows.append(_parse_row(line, raw, definitions, header))
            except _RowError as error:
                errors.append((line, str(error)))
    except _Unreadable as error:
        errors.append((error.line, error.reason))
    if not rows and not errors:
        errors.append((1, _("the file has no rows")))
    errors += _consistency_errors(rows, definitions)
    if errors:
        raise ImportRejected(sorted(errors))
    return rows


def _rated_at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12), ZoneInfo(settings.TIME_ZONE))


class _Importer:
    """Creates what is missing and checks what exists, caching lookups per file."""

    def __init__(self, create_helpers: bool, rows: list[Row]):
        self.create_helpers = create_helpers
        self.summary = ImportSummary()
        self.errors: list[tuple[int, str]] = []
        self.instruments = {i.key: i for i in Instrument.objects.current()}
        self.cache: dict[tuple, object] = {}
        self.latest_age_group = _latest_age_groups(rows)

    def _get(self, key: tuple, make):
        if key not in self.cache:
            self.cache[key] = make()
        return self.cache[key]

    def service(self, row: Row) -> Service:
        def make():
            service, created = Service.objects.get_or_create(
                code=row.service, defaults={"name": row.service}
            )
            if created:
                self.summary.count("services")
            return service

        return self._get(("service", row.service), make)

    def helper(self, row: Row, service: Service) -> User | None:
        if not row.helper:
            return None

        def make():
            user = User.objects.filter(username=row.helper).first()
            if user is None:
                return self._new_helper(row, service)
            if not Membership.objects.filter(user=user, service=service, role=Role.HELPER).exists():
                self.errors.append(
                    (
                        row.line,
                        _("helper %(helper)s is not a helper in service %(service)s")
                        % {"helper": row.helper, "service": service.code},
                    )
                )
                return None
            return user

        return self._get(("helper", service.pk, row.helper), make)

    def _new_helper(self, row: Row, service: Service) -> User | None:
        """An inactive account without a password, a helper in this service only: an
        administrator activates it and the person sets a password before it can be used."""
        if not self.create_helpers:
            self.errors.append(
                (
                    row.line,
                    _(
                        "helper %(helper)s has no account (create it first, or import with "
                        "--create-helpers)"
                    )
                    % {"helper": row.helper},
                )
            )
            return None
        try:
            User.username_validator(row.helper)
        except ValidationError:
            self.errors.append(
                (
                    row.line,
                    _("helper %(helper)s is not a valid username (letters, digits and @ . + - _)")
                    % {"helper": row.helper},
                )
            )
            return None
        user = User(username=row.helper, is_active=False)
        user.set_unusable_password()
        user.save()
        Membership.objects.create(user=user, service=service, role=Role.HELPER)
        self.summary.count("helpers")
        return user

    def client(self, row: Row, service: Service) -> Client:
        """A new client gets the age group of its latest row; a stored one keeps its own (the
        file's groups belong to its ratings, and may be older than what is recorded now)."""

        def make():
            client, created = Client.objects.get_or_create(
                service=service,
                code=row.client,
                defaults={"age_group": self.latest_age_group[(row.service, row.client)]},
            )
            if created:
                self.summary.count("clients")
            return client

        return self._get(("client", service.pk, row.client), make)

    def episode(self, row: Row, client: Client) -> Episode:
        def make():
            episode, created = Episode.objects.get_or_create(
                client=client,
                code=row.episode,
                defaults={
                    "service": client.service,
                    "start_date": row.episode_start,
                    "end_date": row.episode_end,
                    "end_reason": row.end_reason,
                },
            )
            if created:
                self.summary.count("episodes")
            elif (episode.start_date, episode.end_date, episode.end_reason) != (
                row.episode_start,
                row.episode_end,
                row.end_reason,
            ):
                self.errors.append(
                    (
                        row.line,
                        _("episode %(episode)s is stored with other dates or end reason")
                        % {"episode": row.episode},
                    )
                )
            return episode

        return self._get(("episode", client.pk, row.episode), make)

    def session(self, row: Row, episode: Episode, helper: User | None) -> Session:
        def make():
            if helper is not None:
                episode.helpers.add(helper)
            session, created = Session.objects.get_or_create(
                episode=episode,
                number=row.session,
                defaults={"date": row.session_date, "helper": helper},
            )
            if created:
                self.summary.count("sessions")
            elif session.date != row.session_date:
                self.errors.append(
                    (
                        row.line,
                        _("session %(number)d is stored with another date")
                        % {"number": row.session},
                    )
                )
            return session

        return self._get(("session", episode.pk, row.session), make)

    def rating(self, row: Row, client: Client, session: Session) -> None:
        """Store the row's rating with the row's age group (checked against its form when the
        file was read), or check it against the rating already stored."""
        instrument = self.instruments[row.instrument]
        items = {k: str(v) for k, v in row.items.items()} if row.items is not None else None
        stored = Rating.objects.filter(
            session=session, purpose=instrument.purpose, rater=row.rater, rater_name=""
        ).first()
        if stored is not None and stored.age_group != row.age_group:
            self.errors.append(
                (
                    row.line,
                    _(
                        "session %(number)d already has its %(instrument)s rating stored for "
                        "age group %(age_group)s"
                    )
                    % {
                        "number": row.session,
                        "instrument": row.instrument,
                        "age_group": stored.age_group,
                    },
                )
            )
            return
        if stored is None and client.birth_year is not None:
            # A stored birth year decides the group on the session date, as when rating in
            # the app; a file saying otherwise is wrong about the client or the date.
            expected = client.age_group_on(row.session_date)
            if expected != row.age_group:
                self.errors.append(
                    (
                        row.line,
                        _(
                            "age_group %(age_group)s: by the stored birth year, client "
                            "%(client)s was %(expected)s on the session date"
                        )
                        % {
                            "age_group": row.age_group,
                            "client": row.client,
                            "expected": expected,
                        },
                    )
                )
                return
        if stored is None:
            Rating.objects.create(
                session=session,
                instrument=instrument,
                purpose=instrument.purpose,
                rater=row.rater,
                age_group=row.age_group,
                items=items,
                total=row.total,
                method=Method.IMPORT,
                rated_at=_rated_at(row.session_date),
                submission_key=uuid.uuid5(
                    IMPORT_NAMESPACE,
                    "|".join(
                        map(
                            str,
                            (
                                row.service,
                                row.client,
                                row.episode,
                                row.session,
                                row.instrument,
                                row.rater,
                            ),
                        )
                    ),
                ),
            )
            self.summary.count("ratings")
        elif stored.total == row.total and stored.items == items:
            self.summary.unchanged += 1
        else:
            self.errors.append(
                (
                    row.line,
                    _("session %(number)d already has a different %(instrument)s rating")
                    % {"number": row.session, "instrument": row.instrument},
                )
            )

    def run(self, rows: list[Row]) -> ImportSummary:
        for row in rows:
            service = self.service(row)
            helper = self.helper(row, service)
            client = self.client(row, service)
            episode = self.episode(row, client)
            session = self.session(row, episode, helper)
            self.rating(row, client, session)
        if self.errors:
            raise ImportRejected(sorted(self.errors))
        return self.summary


def import_rows(rows: list[Row], *, create_helpers: bool = False) -> ImportSummary:
    """Store checked rows in one transaction; anything in conflict with stored data rejects all.

    A helper must already be a helper in the row's service; `create_helpers` lets a username
    that does not exist at all become a new inactive account (see `_Importer._new_helper`).
    """
    with transaction.atomic():
        return _Importer(create_helpers, rows).run(rows)


def _latest_age_groups(rows: list[Row]) -> dict[tuple[str, str], str]:
    """Each client's age group in its latest row by session date (on a tie, the later line):
    what a client created by the import is recorded with."""
    latest: dict[tuple[str, str], Row] = {}
    for row in rows:
        key = (row.service, row.client)
        if key not in latest or (row.session_date, row.line) > (
            latest[key].session_date,
            latest[key].line,
        ):
            latest[key] = row
    return {key: row.age_group for key, row in latest.items()}


def _format(value: Decimal | str | None) -> str:
    return "" if value is None else f"{Decimal(value):.1f}"


def export_rows(
    service: Service | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> Iterator[list[str]]:
    """Every rating in scope as interchange rows, header first, with one item column for each
    item of the widest stored form (so a file's header does not depend on its period)."""
    ratings = Rating.objects.select_related(
        "instrument", "session__helper", "session__episode__client__service"
    ).order_by(
        "session__episode__service__code",
        "session__episode__client__code",
        "session__episode__code",
        "session__number",
        "purpose",
        "rater",
        "pk",
    )
    if service is not None:
        ratings = ratings.filter(session__episode__service=service)
    if start is not None:
        ratings = ratings.filter(session__date__gte=start)
    if end is not None:
        ratings = ratings.filter(session__date__lte=end)
    item_keys = {i.pk: i.spec.item_keys for i in Instrument.objects.all()}
    width = max(map(len, item_keys.values()), default=USUAL_ITEMS)
    yield list(columns(width))
    for rating in ratings.iterator(chunk_size=2000):
        session = rating.session
        episode = session.episode
        client = episode.client
        keys = item_keys[rating.instrument_id]
        items = [_format(rating.items[k]) for k in keys] if rating.items else [""] * len(keys)
        items += [""] * (width - len(items))
        yield [
            client.service.code,
            client.code,
            rating.age_group,
            episode.code,
            episode.start_date.isoformat(),
            episode.end_date.isoformat() if episode.end_date else "",
            episode.end_reason,
            str(session.number),
            session.date.isoformat(),
            session.helper.username if session.helper else "",
            rating.instrument.key,
            rating.rater,
            *items,
            _format(rating.total),
        ]
