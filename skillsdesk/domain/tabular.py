"""Read a pupil or observation spreadsheet (CSV, TSV, Excel "Unicode text" or .xlsx) into a table.

Schools save the same list many ways: Excel's "CSV (Comma delimited)" is Windows-1252, "CSV
UTF-8" has a BOM, "Unicode Text" is tab-separated UTF-16LE, some locales use semicolons and a
``sep=`` first line. This module copes with all of them and turns anything it cannot read into
a ``UserError`` (whole file) or a ``Problem`` (one row): never a traceback.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import pathlib
import re
import warnings
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

from skillsdesk.domain.errors import Problem, UserError
from skillsdesk.i18n import _

MAX_BYTES = 50 * 1024 * 1024
# A 50 MB xlsx can hold far more than 500 MB of XML; beyond this it is a zip bomb, not a class list.
MAX_UNZIPPED_BYTES = 500 * 1024 * 1024
DELIMITERS = (",", ";", "\t", "|")

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SEP_LINE = re.compile(r"^\s*sep=(.)\s*$", re.IGNORECASE)
_JUNK = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]")


@dataclass(frozen=True)
class Row:
    line: int  # the line (CSV) or row (xlsx) number a person sees in their editor or Excel
    cells: tuple[str, ...]  # stripped text of every cell; ragged rows keep their real length


@dataclass(frozen=True)
class Table:
    source: str
    headers: tuple[str, ...]
    header_line: int
    rows: tuple[Row, ...]
    encoding: str | None
    delimiter: str | None
    problems: tuple[Problem, ...]


def read_table(path: pathlib.Path) -> Table:
    """Read a file from disk; every failure becomes a UserError naming the file."""
    source = path.name
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise _too_big(source)
        data = path.read_bytes()
    except PermissionError as exc:
        raise UserError(
            _('"{file}" could not be opened. If it is open in Excel, close it and try again.')
            .format(file=source)
        ) from exc
    except FileNotFoundError as exc:
        raise UserError(_('"{file}" does not exist.').format(file=source)) from exc
    except OSError as exc:
        raise UserError(
            _('"{file}" could not be opened ({reason}).').format(
                file=source, reason=exc.strerror or type(exc).__name__
            )
        ) from exc
    return read_table_bytes(data, source)


def read_table_bytes(data: bytes, source: str) -> Table:
    """Read a file's bytes, deciding from the content (not the extension) what it is."""
    if len(data) > MAX_BYTES:
        raise _too_big(source)
    if not data.strip(b" \t\r\n\x00\x1a\xef\xbb\xbf\xff\xfe"):
        raise UserError(_('"{file}" is empty.').format(file=source))
    if data.startswith(_OLE_MAGIC):
        raise _save_as(source, _ole_kind(data))
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _read_xlsx(data, source)
    text, encoding = _decode(data, source)
    return _read_delimited(text, source, encoding)


# --- whole-file errors ------------------------------------------------------------------------


def _too_big(source: str) -> UserError:
    return UserError(
        _('"{file}" is larger than 50 MB, which is far more than any school list. Check that '
          "it is the right file.").format(file=source)
    )


def _save_as(source: str, kind: str) -> UserError:
    return UserError(
        _('"{file}" is {kind}. SkillsDesk cannot read it: open it in Excel and use File > Save '
          'As to save it as "Excel Workbook (.xlsx)" or "CSV UTF-8", then import that file.')
        .format(file=source, kind=kind)
    )


def _not_a_table(source: str) -> UserError:
    return UserError(
        _('"{file}" does not look like a spreadsheet or a text file of rows and columns. Export '
          "the list from your school system as CSV or Excel (.xlsx) and try again.")
        .format(file=source)
    )


def _ole_kind(data: bytes) -> str:
    # A password-protected .xlsx is stored in the same old container as a .xls.
    if "EncryptedPackage".encode("utf-16-le") in data[:1_000_000]:
        return _("a password-protected workbook (remove the password first)")
    return _("an old-style Excel workbook (.xls)")


# --- text files --------------------------------------------------------------------------------


def _utf16_without_bom(data: bytes) -> str | None:
    """Guess UTF-16 from where the NUL bytes fall: ASCII text in UTF-16 is every other byte."""
    sample = data[:4000]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    odd = sample[1::2].count(0)
    even = sample[0::2].count(0)
    if odd > pairs * 0.3 and even < pairs * 0.05:
        return "utf-16-le"
    if even > pairs * 0.3 and odd < pairs * 0.05:
        return "utf-16-be"
    return None


def _decode(data: bytes, source: str) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        # UTF-16 text is also valid UTF-8 (NUL is a legal byte), so test the NUL pattern first.
        guess = _utf16_without_bom(data)
        candidates = [guess] if guess else []
        candidates += ["utf-8", "cp1252"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return _check_text(text, source), encoding
    text, encoding = _guess_encoding(data)
    return _check_text(text, source), encoding


def _guess_encoding(data: bytes) -> tuple[str, str]:
    """Last resort for bytes that are neither UTF-8 nor Windows-1252 (old DOS or Mac files)."""
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200_000]).best()
        if best is not None and best.encoding:
            return data.decode(best.encoding), best.encoding
    except Exception:  # noqa: BLE001 - a guesser failing must not stop us trying latin-1
        pass
    return data.decode("latin-1"), "latin-1"


def _check_text(text: str, source: str) -> str:
    text = text.lstrip("\ufeff").rstrip("\x1a\x00")  # Ctrl-Z: old DOS end-of-file marker
    if not text.strip():
        raise UserError(_('"{file}" is empty.').format(file=source))
    head = text[:2000].lstrip().casefold()
    if head.startswith("%pdf"):
        raise UserError(
            _('"{file}" is a PDF. Export the list from your school system as CSV or Excel '
              "(.xlsx) instead.").format(file=source)
        )
    if head.startswith(("<!doctype html", "<html", "<table")) or (
        head.startswith("<?xml") and "urn:schemas-microsoft-com:office:spreadsheet" in head
    ):
        raise _save_as(source, _("a web page or an Excel 2003 XML file, not a workbook"))
    # Real lists hold (almost) no control characters; binary files are full of them.
    if len(_JUNK.findall(text[:65536])) > min(len(text), 65536) / 100:
        raise _not_a_table(source)
    if len(text) > 65536 and len(_JUNK.findall(text)) > len(text) / 100:
        raise _not_a_table(source)
    return text


def _first_line(text: str) -> str:
    return text.split("\n", 1)[0].split("\r", 1)[0]


def _count_outside_quotes(line: str, delimiter: str) -> int:
    count, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            count += 1
    return count


def _sniff(lines: list[str]) -> str:
    """Pick the delimiter from the header line, using the next lines to break a tie."""
    header = lines[0]
    counts = {d: _count_outside_quotes(header, d) for d in DELIMITERS}
    best = max(counts.values())
    if best == 0:
        return ","
    tied = [d for d in DELIMITERS if counts[d] == best]
    if len(tied) == 1:
        return tied[0]

    def agreement(d: str) -> int:
        return sum(1 for line in lines[1:] if _count_outside_quotes(line, d) == counts[d])

    return max(tied, key=agreement)


def _csv_problem(exc: csv.Error, start: int, end: int) -> Problem:
    reason = str(exc)
    if "unexpected end of data" in reason:
        if end > start:
            message = _("A quote mark (\") opened on this line is never closed, so lines "
                        "{start} to {end} could not be read.").format(start=start, end=end)
        else:
            message = _("A quote mark (\") on this line is never closed, so the line could "
                        "not be read.")
    elif "expected after" in reason:
        message = _("A cell has text straight after a closing quote mark, so the row could "
                    "not be read. Put the whole cell in quotes and double any quote marks "
                    "inside it (\"\").")
    elif "field larger than field limit" in reason:
        message = _("A cell on this line is too long to read.")
    else:
        message = _("This line could not be read ({reason}).").format(reason=reason)
    return Problem(message=message, line=start)


def _read_delimited(text: str, source: str, encoding: str) -> Table:
    first = _first_line(text)
    sep = _SEP_LINE.match(first)
    offset = 0
    if sep and sep.group(1) not in '"\r\n':
        delimiter = sep.group(1)
        text = text[len(first):]
        text = text[2:] if text.startswith("\r\n") else text[1:]
        offset = 1  # the sep= line still counts when a person looks up a line number
    else:
        sample = [line for line in text[:65536].splitlines()[:21] if line.strip()]
        delimiter = _sniff(sample or [""])
    reader = csv.reader(
        io.StringIO(text, newline=""),
        delimiter=delimiter,
        quotechar='"',
        doublequote=True,
        skipinitialspace=True,
        strict=True,
    )
    records: list[tuple[int, list[str]]] = []
    problems: list[Problem] = []
    previous = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(_csv_problem(exc, previous + 1 + offset, reader.line_num + offset))
            previous = reader.line_num
            continue
        records.append((previous + 1 + offset, cells))
        previous = reader.line_num
    return _build(source, records, problems, encoding, delimiter, pad=False)


# --- xlsx --------------------------------------------------------------------------------------


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _read_xlsx(data: bytes, source: str) -> Table:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        unzipped = sum(info.file_size for info in archive.infolist())
        mimetype = b""
        if "mimetype" in names:
            with archive.open("mimetype") as handle:
                mimetype = handle.read(100)
    except Exception as exc:  # noqa: BLE001 - zipfile and zlib raise many types for damaged files
        raise _not_a_table(source) from exc
    if b"opendocument.spreadsheet" in mimetype:
        raise _save_as(source, _("an OpenDocument spreadsheet (.ods)"))
    if "xl/workbook.bin" in names:
        raise _save_as(source, _("an Excel binary workbook (.xlsb)"))
    if "xl/workbook.xml" not in names:
        raise UserError(
            _('"{file}" is a zip archive, not an Excel workbook. Unzip it and import the '
              "spreadsheet inside.").format(file=source)
        )
    if unzipped > MAX_UNZIPPED_BYTES:
        raise _too_big(source)
    try:
        records = _xlsx_rows(data)
    except UserError:
        raise
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for damaged files
        raise UserError(
            _('"{file}" looks like an Excel workbook but could not be read; it may be damaged. '
              "Open it in Excel and save it again.").format(file=source)
        ) from exc
    return _build(source, records, [], None, None, pad=True)


def _xlsx_rows(data: bytes) -> list[tuple[int, list[str]]]:
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "no default style" and similar are noise to a school
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            first: list[tuple[int, list[str]]] = []
            # Visible sheets first: a hidden sheet is usually a lookup list, not the pupils.
            sheets = sorted(workbook.worksheets, key=lambda sheet: sheet.sheet_state != "visible")
            for sheet in sheets:
                sheet.reset_dimensions()  # some exporters write a wrong size; read what is there
                rows = [
                    (number, [_cell_text(value) for value in values])
                    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
                ]
                if any(any(cells) for _number, cells in rows):
                    return rows
                first = first or rows
            return first
        finally:
            workbook.close()


# --- shared ------------------------------------------------------------------------------------


def _build(
    source: str,
    records: Iterable[tuple[int, list[str]]],
    problems: list[Problem],
    encoding: str | None,
    delimiter: str | None,
    *,
    pad: bool,
) -> Table:
    header: tuple[int, tuple[str, ...]] | None = None
    rows: list[Row] = []
    for line, raw in records:
        cells = [cell.strip() for cell in raw]
        if not any(cells):
            continue
        if header is None:
            header = (line, tuple(cell.replace("\ufeff", "").strip() for cell in cells))
            if pad:  # Excel leaves empty cells out; the header decides how wide the sheet is
                header = (line, _trim(header[1], 0))
            continue
        if pad:
            cells = list(_trim(tuple(cells), len(header[1])))
        rows.append(Row(line=line, cells=tuple(cells)))
    if header is not None and any(p.line is not None and p.line < header[0] for p in problems):
        header = None  # the real header was the unreadable line; a data row must not replace it
    if header is None:
        if problems:
            raise UserError(
                _('The header row of "{file}" could not be read.').format(file=source), problems
            )
        raise UserError(_('"{file}" is empty.').format(file=source))
    if not rows and not problems:
        raise UserError(
            _('"{file}" has a header row but no rows of data below it.').format(file=source)
        )
    return Table(
        source=source,
        headers=header[1],
        header_line=header[0],
        rows=tuple(rows),
        encoding=encoding,
        delimiter=delimiter,
        problems=tuple(problems),
    )


def _trim(cells: tuple[str, ...], width: int) -> tuple[str, ...]:
    """Drop trailing empty cells, then pad to ``width``: xlsx rows end at the last value."""
    end = len(cells)
    while end > 0 and not cells[end - 1]:
        end -= 1
    cells = cells[:end]
    return cells + ("",) * (width - len(cells))
