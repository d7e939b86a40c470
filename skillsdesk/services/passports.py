"""Skills passports (journey J3): who gets one, what goes on it, and the families' slips.

``gather`` turns pupils into plain ``Passport`` records in a handful of queries for the whole
batch; ``passport_batch`` draws them. A passport carries the preferred name, the class, the
steps and the child statements; it has no field for a UPN, SEN / PP / EAL flags or any note the
teacher did not choose or the step rule did not pick, so none can leak onto paper.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from skillsdesk.domain.calendar import school_year_of
from skillsdesk.domain.errors import NotFound, UserError
from skillsdesk.domain.permissions import PermissionDenied
from skillsdesk.domain.records import GroupInfo, PupilInfo
from skillsdesk.domain.steprule import WITH_HELP
from skillsdesk.domain.yeargroups import normalise_year_group, year_group_label
from skillsdesk.i18n import _, format_date
from skillsdesk.services.context import Context
from skillsdesk.services.frameworks import FrameworkService
from skillsdesk.services.passport_texts import OtherNames, Texts
from skillsdesk.services.progress import ProgressService
from skillsdesk.services.recording import Entry, RecordingService
from skillsdesk.services.school import SchoolService
from skillsdesk.storage import passports as repo
from skillsdesk.storage import pupils as pupil_repo
from skillsdesk.storage import school as school_repo
from skillsdesk.storage.database import Store

if TYPE_CHECKING:
    from skillsdesk.reports.passport import Passport
    from skillsdesk.services import passport_batch

MOMENTS = 3
MAX_COMMENT = 600
MAX_FAMILY_NOTE = 2_000
MAX_LOGO = 2_000_000
LOGO_PIXELS = 600  # a side: sharp at 70 pt even when printed at 600 dpi


@dataclass(frozen=True)
class PassportNoteInfo:
    teacher_comment: str
    picked: tuple[uuid.UUID, ...]


@dataclass(frozen=True)
class FromHome:
    """A returned slip as the pupil's profile lists it."""

    on: dt.date
    skill: str  # "" when the family's note is not about one skill
    text: str


@dataclass(frozen=True)
class Candidate:
    """An observation a teacher may pick to show on the passport."""

    id: uuid.UUID
    skill: str
    step: int
    on: dt.date
    note: str


@dataclass(frozen=True)
class UnprintableText:
    """One typed text on a passport holding characters no shipped font can draw."""

    field: str  # "name", "comment", "moment" or "from home"
    on: dt.date | None  # the moment's or the slip's date
    characters: str  # each once, in the order they come

    def describe(self) -> str:
        """Where the text is and what cannot be printed, for a person to find and edit it."""
        chars = describe_characters(self.characters)
        when = format_date(self.on, "long") if self.on is not None else ""
        if self.field == "name":
            return _("the name: {characters}").format(characters=chars)
        if self.field == "comment":
            return _("the teacher's comment: {characters}").format(characters=chars)
        if self.field == "moment":
            return _("the moment of {date}: {characters}").format(date=when, characters=chars)
        return _("the note from home of {date}: {characters}").format(date=when,
                                                                      characters=chars)


@dataclass(frozen=True)
class Unprintable:
    """A pupil whose passport would print some typed characters as [?]."""

    pupil: PupilInfo
    texts: tuple[UnprintableText, ...]

    def describe(self) -> str:
        return "; ".join(t.describe() for t in self.texts)


def describe_characters(chars: str, most: int = 8) -> str:
    """Characters as a person can find them even where they do not show, such as
    "🫶 (U+1FAF6)"; a mark that sits on a letter on a dotted circle ("◌ั"), as Unicode shows
    one alone; past ``most`` of them, how many more there are."""
    shown = ", ".join("{mark}{char} (U+{code:04X})".format(
        mark="\u25cc" if unicodedata.category(ch).startswith("M") else "", char=ch,
        code=ord(ch)) for ch in chars[:most])
    if len(chars) <= most:
        return shown
    return _("{characters} and {n} more").format(characters=shown, n=len(chars) - most)


def check_locale(locale: str) -> str:
    """``locale`` as babel spells it (``pl``, ``ar``, ``cy_GB``), or a UserError."""
    from babel import Locale, UnknownLocaleError

    text = (locale or "").strip().replace("-", "_")
    try:
        parsed = Locale.parse(text)
    except (UnknownLocaleError, ValueError, TypeError):
        raise UserError(_("'{locale}' is not a language SkillsDesk knows; use a code such as "
                          "cy, pl or ar.").format(locale=locale)) from None
    # SkillsDesk is written in British English: plain "en" means en_GB (day-month dates).
    return "en_GB" if str(parsed) == "en" else str(parsed)


class PassportService:
    def __init__(self, store: Store, school: SchoolService, frameworks: FrameworkService,
                 progress: ProgressService, recording: RecordingService,
                 context: Context | None = None) -> None:
        self._store = store
        self._school = school
        self._frameworks = frameworks
        self._progress = progress
        self._recording = recording
        # Who is acting (DESIGN.md §8): teachers print their own classes, admins any pupil;
        # each print and each change is audited. Without a context nothing is checked.
        self._context = context

    def _may_print(self, pupils: list[PupilInfo]) -> None:
        context = self._context
        if context is None or context.actor is None:
            return
        context.require("passport.print")
        if context.can("passport.print_any_group"):
            return
        with self._store.read() as session:
            own = repo.pupils_taught_by(session, context.actor.staff_id,
                                        self._school.current_year())
        if any(p.id not in own for p in pupils):
            raise PermissionDenied(context.actor, "passport.print_any_group")

    def _audit(self, session: Any, action: str, pupil: PupilInfo,
               after: dict[str, Any] | None = None) -> None:
        if self._context is not None:
            self._context.audit(session, action, "pupil", pupil.id, after=after,
                                pupil_id=pupil.id)

    # Who gets a passport -------------------------------------------------------------------

    def may_print_any_group(self) -> bool:
        """Whether the person at the desk may print any pupil's passport (admins), rather than
        only their own classes' (teachers, DESIGN.md §8)."""
        context = self._context
        return context is None or context.actor is None or \
            context.can("passport.print_any_group")

    def classes(self) -> list[GroupInfo]:
        """The classes this year whose passports the person at the desk may print: every
        class for an admin, a teacher's own classes, none for anyone else."""
        found = [g for g in self._school.classes() if g.kind == "class"]
        if self.may_print_any_group():
            return found
        context = self._context
        if context is None or context.staff_id is None or not context.can("passport.print"):
            return []
        with self._store.read() as session:
            own = school_repo.group_ids_of(session, context.staff_id)
        return [g for g in found if g.id in own]

    def pupils_for(self, *, group: str | None = None, year_group: str | None = None,
                   admission_numbers: list[str] | None = None) -> list[PupilInfo]:
        if group is not None:
            pupils = self._school.pupils(group=group)
            if not pupils:
                raise UserError(_("The group '{name}' has no pupils on roll.").format(name=group))
            return pupils
        if year_group is not None:
            code = normalise_year_group(year_group)
            if code is None:
                raise UserError(_("'{text}' is not a primary year group.").format(text=year_group))
            pupils = [p for p in self._school.pupils() if p.year_group == code]
            if not pupils:
                raise NotFound(_("There are no pupils in {year} this year.").format(
                    year=year_group_label(code)))
            return pupils
        wanted = list(dict.fromkeys(admission_numbers or []))
        if not wanted:
            raise UserError(_("Choose a class, a year group or at least one pupil."))
        with self._store.read() as session:
            ids = {}
            for adno in wanted:
                ids[pupil_repo.existing_pupil_id(session, adno)] = adno
            found = pupil_repo.list_pupils(session, self._school.current_year(),
                                           pupil_ids=list(ids))
        if len(found) < len(ids):
            gone = sorted(set(ids.values()) - {p.admission_number for p in found})
            raise UserError(_("Pupil {adno} is no longer on roll.").format(adno=gone[0]))
        order = {adno: i for i, adno in enumerate(wanted)}
        return sorted(found, key=lambda p: order[p.admission_number])

    # What goes on it -----------------------------------------------------------------------

    def gather(self, pupils: list[PupilInfo], locale: str = "en_GB") -> list[Passport]:
        locale = check_locale(locale)
        framework = self._frameworks.current()
        progress = self._progress.for_pupils(framework, pupils)
        ids = [p.id for p in pupils]
        skill_ids = [s.id for s in framework.skills]
        current = (self._school.current_year(), school_year_of(self._school.today()).starts_on)
        with self._store.read() as session:
            school = school_repo.school_name(session) or ""
            logo = repo.logo(session)
            # A leaver's passport (printed before erasure) speaks of the year they left, with
            # their last class, that year's comment and the slips families sent back then.
            left = repo.leaver_years(session, ids)
            years: dict[tuple[str, dt.date], list[uuid.UUID]] = {}
            for pid in ids:
                gone = left.get(pid)
                years.setdefault((gone.year_label, gone.starts_on) if gone else current,
                                 []).append(pid)
            notes: dict[uuid.UUID, repo.NoteRow] = {}
            family: dict[uuid.UUID, list[repo.MomentRow]] = {}
            for (label, since), members in years.items():
                notes.update(repo.notes_for(session, members, label))
                family.update(repo.family_moments(session, members, skill_ids, since, MOMENTS))
            auto = repo.highlights(session, ids, skill_ids, MOMENTS * 3)
            picked_ids = [i for n in notes.values() for i in n.picked]
            picked = repo.observations_by_id(session, picked_ids)
            skill_tr, step_tr = repo.translations(session, skill_ids)
        # reportlab and pypdf load when passports are made, not at start-up (STACK.md §10).
        from skillsdesk.reports.passport import Passport

        texts = Texts(framework, locale, skill_tr, step_tr)
        names = OtherNames(self._school.pupils())
        out = []
        for pupil, where in zip(pupils, progress, strict=True):
            note = notes.get(pupil.id)
            chosen = [picked[i] for i in (note.picked if note else ()) if i in picked
                      and picked[i].pupil_id == pupil.id]
            if chosen:
                moments = chosen[:MOMENTS]  # the teacher has read these
            else:
                moments = []
                seen: set[str] = set()  # the same words twice read like a form letter
                for m in auto.get(pupil.id, []):
                    words = " ".join(m.note.split()).casefold()
                    if len(moments) < MOMENTS and words not in seen \
                            and not names.mentioned(m.note, pupil):
                        moments.append(m)
                        seen.add(words)
            gone = left.get(pupil.id)
            out.append(Passport(
                school=school, pupil_name=pupil.display_name, first_name=pupil.first_name,
                class_name=(gone.class_name if gone else pupil.class_name) or "",
                academic_year=gone.year_label if gone else current[0],
                printed_on=self._school.today(),
                skills=tuple(texts.skill(skill, position.current, position.next)
                             for skill, position in zip(framework.skills, where.skills,
                                                        strict=True)),
                moments=tuple(texts.moment(m) for m in moments),
                from_home=tuple(texts.moment(m) for m in family.get(pupil.id, [])),
                teacher_comment=note.teacher_comment if note else "",
                logo=logo))
        return out

    def unprintable(self, pupils: list[PupilInfo], locale: str = "en_GB") -> list[Unprintable]:
        """The pupils whose passports hold typed characters that no font SkillsDesk ships can
        draw (they print as [?]): in the name, the teacher's comment, the moments or the notes
        from home, so staff can edit them before printing. Emoji and Chinese, Japanese or
        Korean are drawn in fallback fonts and are not listed."""
        from skillsdesk.reports.fonts import unprintable

        self._may_print(pupils)
        found = []
        for pupil, passport in zip(pupils, self.gather(pupils, locale), strict=True):
            texts = [UnprintableText("name", None, lost) for lost in
                     [unprintable(passport.pupil_name, bold=True)] if lost]
            texts += [UnprintableText("comment", None, lost) for lost in
                      [unprintable(passport.teacher_comment)] if lost]
            texts += [UnprintableText("moment", m.on, lost) for m in passport.moments
                      for lost in [unprintable(m.text)] if lost]
            texts += [UnprintableText("from home", m.on, lost) for m in passport.from_home
                      for lost in [unprintable(m.text, italic=True)] if lost]
            if texts:
                found.append(Unprintable(pupil, tuple(texts)))
        return found

    # Making the PDF ------------------------------------------------------------------------

    def make(self, pupils: list[PupilInfo], target: Path, *, locale: str = "en_GB",
             per_pupil: bool = False, workers: int | None = None,
             progress: passport_batch.Progress | None = None,
             cancel: passport_batch.CancelFlag | None = None,
             invariant: bool | None = None) -> passport_batch.BatchResult:
        locale = check_locale(locale)
        self._may_print(pupils)
        passports = self.gather(pupils, locale)
        from skillsdesk.services import passport_batch

        make = passport_batch.per_pupil if per_pupil else passport_batch.one_pdf
        result = make(passports, locale, Path(target), workers=workers, invariant=invariant,
                      progress=progress, cancel=cancel)
        if self._context is not None:
            with self._store.write() as session:
                for pupil in pupils:  # a passport is pupil data leaving the system
                    self._audit(session, "passport.print", pupil, {"language": locale})
        return result

    def preview(self, pupil: PupilInfo, locale: str = "en_GB") -> bytes:
        """One pupil's passport as PDF bytes, for the in-app preview (nothing written to disk)."""
        from skillsdesk.reports.passport import build_passport, wording_for

        locale = check_locale(locale)
        self._may_print([pupil])
        return build_passport(self.gather([pupil], locale)[0], wording_for(locale))

    def record_printed(self, pupils: list[PupilInfo], locale: str) -> None:
        """Printing from the preview is a disclosure too: audited like a saved batch."""
        self._may_print(pupils)
        if self._context is not None:
            with self._store.write() as session:
                for pupil in pupils:
                    self._audit(session, "passport.print", pupil, {"language": locale})

    # The teacher's words and picks ---------------------------------------------------------

    def note(self, pupil: PupilInfo) -> PassportNoteInfo:
        with self._store.read() as session:
            row = repo.notes_for(session, [pupil.id], self._school.current_year()).get(pupil.id)
        return PassportNoteInfo(row.teacher_comment, row.picked) if row else \
            PassportNoteInfo("", ())

    def set_comment(self, pupil: PupilInfo, comment: str) -> None:
        comment = unicodedata.normalize("NFC", comment.strip())
        if len(comment) > MAX_COMMENT:
            raise UserError(_("The comment is longer than {limit} characters; a passport has "
                              "room for a few warm sentences.").format(limit=MAX_COMMENT))
        self._may_print([pupil])
        with self._store.write() as session:
            repo.save_note(session, pupil.id, self._school.current_year(),
                           teacher_comment=comment)
            self._audit(session, "passport.comment", pupil, {"comment": comment})

    def candidates(self, pupil: PupilInfo) -> list[Candidate]:
        framework = self._frameworks.current()
        names = {s.id: s.name for s in framework.skills}
        with self._store.read() as session:
            rows = repo.candidates(session, pupil.id, list(names))
        return [Candidate(r.id, names[r.skill_id], r.step or 0, r.on, r.note)  # type: ignore[index]
                for r in rows if r.id is not None]

    def pick(self, pupil: PupilInfo, observation_ids: list[uuid.UUID]) -> None:
        """Choose the moments shown (at most three; none: the most recent ones again)."""
        if len(observation_ids) > MOMENTS:
            raise UserError(_("Pick at most {n} moments for a passport.").format(n=MOMENTS))
        allowed = {c.id for c in self.candidates(pupil)}
        if any(i not in allowed for i in observation_ids):
            raise UserError(_("Only this pupil's observations with a note can be picked."))
        self._may_print([pupil])
        with self._store.write() as session:
            repo.save_note(session, pupil.id, self._school.current_year(),
                           picked=list(observation_ids))
            self._audit(session, "passport.pick", pupil,
                        {"observations": [str(i) for i in observation_ids]})

    # Families' slips -----------------------------------------------------------------------

    def add_family_note(self, pupil: PupilInfo, text: str, on: dt.date,
                        skill_code: str | None = None) -> None:
        """Key in a returned slip. About a skill, it is an observation with source "parent",
        setting "home" and level "with help": the family's word is welcome evidence but never
        secures a step on its own (only independent sightings by staff or a staff judgement do).
        It is recorded at the step the pupil is working on."""
        text = unicodedata.normalize("NFC", text.strip())
        if not text:
            raise UserError(_("Type what the family wrote on the slip."))
        if len(text) > MAX_FAMILY_NOTE:
            raise UserError(_("The note is longer than {limit} characters.").format(
                limit=MAX_FAMILY_NOTE))
        if on > self._school.today():
            raise UserError(_("The date is in the future: use the date on the slip."))
        if self._context is not None:
            self._context.require("observation.record")
        if not skill_code:
            with self._store.write() as session:
                note_id = repo.add_family_note(session, pupil.id, on, text)
                self._audit(session, "pupil.family_note", pupil, {"id": str(note_id)})
            return
        framework = self._frameworks.current()
        position = self._progress.for_pupils(framework, [pupil])[0]
        step = next((s.next if s.next is not None else s.current
                     for s in position.skills if s.skill == skill_code), None)
        if step is None:
            raise NotFound(_("'{code}' is not a skill of {framework}.").format(
                code=skill_code, framework=framework.name))
        self._recording.record(framework, skill_code, [Entry(pupil.id, step, WITH_HELP)],
                               setting="home", observed_on=on, note=text, source="parent")

    def from_home(self, pupil: PupilInfo) -> list[FromHome]:
        """Every slip a family sent back for ``pupil``, newest first, for the pupil's profile
        (none for a role that may not read notes)."""
        if self._context is not None and not self._context.can("pupil.see_sensitive"):
            return []
        framework = self._frameworks.current()
        names = {s.id: s.name for s in framework.skills}
        with self._store.read() as session:
            rows = repo.family_moments(session, [pupil.id], list(names), dt.date.min,
                                       per_pupil=10_000).get(pupil.id, [])
        return [FromHome(r.on, names.get(r.skill_id, "") if r.skill_id else "", r.note)
                for r in rows]

    # The school's logo ---------------------------------------------------------------------

    def may_set_logo(self) -> bool:
        """Whether the person at the desk may change the school's logo (a school setting)."""
        return self._context is None or self._context.can("settings")

    def logo(self) -> bytes | None:
        with self._store.read() as session:
            return repo.logo(session)

    def set_logo(self, path: Path | None) -> None:
        """Use an image file (PNG or JPEG) as the logo on passports; None removes it.

        The picture is decoded here, so a damaged file is refused with its name now rather
        than breaking every passport later, and kept as a PNG of at most ``LOGO_PIXELS`` a side
        (transparency kept) so a photo-sized logo does not swell each PDF."""
        if self._context is not None:
            self._context.require("settings")
        data = None
        if path is not None:
            path = Path(path)
            try:
                raw = path.read_bytes()
            except OSError as exc:
                raise UserError(_("{file} could not be read ({reason}).").format(
                    file=path.name, reason=exc.strerror or exc)) from exc
            if len(raw) > MAX_LOGO:
                raise UserError(_("{file} is larger than 2 MB; use a smaller logo.").format(
                    file=path.name))
            data = _logo_png(raw, path.name)
        with self._store.write() as session:
            repo.set_logo(session, data)
            if self._context is not None:
                self._context.audit(session, "settings.change", "settings", None,
                                    after={"school_logo": "set" if data else "removed"})


def _logo_png(raw: bytes, name: str) -> bytes:
    """``raw`` as a PNG no bigger than ``LOGO_PIXELS`` a side, or a UserError naming the file."""
    import io

    from PIL import Image, ImageOps, UnidentifiedImageError

    refused = UserError(_("{file} is not a PNG or JPEG picture SkillsDesk can read; save the "
                          "logo as PNG or JPEG and choose it again.").format(file=name))
    if not (raw.startswith(b"\x89PNG\r\n\x1a\n") or raw.startswith(b"\xff\xd8")):
        raise refused
    try:
        with Image.open(io.BytesIO(raw)) as image:
            if image.width * image.height > 40_000_000:
                raise refused
            image.load()
            upright = ImageOps.exif_transpose(image)
            picture = upright.convert("RGBA" if "A" in upright.getbands()
                                      or "transparency" in upright.info else "RGB")
            picture.thumbnail((LOGO_PIXELS, LOGO_PIXELS), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            picture.save(out, "PNG", optimize=True)
            return out.getvalue()
    except UserError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError,
            SyntaxError):
        raise refused from None
