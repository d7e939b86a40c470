"""Value normalisers shared by the pupil and observation importers."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skillsdesk.domain import normalise
from skillsdesk.domain.errors import UserError


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Admission Number", "admissionnumber"),
        ("\ufeffAdno", "adno"),
        ("Adm. No", "admno"),
        ("  ADM_NO ", "admno"),
        ("Form/Tutor Group", "formtutorgroup"),
        ("Ever 6 FSM", "ever6fsm"),
        ("Straße", "strasse"),
        ("Date Observed", "dateobserved"),
    ],
)
def test_header_key(text: str, key: str) -> None:
    assert normalise.header_key(text) == key


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  Siân  ", "Siân"),
        ("Gwenllian   ap\tRhys", "Gwenllian ap Rhys"),
        ("O'Connor", "O'Connor"),
        ("D’Souza", "D’Souza"),
        ("Smith-Jones", "Smith-Jones"),
        ("mcDONALD", "mcDONALD"),
        ("Ó Briain", "Ó Briain"),
        ("محمد", "محمد"),
        ("\u00a0Ștefan\u00a0", "Ștefan"),
    ],
)
def test_name_keeps_spelling(text: str, expected: str) -> None:
    assert normalise.name(text) == expected


def test_name_turns_nfd_into_nfc() -> None:
    nfd = unicodedata.normalize("NFD", "Zoë Llŷr Łucja Țurcanu")
    assert nfd != "Zoë Llŷr Łucja Țurcanu"
    assert normalise.name(nfd) == "Zoë Llŷr Łucja Țurcanu"


@given(st.text())
def test_name_is_nfc_and_idempotent(text: str) -> None:
    once = normalise.name(text)
    assert unicodedata.is_normalized("NFC", once)
    assert normalise.name(once) == once
    assert once == once.strip()


@pytest.mark.parametrize(
    "text", ["Y", "y", "Yes", "YES", "True", "TRUE", "1", "T", "✓", "✔", "x", "X", "FSM", "PP",
             "Eligible", "Ever 6"],
)
def test_yes(text: str) -> None:
    assert normalise.yes_no(text) is True


@pytest.mark.parametrize(
    "text", ["", "  ", "N", "no", "No", "FALSE", "false", "0", "F", "-", "None", "N/A",
             "Not eligible"],
)
def test_no(text: str) -> None:
    assert normalise.yes_no(text) is False


@pytest.mark.parametrize("text", ["Maybe", "?", "2", "Perhaps", "yes please", "*"])
def test_yes_no_unrecognised(text: str) -> None:
    assert normalise.yes_no(text) is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("E", "E"), ("e", "E"), ("EHC plan", "E"), ("EHCP", "E"),
        ("Education, Health and Care Plan", "E"), ("E - EHC Plan", "E"), ("Statement", "E"),
        ("S", "E"),
        ("K", "K"), ("SEN Support", "K"), ("K - SEN Support", "K"), ("A", "K"), ("P", "K"),
        ("School Action Plus", "K"),
        ("N", "N"), ("", "N"), ("None", "N"), ("No Special Educational Need", "N"),
        ("N - No Special Educational Need", "N"), ("-", "N"),
    ],
)
def test_sen_code(text: str, code: str) -> None:
    assert normalise.sen_code(text) == code


@pytest.mark.parametrize("text", ["Maybe", "Q", "?", "Yes"])
def test_sen_code_unrecognised(text: str) -> None:
    assert normalise.sen_code(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("M", "M"), ("male", "M"), ("Boy", "M"), ("F", "F"), ("Female", "F"), ("girl", "F"),
     ("", None), ("  ", None), (" Non-binary ", "Non-binary"), ("X", "X")],
)
def test_gender(text: str, expected: str | None) -> None:
    assert normalise.gender(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-22", dt.date(2026, 11, 22)),
        ("2026-11-22T09:30:00", dt.date(2026, 11, 22)),
        ("2026-11-22 09:30", dt.date(2026, 11, 22)),
        ("22/11/2026", dt.date(2026, 11, 22)),
        ("03/04/2026", dt.date(2026, 4, 3)),  # UK: 3 April, never 4 March
        ("22-11-2026", dt.date(2026, 11, 22)),
        ("22.11.2026", dt.date(2026, 11, 22)),
        ("2/3/26", dt.date(2026, 3, 2)),
        ("22/11/2026 14:05", dt.date(2026, 11, 22)),
        ("22 Nov 2026", dt.date(2026, 11, 22)),
        ("22 November 2026", dt.date(2026, 11, 22)),
        ("22-Nov-26", dt.date(2026, 11, 22)),
        ("1st Sept 2025", dt.date(2025, 9, 1)),
        ("Sunday 22 Nov 2026", dt.date(2026, 11, 22)),
        ("45983", dt.date(2025, 11, 22)),
        ("45983.5", dt.date(2025, 11, 22)),
        ("2026/11/22", dt.date(2026, 11, 22)),
    ],
)
def test_parse_date(text: str, expected: dt.date) -> None:
    assert normalise.parse_date(text) == expected


@pytest.mark.parametrize(
    "text", ["", "31/02/2026", "13/13/2026", "tomorrow", "22 Nob 2026", "0", "80001",
             "22 No 2026", "11/22/2026", "2026-13-01"],
)
def test_parse_date_rejects(text: str) -> None:
    assert normalise.parse_date(text) is None


def test_excel_serial_epoch() -> None:
    assert normalise.parse_date("1") == dt.date(1899, 12, 31)
    assert normalise.parse_date("61") == dt.date(1900, 3, 1)  # what Excel shows
    assert normalise.parse_date("80000") == dt.date(2119, 1, 11)
    assert normalise.parse_date("80001") is None


@given(st.text(max_size=40))
def test_value_normalisers_never_raise(text: str) -> None:
    normalise.parse_date(text)
    normalise.yes_no(text)
    normalise.sen_code(text)
    normalise.gender(text)
    normalise.header_key(text)
    normalise.admission_number(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("00123", "00123"), ("1234.0", "1234"), (" 0042 ", "0042"), ("W0042", "W0042"),
     ("1234.5", "1234.5")],
)
def test_admission_number(text: str, expected: str) -> None:
    assert normalise.admission_number(text) == expected


def test_scientific_notation_is_spotted() -> None:
    assert normalise.looks_scientific("1.23457E+11")
    assert not normalise.looks_scientific("12345")


ALIASES = {"first": ("Legal Forename", "Forename"), "pp": ("Pupil Premium", "FSM")}


def test_match_columns_prefers_earlier_alias_and_reports_the_other() -> None:
    match = normalise.match_columns(["FSM", "forename", "Legal Forename", "DOB", "",
                                     "Pupil premium"], ALIASES)
    assert match.index == {"first": 2, "pp": 5}
    assert match.columns == {"first": "Legal Forename", "pp": "Pupil premium"}
    assert match.ignored == ("FSM", "forename", "DOB")
    assert ("pp", "Pupil premium", "FSM") in match.superseded


def test_missing_columns_error_names_everything() -> None:
    error = normalise.missing_columns_error(
        "list.csv", ["Child", "Birthday"], ["first"], {"first": "legal first name"}, ALIASES
    )
    assert isinstance(error, UserError)
    for text in ("list.csv", "legal first name", '"Legal Forename"', '"Forename"', '"Child"',
                 '"Birthday"'):
        assert text in error.message
