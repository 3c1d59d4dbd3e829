"""The data dictionary that goes with every research data set, and the words for its report.

Each column of `dataset.COLUMNS`: its name, its meaning in Norwegian bokmål and in English, its
type and the values it can hold. It is written into the ZIP as dictionary.csv, shown on the
project's page and printed into docs/research.md (a test keeps that copy in step), so the file a
researcher gets and the documentation can never describe different columns.

The texts are in both languages at once, not through the interface's translations: the file
goes to a researcher whose language is not the leader's, and must read the same to everyone.
"""

import csv
import io
from dataclasses import dataclass

from . import anonymity
from .dataset import ID_LENGTH, QUASI_IDENTIFIERS, K

HEADER = ("column", "type", "meaning_nb", "meaning_en", "values")


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    nb: str
    en: str
    values: str = ""


GENERALISED = "«all» = generalisert / generalised (see README.txt)"
QUARTER_VALUES = "YYYY-Qn, YYYY, all; tom / empty"
SCORE = "decimal, 0.0–40.0 (en desimal / one decimal); tom / empty"

DICTIONARY = (
    Column(
        "project_id",
        "text",
        f"Tilfeldig id for forløpet i dette prosjektet ({ID_LENGTH} heksadesimale tegn). Samme "
        "forløp har en annen id i andre prosjekter; id-en kan ikke føres tilbake til klienten.",
        f"Random id of the episode in this project ({ID_LENGTH} hexadecimal digits). The same "
        "episode has another id in other projects; the id cannot be traced back to the client.",
        "[0-9a-f]",
    ),
    Column("service", "text", "Tjenestens kode.", "The service's code.", ""),
    Column(
        "team",
        "text",
        "Teamets kode ved forløpet; tom når forløpet ikke har team.",
        "The episode's team code; empty when the episode has no team.",
        GENERALISED,
    ),
    Column(
        "age_group",
        "text",
        "Aldersgruppe ved inntak (første ORS, ellers forløpets start).",
        "Age group at intake (the first ORS, else the episode's start).",
        "adult (18+), adolescent (13–17), child (6–12), young_child (<6); " + GENERALISED,
    ),
    Column(
        "start_quarter",
        "text",
        "Kvartalet forløpet startet.",
        "The quarter the episode started in.",
        QUARTER_VALUES,
    ),
    Column(
        "end_quarter",
        "text",
        "Kvartalet forløpet ble avsluttet; tom når det var åpent ved periodens slutt.",
        "The quarter the episode ended in; empty when it was open at the end of the period.",
        QUARTER_VALUES,
    ),
    Column(
        "status",
        "text",
        "Avsluttet eller åpent ved periodens slutt.",
        "Closed, or open at the end of the period.",
        "closed, open",
    ),
    Column(
        "sessions",
        "integer",
        "Antall samtaler i perioden.",
        "Number of sessions in the period.",
        "0–",
    ),
    Column(
        "ors_ratings",
        "integer",
        "Antall ORS fra klienten på inntaksskjemaet.",
        "Number of the client's ORS ratings on the intake form.",
        "0–",
    ),
    Column(
        "intake_ors",
        "decimal",
        "Klientens første ORS (inntak).",
        "The client's first ORS (intake).",
        SCORE,
    ),
    Column(
        "last_ors",
        "decimal",
        "Klientens siste ORS på samme skjema; tom med færre enn to.",
        "The client's last ORS on the same form; empty with fewer than two.",
        SCORE,
    ),
    Column(
        "change",
        "decimal",
        "last_ors minus intake_ors.",
        "last_ors minus intake_ors.",
        "-40.0–40.0; tom / empty",
    ),
    Column(
        "outcome",
        "text",
        "Utfall etter skjemaets normer (klinisk grense og pålitelig endring for aldersgruppen), "
        "som i tjenestens resultattall; for et åpent forløp endringen så langt. recovered: "
        "pålitelig bedring fra under til over grensen; too_few: færre enn to ORS; unscored: "
        "skjema uten poeng.",
        "Outcome by the form's norms (clinical cutoff and reliable change for the age group), "
        "as in the service's outcome figures; for an open episode the change so far. "
        "recovered: reliable improvement from below to above the cutoff; too_few: fewer than "
        "two ORS; unscored: a form without scores.",
        "recovered, improved, unchanged, deteriorated, too_few, unscored",
    ),
    Column(
        "srs_ratings",
        "integer",
        "Antall SRS (allianse) fra klienten i perioden.",
        "Number of the client's SRS (alliance) ratings in the period.",
        "0–",
    ),
    Column("srs_first", "decimal", "Første SRS.", "First SRS.", SCORE),
    Column("srs_last", "decimal", "Siste SRS.", "Last SRS.", SCORE),
    Column("srs_mean", "decimal", "Gjennomsnittlig SRS.", "Mean SRS.", SCORE),
    Column(
        "end_reason",
        "text",
        "Grunn til avslutning; tom for åpne forløp.",
        "Why the episode ended; empty for open episodes.",
        "planned, dropout, referred, moved, other; tom / empty",
    ),
)

STEPS = {
    "team": ("Team erstattet med «all».", "Team replaced by «all»."),
    "quarter_to_year": ("Kvartal erstattet med år.", "Quarters replaced by years."),
    "year_to_period": ("År erstattet med «all».", "Years replaced by «all»."),
    "age_group": ("Aldersgruppe erstattet med «all».", "Age group replaced by «all»."),
}


def _rows() -> list[tuple]:
    return [(c.name, c.type, c.nb, c.en, c.values) for c in DICTIONARY]


def as_csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(_rows())
    return out.getvalue()


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def as_markdown() -> str:
    lines = [
        "| " + " | ".join(HEADER) + " |",
        "|" + "---|" * len(HEADER),
    ]
    lines += ["| " + " | ".join(_cell(part) for part in row) + " |" for row in _rows()]
    return "\n".join(lines) + "\n"


def method_text(k: int = K) -> list[str]:
    """How the data set was protected, in both languages: the same for every export."""
    names = ", ".join(QUASI_IDENTIFIERS)
    return [
        f"k-anonymitet: hver kombinasjon av {names} gjelder minst {k} klienter. Kolonner gjøres "
        "grovere trinn for trinn (team, kvartal til år, år til «all», aldersgruppe) for alle "
        "rader; rader som fortsatt er i en gruppe med færre enn k, er tatt ut.",
        f"k-anonymity: every combination of {names} applies to at least {k} clients. Columns are "
        "made coarser step by step (team, quarter to year, year to «all», age group) for every "
        "row; rows still in a group of fewer than k have been left out.",
    ]


def report_lines(report: anonymity.Report) -> list[str]:
    """What was done to this export, in both languages."""
    lines = []
    if not report.steps:
        lines.append("Ingen kolonner generalisert. / No columns generalised.")
    for step in report.steps:
        nb, en = STEPS.get(step, (step, step))
        lines.append(f"{nb} / {en}")
    lines.append(
        f"Rader tatt ut (undertrykt): {report.suppressed} av {report.rows_in}. / "
        f"Rows left out (suppressed): {report.suppressed} of {report.rows_in}."
    )
    if report.smallest_class is not None:
        lines.append(
            f"Grupper: {report.classes}, den minste med {report.smallest_class} klienter. / "
            f"Groups: {report.classes}, the smallest with {report.smallest_class} clients."
        )
    return lines
