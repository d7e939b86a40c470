"""Staff appraisal in the trust export: counts only, suppressed like pupil counts (issue 5)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from skillsdesk.domain.audit_appraisal import appraisal_table
from skillsdesk.paths import resources_dir
from skillsdesk.services.audit_export import ExportSettings
from tests.services.test_audit_export import every_text, unzip

TRAINING = "Quillbrook Zephyrant Playground Games Masterclass"
DAY = dt.date(2026, 10, 14)


def seed_appraisals(services: Any) -> list[str]:
    """12 support staff (11 appraisals complete, 1 open, all trained) and 3 lunchtime staff (3 open,
    1 trained): distinctive names and logins, and one person's unusual training hours."""
    services.school.set_name("Larkspur Lane Primary")
    seen: list[str] = [TRAINING]
    people = [("support", i) for i in range(12)] + [("lunchtime", i) for i in range(3)]
    for role, i in people:
        login = f"xq{role[:3]}{i:02d}.vantablorp"
        name = f"Ottoline Brackwater-Quince {role.title()} {i}"
        seen += [login, name]
        person = services.accounts.add_staff(login, name, role)
        cycle = services.appraisal.open_cycle(person.id, None)
        if role == "support" or i == 0:
            # 3.35 h each, and 7.75 h for lunchtime's only trainee: a per-person figure.
            hours = 3.35 if role == "support" else 7.75
            services.appraisal.log_training(cycle.id, f"{TRAINING} {i}", hours, DAY)
        if role == "support" and i < 11:
            services.appraisal.set_status(cycle.id, "complete")
    return seen + ["7.75", "3.35"]


def schema(version: int) -> dict[str, Any]:
    path = resources_dir() / "schemas" / f"audit-export-{version}.schema.json"
    return json.loads(path.read_text(encoding="utf-8"))


def test_appraisal_is_counts_only_and_small_counts_show_as_c(services, tmp_path: Path) -> None:
    seen = seed_appraisals(services)
    export = services.audit_export.build(ExportSettings(min_cell=5))
    rows = {r["role"]: r for r in export.table("staff_appraisal").records()}
    assert list(rows) == ["support", "lunchtime"]
    # 1 open of 12: hidden, and so is "complete", or 12 - 11 would give the open one away.
    assert rows["support"] == {"role": "support", "cycles_open": "c", "cycles_complete": "c",
                               "staff_trained": 12, "training_hours": 40}  # 40.2 h
    assert rows["lunchtime"] == {"role": "lunchtime", "cycles_open": "c",
                                 "cycles_complete": "c", "staff_trained": "c",
                                 "training_hours": "c"}
    assert export.suppressed_cells == 5  # no pupils: only these counts are withheld
    names = [t.name for t in export.tables]
    assert names.index("staff_appraisal") == len(names) - 2  # staff by role stays last
    out = tmp_path / "export.zip"
    services.audit_export.save(export, out)
    files = unzip(out)
    csv_text = files["staff_appraisal.csv"].decode("utf-8-sig")
    assert csv_text.splitlines()[0] == \
        "role,cycles_open,cycles_complete,staff_trained,training_hours"
    assert "lunchtime,c,c,c,c" in csv_text
    document = json.loads(files["audit.json"])
    assert document["schema_version"] == 2
    validator = jsonschema.Draft202012Validator(schema(2),
                                                format_checker=jsonschema.FormatChecker())
    assert not [e.message for e in validator.iter_errors(document)]
    document["tables"]["staff_appraisal"]["rows"][0]["login"] = "someone"
    assert not validator.is_valid(document)  # no room for a person's own fields
    # No staff name, login, training title or per-person hours anywhere in the zip.
    haystack = "\n".join(every_text(out)).casefold()
    for value in seen:
        assert value.casefold() not in haystack, value
        assert hashlib.sha256(value.encode()).hexdigest() not in haystack, value
    assert "staff appraisal" in haystack  # the PDF summary has the table


def test_appraisal_figures_large_enough_are_shown(services) -> None:
    seed_appraisals(services)
    export = services.audit_export.build(ExportSettings(min_cell=5, rounding=True))
    support = export.table("staff_appraisal").records()[0]
    assert support["staff_trained"] == 10  # 12 rounded to the nearest 5


@pytest.mark.parametrize(("cycles", "trained", "staff", "want"), [
    # Nothing small: everything shows (zeros too).
    ({("support", "open"): 6, ("support", "complete"): 9}, {"support": (40.5, 15)},
     {"support": 15}, ("support", 6, 9, 15, 41)),
    # 2 staff without a cycle (or training): showing open and complete would give
    # "15 - 6 - 7 = 2" away, so one of them goes too; 13 trained would give "15 - 13" away.
    ({("support", "open"): 6, ("support", "complete"): 7}, {"support": (12.0, 13)},
     {"support": 15}, ("support", "c", 7, "c", "c")),
    # A small role: nothing about it shows, not even its zeros.
    ({("lunchtime", "open"): 3}, {}, {"lunchtime": 3}, ("lunchtime", "c", "c", "c", "c")),
])
def test_the_headcount_cannot_give_a_hidden_count_away(cycles, trained, staff, want) -> None:
    table = appraisal_table(cycles, trained, staff, min_cell=5, rounding=False)
    row = next(r for r in table.rows if r[0] == want[0])
    assert row == want


def test_a_version_1_export_still_validates_against_its_own_schema(demo_services,
                                                                    tmp_path: Path) -> None:
    saved = demo_services.audit_export.export(tmp_path / "a.zip")
    document = json.loads(unzip(saved.path)["audit.json"])
    del document["tables"]["staff_appraisal"]
    document["schema_version"] = 1
    assert jsonschema.Draft202012Validator(schema(1)).is_valid(document)


def test_the_trust_report_reads_version_1_and_2_side_by_side(services, tmp_path: Path) -> None:
    from pypdf import PdfReader

    from skillsdesk.services.trust_report import build_trust_report, combined_rows, verify_all
    from tests.services.test_trust_report import rewrite

    seed_appraisals(services)
    new = services.audit_export.export(tmp_path / "larkspur.zip", ExportSettings(min_cell=5)).path
    files = unzip(new)
    document, manifest = json.loads(files["audit.json"]), json.loads(files["manifest.json"])
    del document["tables"]["staff_appraisal"]
    document["schema_version"] = manifest["schema_version"] = 1
    document["meta"]["school"]["name"] = manifest["school"]["name"] = "Old Copy Primary"
    old = rewrite(new, tmp_path / "old.zip", {
        "audit.json": json.dumps(document).encode(), "manifest.json": json.dumps(manifest).encode(),
        "staff_appraisal.csv": None}, fix_manifest=True)
    report = build_trust_report([new, old], tmp_path / "trust.pdf")
    pdf_text = "\n".join(p.extract_text() for p in PdfReader(report.pdf).pages)
    assert "Staff appraisal this academic year" in pdf_text
    assert "Larkspur Lane Primary Support staff c c 40" in " ".join(pdf_text.split())
    appraisal = [r for r in combined_rows(verify_all([new, old])) if r[3] == "staff_appraisal"]
    assert {r[0] for r in appraisal} == {"Larkspur Lane Primary"} and len(appraisal) == 8
