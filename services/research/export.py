"""The download: a ZIP of data.csv, dictionary.csv and README.txt, recorded and audited.

The page and the command `research_export` both come here, so neither can skip a check, the
record of the export (`ResearchExport`) or its one audit row. The audit row names the project,
never a client: the data set is de-identified, and a row per client would say in the log which
clients are in it.

data.csv and dictionary.csv are machine files for R, Stata, SPSS or Python: UTF-8 without a
byte-order mark, commas between cells, a decimal point, one header row, an empty cell for "no
value" (RFC 4180). Every cell still goes through feedback.spreadsheet.safe_cell, in case one is
opened in a spreadsheet.

A project's exports never get finer: each one starts at least as high up the generalisation
ladder as the project's earlier ones (`anonymity`, `minimum_level`), because two files of the
same rows at different levels, joined by the row ids, would together be finer than either.
"""

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from feedback.spreadsheet import safe_row
from services.audit import log
from services.audit.models import Action

from . import dataset, dictionary
from .models import ResearchExport, ResearchProject


class NotExportable(Exception):
    """The project is not approved, is withdrawn or has expired."""


@dataclass(frozen=True)
class Download:
    name: str
    content: bytes
    record: ResearchExport


def data_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(dataset.COLUMNS)
    for row in rows:
        writer.writerow(safe_row(row[column] for column in dataset.COLUMNS))
    return out.getvalue()


def _date(day: datetime.date) -> str:
    return day.isoformat()


def readme(project: ResearchProject, data: dataset.DataSet, made_at: datetime.datetime) -> str:
    """What the recipient needs to know about the file, in bokmål and English."""
    by = project.approved_by
    approver = (by.get_full_name() or by.get_username()) if by is not None else "–"
    lines = [
        "Forskningsuttrekk / Research data set",
        "=====================================",
        "",
        f"Prosjekt / Project: {project.name}",
        f"Formål / Purpose: {project.purpose}",
        f"Mottaker / Recipient: {project.recipient}",
        f"Tjeneste / Service: {project.service.name} ({project.service.code})",
        "Periode / Period: forløp som startet / episodes that started "
        f"{_date(project.period_start)} – {_date(project.period_end)}",
        f"Godkjent av / Approved by: {approver}, {_date(timezone.localdate(project.approved_at))}",
        f"Kan lastes ned til / May be downloaded until: {_date(project.expires_on)}",
        f"Laget / Made: {timezone.localtime(made_at).strftime('%Y-%m-%d %H:%M')}",
        f"Rader / Rows: {len(data.rows)}",
        f"k = {data.report.k}",
        "",
        *dictionary.method_text(data.report.k),
        "",
        "Dette uttrekket / This export:",
        *(f"- {line}" for line in dictionary.report_lines(data.report)),
        "",
        "Filer / Files:",
        "- data.csv: ett forløp per rad / one episode per row. UTF-8, komma / comma, "
        "desimalpunktum / decimal point, tom celle = ingen verdi / empty cell = no value.",
        "- dictionary.csv: kolonnene / the columns (same format).",
        "",
        "Ingen klientkoder, datoer, hjelpere eller fritekst. / "
        "No client codes, dates, helpers or free text.",
        "",
    ]
    return "\n".join(lines)


def _zip(files: dict[str, str], made_at: datetime.datetime) -> bytes:
    stamp = timezone.localtime(made_at).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(zipfile.ZipInfo(name, stamp), text.encode("utf-8"))
    return out.getvalue()


def file_name(project: ResearchProject, made_at: datetime.datetime) -> str:
    day = timezone.localtime(made_at).date().isoformat()
    return f"{project.service.code}-research-{project.pk}-{day}.zip"


def export(project: ResearchProject, *, user=None, actor: str = "", request=None) -> Download:
    """The project's data set as a ZIP; NotExportable unless the project may be exported now."""
    if not project.may_export():
        raise NotExportable
    previous = project.exports.aggregate(level=Max("level"))["level"] or 0
    data = dataset.build(project, minimum_level=previous)
    made_at = timezone.now()
    content = _zip(
        {
            "data.csv": data_csv(data.rows),
            "dictionary.csv": dictionary.as_csv(),
            "README.txt": readme(project, data, made_at),
        },
        made_at,
    )
    with transaction.atomic():
        record = ResearchExport.objects.create(
            project=project,
            made_by=user,
            actor=actor or (user.get_username() if user is not None else "system"),
            made_at=made_at,
            rows=len(data.rows),
            suppressed_rows=data.report.suppressed,
            k=data.report.k,
            level=data.report.level,
            generalised=data.report.as_dict(),
        )
        log.record(
            Action.EXPORT,
            user=user,
            actor=actor,
            obj=project,
            service=project.service,
            request=request,
            detail=f"research export {project.pk}",
        )
    return Download(file_name(project, made_at), content, record)
