"""The trust audit export end to end: what is in the zip, what never is (G21), and the schema."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from pypdf import PdfReader
from stdnum.gb import upn as stdnum_upn

from skillsdesk.domain.errors import UserError
from skillsdesk.paths import resources_dir
from skillsdesk.services.audit_export import ExportSettings

FIRST = ("Wyndrasil", "Quorvenna", "Thessalyn", "Brannoch", "Ysolde", "Kasimirek", "Ottavine",
         "Zephyrine", "Caedmonna", "Lorcasta")
LAST = ("Fitzwarrenby", "Quarringtonne", "Abernethyll", "Moriartyne")
NOTES = ("Told me about the night Grandad Horatio fell off the shed roof.",
         "Cried because Mummy and Uncle Leofric were shouting again.",
         "=HYPERLINK(\"http://example.invalid\",\"click\") was typed into the note field")
OBS_DATES = ("2026-10-07", "2026-10-13", "2026-11-04")


def _upn(i: int) -> str:
    body = f"2014010{16000 + i:05d}"
    return stdnum_upn.calc_check_digit(body) + body


def seed_school(services: Any, tmp_path: Path, per_year: int = 24) -> dict[str, list[str]]:
    """A school with distinctive names, numbers, UPNs, dates of birth and notes."""
    services.school.set_name("Larkspur Lane Primary")
    lines = ["Adno,UPN,Forename,Surname,Preferred name,Year,Class,Gender,SEN,Pupil Premium,EAL,DOB"]
    seen: dict[str, list[str]] = {"names": [], "adno": [], "upn": [], "dob": [], "notes": []}
    for i in range(per_year * 2):
        first, last = FIRST[i % len(FIRST)], LAST[i // len(FIRST) % len(LAST)]
        year = "3" if i < per_year else "4"
        dob = f"201{6 + (year == '3')}-0{1 + i % 9}-{10 + i % 18}"
        adno = f"QZ{7000 + i}"
        lines.append(f"{adno},{_upn(i)},{first},{last},{first[:4]}y,{year},{year} Larch,"
                     f"{'F' if i % 2 else 'M'},{'NNNKE'[i % 5]},{'Yes' if i % 3 == 0 else 'No'},"
                     f"{'Y' if i % 4 == 0 else 'N'},{dob}")
        seen["names"] += [first, last, f"{first} {last}", f"{first[:4]}y"]
        seen["adno"].append(adno)
        seen["upn"].append(_upn(i))
        seen["dob"] += [dob, dt.date.fromisoformat(dob).strftime("%d/%m/%Y")]
    (tmp_path / "pupils.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = services.pupils.import_file(tmp_path / "pupils.csv")
    assert len(report.added) == per_year * 2
    rows = ["Adno,Skill,Step,Date,Setting,Level,Note"]
    for i in range(per_year * 2):
        adno = f"QZ{7000 + i}"
        for step in range(0, 3 + i % 3):
            for day in OBS_DATES[:2]:
                rows.append(f"{adno},listening,{step},{day},classroom,independently,")
        rows.append(f"{adno},speaking,1,{OBS_DATES[2]},lunchtime,secured,"
                    f"\"{NOTES[i % 3].replace(chr(34), chr(34) * 2)}\"")
    (tmp_path / "obs.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    services.observations.import_file(tmp_path / "obs.csv")
    seen["notes"] = list(NOTES) + ["Horatio", "Leofric"]
    seen["dates"] = list(OBS_DATES) + ["07/10/2026", "13/10/2026", "04/11/2026"]
    return seen


def unzip(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {n: archive.read(n) for n in archive.namelist()}


def every_text(path: Path) -> list[str]:
    """Everything a reader could find in the zip: raw bytes, each file, the PDF's text."""
    raw = path.read_bytes()
    found = [raw.decode("latin-1")]
    for name, data in unzip(path).items():
        found.append(data.decode("utf-8", errors="replace"))
        found.append(data.decode("latin-1"))
        if name.endswith(".pdf"):
            found.append("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))
    return found


def test_nothing_about_a_pupil_leaves_the_school(services, tmp_path: Path) -> None:
    seen = seed_school(services, tmp_path)
    out = tmp_path / "export.zip"
    export = services.audit_export.build(ExportSettings(min_cell=5))
    services.audit_export.save(export, out)
    haystack = "\n".join(every_text(out)).casefold()
    # Any run of hex digits of a digest's length, in any case or spacing, is a candidate.
    compact = re.sub(r"[\s:-]", "", haystack)
    hex_runs = set()
    for run in re.findall(r"[0-9a-f]{32,}", compact):
        for size in (32, 40, 64):
            hex_runs.update(run[i:i + size] for i in range(len(run) - size + 1))
    needles = [v for values in seen.values() for v in values]
    assert len(needles) > 300
    for value in needles:
        assert value.casefold() not in haystack, value
        for algorithm in ("md5", "sha1", "sha256"):
            for variant in {value, value.casefold(), value.upper()}:
                digest = hashlib.new(algorithm, variant.encode("utf-8")).hexdigest()
                assert digest not in hex_runs, (value, algorithm)
    # ... and the export is not empty: the year groups' figures are there.
    year3 = [r for r in export.table("attainment").records()
             if r["year_group"] == "3" and r["characteristic"] == "all"]
    assert year3 and all(r["pupils"] == 24 for r in year3)
    lunch = [r for r in export.table("coverage_settings").records()
             if r["year_group"] == "all" and r["setting"] == "lunchtime"]
    assert lunch[0]["observations"] == 48


def test_the_zip_holds_csv_json_pdf_and_a_manifest_of_hashes(demo_services, tmp_path: Path) -> None:
    saved = demo_services.audit_export.export(tmp_path / "audit", ExportSettings(rounding=True))
    assert saved.path.name == "audit.zip"
    files = unzip(saved.path)
    manifest = json.loads(files["manifest.json"])
    assert set(files) == set(manifest["files"]) | {"manifest.json"}
    for name, digest in manifest["files"].items():
        assert hashlib.sha256(files[name]).hexdigest() == digest
    assert manifest["min_cell"] == 10 and manifest["rounding"] == "nearest-5"
    assert manifest["framework"]["code"] == "essential-skills"
    assert manifest["academic_year"] == "2026/27" and manifest["created"] == "2026-11-30"
    assert manifest["schema_version"] == 2 and manifest["skillsdesk_version"]
    assert files["summary.pdf"].startswith(b"%PDF")
    for name, data in files.items():
        if name.endswith(".csv"):
            assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    with zipfile.ZipFile(saved.path) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2026, 11, 30, 0, 0, 0)}


def schema() -> dict[str, Any]:
    path = resources_dir() / "schemas" / "audit-export-2.schema.json"
    return json.loads(path.read_text(encoding="utf-8"))


def test_json_matches_the_shipped_schema_and_the_csv_files(demo_services, tmp_path: Path) -> None:
    saved = demo_services.audit_export.export(tmp_path / "a.zip")
    files = unzip(saved.path)
    document = json.loads(files["audit.json"])
    jsonschema.Draft202012Validator.check_schema(schema())
    validator = jsonschema.Draft202012Validator(schema(), format_checker=jsonschema.FormatChecker())
    assert not [e.message for e in validator.iter_errors(document)]
    for name, table in document["tables"].items():
        text = files[f"{name}.csv"].decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text, newline="")))
        assert rows[0] == [c["key"] for c in table["columns"]]
        as_text = [["" if v is None else str(v) for v in r.values()] for r in table["rows"]]
        assert len(rows) == len(as_text) + 1, name
        for got, want in zip(rows[1:], as_text, strict=True):
            # Averages are written as short decimals (0.0 as 0); everything else as in JSON.
            assert [float(a) if "." in b else a for a, b in zip(got, want, strict=True)] == \
                   [float(b) if "." in b else b for b in want], name
    # Round trip: what is read back says the same; the schema notices a wrong or extra value.
    again = json.loads(json.dumps(document))
    assert again == document
    for table in again["tables"].values():
        del table["rows"][2:]  # a few rows are enough to show what the schema refuses
    assert validator.is_valid(again)
    again["tables"]["attainment"]["rows"][0]["pupils"] = 3.5
    assert not validator.is_valid(again)
    again["tables"]["attainment"]["rows"][0]["pupils"] = "c"
    again["tables"]["staff"]["rows"][0]["name"] = "Mrs Example"
    assert not validator.is_valid(again)


def test_published_counts_are_never_small(demo_services) -> None:
    export = demo_services.audit_export.build(ExportSettings(min_cell=10))
    checked = 0
    for table in export.tables:
        for row in table.rows:
            for column, value in zip(table.columns, row, strict=True):
                if column.kind == "count":
                    checked += 1
                    assert value in ("c", None, 0) or value >= 10, (table.name, row)
    assert checked > 1000 and 0 < export.suppressed_cells < export.cells


def test_a_minimum_cell_below_5_is_refused(services) -> None:
    with pytest.raises(UserError, match="below 5"):
        ExportSettings(min_cell=4)


def test_steps_gained_use_the_step_rule_at_the_start_of_the_year(services, tmp_path: Path) -> None:
    services.school.set_name("Gain School")
    (tmp_path / "p.csv").write_text("Adno,Forename,Surname,Year\n" + "".join(
        f"G{i},Ann,Lee,5\n" for i in range(12)), encoding="utf-8")
    services.pupils.import_file(tmp_path / "p.csv")
    rows = ["Adno,Skill,Step,Date,Setting,Level"]
    for i in range(12):
        rows += [f"G{i},teamwork,2,2026-06-10,classroom,secured",  # before 1 September
                 f"G{i},teamwork,3,2026-10-01,classroom,independently",
                 f"G{i},teamwork,3,2026-10-08,classroom,independently",  # secured on two days
                 f"G{i},teamwork,4,2026-10-09,classroom,independently"]  # only once: not yet
    (tmp_path / "o.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    services.observations.import_file(tmp_path / "o.csv")
    export = services.audit_export.build(ExportSettings(min_cell=5))
    row = next(r for r in export.table("progress").records()
               if r["skill"] == "teamwork" and r["group"] == "all")
    assert (row["pupils"], row["gained_1"], row["gained_0"], row["average_gained"]) == \
           (12, 12, 0, 1.0)
    att = next(r for r in export.table("attainment").records()
               if r["skill"] == "teamwork" and r["group"] == "all")
    assert att["expected_step"] == 4 and att["just_below"] == 12 and att["at"] == 0
    assert att["at_or_above_percent"] == 0


def test_a_school_without_pupils_or_name(services, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="no name"):
        services.audit_export.build()
    services.school.set_name("New School")
    saved = services.audit_export.export(tmp_path / "empty.zip")
    document = json.loads(unzip(saved.path)["audit.json"])
    assert document["tables"]["attainment"]["rows"] == []
    assert [r["staff"] for r in document["tables"]["staff"]["rows"]] == [0, 0, 0, 0]
