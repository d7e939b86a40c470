"""``skillsdesk passports`` (DESIGN.md §6): files written, clear refusals, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from skillsdesk.__main__ import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def first_class(demo_dir: Path, capsys) -> tuple[str, list[dict]]:  # type: ignore[no-untyped-def]
    _code, out, _err = run(capsys, "pupils", "list", "--data-dir", str(demo_dir),
                           "--format", "json")
    rows = json.loads(out)
    group = rows[-1]["class"]
    return group, [r for r in rows if r["class"] == group]


def test_a_class_a_year_group_and_picked_pupils(demo_dir: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    group, members = first_class(demo_dir, capsys)
    code, out, err = run(capsys, "passports", "--data-dir", str(demo_dir), "--group", group,
                         "--out", str(tmp_path / "class.pdf"), "--lang", "cy")
    assert code == 0, err
    assert f"Wrote {len(members)} passports" in out
    reader = PdfReader(str(tmp_path / "class.pdf"))
    assert len(reader.pages) % 2 == 0
    assert "Fy mhasbort sgiliau" in reader.pages[0].extract_text()
    code, out, err = run(capsys, "passports", "--data-dir", str(demo_dir), "--year-group", "R",
                         "--out", str(tmp_path / "folder"), "--per-pupil")
    assert code == 0, err
    assert "into" in out and list((tmp_path / "folder").glob("*.pdf"))
    picked = [m["admission_number"] for m in members[:2]]
    code, out, err = run(capsys, "passports", "--data-dir", str(demo_dir), "--pupil", picked[0],
                         "--pupil", picked[1], "--out", str(tmp_path / "two.pdf"))
    assert code == 0 and "Wrote 2 passports" in out
    assert [o.title for o in PdfReader(str(tmp_path / "two.pdf")).outline] == [
        f"{m['first_name']} {m['last_name']}" for m in members[:2]]


@pytest.mark.parametrize(("args", "message"), [
    (("--group", "Nowhere"), "There is no group called 'Nowhere'."),
    (("--pupil", "000000"), "No pupil has admission number 000000."),
    (("--year-group", "Year 8"), "'Year 8' is not a primary year group."),
    (("--group", "1 Oak", "--lang", "xx_YY"), "'xx_YY' is not a language"),
])
def test_refusals_exit_1_and_write_nothing(demo_dir: Path, tmp_path: Path, capsys,
                                           args: tuple[str, ...], message: str) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(capsys, "passports", "--data-dir", str(demo_dir), *args,
                         "--out", str(tmp_path / "x.pdf"))
    assert code == 1 and message in err and "Traceback" not in err
    assert not (tmp_path / "x.pdf").exists()


def test_usage_errors_exit_2(demo_dir: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as raised:
        main(["passports", "--data-dir", str(demo_dir), "--out", str(tmp_path / "x.pdf")])
    assert raised.value.code == 2
    with pytest.raises(SystemExit) as raised:
        main(["passports", "--data-dir", str(demo_dir), "--group", "A", "--pupil", "1",
              "--out", str(tmp_path / "x.pdf")])
    assert raised.value.code == 2


def test_a_folder_or_an_unwritable_target_is_a_sentence(demo_dir: Path, tmp_path: Path,
                                                        capsys) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "out"
    folder.mkdir()
    code, _out, err = run(capsys, "passports", "--data-dir", str(demo_dir), "--group", "1 Oak",
                          "--out", str(folder))
    assert code == 1 and f"{folder} is a folder" in err and "Traceback" not in err
    assert not list(folder.iterdir())
    blocking = tmp_path / "notes.txt"  # a file where the path needs a folder
    blocking.write_text("kept", encoding="utf-8")
    code, _out, err = run(capsys, "passports", "--data-dir", str(demo_dir), "--group", "1 Oak",
                          "--out", str(blocking / "class.pdf"))
    assert code == 1 and f"{blocking} is a file, not a folder" in err and "Traceback" not in err
    assert blocking.read_text(encoding="utf-8") == "kept"


def test_characters_that_cannot_be_printed_are_named_on_stderr(demo_dir: Path, tmp_path: Path,
                                                               capsys) -> None:  # type: ignore[no-untyped-def]
    """A warning line per pupil whose typed text holds characters no font has; emoji and
    Chinese print (in fallback fonts) and are not warned about; the exit code stays 0."""
    import datetime as dt

    from skillsdesk.services.container import open_services
    from tests.conftest import TODAY

    group, members = first_class(demo_dir, capsys)
    services = open_services(demo_dir, today=TODAY)
    try:
        pupils = services.passports.pupils_for(group=group)
        first, second, third = pupils[:3]
        services.passports.set_comment(first, "Loves maths \U0001FAF6 and says สวัสดี")
        services.passports.add_family_note(second, "Made dumplings \U0001FAE0",
                                           dt.date(2026, 11, 2))
        services.passports.set_comment(third, "A star 🌟, says 你好")  # all printable
    finally:
        services.close()
    code, out, err = run(capsys, "passports", "--data-dir", str(demo_dir), "--group", group,
                         "--out", str(tmp_path / "class.pdf"))
    assert code == 0 and f"Wrote {len(members)} passports" in out
    warnings = [line for line in err.splitlines() if line.startswith("Warning:")]
    assert len(warnings) == 2, err
    assert first.display_name in warnings[0] and first.admission_number in warnings[0]
    assert "the teacher's comment: \U0001FAF6 (U+1FAF6), ส (U+0E2A)" in warnings[0]
    assert second.display_name in warnings[1]
    assert "the note from home of 2 November 2026: \U0001FAE0 (U+1FAE0)" in warnings[1]
    assert third.display_name not in err and "Traceback" not in err
    text = "\n".join(page.extract_text() for page in PdfReader(str(tmp_path / "class.pdf")).pages)
    assert "Loves maths [?] and says [?]" in text and "Made dumplings [?]" in text
    assert "🌟" in text and "你好" in text
