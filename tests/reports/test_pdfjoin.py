"""Joining reportlab's PDFs by renumbering objects: same pages, text and bookmarks as pypdf."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader, PdfWriter

from skillsdesk.reports import pdfjoin
from skillsdesk.reports.passport import build_passports, wording_for
from skillsdesk.services.passport_batch import join
from tests.reports.test_passport import passport


def parts() -> list[bytes]:
    words = wording_for("ar")
    return [build_passports([passport("Zoë Smith"), passport("مريم Haddad", skills=3)],
                            words).data,
            build_passports([passport("Llŷr ap Rhys")], words).data,
            build_passports([passport("Ștefan Popescu", skills=2)], words).data]


def test_the_joined_file_has_every_page_bookmark_and_word_in_order() -> None:
    pieces = parts()
    joined = PdfReader(io.BytesIO(pdfjoin.join(pieces)), strict=True)
    separate = [PdfReader(io.BytesIO(p)) for p in pieces]
    expected = [page.extract_text() for r in separate for page in r.pages]
    assert [page.extract_text() for page in joined.pages] == expected
    assert [o.title for o in joined.outline] == ["Zoë Smith", "مريم Haddad", "Llŷr ap Rhys",
                                                 "Ștefan Popescu"]
    assert [joined.get_destination_page_number(o) for o in joined.outline] == [0, 2, 4, 6]
    assert joined.metadata.author == "Brackenfield Primary School"
    for page in joined.pages:  # fonts and drawn stones resolve in the new numbering
        assert page["/Resources"]["/Font"]


def test_an_unexpected_layout_falls_back_to_pypdf() -> None:
    pieces = parts()
    # Another writer's plain PDF joins too (pypdf writes a classic xref as well) ...
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(pieces[1])))
    buffer = io.BytesIO()
    writer.write(buffer)
    mixed = PdfReader(io.BytesIO(pdfjoin.join([buffer.getvalue(), pieces[2]])), strict=True)
    assert len(mixed.pages) == 4
    # ... while one whose xref is not where it says is refused, and pypdf takes over.
    broken = pieces[1].replace(b"startxref\n", b"startxref\n1")
    with pytest.raises(pdfjoin.JoinError):
        pdfjoin.join([broken, pieces[2]])
    with pytest.raises(pdfjoin.JoinError):
        pdfjoin.join([b"%PDF-1.4 not really"])
    assert len(PdfReader(io.BytesIO(join([broken, pieces[2]]))).pages) == 4
