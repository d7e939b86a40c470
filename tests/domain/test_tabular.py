"""Reading spreadsheets: encodings, delimiters, line numbers, xlsx, and files that are not lists."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import pathlib
import zipfile

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skillsdesk.domain import tabular
from skillsdesk.domain.errors import UserError
from skillsdesk.domain.tabular import read_table, read_table_bytes

FIXTURES = pathlib.Path(__file__).parents[1] / "fixtures" / "imports"


def test_excel_csv_utf8_with_bom() -> None:
    table = read_table(FIXTURES / "arbor_utf8_bom.csv")
    assert table.encoding == "utf-8-sig"
    assert table.delimiter == ","
    assert table.headers[0] == "Admission Number"  # the BOM is not glued to the first header
    assert table.header_line == 1
    assert table.rows[0].line == 2
    assert table.rows[0].cells[:3] == ("00123", "Llŷr", "Pritchard")
    assert table.problems == ()


def test_windows_1252_semicolons_crlf() -> None:
    table = read_table(FIXTURES / "sims_cp1252_semicolon_crlf.csv")
    assert table.encoding == "cp1252"
    assert table.delimiter == ";"
    assert [row.cells[1] for row in table.rows] == ["Siân", "Zoë", "Rhodri", "Ll?r"]
    assert table.rows[1].cells[2] == "Brontë-Evans"
    assert [row.line for row in table.rows] == [2, 3, 4, 5]


def test_excel_unicode_text_is_utf16_tabs() -> None:
    table = read_table(FIXTURES / "bromcom_utf16_tab.txt")
    assert table.encoding == "utf-16"
    assert table.delimiter == "\t"
    assert table.headers[0] == "Pupil ID"
    assert table.rows[0].cells[1:3] == ("Łucja", "Żółtowska")
    assert table.rows[1].cells[1] == "محمد"


def test_utf16_without_bom_is_recognised() -> None:
    data = "Adno\tForename\r\n1\tŁucja\r\n".encode("utf-16-le")
    table = read_table_bytes(data, "pupils.txt")
    assert table.encoding == "utf-16-le"
    assert table.rows[0].cells == ("1", "Łucja")
    big_endian = "Adno,Forename\n1,Zoë\n".encode("utf-16-be")
    assert read_table_bytes(big_endian, "p.txt").rows[0].cells == ("1", "Zoë")


def test_utf16_big_endian_with_bom() -> None:
    data = b"\xfe\xff" + "Adno;Name\n7;Siân\n".encode("utf-16-be")
    table = read_table_bytes(data, "p.csv")
    assert table.delimiter == ";"
    assert table.rows[0].cells == ("7", "Siân")


def test_quoted_multi_line_cell_moves_later_line_numbers() -> None:
    table = read_table(FIXTURES / "scholarpack_plain.csv")
    assert [row.line for row in table.rows] == [2, 3, 6, 7]
    assert table.rows[1].cells[-1].count("\n") == 2
    assert table.rows[0].cells[6] == "Class 1, Willow"


@pytest.mark.parametrize("newline", ["\r\n", "\n", "\r"])
def test_line_endings(newline: str) -> None:
    text = newline.join(["Adno,Name", "1,Siân", '2,"Two', 'lines"', "3,Zoë", ""])
    table = read_table_bytes(text.encode(), "p.csv")
    assert [row.line for row in table.rows] == [2, 3, 5]
    assert table.rows[1].cells[1].splitlines() == ["Two", "lines"]


def test_excel_sep_line_sets_delimiter_and_counts_as_a_line() -> None:
    table = read_table_bytes(b"sep=;\r\nAdno;Name,Initial\r\n1;Smith, J\r\n", "p.csv")
    assert table.delimiter == ";"
    assert table.header_line == 2
    assert table.headers == ("Adno", "Name,Initial")
    assert table.rows[0] == tabular.Row(line=3, cells=("1", "Smith, J"))


@pytest.mark.parametrize(("delimiter"), [",", ";", "\t", "|"])
def test_delimiter_detection(delimiter: str) -> None:
    text = delimiter.join(["Adno", "Name", '"Class, with comma"']) + "\n1" + delimiter + "A" + \
        delimiter + "B\n"
    table = read_table_bytes(text.encode(), "p.csv")
    assert table.delimiter == delimiter
    assert len(table.headers) == 3


def test_blank_lines_and_blank_rows_are_dropped_and_header_found_after_them() -> None:
    table = read_table_bytes(b"\n \nAdno,Name\n1,A\n,\n\n  ,  \n2,B\n", "p.csv")
    assert table.header_line == 3
    assert [row.line for row in table.rows] == [4, 8]


def test_cells_are_stripped_and_ragged_rows_keep_their_length() -> None:
    table = read_table_bytes(b"Adno , Name ,Year\n 1 , Sian \n2,B,3,extra\n", "p.csv")
    assert table.headers == ("Adno", "Name", "Year")
    assert table.rows[0].cells == ("1", "Sian")
    assert table.rows[1].cells == ("2", "B", "3", "extra")


def test_broken_quotes_become_problems_with_line_numbers() -> None:
    table = read_table(FIXTURES / "invalid_rows.csv")
    lines = {problem.line: problem.message for problem in table.problems}
    assert set(lines) == {7, 10}
    assert "quote" in lines[7]
    assert "10 to 11" in lines[10]
    assert 9 in [row.line for row in table.rows]  # reading went on after line 7


def test_unreadable_header_is_an_error_not_a_data_row_promoted() -> None:
    with pytest.raises(UserError) as caught:
        read_table_bytes(b'Adno,"Name"x,Year\n1,A,3\n', "p.csv")
    assert "p.csv" in caught.value.message
    assert caught.value.problems[0].line == 1


def test_windows_1252_fallback_and_odd_bytes() -> None:
    table = read_table_bytes("Adno,Name\n1,Siân\n".encode("cp1252"), "p.csv")
    assert table.encoding == "cp1252"
    # 0x81 is not Windows-1252: the guesser or latin-1 takes over, and nothing is raised.
    table = read_table_bytes(b"Adno,Name\n1,Caf\x81 \xe9\n", "p.csv")
    assert table.rows[0].cells[0] == "1"


def test_pupils_xlsx() -> None:
    table = read_table(FIXTURES / "pupils.xlsx")
    assert table.encoding is None and table.delimiter is None
    assert table.header_line == 2  # row 1 is blank
    first = table.rows[0]
    assert first.line == 3
    assert first.cells[0] == "5001"  # a number cell, not "5001.0"
    assert first.cells[3] == "3"
    assert first.cells[5] == "2017-09-30"  # a real date cell
    assert first.cells[8:] == ("TRUE", "FALSE")
    assert table.rows[1].cells[0] == "5002"  # written as 5002.0
    assert [row.line for row in table.rows] == [3, 4, 6, 7]
    assert table.rows[2].cells[0] == "00503"
    assert all(len(row.cells) == len(table.headers) for row in table.rows)


def test_xlsx_is_recognised_by_content_not_extension() -> None:
    data = (FIXTURES / "pupils.xlsx").read_bytes()
    assert read_table_bytes(data, "pupils.csv").headers[0] == "Adno"


def _xlsx(*sheets: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for number, rows in enumerate(sheets):
        sheet = book.create_sheet(f"Sheet{number}")
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_first_non_empty_sheet_and_values() -> None:
    data = _xlsx([], [["Adno", "When", "Score", "Empty"],
                      [1.5, dt.datetime(2025, 1, 2, 3, 4), 12345678901, None]])
    table = read_table_bytes(data, "book.xlsx")
    assert table.headers == ("Adno", "When", "Score", "Empty")
    assert table.rows[0].cells == ("1.5", "2025-01-02", "12345678901", "")


def test_xlsx_skips_a_hidden_lookup_sheet() -> None:
    book = openpyxl.Workbook()
    lookup = book.active
    lookup.append(["Code", "Meaning"])
    lookup.append(["K", "SEN support"])
    lookup.sheet_state = "hidden"
    pupils = book.create_sheet("Pupils")
    pupils.append(["Adno", "Name"])
    pupils.append(["1", "Siân"])
    buffer = io.BytesIO()
    book.save(buffer)
    assert read_table_bytes(buffer.getvalue(), "book.xlsx").headers == ("Adno", "Name")


def test_xlsx_with_only_a_header_is_an_error() -> None:
    with pytest.raises(UserError, match="no rows"):
        read_table_bytes(_xlsx([["Adno", "Name"]]), "book.xlsx")


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (b"", "empty"),
        (b"\xef\xbb\xbf\r\n", "empty"),
        (b"   \n\n", "empty"),
        (b"Adno,Name\n", "no rows"),
        (b"Adno,Name\n\n,\n", "no rows"),
        (tabular._OLE_MAGIC + b"\x00" * 600, ".xlsx"),
        (tabular._OLE_MAGIC + "EncryptedPackage".encode("utf-16-le"), "password"),
        (bytes(range(256)) * 8, "does not look like"),
        (b"PK\x03\x04 this is not really a zip", "does not look like"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        (b"<html><body><table><tr><td>Adno</td></tr></table></body></html>", ".xlsx"),
    ],
)
def test_files_that_are_not_lists(data: bytes, needle: str) -> None:
    with pytest.raises(UserError) as caught:
        read_table_bytes(data, "pupils.xls")
    assert "pupils.xls" in caught.value.message
    assert needle in caught.value.message


def test_zip_that_is_not_a_workbook() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("pupils.csv", "Adno,Name\n1,A\n")
    with pytest.raises(UserError, match="zip archive"):
        read_table_bytes(buffer.getvalue(), "pupils.zip")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    with pytest.raises(UserError, match="OpenDocument"):
        read_table_bytes(buffer.getvalue(), "pupils.ods")


def test_damaged_xlsx_is_a_user_error() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<not really a workbook")
    with pytest.raises(UserError, match="damaged"):
        read_table_bytes(buffer.getvalue(), "pupils.xlsx")


def test_files_over_50_mb(tmp_path: pathlib.Path) -> None:
    big = tmp_path / "huge.csv"
    with big.open("wb") as handle:
        handle.truncate(tabular.MAX_BYTES + 1)  # sparse: nothing is really written or read
    with pytest.raises(UserError, match="50 MB"):
        read_table(big)
    with pytest.raises(UserError, match="50 MB"):
        read_table_bytes(b"a" * (tabular.MAX_BYTES + 1), "huge.csv")


def test_missing_file_and_folder(tmp_path: pathlib.Path) -> None:
    with pytest.raises(UserError, match="nothere.csv"):
        read_table(tmp_path / "nothere.csv")
    with pytest.raises(UserError):
        read_table(tmp_path)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_random_bytes_raise_only_user_error(data: bytes) -> None:
    try:
        table = read_table_bytes(data, "random.csv")
    except UserError:
        return
    assert table.headers
    assert all(problem.line is not None for problem in table.problems)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from([b"PK\x03\x04", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"sep=;\n",
                        tabular._OLE_MAGIC, b"Adno,Name\n"]),
       st.binary(max_size=500))
def test_random_bytes_after_a_magic_prefix_raise_only_user_error(prefix: bytes,
                                                                 rest: bytes) -> None:
    with contextlib.suppress(UserError):
        read_table_bytes(prefix + rest, "random.csv")


XLSX = (FIXTURES / "pupils.xlsx").read_bytes()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(XLSX) - 1), st.integers(0, 255)), min_size=1,
                max_size=8))
def test_damaged_real_xlsx_raises_only_user_error(changes: list[tuple[int, int]]) -> None:
    data = bytearray(XLSX)
    for position, value in changes:
        data[position] = value
    with contextlib.suppress(UserError):
        read_table_bytes(bytes(data), "pupils.xlsx")
