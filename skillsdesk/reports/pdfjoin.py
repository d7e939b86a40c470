"""Join PDFs that reportlab wrote, quickly, by renumbering their objects.

Passport chunks built in worker processes must become one file. A general PDF library parses
every object (pypdf took about 2.8 ms a page, a fifth of the whole print run); reportlab's output
is plain enough to join as bytes instead: a classic xref table, no object streams, and each
chunk's pages under one page-tree node and its bookmarks under one outline root. Each chunk's
objects are copied with their numbers shifted (references in strings and stream data untouched),
its page-tree node hung under a new root, its bookmarks chained into one list, and a new
catalogue and xref table written. Anything unexpected raises ``JoinError``; the caller then
uses pypdf instead, so a reportlab that writes differently one day is slower, never wrong.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_XREF_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])")
_OBJ_HEAD = re.compile(rb"(\d+) 0 obj\b")
# A literal string (copied as it is) or an indirect reference (renumbered).
_TOKEN = re.compile(rb"\((?:\\.|[^\\()])*\)|\b(\d+) 0 R\b", re.S)


class JoinError(ValueError):
    """A part is not laid out as reportlab writes PDFs."""


@dataclass
class _Part:
    data: bytes
    objects: dict[int, tuple[int, int]]  # number -> (start, end) of "n 0 obj ... endobj"
    root: int
    info: int | None
    pages: int
    outlines: int | None


def _ref(text: bytes, key: bytes) -> int | None:
    match = re.search(rb"/" + key + rb" (\d+) 0 R", text)
    return int(match.group(1)) if match else None


def _parse(data: bytes) -> _Part:
    tail = _STARTXREF.search(data[-64:])
    if not tail:
        raise JoinError("no startxref")
    xref = int(tail.group(1))
    if not data.startswith(b"xref", xref):
        raise JoinError("not a classic xref table")
    header = re.match(rb"xref\s+0 (\d+)\s+", data[xref:xref + 40])
    if not header:
        raise JoinError("xref header")
    count = int(header.group(1))
    entries = _XREF_ENTRY.findall(data, xref + header.end(), xref + header.end() + 20 * count)
    if len(entries) != count:
        raise JoinError("xref entries")
    starts = sorted((int(off), n) for n, (off, gen, kind) in enumerate(entries)
                    if kind == b"n" and n > 0)
    objects: dict[int, tuple[int, int]] = {}
    for index, (start, number) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else xref
        head = _OBJ_HEAD.match(data, start)
        if not head or int(head.group(1)) != number:
            raise JoinError(f"object {number} is not where the xref says")
        objects[number] = (start, end)
    trailer = data[data.index(b"trailer", xref):]
    root = _ref(trailer, b"Root")
    if root is None or root not in objects:
        raise JoinError("no catalogue")
    catalogue = data[slice(*objects[root])]
    pages = _ref(catalogue, b"Pages")
    if pages is None or b"/Parent" in data[slice(*objects[pages])]:
        raise JoinError("the page tree is not a single node")
    return _Part(data, objects, root, _ref(trailer, b"Info"), pages,
                 _ref(catalogue, b"Outlines"))


def _body(part: _Part, number: int) -> bytes:
    """The object without its "n 0 obj" line (from "<<" or the value on)."""
    start, end = part.objects[number]
    text = part.data[start:end]
    return text[_OBJ_HEAD.match(text).end():].lstrip()  # type: ignore[union-attr]


def _renumber(body: bytes, mapping: dict[int, int]) -> bytes:
    """Shift references in the dictionary part only: stream data is left byte for byte."""
    cut = body.find(b"stream\r\n") if b"stream\r\n" in body else body.find(b"stream\n")
    head, rest = (body, b"") if cut < 0 else (body[:cut], body[cut:])

    def swap(match: re.Match[bytes]) -> bytes:
        if match.group(1) is None:
            return match.group(0)
        return b"%d 0 R" % mapping[int(match.group(1))]

    return _TOKEN.sub(swap, head) + rest


def _add_keys(body: bytes, keys: bytes) -> bytes:
    if not body.startswith(b"<<"):
        raise JoinError("expected a dictionary")
    return b"<< " + keys + b" " + body[2:].lstrip()


def join(parts: Sequence[bytes]) -> bytes:
    """One PDF with the pages and bookmarks of ``parts`` in order."""
    try:
        return _join(parts)
    except (KeyError, IndexError, AttributeError) as exc:
        raise JoinError(f"unexpected layout ({exc!r})") from exc


def _join(parts: Sequence[bytes]) -> bytes:
    if not parts:
        raise JoinError("nothing to join")
    parsed = [_parse(p) for p in parts]
    out = bytearray(parts[0][:parts[0].index(b"\n", parts[0].index(b"\n") + 1) + 1])
    offsets: list[int] = []

    def emit(body: bytes) -> int:
        offsets.append(len(out))
        number = len(offsets)
        out.extend(b"%d 0 obj\n" % number)
        out.extend(body.rstrip())
        if not body.rstrip().endswith(b"endobj"):
            out.extend(b"\nendobj")
        out.extend(b"\n")
        return number

    # New objects are numbered in order of writing; reserve the shared ones first.
    catalogue_no, root_no, outline_no = 1, 2, 3
    next_no = 4
    plans = []
    for part in parsed:
        mapping: dict[int, int] = {}
        for number in sorted(part.objects):
            if number in (part.root, part.outlines):
                continue
            mapping[number] = next_no
            next_no += 1
        if part.outlines is not None:
            mapping[part.outlines] = outline_no  # its items now hang under the one root
        plans.append(mapping)
    # Outline chains: first and last item of each part, linked across parts.
    chains = []
    for part, mapping in zip(parsed, plans, strict=True):
        if part.outlines is None:
            chains.append(None)
            continue
        root = _body(part, part.outlines)
        first, last = _ref(root, b"First"), _ref(root, b"Last")
        count = re.search(rb"/Count (-?\d+)", root)
        if first is None or last is None or count is None:
            chains.append(None)
            continue
        chains.append((mapping[first], mapping[last], int(count.group(1))))
    linked = [c for c in chains if c is not None]
    extra: dict[int, bytes] = {}
    for before, after in zip(linked, linked[1:], strict=False):
        extra[before[1]] = extra.get(before[1], b"") + b"/Next %d 0 R" % after[0]
        extra[after[0]] = extra.get(after[0], b"") + b" /Prev %d 0 R" % before[1]
    emit(b"<< /Outlines %d 0 R /PageMode /UseNone /Pages %d 0 R /Type /Catalog >>"
         % (outline_no, root_no))
    kids = b" ".join(b"%d 0 R" % plan[part.pages] for part, plan in zip(parsed, plans,
                                                                        strict=True))
    total = 0
    for part in parsed:
        count = re.search(rb"/Count (\d+)", _body(part, part.pages))
        if count is None:
            raise JoinError("page count")
        total += int(count.group(1))
    emit(b"<< /Count %d /Kids [ %s ] /Type /Pages >>" % (total, kids))
    if linked:
        emit(b"<< /Count %d /First %d 0 R /Last %d 0 R /Type /Outlines >>"
             % (sum(c[2] for c in linked), linked[0][0], linked[-1][1]))
    else:
        emit(b"<< /Count 0 /Type /Outlines >>")
    info_no = None
    for index, (part, mapping) in enumerate(zip(parsed, plans, strict=True)):
        for number in sorted(part.objects):
            if number in (part.root, part.outlines):
                continue
            body = _renumber(_body(part, number), mapping)
            if number == part.pages:
                body = _add_keys(body, b"/Parent %d 0 R" % root_no)
            if mapping[number] in extra:
                body = _add_keys(body, extra[mapping[number]].strip())
            if emit(body) != mapping[number]:
                raise JoinError("numbering")
            if index == 0 and number == part.info:
                info_no = mapping[number]
    xref = len(out)
    out.extend(b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1))
    for offset in offsets:
        out.extend(b"%010d 00000 n \n" % offset)
    ident = re.search(rb"/ID\s*\[[^\]]*\]", parts[0][parts[0].rindex(b"trailer"):])
    out.extend(b"trailer\n<<\n%s\n/Root %d 0 R\n/Size %d\n"
               % (ident.group(0) if ident else b"", catalogue_no, len(offsets) + 1))
    if info_no is not None:
        out.extend(b"/Info %d 0 R\n" % info_no)
    out.extend(b">>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return bytes(out)
