import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from skillsdesk.__main__ import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_appraisal_report_list_and_lunchtime(demo_dir: Path, capsys, tmp_path: Path) -> None:
    pdf = tmp_path / "lunch1.pdf"
    code, out, _err = run(capsys, "appraisal", "report", "--staff", "lunch1", "--year",
                          "2025/26", "--out", str(pdf), "--data-dir", str(demo_dir))
    assert code == 0 and "Wrote" in out
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(
        io.BytesIO(pdf.read_bytes())).pages).split())
    assert "Appraisal record:" in text and "Lunchtime practice" in text and "Signed" in text
    code, out, _err = run(capsys, "appraisal", "list", "--format", "json",
                          "--data-dir", str(demo_dir))
    rows = json.loads(out)
    assert code == 0 and {r["login"] for r in rows} >= {"ta1", "lunch1"}
    assert {r["year"] for r in rows} == {"2025/26", "2026/27"}
    code, out, _err = run(capsys, "appraisal", "lunchtime", "--staff", "lunch1", "--format",
                          "json", "--data-dir", str(demo_dir))
    assert code == 0 and sum(r["total"] for r in json.loads(out)) > 0


def test_unknown_staff_is_rejected(demo_dir: Path, capsys, tmp_path: Path) -> None:
    code, _out, err = run(capsys, "appraisal", "report", "--staff", "nobody", "--out",
                          str(tmp_path / "x.pdf"), "--data-dir", str(demo_dir))
    assert code == 1 and "nobody" in err and not (tmp_path / "x.pdf").exists()
    code, _out, err = run(capsys, "appraisal", "report", "--staff", "teacher1", "--out",
                          str(tmp_path / "x.pdf"), "--data-dir", str(demo_dir))
    assert code == 1 and "no appraisal" in err


def test_appraisal_framework_shows_and_sets_the_staff_framework(demo_dir: Path, capsys) -> None:
    where = ("--data-dir", str(demo_dir))
    code, out, _err = run(capsys, "appraisal", "framework", *where)
    assert code == 0 and "school's own framework" in out and "(essential-skills)" in out
    code, out, _err = run(capsys, "appraisal", "framework", "trust-six", *where)
    assert code == 0 and "(trust-six)" in out and "from now on" in out
    code, out, _err = run(capsys, "appraisal", "framework", *where)
    assert code == 0 and "(trust-six)" in out and "school's own" not in out
    code, _out, err = run(capsys, "appraisal", "framework", "juggling", *where)
    assert code == 1 and "juggling" in err
    code, _out, err = run(capsys, "appraisal", "framework", "trust-six", "--reset", *where)
    assert code == 2 and "not both" in err
    code, out, _err = run(capsys, "appraisal", "framework", "--reset", *where)
    assert code == 0 and "(essential-skills)" in out
    code, out, _err = run(capsys, "appraisal", "framework", *where)
    assert "school's own framework" in out
