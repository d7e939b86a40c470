"""The trust report: exports are checked against their manifests before anything is written."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from skillsdesk.__main__ import main
from skillsdesk.domain.errors import UserError
from skillsdesk.services.audit_export import ExportSettings
from skillsdesk.services.trust_report import build_trust_report, read_export


@pytest.fixture(scope="module")
def built_export(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One real export of the demo school, made once for this module (it takes a second)."""
    from skillsdesk.services.container import open_services
    from tests.conftest import TODAY

    folder = tmp_path_factory.mktemp("trust")
    shutil.copytree(demo_template, folder / "school", ignore=shutil.ignore_patterns("logs"))
    services = open_services(folder / "school", today=TODAY)
    try:
        return services.audit_export.export(folder / "brackenfield.zip",
                                            ExportSettings(min_cell=5)).path
    finally:
        services.close()


@pytest.fixture
def export_zip(built_export: Path, tmp_path: Path) -> Path:
    target = tmp_path / built_export.name
    shutil.copyfile(built_export, target)
    return target


def rewrite(source: Path, target: Path, change: dict[str, bytes | None],
            fix_manifest: bool = False) -> Path:
    """A copy of an export zip with some members replaced (None: removed)."""
    with zipfile.ZipFile(source) as archive:
        files = {n: archive.read(n) for n in archive.namelist()}
    for name, data in change.items():
        if data is None:
            files.pop(name, None)
        else:
            files[name] = data
    if fix_manifest:
        manifest = json.loads(files["manifest.json"])
        manifest["files"] = {n: hashlib.sha256(d).hexdigest() for n, d in files.items()
                             if n != "manifest.json"}
        files["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return target


def second_school(export_zip: Path, tmp_path: Path, framework: str | None = None) -> Path:
    """Another school's export: same figures, another name (and maybe framework)."""
    with zipfile.ZipFile(export_zip) as archive:
        document = json.loads(archive.read("audit.json"))
        manifest = json.loads(archive.read("manifest.json"))
    document["meta"]["school"]["name"] = "Hillcrest Primary"
    manifest["school"]["name"] = "Hillcrest Primary"
    if framework:
        document["meta"]["framework"]["code"] = framework
        manifest["framework"]["code"] = framework
    target = rewrite(export_zip, tmp_path / "hillcrest.zip",
                     {"audit.json": json.dumps(document).encode(),
                      "manifest.json": json.dumps(manifest).encode()}, fix_manifest=True)
    return target


def test_two_schools_side_by_side(export_zip: Path, tmp_path: Path) -> None:
    other = second_school(export_zip, tmp_path)
    report = build_trust_report([export_zip, other], tmp_path / "trust.pdf",
                                tmp_path / "combined.csv")
    assert report.schools == ("Brackenfield Primary School", "Hillcrest Primary")
    pdf_text = "\n".join(p.extract_text() for p in PdfReader(tmp_path / "trust.pdf").pages)
    assert "Trust skills report" in pdf_text and "Hillcrest Primary" in pdf_text
    assert "Listening" in pdf_text and "Staff by role" in pdf_text
    raw = (tmp_path / "combined.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert {r["school"] for r in rows} == {"Brackenfield Primary School", "Hillcrest Primary"}
    pupils = [r for r in rows if r["table"] == "attainment" and r["measure"] == "pupils"
              and r["characteristic"] == "all" and r["skill"] == "listening"]
    assert len(pupils) == 2 * len({r["year_group"] for r in pupils})


def test_one_changed_byte_in_a_csv_is_refused_by_name(export_zip: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    with zipfile.ZipFile(export_zip) as archive:
        data = bytearray(archive.read("attainment.csv"))
    data[-5] = ord("9") if data[-5] != ord("9") else ord("8")
    tampered = rewrite(export_zip, tmp_path / "tampered.zip", {"attainment.csv": bytes(data)})
    with pytest.raises(UserError, match=r"tampered\.zip.*attainment\.csv.*changed"):
        read_export(tampered)
    code = main(["trust-report", str(export_zip), str(tampered), "--out",
                 str(tmp_path / "t.pdf")])
    err = capsys.readouterr().err
    assert code == 1 and "tampered.zip" in err and "attainment.csv" in err
    assert "Traceback" not in err and not (tmp_path / "t.pdf").exists()


def test_a_byte_changed_in_the_zip_itself_is_refused(export_zip: Path, tmp_path: Path) -> None:
    raw = bytearray(export_zip.read_bytes())
    with zipfile.ZipFile(export_zip) as archive:
        info = archive.getinfo("progress.csv")
    raw[info.header_offset + 30 + len(info.filename) + 10] ^= 0x01  # inside the compressed data
    broken = tmp_path / "broken.zip"
    broken.write_bytes(bytes(raw))
    with pytest.raises(UserError, match=r"broken\.zip.*progress\.csv"):
        read_export(broken)


@pytest.mark.parametrize("change, reason", [
    ({"manifest.json": None}, "no manifest"),
    ({"notes.txt": b"hello"}, "not listed"),
    ({"summary.pdf": None}, "missing"),
])
def test_a_manifest_that_does_not_match_is_refused(export_zip: Path, tmp_path: Path,
                                                   change: dict[str, bytes | None],
                                                   reason: str) -> None:
    with pytest.raises(UserError, match=reason):
        read_export(rewrite(export_zip, tmp_path / "odd.zip", change))


def test_another_schema_version_or_framework_is_refused(export_zip: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(export_zip) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    manifest["schema_version"] = 3
    newer = rewrite(export_zip, tmp_path / "newer.zip",
                    {"manifest.json": json.dumps(manifest).encode()})
    with pytest.raises(UserError, match="schema version 3"):
        read_export(newer)
    six = second_school(export_zip, tmp_path, framework="trust-six")
    with pytest.raises(UserError, match=r"hillcrest\.zip.*trust-six.*essential-skills"):
        build_trust_report([export_zip, six], tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()
    with pytest.raises(UserError, match="already the export"):
        build_trust_report([export_zip, export_zip], tmp_path / "x.pdf")
    (tmp_path / "not.zip").write_text("hello", encoding="utf-8")
    with pytest.raises(UserError, match="not a zip"):
        read_export(tmp_path / "not.zip")
