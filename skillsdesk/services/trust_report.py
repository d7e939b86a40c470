"""The trust side of J6: check the schools' export zips, then compare them in one report.

Runs without an open school. Every zip is verified before anything is written: the manifest
must list exactly the files in the zip with matching SHA-256, the schema version must be one this
copy reads, and every file must use the same framework. A file that fails is refused by name,
and no report is written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from skillsdesk import safefile
from skillsdesk.domain.csvsafe import csv_bytes
from skillsdesk.domain.errors import UserError
from skillsdesk.i18n import _
from skillsdesk.services.audit_export import FORMAT, READABLE_VERSIONS
from skillsdesk.services.audit_package import JSON_NAME, MANIFEST_NAME

MAX_MEMBER_BYTES = 50_000_000  # far above any real export; refuses a zip bomb before reading
COMBINED_HEADER = ("school", "urn", "academic_year", "table", "year_group", "skill",
                   "characteristic", "group", "category", "measure", "value")
_LABELS = ("year_group", "skill", "characteristic", "group")


@dataclass(frozen=True)
class VerifiedExport:
    name: str  # the file name, for messages
    manifest: dict[str, Any]
    document: dict[str, Any]

    @property
    def school(self) -> str:
        return str(self.document["meta"]["school"]["name"])

    def rows(self, table: str) -> list[dict[str, Any]]:
        return list(self.document["tables"][table]["rows"])


@dataclass(frozen=True)
class TrustReport:
    pdf: Path
    csv: Path | None
    schools: tuple[str, ...]


def _refuse(name: str, reason: str) -> UserError:
    return UserError(_("{file} was refused: {reason}").format(file=name, reason=reason))


def read_export(path: Path) -> VerifiedExport:
    """Open one export zip and check it against its manifest; UserError names what is wrong."""
    path = Path(path)
    name = path.name
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError as exc:
        raise _refuse(name, _("the file does not exist.")) from exc
    except (zipfile.BadZipFile, OSError) as exc:
        raise _refuse(name, _("it is not a SkillsDesk export (not a zip file).")) from exc
    with archive:
        infos = {i.filename: i for i in archive.infolist() if not i.is_dir()}
        if MANIFEST_NAME not in infos:
            raise _refuse(name, _("it has no manifest.json, so it is not a SkillsDesk export."))
        for info in infos.values():
            if info.file_size > MAX_MEMBER_BYTES:
                raise _refuse(name, _("{member} is far too large for an export.").format(
                    member=info.filename))
        contents: dict[str, bytes] = {}
        for member in infos:
            try:
                contents[member] = archive.read(member)
            except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError) as exc:
                # A changed byte inside a compressed member fails zip's own CRC check here.
                raise _refuse(name, _("{member} is damaged or has been changed since it was "
                                      "exported.").format(member=member)) from exc
    manifest = _json(name, MANIFEST_NAME, contents[MANIFEST_NAME])
    _check_version(name, manifest)
    listed = manifest.get("files")
    if not isinstance(listed, dict):
        raise _refuse(name, _("its manifest lists no files."))
    for member in sorted(set(contents) - {MANIFEST_NAME}):
        if member not in listed:
            raise _refuse(name, _("{member} is not listed in the manifest.").format(member=member))
    for member, expected in sorted(listed.items()):
        if member not in contents:
            raise _refuse(name, _("{member} is listed in the manifest but missing.").format(
                member=member))
        if hashlib.sha256(contents[member]).hexdigest() != str(expected).lower():
            raise _refuse(name, _("{member} has been changed since it was exported (its SHA-256 "
                                  "does not match the manifest).").format(member=member))
    if JSON_NAME not in contents:
        raise _refuse(name, _("it has no {member}.").format(member=JSON_NAME))
    document = _json(name, JSON_NAME, contents[JSON_NAME])
    _check_version(name, document)
    meta = document.get("meta")
    if not isinstance(meta, dict) or not isinstance(document.get("tables"), dict):
        raise _refuse(name, _("{member} has no figures.").format(member=JSON_NAME))
    if meta.get("framework", {}).get("code") != manifest.get("framework", {}).get("code"):
        raise _refuse(name, _("the manifest and {member} name different frameworks.").format(
            member=JSON_NAME))
    return VerifiedExport(name, manifest, document)


def _json(name: str, member: str, data: bytes) -> dict[str, Any]:
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _refuse(name, _("{member} is not valid JSON.").format(member=member)) from exc
    if not isinstance(value, dict):
        raise _refuse(name, _("{member} is not valid JSON.").format(member=member))
    return value


def _check_version(name: str, document: dict[str, Any]) -> None:
    if document.get("format") != FORMAT:
        raise _refuse(name, _("it is not a SkillsDesk trust export."))
    found = document.get("schema_version")
    # A bool is an int in Python, but `true` is no schema version.
    if isinstance(found, bool) or found not in READABLE_VERSIONS:
        raise _refuse(name, _("it uses schema version {found}; this SkillsDesk reads versions "
                              "{known}.").format(found=found, known=", ".join(
                                  str(v) for v in READABLE_VERSIONS)))


def verify_all(paths: Sequence[Path]) -> list[VerifiedExport]:
    if not paths:
        raise UserError(_("Choose at least one export zip."))
    exports = [read_export(Path(p)) for p in paths]
    first = exports[0]
    code = first.document["meta"]["framework"]["code"]
    seen: dict[tuple[str, str], str] = {}
    for export in exports:
        meta = export.document["meta"]
        if meta["framework"]["code"] != code:
            raise _refuse(export.name, _("it uses the framework '{found}' but {first} uses "
                                         "'{code}'; a trust report compares one framework.")
                          .format(found=meta["framework"]["code"], first=first.name, code=code))
        key = (export.school, str(meta.get("academic_year")))
        if key in seen:
            raise _refuse(export.name, _("{other} is already the export of {school} for "
                                         "{year}.").format(other=seen[key], school=key[0],
                                                          year=key[1]))
        seen[key] = export.name
    return exports


def combined_rows(exports: Sequence[VerifiedExport]) -> list[tuple[Any, ...]]:
    """Every published figure of every school, one per line, for a spreadsheet."""
    out: list[tuple[Any, ...]] = []
    for export in exports:
        meta = export.document["meta"]
        for table, body in export.document["tables"].items():
            kinds = {c["key"]: c["kind"] for c in body.get("columns", [])}
            for row in body.get("rows", []):
                labels = [row.get(k, "") for k in _LABELS]
                category = next((row[k] for k, kind in kinds.items()
                                 if kind == "label" and k not in _LABELS and k in row), "")
                for key, kind in kinds.items():
                    if kind != "label":
                        out.append((export.school, meta["school"].get("urn") or "",
                                    meta["academic_year"], table, *labels, category, key,
                                    row.get(key)))
    return out


def build_trust_report(paths: Sequence[Path], out_pdf: Path, out_csv: Path | None = None,
                       today: dt.date | None = None) -> TrustReport:
    exports = verify_all(paths)
    # reportlab loads when a PDF is made, not at start-up (STACK.md §10).
    from skillsdesk.reports.trust_report import build_trust_pdf

    pdf = build_trust_pdf([e.document for e in exports], today or dt.date.today())
    data = csv_bytes(COMBINED_HEADER, combined_rows(exports)) if out_csv else None
    try:
        safefile.write_bytes(Path(out_pdf), pdf)
        if out_csv is not None and data is not None:
            safefile.write_bytes(Path(out_csv), data)
    except OSError as exc:
        raise UserError(_("The report could not be written ({reason}).").format(
            reason=exc.strerror or exc)) from exc
    return TrustReport(Path(out_pdf), Path(out_csv) if out_csv else None,
                       tuple(e.school for e in exports))
