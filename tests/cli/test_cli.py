import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from skillsdesk.__main__ import main
from skillsdesk.cli import csv_safe


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_pupils_list_in_three_formats(demo_dir: Path, capsys) -> None:
    code, out, _err = run(capsys, "pupils", "list", "--data-dir", str(demo_dir), "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert len(rows) == 90 and {"admission_number", "first_name", "class"} <= set(rows[0])
    group = rows[-1]["class"]
    code, out, _err = run(capsys, "pupils", "list", "--group", group, "--format", "csv",
                          "--data-dir", str(demo_dir))
    parsed = list(csv.DictReader(io.StringIO(out)))
    assert parsed and all(r["class"] == group for r in parsed)
    code, out, _err = run(capsys, "pupils", "list", "--data-dir", str(demo_dir))
    assert out.splitlines()[0].startswith("admission_number")


def test_data_dir_from_the_environment(demo_dir: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("SKILLSDESK_DATA_DIR", str(demo_dir))
    code, out, _err = run(capsys, "staff", "list", "--format", "json")
    assert code == 0 and any(s["login"] == "head" for s in json.loads(out))


def test_rejected_input_exits_1_with_a_message_and_changes_nothing(
        tmp_path: Path, plain_school: Path, capsys) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("Adno,Forename,Surname,Year\n1,Ann,Lee,3\n1,Bob,Lee,Year 9\n", encoding="utf-8")
    code, out, err = run(capsys, "pupils", "import", str(bad), "--data-dir", str(tmp_path / "s"))
    assert code == 1
    assert "line 3" in err and "Traceback" not in err + out
    code, out, _err = run(capsys, "pupils", "list", "--format", "json",
                          "--data-dir", str(tmp_path / "s"))
    assert json.loads(out) == []


def test_import_dry_run_then_real(tmp_path: Path, plain_school: Path, capsys) -> None:
    good = tmp_path / "good.csv"
    good.write_text("Adno,Forename,Surname,Year,Class,DOB\n1,Ann,Lee,3,3A,2018-01-01\n",
                    encoding="utf-8")
    data = ["--data-dir", str(tmp_path / "s")]
    code, out, _err = run(capsys, "pupils", "import", str(good), "--dry-run", *data)
    assert code == 0 and "Dry run" in out and "DOB" in out
    assert json.loads(run(capsys, "pupils", "list", "--format", "json", *data)[1]) == []
    assert run(capsys, "pupils", "import", str(good), *data)[0] == 0
    assert len(json.loads(run(capsys, "pupils", "list", "--format", "json", *data)[1])) == 1


def test_usage_errors_exit_2(capsys) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["pupils", "list", "--format", "xml"])
    assert caught.value.code == 2
    with pytest.raises(SystemExit) as caught:
        main(["demo", "--pupils", "many"])
    assert caught.value.code == 2


def test_framework_commands(tmp_path: Path, plain_school: Path, capsys) -> None:
    data = ["--data-dir", str(tmp_path / "s")]
    code, out, _err = run(capsys, "framework", "list", "--format", "json", *data)
    assert {f["code"] for f in json.loads(out)} >= {"essential-skills", "trust-six"}
    target = tmp_path / "out.toml"
    assert run(capsys, "framework", "export", "essential-skills", str(target), *data)[0] == 0
    code, out, _err = run(capsys, "framework", "import", str(target), *data)
    assert code == 0 and "Updated" in out
    missing = run(capsys, "framework", "import", str(tmp_path / "none.toml"), *data)
    assert missing[0] == 1 and "none.toml" in missing[2]


def test_observations_and_progress(demo_dir: Path, capsys) -> None:
    data = ["--data-dir", str(demo_dir)]
    pupils = json.loads(run(capsys, "pupils", "list", "--format", "json", *data)[1])
    adno = pupils[-1]["admission_number"]
    code, out, _err = run(capsys, "observations", "list", "--pupil", adno, "--format", "json",
                          *data)
    assert code == 0 and json.loads(out) and all(r["admission_number"] == adno
                                                for r in json.loads(out))
    code, out, _err = run(capsys, "progress", "--pupil", adno, "--format", "json", *data)
    assert code == 0 and "listening" in json.loads(out)[0]
    code, _out, err = run(capsys, "observations", "list", "--pupil", "nobody", *data)
    assert code == 1 and "nobody" in err


def test_unexpected_errors_are_logged_not_shown(tmp_path: Path, plain_school: Path, capsys,
                                                monkeypatch) -> None:
    import skillsdesk.services.school as school

    def boom(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(school.SchoolService, "staff", boom)
    code, out, err = run(capsys, "staff", "list", "--data-dir", str(tmp_path / "s"))
    assert code == 1 and "secret" not in err + out and "log" in err
    log = (tmp_path / "s" / "logs" / "skillsdesk.log").read_text(encoding="utf-8")
    assert "secret internal detail" in log


def test_staff_add(tmp_path: Path, plain_school: Path, capsys) -> None:
    data = ["--data-dir", str(tmp_path / "s")]
    assert run(capsys, "staff", "add", "jbloggs", "--name", "Jo Bloggs", "--role", "teacher",
               *data)[0] == 0
    again = run(capsys, "staff", "add", "jbloggs", "--name", "Jo Bloggs", "--role", "teacher",
                *data)
    assert again[0] == 1 and "taken" in again[2]


def test_csv_output_cannot_carry_formulas() -> None:
    assert csv_safe("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert csv_safe("@SUM") == "'@SUM"
    assert csv_safe(-5) == -5 and csv_safe("Ann") == "Ann"


def test_the_installed_command_runs(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "skillsdesk", "demo", "--pupils", "12",
                             "--years", "1", "--data-dir", str(tmp_path / "d")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "12 pupils" in result.stdout
