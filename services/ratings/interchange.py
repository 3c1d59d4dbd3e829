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
from django.db import connection, transaction
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from feedback.bulk_insert import insert_objects
from feedback.spreadsheet import FORMULA_STARTS, starts_like_formula
from services.accounts.models import Membership, Role, Service, User
from services.clients.models import Client, EndReason, Episode
from services.dashboards.facts import mark_outdated
from services.measures.age_groups import AgeGroup
from services.measures.definitions import InstrumentDefinition
from services.measures.models import Instrument
from services.measures.scoring import Scored, ScoreError, parse_score
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
AGE_GROUPS, END_REASONS, RATERS = (
    tuple(AgeGroup.values),
    tuple(EndReason.values),
    tuple(Rater.values),
)
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
    if value not in choices:
        choices = list(choices)
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


# Unicode's control characters (category Cc): exactly U+0000–U+001F and U+007F–U+009F.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def _plain_text(value: dict[str, str]) -> None:
    """No value is long or holds control characters: they would end in a traceback (NUL in
    PostgreSQL) or in an error message quoting a whole field back."""
    texts = value.values()
    if max(map(len, texts)) <= MAX_VALUE_LENGTH and not _CONTROL.search("".join(texts)):
        return  # the usual row, checked at once; the loop below names the first bad column
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


_SCORES: dict[tuple, Decimal] = {}  # (text, maximum, decimals) → its valid score


def _score(text: str, maximum: Decimal, decimals: int, field: str) -> Decimal:
    """`parse_score`, each valid text scored once: a file repeats a few hundred values."""
    key = (text, maximum, decimals)
    score = _SCORES.get(key)
    if score is None:
        score = parse_score(text, maximum=maximum, decimals=decimals, field=field)
        if len(_SCORES) < 100_000:
            _SCORES[key] = score
    return score


def _score_items(definition: InstrumentDefinition, given: list[str]) -> Scored:
    """As `score_items` for the row's item texts in the form's order."""
    maximum, decimals, known = definition.scale_max, definition.decimals, _SCORES.get
    items = {
        key: known((text, maximum, decimals)) or _score(text, maximum, decimals, key)
        for key, text in zip(definition.item_keys, given, strict=True)
    }
    return Scored(items=items, total=sum(items.values(), Decimal(0)))


def _score_total(definition: InstrumentDefinition, total: str) -> Scored:
    """As `score_total_only`."""
    return Scored(
        items=None, total=_score(total, definition.max_total, definition.decimals, "total")
    )


MOST_SESSIONS = 9999


def _parse_row(
    line: int,
    raw: dict[str, str],
    definitions: dict[str, InstrumentDefinition],
    header: tuple[str, ...] = COLUMNS,
) -> Row:
    value = {column: (raw.get(column) or "").strip() for column in header}
    _plain_text(value)
    age_group = _choice(value["age_group"], "age_group", AGE_GROUPS)
    episode_start = _date(value["episode_start"], "episode_start")
    episode_end = _date(value["episode_end"], "episode_end", required=False)
    end_reason = value["end_reason"]
    if episode_end is None and end_reason:
        raise _RowError(_("end_reason is given but episode_end is empty"))
    if episode_end is not None:
        _choice(end_reason, "end_reason", END_REASONS)
        if episode_end < episode_start:
            raise _RowError(_("episode_end is before episode_start"))
    try:
        session = int(value["session"])
    except ValueError:
        raise _RowError(_("session must be a whole number of 1 or more")) from None
    if session < 1:
        raise _RowError(_("session must be a whole number of 1 or more"))
    if session > MOST_SESSIONS:  # the column is an integer: a longer number is a DataError
        raise _RowError(_("session must be a whole number of at most 9999"))
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
            scored = _score_items(definition, given)
            stated = _score_total(definition, value["total"]).total
            if stated != scored.total:
                raise _RowError(
                    _("total %(total)s is not the sum of the items (%(sum)s)")
                    % {"total": stated, "sum": scored.total}
                )
        else:
            scored = _score_total(definition, value["total"])
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
        rater=_choice(value["rater"], "rater", RATERS),
        items=scored.items,
        total=scored.total,
    )


# Translated only when a row differs (gettext for every row would cost more than the check).
_EPISODE_FACTS = gettext_lazy("the episode's dates or end reason")
_SESSION_FACTS = gettext_lazy("the session's date or helper")
_SAME_RATING = gettext_lazy("another rating of the same kind by the same rater in this session")


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
            _EPISODE_FACTS,
        )
        agree(
            ("session", *episode, row.session),
            (row.session_date, row.helper),
            row,
            _SESSION_FACTS,
        )
        purpose = definitions[row.instrument].purpose
        agree(
            ("rating", *episode, row.session, purpose, row.rater),
            (row.line,),
            row,
            _SAME_RATING,
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


BATCH = 5000  # keys per `IN (...)` lookup where the database is not PostgreSQL


def _chunks(values: list, size: int = BATCH) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _among(rows: QuerySet, name: str, values: Iterable) -> Iterator:
    """The rows whose field `name` is one of `values`, whatever their number.

    On PostgreSQL in one query with the values as a single array parameter: a list of
    thousands of `IN (%s, …)` parameters cost more to build and parse than the rows to read
    (issue #14: the unchanged re-import). Elsewhere in IN lists of BATCH values (SQLite's limit
    on parameters). Unordered: sorting by the model's default ordering took as long again.
    """
    values, rows = list(values), rows.order_by()
    if connection.vendor != "postgresql":
        for chunk in _chunks(values):
            yield from rows.filter(**{f"{name}__in": chunk})
    elif values:
        kind = rows.model._meta.get_field(name).db_type(connection)
        yield from rows.filter(**{f"{name}__in": RawSQL(f"SELECT unnest(%s::{kind}[])", [values])})


def _first_rows(rows: list[Row], key) -> dict[tuple, Row]:
    """The first row of each distinct key, in file order."""
    first: dict[tuple, Row] = {}
    for row in rows:
        first.setdefault(key(row), row)
    return first


def _submission_key(row: Row) -> uuid.UUID:
    fields = (row.service, row.client, row.episode, row.session, row.instrument, row.rater)
    return uuid.uuid5(IMPORT_NAMESPACE, "|".join(map(str, fields)))


@dataclass(frozen=True)
class _StoredSession:
    """What an import needs of a stored session: its id, and its date to compare."""

    pk: int
    date: datetime.date


@dataclass(frozen=True)
class _Stored:
    """What an import compares of a stored rating."""

    age_group: str
    total: Decimal
    items: dict | None


class _Importer:
    """Creates what is missing and checks what exists, a whole file at a time.

    Each kind of row (services, helpers, clients, episodes, sessions, ratings) is looked up with
    one query for the whole file (`_among`; one per 5,000 keys on SQLite) and what is missing is
    stored in bulk (`feedback.bulk_insert`: COPY on PostgreSQL), so the number of queries does
    not grow with the rows, and a file already stored is only read. An error about a stored
    service, helper, client, episode or session is reported once, on the first line about it.
    Storing in bulk sends no signals: the clients given new data are marked outdated for the
    dashboard facts explicitly, in the same transaction.
    """

    def __init__(self, create_helpers: bool, rows: list[Row]):
        self.create_helpers = create_helpers
        self.summary = ImportSummary()
        self.errors: list[tuple[int, str]] = []
        self.instruments = {i.key: i for i in Instrument.objects.current()}
        self.latest_age_group = _latest_age_groups(rows)
        self.changed_clients: set[int] = set()  # to mark for the dashboard facts
        self.new_clients: set[int] = set()
        self.new_episodes: set[int] = set()
        self.new_sessions: set[int] = set()

    def services(self, rows: list[Row]) -> dict[str, Service]:
        codes = list(_first_rows(rows, lambda row: row.service))
        found = {s.code: s for s in Service.objects.filter(code__in=codes)}
        for code in codes:
            if code not in found:
                # One at a time: a new service is given its built-in forms (a post_save receiver).
                found[code], created = Service.objects.get_or_create(
                    code=code, defaults={"name": code}
                )
                if created:
                    self.summary.count("services")
        return found

    def helpers(self, rows: list[Row], services: dict[str, Service]) -> dict[tuple, User | None]:
        """(service code, username) → the linked helper, or None (an error is noted)."""
        first = _first_rows([r for r in rows if r.helper], lambda row: (row.service, row.helper))
        names = sorted({key[1] for key in first})
        users = {u.username: u for u in _among(User.objects.all(), "username", names)}
        helping = set(
            Membership.objects.filter(
                user__in=list(users.values()),
                service__in=list(services.values()),
                role=Role.HELPER,
            ).values_list("user_id", "service_id")
        )
        linked: dict[tuple, User | None] = {}
        for (code, name), row in first.items():
            service = services[code]
            user = users.get(name)
            if user is None:
                user = self._new_helper(row, service)
                if user is not None:
                    users[name] = user
                    helping.add((user.pk, service.pk))
            elif (user.pk, service.pk) not in helping:
                self.errors.append(
                    (
                        row.line,
                        _("helper %(helper)s is not a helper in service %(service)s")
                        % {"helper": name, "service": code},
                    )
                )
                user = None
            linked[(code, name)] = user
        return linked

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

    def clients(self, rows: list[Row], services: dict[str, Service]) -> dict[tuple, Client]:
        """A new client gets the age group of its latest row; a stored one keeps its own (the
        file's groups belong to its ratings, and may be older than what is recorded now)."""
        keys = list(_first_rows(rows, lambda row: (row.service, row.client)))
        code_of = {s.pk: s.code for s in services.values()}
        stored = Client.objects.filter(service_id__in=list(code_of))
        found: dict[tuple, Client] = {
            (code_of[c.service_id], c.code): c
            for c in _among(stored, "code", sorted({key[1] for key in keys}))
        }
        new = [
            Client(
                service=services[service],
                code=client,
                age_group=self.latest_age_group[(service, client)],
            )
            for service, client in keys
            if (service, client) not in found
        ]
        insert_objects(new, with_ids=True)
        for client in new:
            found[(client.service.code, client.code)] = client
            self.summary.count("clients")
            self.changed_clients.add(client.pk)
            self.new_clients.add(client.pk)
        return found

    def episodes(self, rows: list[Row], clients: dict[tuple, Client]) -> dict[tuple, Episode]:
        first = _first_rows(rows, lambda row: (row.service, row.client, row.episode))
        by_pk = {c.pk: key for key, c in clients.items()}
        found: dict[tuple, Episode] = {}
        stored_clients = [c.pk for c in clients.values() if c.pk not in self.new_clients]
        for episode in _among(Episode.objects.all(), "client", stored_clients):
            found[(*by_pk[episode.client_id], episode.code)] = episode
        new = []
        for key, row in first.items():
            episode = found.get(key)
            facts = (row.episode_start, row.episode_end, row.end_reason)
            if episode is None:
                client = clients[key[:2]]
                episode = Episode(
                    client=client,
                    service_id=client.service_id,
                    code=row.episode,
                    start_date=row.episode_start,
                    end_date=row.episode_end,
                    end_reason=row.end_reason,
                )
                new.append(episode)
                found[key] = episode
            elif (episode.start_date, episode.end_date, episode.end_reason) != facts:
                self.errors.append(
                    (
                        row.line,
                        _("episode %(episode)s is stored with other dates or end reason")
                        % {"episode": row.episode},
                    )
                )
        insert_objects(new, with_ids=True)
        for episode in new:
            self.summary.count("episodes")
            self.changed_clients.add(episode.client_id)
            self.new_episodes.add(episode.pk)
        return found

    def sessions(
        self, rows: list[Row], episodes: dict[tuple, Episode], helpers: dict[tuple, User | None]
    ) -> dict[tuple, Session | _StoredSession]:
        first = _first_rows(rows, lambda row: (row.service, row.client, row.episode, row.session))
        by_pk = {e.pk: key for key, e in episodes.items()}
        found: dict[tuple, Session | _StoredSession] = {}
        stored_episodes = [e.pk for e in episodes.values() if e.pk not in self.new_episodes]
        stored = Session.objects.values_list("pk", "episode_id", "number", "date")
        for pk, episode_id, number, date in _among(stored, "episode", stored_episodes):
            found[(*by_pk[episode_id], number)] = _StoredSession(pk, date)
        new, responsible = [], set()
        for key, row in first.items():
            episode = episodes[key[:3]]
            helper = helpers.get((row.service, row.helper)) if row.helper else None
            if helper is not None:
                responsible.add((episode.pk, helper.pk))
            session = found.get(key)
            if session is None:
                session = Session(
                    episode=episode, number=row.session, date=row.session_date, helper=helper
                )
                new.append(session)
                found[key] = session
            elif session.date != row.session_date:
                self.errors.append(
                    (
                        row.line,
                        _("session %(number)d is stored with another date")
                        % {"number": row.session},
                    )
                )
        insert_objects(new, with_ids=True)
        for session in new:
            self.summary.count("sessions")
            self.changed_clients.add(session.episode.client_id)  # the episode is in memory
            self.new_sessions.add(session.pk)
        self._link_helpers(responsible)
        return found

    def _link_helpers(self, responsible: set[tuple[int, int]]) -> None:
        """Each session's helper is responsible for its episode (as `episode.helpers.add`)."""
        through = Episode.helpers.through
        episode_ids = sorted({pair[0] for pair in responsible})
        links = through.objects.values_list("episode_id", "user_id")
        stored = set(_among(links, "episode", episode_ids))
        insert_objects([through(episode_id=e, user_id=u) for e, u in sorted(responsible - stored)])

    def ratings(self, rows: list[Row], clients: dict, sessions: dict) -> None:
        """Store each row's rating with the row's age group (checked against its form when the
        file was read), or check it against the rating already stored."""
        stored_sessions = [s.pk for s in sessions.values() if s.pk not in self.new_sessions]
        stored: dict[tuple, _Stored] = {}
        values = Rating.objects.filter(rater_name="").values_list(
            "session_id", "purpose", "rater", "age_group", "total", "items"
        )
        for session_id, purpose, rater, *rest in _among(values, "session", stored_sessions):
            stored[(session_id, purpose, rater)] = _Stored(*rest)
        new = []
        for row in rows:
            client = clients[(row.service, row.client)]
            session = sessions[(row.service, row.client, row.episode, row.session)]
            rating = self._rating(row, client, session, stored)
            if rating is not None:
                new.append(rating)
                self.changed_clients.add(client.pk)
        insert_objects(new)
        if new:
            self.summary.created["ratings"] = len(new)

    def _rating(
        self, row: Row, client: Client, session: Session | _StoredSession, stored_ratings
    ) -> Rating | None:
        instrument = self.instruments[row.instrument]
        items = {k: str(v) for k, v in row.items.items()} if row.items is not None else None
        stored = stored_ratings.get((session.pk, instrument.purpose, row.rater))
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
            return None
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
                return None
        if stored is None:
            return Rating(
                session_id=session.pk,
                instrument=instrument,
                purpose=instrument.purpose,
                rater=row.rater,
                age_group=row.age_group,
                items=items,
                total=row.total,
                method=Method.IMPORT,
                rated_at=_rated_at(row.session_date),
                submission_key=_submission_key(row),
            )
        if stored.total == row.total and stored.items == items:
            self.summary.unchanged += 1
        else:
            self.errors.append(
                (
                    row.line,
                    _("session %(number)d already has a different %(instrument)s rating")
                    % {"number": row.session, "instrument": row.instrument},
                )
            )
        return None

    def run(self, rows: list[Row]) -> ImportSummary:
        services = self.services(rows)
        helpers = self.helpers(rows, services)
        clients = self.clients(rows, services)
        episodes = self.episodes(rows, clients)
        sessions = self.sessions(rows, episodes, helpers)
        self.ratings(rows, clients, sessions)
        if self.errors:
            raise ImportRejected(sorted(self.errors))
        mark_outdated(self.changed_clients)
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
    item of the widest stored form (so a file's header does not depend on its period).

    Two queries whatever the number of ratings: the forms, then the ratings as plain values,
    streamed (a server-side cursor on PostgreSQL) rather than loaded as model objects.
    """
    ratings = Rating.objects.order_by(
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
    instruments = {i.pk: (i.key, i.spec.item_keys) for i in Instrument.objects.all()}
    width = max((len(keys) for _key, keys in instruments.values()), default=USUAL_ITEMS)
    yield list(columns(width))
    formatted: dict[object, str] = {}  # a score's text, formatted once

    def text(value) -> str:
        if value not in formatted:
            formatted[value] = _format(value)
        return formatted[value]

    values = ratings.values_list(
        "session__episode__client__service__code",
        "session__episode__client__code",
        "age_group",
        "session__episode__code",
        "session__episode__start_date",
        "session__episode__end_date",
        "session__episode__end_reason",
        "session__number",
        "session__date",
        "session__helper__username",
        "instrument_id",
        "rater",
        "items",
        "total",
    )
    for (
        service_code,
        client,
        age_group,
        episode,
        episode_start,
        episode_end,
        end_reason,
        number,
        date,
        helper,
        instrument,
        rater,
        items,
        total,
    ) in values.iterator(chunk_size=5000):
        key, item_keys = instruments[instrument]
        cells = [text(items[k]) for k in item_keys] if items else [""] * len(item_keys)
        cells += [""] * (width - len(cells))
        yield [
            service_code,
            client,
            age_group,
            episode,
            episode_start.isoformat(),
            episode_end.isoformat() if episode_end else "",
            end_reason,
            str(number),
            date.isoformat(),
            helper or "",
            key,
            rater,
            *cells,
            text(total),
        ]
