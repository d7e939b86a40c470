"""Pupil photos for lunchtime mode: import from a folder, set or clear one, photo consent.

Privacy rules (the safer choice each time):

- A photo is stored only for a pupil whose photo consent is recorded. An import leaves out the
  files of pupils without consent (the report says so); it never keeps an image "for later".
- Withdrawing consent deletes the pupil's photo in the same transaction, so nothing is held
  that may not be shown. Reads join on the consent flag as well, so no path hands out a photo
  without consent.
- Each image is decoded, turned upright, scaled down to at most 256 px and saved again as a
  fresh JPEG, so nothing from the original file survives but the pixels (no EXIF: no camera
  serial, no GPS position, no original-resolution thumbnail). It lives in the encrypted database.

Import is per file: each file that matches a pupil with consent and is a readable image is
stored, all of them in one transaction (with one audit row and a backup first); every other file
gets a line saying why it was left out, and nothing is stored for it. One stray file (a
``Thumbs.db``, a leaver's photo, a child without consent) does not hold back the class's photos.

Files are matched by name: the admission number (``001234.jpg``; leading zeros may differ when
that is unambiguous) or the UPN (``A123456789012.jpg``), as MIS photo exports name them. A UPN is
never shown (DOMAIN.md §3.3): the report writes such a file as "file named by UPN …012".
"""

from __future__ import annotations

import io
import logging
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from skillsdesk.domain.errors import NotFound, UserError
from skillsdesk.i18n import _, ngettext
from skillsdesk.services.backups import backup_before
from skillsdesk.services.context import Context
from skillsdesk.storage import photos as repo
from skillsdesk.storage.database import Store

log = logging.getLogger(__name__)

SIZE = 256  # the longest side of a stored photo, in pixels
QUALITY = 85
MAX_FILE_BYTES = 20 * 1024 * 1024  # a school photo is a few MB at most
MAX_PIXELS = 60_000_000  # beyond any camera a school uses; refuses decompression bombs
MEDIA_TYPE = "image/jpeg"
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".webp"}
_UPN = re.compile(r"^[A-HJ-NP-RT-Z][0-9]{11}[0-9A-HJ-NP-RT-Z]$")

Report = Callable[[int, int], None]


@dataclass(frozen=True)
class PhotoFile:
    """One file of an import: which pupil it matched and whether it was stored, or why not."""

    file: str  # as shown: a UPN in a file name is masked
    pupil: str | None  # the pupil's name
    admission_number: str | None
    stored: bool
    reason: str | None = None

    def line(self) -> str:
        if self.stored:
            return _("  {file}: {name} ({adno})").format(
                file=self.file, name=self.pupil, adno=self.admission_number)
        if self.pupil:
            return _("  {file}: {name} ({adno}): left out: {reason}").format(
                file=self.file, name=self.pupil, adno=self.admission_number, reason=self.reason)
        return _("  {file}: left out: {reason}").format(file=self.file, reason=self.reason)


@dataclass(frozen=True)
class PhotoImportReport:
    folder: str
    dry_run: bool
    files: tuple[PhotoFile, ...]

    @property
    def stored(self) -> tuple[PhotoFile, ...]:
        return tuple(f for f in self.files if f.stored)

    @property
    def left_out(self) -> tuple[PhotoFile, ...]:
        return tuple(f for f in self.files if not f.stored)

    def lines(self) -> list[str]:
        """The report as sentences, for the terminal and the import dialog."""
        stored, left = len(self.stored), len(self.left_out)
        if self.dry_run:
            kept = ngettext("{n} photo would be stored", "{n} photos would be stored", stored)
        else:
            kept = ngettext("{n} photo stored", "{n} photos stored", stored)
        out = [_("{folder}: {stored}, {left}.").format(
            folder=self.folder, stored=kept.format(n=stored),
            left=ngettext("{n} file left out", "{n} files left out", left).format(n=left))]
        if self.dry_run:
            out.append(_("Dry run: nothing was changed."))
        if self.stored:
            out.append(_("Stored:") if not self.dry_run else _("Would store:"))
            out += [f.line() for f in self.stored]
        if self.left_out:
            out.append(_("Left out (nothing stored for these files):"))
            out += [f.line() for f in self.left_out]
        return out


@dataclass(frozen=True)
class PhotoStatus:
    consent: bool
    has_photo: bool


def scale(data: bytes, size: int = SIZE) -> bytes:
    """A small upright JPEG of the image in ``data``; UserError if it is not a usable image.

    The message is the reason alone ("not an image", "too big"), for a report line.
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    if len(data) > MAX_FILE_BYTES:
        raise UserError(_("too big ({mb} MB; at most {limit} MB)").format(
            mb=round(len(data) / 1_048_576, 1), limit=MAX_FILE_BYTES // 1_048_576))
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise UserError(_("too big ({w} × {h} pixels)").format(w=width, h=height))
            image.load()
            upright = ImageOps.exif_transpose(image)
            rgb = upright.convert("RGB") if upright.mode != "RGB" else upright
            rgb.thumbnail((size, size), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            rgb.save(out, "JPEG", quality=QUALITY, optimize=True)  # no EXIF carried over
            return out.getvalue()
    except UserError:
        raise
    except Image.DecompressionBombError:
        raise UserError(_("too big (too many pixels)")) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise UserError(_("not an image SkillsDesk can read (JPEG, PNG, GIF, BMP, TIFF or "
                          "WebP)")) from None


def _shown(path: Path) -> str:
    """The file's name as a report shows it: a UPN in the name is masked."""
    if _UPN.match(path.stem.upper()):
        return _("file named by UPN …{last}{suffix}").format(last=path.stem[-3:],
                                                            suffix=path.suffix)
    return path.name


class PhotoService:
    def __init__(self, store: Store, context: Context | None = None) -> None:
        self._store = store
        self._context = context or Context()

    # -- reading (anyone signed in: lunchtime mode shows them) ----------------------------------
    def photos(self, pupil_ids: list[uuid.UUID]) -> dict[uuid.UUID, bytes]:
        """pupil id -> JPEG, only for the pupils with a photo and recorded photo consent."""
        with self._store.read() as session:
            return repo.shown(session, pupil_ids)

    def photo(self, pupil_id: uuid.UUID) -> bytes | None:
        return self.photos([pupil_id]).get(pupil_id)

    def status(self) -> dict[uuid.UUID, PhotoStatus]:
        """Every pupil's photo consent and whether a photo is held (for the Pupils page)."""
        with self._store.read() as session:
            return {pid: PhotoStatus(*pair) for pid, pair in repo.status(session).items()}

    # -- consent and one pupil's photo (admin) ---------------------------------------------------
    def set_consent(self, pupil_id: uuid.UUID, given: bool) -> bool:
        """Record or withdraw photo consent; withdrawing deletes the photo. True if one was."""
        self._context.require("pupil.photo")
        with self._store.write() as session:
            before = repo.consent(session, pupil_id)
            if before is None:
                raise NotFound(_("That pupil is no longer on the roll."))
            removed = False
            if not given:
                removed = repo.remove(session, pupil_id)
            if before != given or removed:
                repo.set_consent(session, pupil_id, given)
                self._context.audit(session, "pupil.photo_consent", "pupil", pupil_id,
                                    before={"photo_consent": before},
                                    after={"photo_consent": given, "photo_deleted": removed},
                                    pupil_id=pupil_id)
        return removed

    def set_photo(self, pupil_id: uuid.UUID, path: Path) -> None:
        """Store one pupil's photo from an image file (consent must be recorded)."""
        self._context.require("pupil.photo")
        path = Path(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise UserError(_("{file} could not be read ({reason}). Nothing was changed.").format(
                file=path.name, reason=exc.strerror or exc)) from exc
        try:
            image = scale(data)
        except UserError as exc:
            raise UserError(_("{file} was not stored: {reason}. Nothing was changed.").format(
                file=path.name, reason=exc.message)) from None
        with self._store.write() as session:
            given = repo.consent(session, pupil_id)
            if given is None:
                raise NotFound(_("That pupil is no longer on the roll."))
            if not given:
                raise UserError(_("No photo consent is recorded for this pupil, so no photo "
                                  "is kept. Record the consent first. Nothing was changed."))
            replaced = repo.put(session, pupil_id, image, MEDIA_TYPE)
            self._context.audit(session, "pupil.photo_set", "pupil", pupil_id,
                                after={"replaced": replaced, "bytes": len(image)},
                                pupil_id=pupil_id)

    def clear_photo(self, pupil_id: uuid.UUID) -> bool:
        """Delete one pupil's photo; False when there was none (nothing audited then)."""
        self._context.require("pupil.photo")
        with self._store.write() as session:
            removed = repo.remove(session, pupil_id)
            if removed:
                self._context.audit(session, "pupil.photo_clear", "pupil", pupil_id,
                                    pupil_id=pupil_id)
        return removed

    # -- import from a folder (admin) ------------------------------------------------------------
    def import_folder(self, folder: Path, *, dry_run: bool = False,
                      progress: Report | None = None) -> PhotoImportReport:
        """Match each file in ``folder`` to a pupil, scale it and store the good ones together.

        ``progress(done, total)`` is called per file (and may raise to stop: nothing is stored).
        """
        self._context.require("import")
        folder = Path(folder)
        if not folder.is_dir():
            raise UserError(_("{folder} is not a folder. Nothing was changed.").format(
                folder=folder))
        try:
            files = sorted((p for p in folder.iterdir() if p.is_file()),
                           key=lambda p: p.name.casefold())
        except OSError as exc:
            raise UserError(_("{folder} could not be read ({reason}). Nothing was changed.")
                            .format(folder=folder, reason=exc.strerror or exc)) from exc
        if not files:
            raise UserError(_("{folder} holds no files. Nothing was changed.").format(
                folder=folder))
        with self._store.read() as session:
            pupils = repo.pupil_keys(session)
        match = _Matcher(pupils)
        results: list[PhotoFile] = []
        images: dict[uuid.UUID, bytes] = {}
        first_file: dict[uuid.UUID, str] = {}
        for done, path in enumerate(files):
            if progress is not None:
                progress(done, len(files))
            shown = _shown(path)
            pupil = match(path.stem)
            if pupil is None:
                reason = (_("not an image file") if path.suffix.lower() not in IMAGE_SUFFIXES
                          else _("no pupil has this admission number or UPN"))
                results.append(PhotoFile(shown, None, None, False, reason))
                continue
            name, adno = pupil["name"], pupil["admission_number"]
            if path.suffix.lower() not in IMAGE_SUFFIXES:
                results.append(PhotoFile(shown, name, adno, False, _("not an image file")))
                continue
            if pupil["id"] in first_file:
                results.append(PhotoFile(shown, name, adno, False, _(
                    "another file for the same pupil ({file}) was used").format(
                    file=first_file[pupil["id"]])))
                continue
            if not pupil["consent"]:
                results.append(PhotoFile(shown, name, adno, False,
                                         _("no photo consent is recorded for this pupil")))
                continue
            try:
                if path.stat().st_size > MAX_FILE_BYTES:  # not read into memory at all
                    raise UserError(_("too big ({mb} MB; at most {limit} MB)").format(
                        mb=round(path.stat().st_size / 1_048_576, 1),
                        limit=MAX_FILE_BYTES // 1_048_576))
                images[pupil["id"]] = scale(path.read_bytes())
            except UserError as exc:
                results.append(PhotoFile(shown, name, adno, False, exc.message))
                continue
            except OSError as exc:
                results.append(PhotoFile(shown, name, adno, False, _(
                    "could not be read ({reason})").format(reason=exc.strerror or exc)))
                continue
            first_file[pupil["id"]] = shown
            results.append(PhotoFile(shown, name, adno, True))
        if progress is not None:
            progress(len(files), len(files))
        report = PhotoImportReport(folder.name or str(folder), dry_run, tuple(results))
        if dry_run or not images:
            return report
        backup_before(self._store, "import")  # a verified copy first (G6)
        with self._store.write() as session:
            replaced = 0
            for pupil_id, image in images.items():
                # Consent is read again inside the writing transaction: it may have changed.
                if not repo.consent(session, pupil_id):
                    raise UserError(_("Photo consent changed while the photos were read. "
                                      "Nothing was changed: import again."))
                was = repo.put(session, pupil_id, image, MEDIA_TYPE)
                replaced += was
                self._context.audit(session, "pupil.photo_set", "pupil", pupil_id, after={
                    "replaced": was, "bytes": len(image), "by": "import"}, pupil_id=pupil_id)
            self._context.audit(session, "pupils.photos_import", "folder", None, after={
                "stored": len(images), "replaced": replaced, "left_out": len(report.left_out)})
        log.info("photo import: %d stored, %d left out", len(images), len(report.left_out))
        return report


class _Matcher:
    """A file name (without its suffix) -> the pupil it names, or None."""

    def __init__(self, pupils: list[dict]) -> None:  # type: ignore[type-arg]
        self._adno = {p["admission_number"].casefold(): p for p in pupils}
        self._upn = {p["upn"].upper(): p for p in pupils if p["upn"]}
        short: dict[str, list[dict]] = {}  # type: ignore[type-arg]
        for p in pupils:
            number = p["admission_number"]
            if number.isdigit():
                short.setdefault(number.lstrip("0") or "0", []).append(p)
        self._short = {k: v[0] for k, v in short.items() if len(v) == 1}

    def __call__(self, stem: str) -> dict | None:  # type: ignore[type-arg]
        key = stem.strip()
        found = self._adno.get(key.casefold()) or self._upn.get(key.upper())
        if found is None and key.isdigit():
            found = self._short.get(key.lstrip("0") or "0")
        return found


def placeholder(seed: int, size: int = SIZE) -> bytes:
    """A drawn stand-in "photo" for the demo school: a plain silhouette on a colour, no face.

    The same seed always gives the same picture.
    """
    import random

    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    hue = rng.randrange(360)
    back = _hsl(hue, 0.45, 0.82)
    body = _hsl((hue + rng.choice((150, 180, 210))) % 360, 0.35, rng.uniform(0.28, 0.45))
    skin = _hsl(rng.randrange(15, 40), rng.uniform(0.25, 0.5), rng.uniform(0.3, 0.75))
    hair = _hsl(rng.randrange(15, 45), rng.uniform(0.2, 0.6), rng.uniform(0.1, 0.55))
    image = Image.new("RGB", (size, size), back)
    draw = ImageDraw.Draw(image)
    s = size / 256
    draw.ellipse((38 * s, 170 * s, 218 * s, 330 * s), fill=body)  # shoulders
    draw.rectangle((112 * s, 140 * s, 144 * s, 185 * s), fill=skin)  # neck
    if rng.random() < 0.5:  # long hair behind the head
        draw.rounded_rectangle((70 * s, 60 * s, 186 * s, 190 * s), radius=int(40 * s), fill=hair)
    draw.ellipse((80 * s, 52 * s, 176 * s, 160 * s), fill=skin)  # head
    draw.chord((76 * s, 44 * s, 180 * s, 130 * s), 180, 360, fill=hair)  # hair on top
    out = io.BytesIO()
    image.save(out, "JPEG", quality=QUALITY)
    return out.getvalue()


def _hsl(hue: float, saturation: float, lightness: float) -> tuple[int, int, int]:
    import colorsys

    red, green, blue = colorsys.hls_to_rgb(hue / 360, lightness, saturation)
    return round(red * 255), round(green * 255), round(blue * 255)
