import csv
import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from skillsdesk.__main__ import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_careers_activities_in_three_formats(demo_dir: Path, capsys) -> None:
    data = ["--data-dir", str(demo_dir)]
    code, out, _err = run(capsys, "careers", "activities", "--year", "2025/26",
                          "--format", "json", *data)
    assert code == 0
    rows = json.loads(out)
    assert len(rows) >= 10
    assert {"date", "title", "kind", "partner", "sector", "classes", "pupils", "benchmarks",
            "criteria_met", "meaningful", "role_models"} <= set(rows[0])
    assert all(r["date"].startswith(("2025", "2026")) for r in rows)
    code, out, _err = run(capsys, "careers", "activities", "--year", "2025/26",
                          "--format", "csv", *data)
    assert [r["title"] for r in csv.DictReader(io.StringIO(out))] == [r["title"] for r in rows]
    code, out, _err = run(capsys, "careers", "activities", *data)
    assert code == 0 and out.splitlines()[0].startswith("date")


def test_careers_report_writes_a_pdf(demo_dir: Path, tmp_path: Path, capsys) -> None:
    target = tmp_path / "out" / "careers.pdf"
    code, out, err = run(capsys, "careers", "report", "--out", str(target),
                         "--data-dir", str(demo_dir))
    assert code == 0 and str(target) in out and not err
    text = " ".join(p.extract_text() for p in PdfReader(str(target)).pages)
    assert "Action plan" in text and "PB8" in text


def test_careers_listings_and_refusals(demo_dir: Path, capsys) -> None:
    data = ["--data-dir", str(demo_dir)]
    code, out, _err = run(capsys, "careers", "audit", "--format", "json", *data)
    assert code == 0 and [r["benchmark"] for r in json.loads(out)][:2] == ["PB1", "PB2"]
    code, out, _err = run(capsys, "careers", "actions", "--format", "json", *data)
    assert any(r["overdue"] for r in json.loads(out))
    code, out, _err = run(capsys, "careers", "coverage", "--format", "json", *data)
    assert all({"class", "pupils", "reached", "assembly"} <= set(r) for r in json.loads(out))
    code, out, _err = run(capsys, "careers", "aspirations", "--format", "json", *data)
    assert code == 0 and all(v == "c" or int(v) >= 5 for r in json.loads(out)
                             for k, v in r.items() if k not in ("year_group", "gender"))
    code, out, err = run(capsys, "careers", "activities", "--year", "last", *data)
    assert code == 1 and "academic year" in err and "Traceback" not in err
    with pytest.raises(SystemExit) as usage:
        main(["careers", "report", *data])
    assert usage.value.code == 2
