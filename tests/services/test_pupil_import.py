from pathlib import Path

import pytest

from skillsdesk.domain.errors import UserError

HEADER = "Admission Number,Legal First Name,Legal Last Name,Year Group,Registration Form,Gender," \
         "SEN Status,Pupil Premium,EAL,First Language,Date of Birth\n"
ROWS = [
    "001234,Siân,Llewelyn,Year 3,3 Oak,F,N,N,N,English,2018-02-03\n",
    "001235,Łucja,Żółtowska,3,3 Oak,Female,K,Y,Y,Polish,2018-05-06\n",
    "001236,Seán,O'Connor,R,R Ash,M,E,No,No,English,2021-01-01\n",
    "001237,محمد,Al-Sayed,Y6,6 Ash,Male,SEN Support,Yes,Yes,Arabic,2015-03-03\n",
]


def write(tmp_path: Path, rows: list[str], name: str = "pupils.csv",
          encoding: str = "utf-8-sig") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(rows), encoding=encoding, newline="")
    return path


def test_import_adds_pupils_with_classes_and_says_what_it_left_out(services, tmp_path) -> None:
    report = services.pupils.import_file(write(tmp_path, ROWS))
    assert len(report.added) == 4 and not report.updated
    assert "Date of Birth" in report.ignored_columns
    assert any("Date of Birth" in line for line in report.lines())
    pupils = {p.admission_number: p for p in services.school.pupils()}
    assert pupils["001235"].legal_first_name == "Łucja"
    assert pupils["001235"].sen == "K" and pupils["001235"].pupil_premium and pupils["001235"].eal
    assert pupils["001236"].year_group == "R" and pupils["001236"].sen == "E"
    assert pupils["001237"].legal_first_name == "محمد"
    assert {g.name for g in services.school.classes()} == {"3 Oak", "R Ash", "6 Ash"}
    assert [p.admission_number for p in services.school.pupils(group="3 Oak")] == \
        ["001234", "001235"]


def test_importing_the_same_file_twice_adds_nobody(services, tmp_path) -> None:
    path = write(tmp_path, ROWS)
    services.pupils.import_file(path)
    again = services.pupils.import_file(path)
    assert again.added == () and again.updated == () and again.unchanged == 4
    assert len(services.school.pupils()) == 4


def test_a_changed_row_updates_that_pupil(services, tmp_path) -> None:
    services.pupils.import_file(write(tmp_path, ROWS))
    changed = ROWS[:3] + ["001237,محمد,Al-Sayed,Y6,6 Oak,Male,N,Yes,Yes,Arabic,2015-03-03\n"]
    report = services.pupils.import_file(write(tmp_path, changed, "changed.csv"))
    assert [(c.admission_number, set(c.fields)) for c in report.updated] == \
        [("001237", {"sen", "class"})]
    pupil = {p.admission_number: p for p in services.school.pupils()}["001237"]
    assert pupil.sen == "N" and pupil.class_name == "6 Oak"


def test_dry_run_changes_nothing(services, tmp_path) -> None:
    report = services.pupils.import_file(write(tmp_path, ROWS), dry_run=True)
    assert len(report.added) == 4
    assert "Dry run" in "\n".join(report.lines())
    assert services.school.pupils() == []
    assert services.school.classes() == []


def test_an_invalid_row_rejects_the_whole_file(services, tmp_path) -> None:
    bad = ROWS + ["001238,,Nameless,3,3 Oak,F,N,N,N,English,\n",
                  "001234,Again,Twice,3,3 Oak,F,N,N,N,English,\n",
                  "001239,Too,Old,Year 7,7A,F,N,N,N,English,\n"]
    with pytest.raises(UserError) as caught:
        services.pupils.import_file(write(tmp_path, bad))
    lines = {p.line for p in caught.value.problems}
    assert {6, 7, 8} <= lines
    assert "Nothing was changed" in caught.value.message
    assert services.school.pupils() == []


def test_skip_invalid_imports_the_good_rows_and_reports_the_rest(services, tmp_path) -> None:
    bad = ROWS + ["001239,Too,Old,Year 7,7A,F,N,N,N,English,\n"]
    report = services.pupils.import_file(write(tmp_path, bad), skip_invalid=True)
    assert len(report.added) == 4
    assert [p.line for p in report.skipped] == [6]
    assert any("Year 7" in str(p) for p in report.skipped)


def test_windows_1252_semicolons_and_crlf(services, tmp_path) -> None:
    path = tmp_path / "sims.csv"
    text = (HEADER + ROWS[0]).replace(",", ";").replace("\n", "\r\n")
    path.write_bytes(text.encode("cp1252"))
    services.pupils.import_file(path)
    assert services.school.pupils()[0].legal_first_name == "Siân"


def test_unknown_layout_names_the_columns_it_looked_for(services, tmp_path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("Colour,Animal\nred,cat\n", encoding="utf-8")
    with pytest.raises(UserError) as caught:
        services.pupils.import_file(path)
    text = str(caught.value)
    assert "odd.csv" in text and "Surname" in text and "Admission Number" in text
