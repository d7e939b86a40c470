"""Pupil lists from MIS exports: header matching, exact names, and every row problem reported."""

from __future__ import annotations

import csv
import io
import pathlib
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skillsdesk.domain.errors import UserError
from skillsdesk.domain.pupil_import import PUPIL_FIELDS, PupilRecord, parse_pupils
from skillsdesk.domain.tabular import Row, Table, read_table, read_table_bytes

FIXTURES = pathlib.Path(__file__).parents[1] / "fixtures" / "imports"
VALID_UPN = "B938201524017"


def parse_file(name: str):  # noqa: ANN201 - ParsedPupils
    return parse_pupils(read_table(FIXTURES / name))


def parse_text(text: str, source: str = "pupils.csv"):  # noqa: ANN201
    return parse_pupils(read_table_bytes(text.encode("utf-8"), source))


def by_adno(records: tuple[PupilRecord, ...]) -> dict[str, PupilRecord]:
    return {record.admission_number: record for record in records}


def test_record_fields_match_the_public_list() -> None:
    assert tuple(f for f in PupilRecord.__dataclass_fields__ if f != "line") == PUPIL_FIELDS


def test_arbor_export() -> None:
    parsed = parse_file("arbor_utf8_bom.csv")
    assert parsed.problems == ()
    assert len(parsed.records) == 7
    pupils = by_adno(parsed.records)
    llyr = pupils["00123"]
    assert (llyr.legal_first_name, llyr.legal_last_name, llyr.year_group) == ("Llŷr", "Pritchard",
                                                                               "3")
    assert (llyr.gender, llyr.sen, llyr.pupil_premium, llyr.eal) == ("M", "N", False, False)
    assert llyr.upn == VALID_UPN
    gwen = pupils["00124"]
    assert (gwen.preferred_first_name, gwen.sen, gwen.pupil_premium) == ("Gwen", "K", True)
    assert gwen.registration_group == "3 Oak"
    assert pupils["00125"].year_group == "R" and pupils["00125"].sen == "E"
    assert pupils["00129"].sen == "N"  # blank SEN cell in a SEN column means no SEN
    assert parsed.ignored_columns == ("Date of Birth", "Ethnicity")
    assert parsed.columns["year_group"] == "Year"
    assert parsed.columns["admission_number"] == "Admission Number"


def test_invalid_upn_is_a_warning_that_never_shows_the_upn() -> None:
    parsed = parse_file("arbor_utf8_bom.csv")
    stefan = by_adno(parsed.records)["00128"]
    assert stefan.upn is None
    [warning] = [w for w in parsed.warnings if w.field == "UPN"]
    assert warning.line == 7
    assert "A123" not in str(warning)
    text = "Adno,Forename,Surname,Year,UPN\n1,Megan,Thomas,3,Q938201524017\n"
    parsed = parse_text(text)  # a real-looking UPN with the wrong check letter
    assert parsed.records[0].upn is None
    assert all("938201524017" not in str(w) for w in parsed.warnings)
    assert parse_text(text.replace("Q938", "b938")).records[0].upn == VALID_UPN


@pytest.mark.parametrize(
    ("name", "count"),
    [("sims_cp1252_semicolon_crlf.csv", 4), ("bromcom_utf16_tab.txt", 5),
     ("scholarpack_plain.csv", 4), ("wonde_export.csv", 3), ("generic_template.csv", 2),
     ("pupils.xlsx", 4)],
)
def test_every_sample_export_imports_cleanly(name: str, count: int) -> None:
    parsed = parse_file(name)
    assert parsed.problems == ()
    assert len(parsed.records) == count
    assert parsed.invalid_lines == frozenset()


def test_names_keep_their_exact_spelling() -> None:
    names = set()
    for name in ("arbor_utf8_bom.csv", "sims_cp1252_semicolon_crlf.csv", "bromcom_utf16_tab.txt",
                 "pupils.xlsx", "wonde_export.csv"):
        for record in parse_file(name).records:
            names.add(f"{record.legal_first_name} {record.legal_last_name}")
    for expected in ("Llŷr Pritchard", "Gwenllian ap Rhys", "Saoirse Ó Briain", "Liam O'Connor",
                     "Aisha D’Souza", "Ștefan Țurcanu", "Oliver Smith-Jones", "Siân Hughes",
                     "Zoë Brontë-Evans", "Łucja Żółtowska", "محمد العلي", "Thảo Nguyễn",
                     "Ioana Popescu-Țurcanu", "Aoife Ní Bhriain", "Rhodri ap Dafydd"):
        assert expected in names


def test_nfd_names_become_nfc() -> None:
    text = unicodedata.normalize("NFD", "Adno,Forename,Surname,Known As,Year\n1,Zoë,Łoś,Llŷr,3\n")
    record = parse_text(text).records[0]
    assert record.legal_first_name == "Zoë"
    assert unicodedata.is_normalized("NFC", record.legal_first_name)
    assert (record.legal_last_name, record.preferred_first_name) == ("Łoś", "Llŷr")


def test_leading_zeros_survive_and_excel_floats_are_cleaned() -> None:
    assert "00123" in by_adno(parse_file("arbor_utf8_bom.csv").records)
    assert "00503" in by_adno(parse_file("pupils.xlsx").records)
    assert "0501" in by_adno(parse_file("generic_template.csv").records)
    parsed = parse_text("Adno,Forename,Surname,Year\n1234.0,A,B,3\n007,C,D,4\n")
    assert [r.admission_number for r in parsed.records] == ["1234", "007"]


def test_xlsx_numbers_and_words() -> None:
    pupils = by_adno(parse_file("pupils.xlsx").records)
    assert pupils["5001"].year_group == "3"
    assert pupils["5002"].admission_number == "5002"
    assert pupils["00503"].gender == "F" and pupils["5004"].gender == "M"
    assert pupils["5001"].pupil_premium is True and pupils["5004"].pupil_premium is False


def test_pupil_premium_beats_fsm_and_says_so() -> None:
    parsed = parse_file("wonde_export.csv")
    assert parsed.columns["pupil_premium"] == "Pupil Premium Eligibility"
    assert "FSM Eligibility" in parsed.ignored_columns
    assert [r.pupil_premium for r in parsed.records] == [False, True, False]
    assert any(w.field == "FSM Eligibility" for w in parsed.warnings)


def test_absent_optional_columns_are_none() -> None:
    record = parse_file("generic_template.csv").records[0]
    assert (record.sen, record.pupil_premium, record.eal, record.upn) == (None, None, None, None)
    assert record.preferred_first_name == "Seren Price-Lloyd"  # a full name is kept as written


def test_invalid_rows_are_all_reported_with_their_lines() -> None:
    parsed = parse_file("invalid_rows.csv")
    assert [r.line for r in parsed.records] == [9]
    assert parsed.invalid_lines == frozenset({2, 3, 4, 5, 6, 7, 8, 10})
    assert all(problem.line is not None for problem in parsed.problems)
    by_line: dict[int, list[str]] = {}
    for problem in parsed.problems:
        by_line.setdefault(problem.line or 0, []).append(f"{problem.field}: {problem.message}")
    assert any("line 5" in text and text.startswith("Adno") for text in by_line[2])
    assert any("blank" in text and text.startswith("Forename") for text in by_line[3])
    assert any('"Year 7"' in text for text in by_line[4])
    assert any("line 2" in text for text in by_line[5])
    assert any("4 cells where the header has 7" in text for text in by_line[6])
    assert any("quote" in text for text in by_line[7])
    assert any('"Maybe"' in text and text.startswith("SEN") for text in by_line[8])
    assert any('"Perhaps"' in text and text.startswith("PP") for text in by_line[8])
    assert any("10 to 11" in text for text in by_line[10])
    assert [w.line for w in parsed.warnings] == [9]  # the bad UPN: the row itself is fine


def test_every_repeat_of_an_admission_number_is_reported() -> None:
    parsed = parse_text("Adno,Forename,Surname,Year\n7,A,B,3\n8,C,D,3\n7,E,F,4\n7,G,H,5\n")
    assert [r.admission_number for r in parsed.records] == ["8"]
    messages = {p.line: p.message for p in parsed.problems}
    assert "also on line 2" in messages[4] and "also on line 2" in messages[5]
    assert "lines 4, 5" in messages[2]


@pytest.mark.parametrize("year", ["Year 7", "10", "Y8", "Sixth form", "0.5"])
def test_years_outside_primary_are_named(year: str) -> None:
    parsed = parse_text(f"Adno,Forename,Surname,Year\n1,A,B,{year}\n")
    assert parsed.records == ()
    assert f'"{year}"' in parsed.problems[0].message


def test_blank_year_and_admission_number() -> None:
    parsed = parse_text("Adno,Forename,Surname,Year\n,A,B,3\n2,C,D,\n")
    fields = sorted((p.line, p.field) for p in parsed.problems)
    assert fields == [(2, "Adno"), (3, "Year")]


def test_long_names_and_control_characters() -> None:
    long = "A" * 101
    parsed = parse_text(f"Adno,Forename,Surname,Year\n1,{long},B,3\n2,Ca\x07tlin,C,3\n"
                        f"3,{'B' * 100},D,3\n")
    assert [r.admission_number for r in parsed.records] == ["3"]
    assert "101 characters" in parsed.problems[0].message
    assert "control characters" in parsed.problems[1].message


def test_question_marks_from_excel_are_warned_about() -> None:
    parsed = parse_file("sims_cp1252_semicolon_crlf.csv")
    [warning] = parsed.warnings
    assert warning.line == 5 and "Ll?r" in warning.message


def test_scientific_notation_admission_number_is_a_problem() -> None:
    parsed = parse_text("Adno,Forename,Surname,Year\n1.23457E+11,A,B,3\n")
    assert parsed.records == ()
    assert "Excel" in parsed.problems[0].message


def test_extra_empty_trailing_cells_are_fine_but_extra_values_are_not() -> None:
    parsed = parse_text("Adno,Forename,Surname,Year\n1,A,B,3,,\n2,C,D,3,oops\n")
    assert [r.admission_number for r in parsed.records] == ["1"]
    assert "5 cells where the header has 4" in parsed.problems[0].message


def test_missing_columns_message_names_file_fields_and_aliases() -> None:
    with pytest.raises(UserError) as caught:
        parse_file("unknown_headers.csv")
    message = caught.value.message
    assert "unknown_headers.csv" in message
    for needle in ("admission number", "legal first name", "legal last name", "year group",
                   '"Adno"', '"Forename"', '"Surname"', '"NC Year"', '"Child"', '"Birthday"',
                   '"Teacher"'):
        assert needle in message


def test_only_the_missing_column_is_named() -> None:
    with pytest.raises(UserError) as caught:
        parse_text("Adno,Forename,Surname,DOB\n1,A,B,2017-01-01\n", "list.csv")
    message = caught.value.message
    assert "year group" in message and '"Year Group"' in message
    assert "legal first name" not in message


@pytest.mark.parametrize(
    "headers",
    [
        ("Adm No", "Legal Forename", "Legal Surname", "NC Year"),
        ("MIS ID", "Given Name", "Family Name", "Curriculum Year"),
        ("admission_number", "first_name", "last_name", "year_group"),
        ("ADNO", "FIRSTNAME", "LASTNAME", "YR"),
        ("Student ID", "First Name", "Last Name", "National Curriculum Year"),
    ],
)
def test_header_aliases(headers: tuple[str, ...]) -> None:
    parsed = parse_text(",".join(headers) + "\n1,A,B,Year 2\n")
    assert parsed.records[0].year_group == "2"


def test_direct_table_with_short_rows() -> None:
    table = Table(source="t.csv", headers=("Adno", "Forename", "Surname", "Year"), header_line=1,
                  rows=(Row(line=2, cells=("1",)),), encoding="utf-8", delimiter=",", problems=())
    parsed = parse_pupils(table)
    assert parsed.invalid_lines == frozenset({2})
    assert all(p.line == 2 for p in parsed.problems)


HEADERS = ["Adno", "Forename", "Surname", "Year", "SEN", "PP", "EAL", "UPN", "Gender", "Class"]
cell = st.one_of(
    st.text(max_size=12),
    st.sampled_from(['"', '""', ",", ";", "\t", "\n", "\r\n", "Year 3", "R", "K", "Y", "N",
                     "00123", "1234.0", VALID_UPN, "Siân", "محمد", "=cmd", "\x00", "\ufeff"]),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(cell, max_size=12), max_size=8), st.sampled_from([",", ";", "\t"]),
       st.booleans())
def test_random_csv_raises_only_user_error(rows: list[list[str]], delimiter: str,
                                           raw: bool) -> None:
    if raw:  # cells glued together without quoting: broken files on purpose
        body = "\n".join(delimiter.join(r) for r in rows)
        text = delimiter.join(HEADERS) + "\n" + body
    else:
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=delimiter).writerows([HEADERS, *rows])
        text = buffer.getvalue()
    try:
        parsed = parse_pupils(read_table_bytes(text.encode("utf-8"), "random.csv"))
    except UserError:
        return
    assert all(problem.line is not None for problem in parsed.problems)
    assert {p.line for p in parsed.problems} <= parsed.invalid_lines
    assert not {r.line for r in parsed.records} & parsed.invalid_lines
