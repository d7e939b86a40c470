"""`skillsdesk audit-export` and `skillsdesk trust-report`: exit codes and what they write."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from skillsdesk.__main__ import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as stop:  # argparse exits 2 on usage errors
        code = int(stop.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_export_then_report(demo_dir: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "school.zip"
    code, stdout, err = run(capsys, "audit-export", "--out", str(out), "--min-cell", "6",
                            "--round5", "--data-dir", str(demo_dir))
    assert code == 0, err
    assert "school.zip" in stdout and "c" in stdout
    with zipfile.ZipFile(out) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["min_cell"] == 6 and manifest["rounding"] == "nearest-5"
    # The trust side needs no school of its own: no database is opened or created.
    code, stdout, err = run(capsys, "trust-report", str(out), "--out", str(tmp_path / "t.pdf"),
                            "--csv", str(tmp_path / "t.csv"),
                            "--data-dir", str(tmp_path / "nowhere"))
    assert code == 0, err
    assert (tmp_path / "t.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "t.csv").exists() and not (tmp_path / "nowhere" / "skillsdesk.db").exists()


def test_usage_and_refusals(demo_dir: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "x.zip"
    data = ["--data-dir", str(demo_dir)]
    code, _out, err = run(capsys, "audit-export", "--out", str(out), "--min-cell", "4", *data)
    assert code == 1 and "below 5" in err and not out.exists() and "Traceback" not in err
    assert run(capsys, "audit-export", "--out", str(out), "--min-cell", "ten", *data)[0] == 2
    assert run(capsys, "audit-export", *data)[0] == 2  # --out is required
    assert run(capsys, "trust-report", "--out", str(tmp_path / "t.pdf"))[0] == 2
    code, _out, err = run(capsys, "trust-report", str(tmp_path / "missing.zip"),
                          "--out", str(tmp_path / "t.pdf"))
    assert code == 1 and "missing.zip" in err
