"""The trust export's files and its zip: CSV per table, one JSON document, a PDF summary and a
manifest with the SHA-256 of every other file, so the trust can tell a changed file.

The JSON follows ``resources/schemas/audit-export-2.schema.json`` (JSON Schema 2020-12; version 1,
without the staff appraisal table, is ``audit-export-1.schema.json``). Dates in the package are
days only, and the zip entries carry that day at midnight, not the time of export.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path
from typing import Any

from skillsdesk import safefile
from skillsdesk.domain.audit_tables import Table
from skillsdesk.domain.csvsafe import csv_bytes
from skillsdesk.i18n import _
from skillsdesk.services.audit_export import (
    FORMAT,
    SCHEMA_VERSION,
    AuditExport,
    ExportMeta,
    SavedExport,
)

JSON_NAME = "audit.json"
PDF_NAME = "summary.pdf"
MANIFEST_NAME = "manifest.json"


def meta_document(meta: ExportMeta) -> dict[str, Any]:
    return {
        "school": {"name": meta.school, "urn": meta.urn, "trust": meta.trust},
        "academic_year": meta.academic_year,
        "term": meta.term,
        "framework": {"code": meta.framework_code, "name": meta.framework_name,
                      "version": meta.framework_version},
        "skills": [{"code": code, "name": name} for code, name in meta.skills],
        "skillsdesk_version": meta.skillsdesk_version,
        "suppression": {"min_cell": meta.min_cell, "rounding": meta.rounding, "symbol": "c"},
        "created": meta.created.isoformat(),
    }


def table_document(table: Table) -> dict[str, Any]:
    return {
        "title": table.title,
        "columns": [{"key": c.key, "title": c.title, "kind": c.kind} for c in table.columns],
        "rows": table.records(),
    }


def export_document(export: AuditExport) -> dict[str, Any]:
    """The JSON document: the same figures as the CSV files, with what they mean."""
    return {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "meta": meta_document(export.meta),
        "tables": {t.name: table_document(t) for t in export.tables},
    }


def csv_name(table: Table) -> str:
    return f"{table.name}.csv"


def table_csv(table: Table) -> bytes:
    return csv_bytes([c.key for c in table.columns], table.rows)


def package_files(export: AuditExport) -> dict[str, bytes]:
    """Every file of the package, the manifest last (it hashes the others)."""
    files: dict[str, bytes] = {csv_name(t): table_csv(t) for t in export.tables}
    files[JSON_NAME] = json_bytes(export_document(export))
    # reportlab loads when a PDF is made, not at start-up (STACK.md §10).
    from skillsdesk.reports.audit_summary import build_summary_pdf

    files[PDF_NAME] = build_summary_pdf(meta_document(export.meta), export.tables)
    files[MANIFEST_NAME] = json_bytes(manifest(export.meta, files))
    return files


def manifest(meta: ExportMeta, files: dict[str, bytes]) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "school": {"name": meta.school, "urn": meta.urn, "trust": meta.trust},
        "academic_year": meta.academic_year,
        "framework": {"code": meta.framework_code, "name": meta.framework_name,
                      "version": meta.framework_version},
        "skillsdesk_version": meta.skillsdesk_version,
        # The export's settings. Who exported is for the audit trail, once staff sign in.
        "min_cell": meta.min_cell,
        "rounding": meta.rounding,
        "created": meta.created.isoformat(),
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())},
    }


def json_bytes(document: Any) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def zip_bytes(files: dict[str, bytes], day: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=(*day, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def write_package(export: AuditExport, path: Path) -> SavedExport:
    if path.suffix.lower() != ".zip":
        path = path.with_name(path.name + ".zip")
    files = package_files(export)
    created = export.meta.created
    data = zip_bytes(files, (created.year, created.month, created.day))
    try:
        safefile.write_bytes(path, data)
    except OSError as exc:
        from skillsdesk.domain.errors import UserError

        raise UserError(_("{file} could not be written ({reason}); nothing was saved.").format(
            file=path, reason=exc.strerror or exc)) from exc
    return SavedExport(path, tuple(files), len(data))
