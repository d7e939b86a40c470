"""G22: every CSV SkillsDesk writes is safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from skillsdesk.cli import csv_safe as cli_csv_safe
from skillsdesk.domain.csvsafe import DANGEROUS_STARTS, csv_bytes, csv_safe


def read_back(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_formula_starts_get_a_quote_and_numbers_stay_numbers() -> None:
    cells = ["=SUM(A1:A9)", "+44 20", "-cmd", "@here", "\tx", "\rx", "\0x", "plain", "Siân"]
    data = csv_bytes(["text"] * len(cells) + ["n", "neg", "mean", "none"],
                     [cells + [12, -3, -2.5, None]])
    header, row = read_back(data)
    assert row[:7] == ["'" + c for c in cells[:7]]
    assert row[7:] == ["plain", "Siân", "12", "-3", "-2.5", ""]
    assert b"\r\n" in data and b'"\rx"' in data.replace(b"'", b"")  # CR inside quotes
    assert cli_csv_safe is csv_safe  # the command line uses the same rule


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.text(), st.integers(), st.sampled_from(["=1+1", "-2", "@x"])),
                min_size=1, max_size=6))
def test_round_trip_gives_the_text_back_plus_only_the_prefix(row: list[object]) -> None:
    got = read_back(csv_bytes([f"c{i}" for i in range(len(row))], [row]))[1]
    for original, cell in zip(row, got, strict=True):
        if isinstance(original, int):
            assert cell == str(original)
            continue
        assert isinstance(original, str)
        expected = "'" + original if original[:1] in DANGEROUS_STARTS else original
        assert cell == expected
