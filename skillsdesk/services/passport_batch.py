"""Turning many passports into PDF: in this process for a class, on every core for a school.

Measured (STACK.md §8): one reportlab process makes about 95 pages/s, two about 180. Below
``POOL_FROM`` passports everything is drawn in this process into one PDF. Above it, chunks are
built by a ``multiprocessing`` pool (from a fork server, or spawned on Windows: forking a process
that runs Qt threads is unsafe) and joined by ``reports.pdfjoin`` (pypdf as the fallback). Every
chunk ends on an even page, so each passport still starts on a front side when the joined file
is printed double-sided. Workers get plain data and a locale name and build their own gettext
catalogue: nothing switches the app's language. Progress is reported after each passport (one
process) or chunk (pool), and a cancel flag is checked as often; on cancel nothing is written.
"""

from __future__ import annotations

import io
import logging
import multiprocessing
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from pypdf import PdfReader, PdfWriter

from skillsdesk import safefile
from skillsdesk.domain.errors import UserError
from skillsdesk.i18n import _
from skillsdesk.reports import pdfjoin
from skillsdesk.reports.fonts import register_fonts
from skillsdesk.reports.passport import BuiltPdf, Passport, build_passports, wording_for

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
# Below this many passports a pool costs more than it saves: starting the fork server and
# workers takes 1-2 s, and each worker begins with cold caches.
POOL_FROM = 150


class CancelFlag(Protocol):
    def is_set(self) -> bool: ...


class Cancelled(UserError):
    """The person pressed Cancel; nothing was written."""


@dataclass(frozen=True)
class BatchResult:
    paths: tuple[Path, ...]
    passports: int
    pages: int


Job = tuple[tuple[Passport, ...], str, bool, bool | None, bool]


def _build_job(job: Job) -> tuple[BuiltPdf, ...]:
    """Runs in a worker (module level, so a spawned process finds it): a chunk of passports
    into one PDF, or with ``separate`` into one PDF each."""
    passports, locale, duplex, invariant, separate = job
    if invariant:
        from reportlab import rl_config

        rl_config.invariant = 1
    words = wording_for(locale)
    if separate:
        return tuple(build_passports([p], words, duplex=duplex, invariant=invariant)
                     for p in passports)
    return (build_passports(passports, words, duplex=duplex, invariant=invariant),)


def _workers(count: int, workers: int | None) -> int:
    if workers is not None:
        return max(1, workers)
    return 1 if count < POOL_FROM else max(1, min(os.cpu_count() or 1, 8))


def chunk_size(count: int, workers: int) -> int:
    """Big enough that each chunk reuses its fonts and drawn forms, small enough that progress
    moves and Cancel is felt within a second or two."""
    return max(4, min(60, -(-count // (workers * 6))))


def build_chunks(passports: Sequence[Passport], locale: str, *, duplex: bool,
                 separate: bool = False, workers: int | None = None,
                 invariant: bool | None = None, progress: Progress | None = None,
                 cancel: CancelFlag | None = None) -> Iterator[BuiltPdf]:
    """Built PDFs in order, on ``workers`` processes: with ``separate`` one per passport, else
    one per chunk (on a single process a single one, so nothing needs joining). Progress and
    Cancel after every passport on one process, after every chunk on several."""
    report = progress or (lambda done, total: None)
    total = len(passports)
    report(0, total)
    count = _workers(total, workers)
    if count == 1:
        words = wording_for(locale)
        if separate:
            for index, passport in enumerate(passports, start=1):
                _check(cancel)
                yield build_passports([passport], words, duplex=duplex, invariant=invariant)
                report(index, total)
            return

        def done(n: int) -> None:
            _check(cancel)
            report(n, total)

        _check(cancel)
        yield build_passports(passports, words, duplex=duplex, invariant=invariant, done=done)
        return
    size = chunk_size(total, count)
    jobs: list[Job] = [(tuple(passports[i:i + size]), locale, duplex, invariant, separate)
                       for i in range(0, total, size)]
    finished = 0
    pool = _context().Pool(min(count, len(jobs)), initializer=register_fonts)
    try:
        for built in pool.imap(_build_job, jobs):
            _check(cancel)
            for part in built:
                finished += len(part.pages)
                yield part
            report(finished, total)
        pool.close()
    finally:
        pool.terminate()
        pool.join()


def _context() -> Any:
    """Workers from a fork server where there is one (a clean single-threaded process that
    has already imported the builder, so a worker starts in milliseconds); spawn on Windows.
    Never a plain fork: the app's Qt threads make forking the app itself unsafe."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["skillsdesk.services.passport_batch"])
        return context
    return multiprocessing.get_context("spawn")


def _check(cancel: CancelFlag | None) -> None:
    if cancel is not None and cancel.is_set():
        raise Cancelled(_("Printing was cancelled; nothing was saved."))


def join(pdfs: Iterable[bytes]) -> bytes:
    """One PDF from several, pages and bookmarks kept in order: by renumbering reportlab's
    objects (``reports.pdfjoin``, fast), else through pypdf."""
    parts = list(pdfs)
    if len(parts) <= 1:
        return parts[0] if parts else b""
    try:
        return pdfjoin.join(parts)
    except pdfjoin.JoinError:
        log.warning("joining passports through pypdf: the fast join did not recognise the parts")
        return _pypdf_join(parts)


def _pypdf_join(parts: Sequence[bytes]) -> bytes:
    writer = PdfWriter()
    for data in parts:
        writer.append(PdfReader(io.BytesIO(data)))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def one_pdf(passports: Sequence[Passport], locale: str, target: Path, *,
            workers: int | None = None, invariant: bool | None = None,
            progress: Progress | None = None, cancel: CancelFlag | None = None) -> BatchResult:
    """Every passport in one file, each starting on an odd page."""
    pages: list[int] = []

    def parts() -> Iterator[bytes]:
        for built in build_chunks(passports, locale, duplex=True, workers=workers,
                                  invariant=invariant, progress=progress, cancel=cancel):
            pages.append(built.page_count)
            yield built.data

    data = join(parts())
    _check(cancel)
    _write(target, data)
    return BatchResult((target,), len(passports), sum(pages))


def _write(path: Path, data: bytes) -> None:
    """Through the safe-write helper: the file is the old one or the whole new one, and a
    folder that cannot be written to is a sentence naming it, not a traceback."""
    if path.is_dir():
        raise UserError(_("{path} is a folder; give a file name ending in .pdf, or choose one "
                          "file per pupil.").format(path=path))
    blocking = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
    if blocking is not None:  # the OS would only say "File exists"
        raise UserError(_("{blocking} is a file, not a folder, so {path} cannot be saved "
                          "there; nothing was saved.").format(blocking=blocking, path=path))
    try:
        safefile.write_bytes(path, data)
    except OSError as exc:
        raise UserError(_("{path} could not be written ({reason}); nothing was saved there.")
                        .format(path=path, reason=exc.strerror or exc)) from exc


def file_name(passport: Passport) -> str:
    """A file name a teacher can sort by: class, then the pupil's name; safe on every OS."""
    text = f"{passport.class_name} {passport.pupil_name}".strip()
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r'[<>:"/\\|?*\x00-\x1f]+', "", text).strip(" .")
    return (text or "passport")[:120] + ".pdf"


def per_pupil(passports: Sequence[Passport], locale: str, folder: Path, *,
              workers: int | None = None, invariant: bool | None = None,
              progress: Progress | None = None, cancel: CancelFlag | None = None) -> BatchResult:
    """One file per pupil in ``folder``; two pupils with the same name and class get (2), (3)."""
    if folder.exists() and not folder.is_dir():
        raise UserError(_("{path} is a file; give a folder for one passport per pupil.").format(
            path=folder))
    names: list[Path] = []
    taken: set[str] = set()
    for passport in passports:
        name = file_name(passport)
        stem, counter = name[:-4], 2
        while name.casefold() in taken:
            name, counter = f"{stem} ({counter}).pdf", counter + 1
        taken.add(name.casefold())
        names.append(folder / name)
    # Written as they come (a school's worth would not fit in memory at once); a cancelled run
    # removes the files it wrote, so no half set is left behind.
    written: list[Path] = []
    pages = 0
    try:
        chunks = build_chunks(passports, locale, duplex=False, separate=True, workers=workers,
                              invariant=invariant, progress=progress, cancel=cancel)
        for path, built in zip(names, chunks, strict=True):
            _write(path, built.data)
            written.append(path)
            pages += built.page_count
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return BatchResult(tuple(names), len(passports), pages)
