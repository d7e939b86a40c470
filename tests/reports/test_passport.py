"""The passport builder from plain data: text, pages, fonts, right-to-left and reproducibility."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata

import pytest
from bidi.algorithm import get_display
from pypdf import PdfReader
from reportlab import rl_config

from skillsdesk.reports.passport import (
    Passport,
    PassportMoment,
    PassportSkill,
    build_passport,
    build_passports,
    wording_for,
)
from skillsdesk.reports.textlayout import (
    BidiParagraph,
    shape,
    visual,
    wrap_lines,
)

COLOURS = ("#0072B2", "#56B4E9", "#E69F00", "#F0E442", "#009E73", "#D55E00", "#CC79A7", "#882255")


def skill(index: int, current: int | None = 2) -> PassportSkill:
    following = 0 if current is None else current + 1
    return PassportSkill(
        name=f"Skill number {index}", colour=COLOURS[index % 8], path=tuple(range(16)),
        current=current, next=following,
        secured_text=f"I can do the thing for step {current} of skill {index}.",
        next_text=f"I can try the harder thing for step {following} of skill {index}.",
        home_tip=f"At home, practise skill {index} while laying the table or tidying up.")


def passport(name: str = "Zoë Smith-Jones", skills: int = 8, **extra: object) -> Passport:
    values: dict[str, object] = dict(
        school="Brackenfield Primary School", pupil_name=name, first_name=name.split()[0],
        class_name="3 Oak", academic_year="2026/27", printed_on=dt.date(2026, 11, 30),
        skills=tuple(skill(i, None if i == 0 else i % 5) for i in range(skills)),
        moments=(PassportMoment(dt.date(2026, 11, 12), "Skill number 1", COLOURS[1],
                                "Helped a younger child join the game."),),
        from_home=(PassportMoment(dt.date(2026, 11, 20), "", "#E07A2E",
                                  "Explained the rules of a card game to grandma."),),
        teacher_comment="A kind friend who never gives up.")
    values.update(extra)
    return Passport(**values)  # type: ignore[arg-type]


def text_of(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_names_skills_steps_and_wording_are_in_the_text() -> None:
    data = build_passport(passport(), wording_for("en_GB"))
    pages = text_of(data)
    text = "\n".join(pages)
    for page in PdfReader(io.BytesIO(data)).pages:  # A4 portrait
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == \
            (595, 842)
    assert "Zoë Smith-Jones" in text
    assert "Brackenfield Primary School" in text and "Class 3 Oak" in text
    assert "2026/27" in text
    assert "At home, practise skill 4 while laying the table or tidying up." in text
    assert "Cut here and bring this slip back to school" in text
    assert "Your name" in text and "Signature" in text
    for index in range(8):
        assert f"Skill number {index}" in text
    assert "I can do the thing for step 4 of skill 4." in text
    assert "I can try the harder thing for step 5 of skill 4." in text
    assert "Step 4" in text and "Starting out" in text
    assert "My skills passport" in text and "What we noticed at home" in text
    assert "Helped a younger child join the game." in text
    assert "Explained the rules of a card game to grandma." in text
    assert "A kind friend who never gives up." in text
    assert "30 November 2026" in text  # en_GB dates through babel


def test_eight_skills_fit_two_pages_and_a_batch_starts_each_passport_on_an_odd_page() -> None:
    words = wording_for("en_GB")
    assert len(PdfReader(io.BytesIO(build_passport(passport(), words))).pages) == 2
    short = passport("Ava Jones", skills=3, moments=(), from_home=())
    assert len(PdfReader(io.BytesIO(build_passport(short, words))).pages) == 1
    built = build_passports([short, passport(), short], words)
    assert built.pages == (2, 2, 2)
    reader = PdfReader(io.BytesIO(built.data))
    assert len(reader.pages) == 6
    assert reader.pages[1].extract_text().strip() == ""  # the blank back of Ava's sheet
    assert "Zoë Smith-Jones" in reader.pages[2].extract_text()
    assert [o.title for o in reader.outline] == ["Ava Jones", "Zoë Smith-Jones", "Ava Jones"]


def test_long_texts_still_fit_two_pages() -> None:
    long = "I can keep going when something is hard and ask for help when I need it. " * 3
    tip = "At home, talk together about a time when something felt hard and what helped. " * 2
    heavy = passport(skills=8, teacher_comment="Such a thoughtful member of our class. " * 12)
    heavy = Passport(**{**heavy.__dict__, "skills": tuple(
        PassportSkill(s.name, s.colour, s.path, s.current, s.next, long, long, tip)
        for s in heavy.skills)})
    pages = len(PdfReader(io.BytesIO(build_passport(heavy, wording_for("en_GB")))).pages)
    assert pages <= 3  # never lost: a very wordy framework spills onto a third page


def _fonts(resources, found: dict) -> None:  # type: ignore[no-untyped-def]
    """Every font named by ``resources``, and by the forms (drawn stones) it uses."""
    resources = resources.get_object()
    for ref in resources.get("/Font", {}).values():
        font = ref.get_object()
        found[str(font["/BaseFont"])] = font
    for ref in resources.get("/XObject", {}).values():
        xobject = ref.get_object()
        if xobject.get("/Subtype") == "/Form" and "/Resources" in xobject:
            _fonts(xobject["/Resources"], found)


def test_every_font_is_embedded_and_none_is_helvetica() -> None:
    reader = PdfReader(io.BytesIO(build_passport(
        passport("مريم Haddad"), wording_for("ar"))))
    found: dict = {}
    for page in reader.pages:
        _fonts(page["/Resources"], found)
    for name, font in found.items():
        assert "Helvetica" not in name
        assert "/FontDescriptor" in font, name  # a standard-14 font has none: not embedded
        assert "/FontFile2" in font["/FontDescriptor"].get_object(), name
    assert any("NotoSans-Bold" in name for name in found)
    assert any("NotoNaskhArabic" in name for name in found)


def test_identical_input_gives_identical_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rl_config, "invariant", 1)
    words = wording_for("cy")
    first = build_passports([passport(), passport("Llŷr ap Rhys")], words).data
    second = build_passports([passport(), passport("Llŷr ap Rhys")], words).data
    assert first == second


def test_welsh_wording_and_dates() -> None:
    text = "\n".join(text_of(build_passport(passport(), wording_for("cy"))))
    assert "Fy mhasbort sgiliau" in text and "Cam 4" in text
    assert "30 Tachwedd 2026" in text
    assert "Skill number 3" in text  # framework text stays as the framework has it


def test_a_language_without_a_catalogue_falls_back_to_english() -> None:
    text = "\n".join(text_of(build_passport(passport(), wording_for("de"))))
    assert "My skills passport" in text
    assert "30. November 2026" in text  # the date is still German: babel knows German


def _positions(page) -> list[tuple[str, float]]:  # type: ignore[no-untyped-def]
    found: list[tuple[str, float]] = []

    def visit(text, cm, tm, font, size):  # type: ignore[no-untyped-def]
        if text.strip():
            found.append((text, cm[4] + tm[4] * cm[0]))

    page.extract_text(visitor_text=visit)
    return found


def test_arabic_is_shaped_ordered_and_right_aligned() -> None:
    title = "جواز مهاراتي"
    page = PdfReader(io.BytesIO(build_passport(passport("مريم Haddad"),
                                               wording_for("ar")))).pages[0]
    text = page.extract_text()
    # Drawn joined (Arabic Presentation Forms-B) and in visual order, which pypdf's extraction
    # turns back into reading order: had it been drawn in logical order, it would come out
    # reversed, and unshaped letters would come out as the plain Arabic block.
    joined = shape(title)
    assert joined in text
    assert get_display(joined, base_dir="R") not in text
    assert all(0xFE70 <= ord(ch) <= 0xFEFF for ch in joined if ch != " ")
    assert unicodedata.normalize("NFKC", joined) == title  # the same letters, joined
    assert shape("مريم") in text and "Haddad" in text
    # Right-aligned: the title starts right of the page's middle, unlike the English one.
    x = next(x for t, x in _positions(page) if joined in t)
    english = PdfReader(io.BytesIO(build_passport(passport(), wording_for("en_GB")))).pages[0]
    x_en = next(x for t, x in _positions(english) if "My skills passport" in t)
    assert x > 300 > x_en


def test_bidi_lines_are_wrapped_before_they_are_reordered() -> None:
    sentence = "هذه هي المهارات التي يتدرب عليها مريم في المدرسة، خطوة بخطوة."
    lines = wrap_lines(sentence, 10, 120)
    assert len(lines) > 1
    # The first line holds the first words (logical order), so it reads first from the right.
    assert shape(sentence).startswith(lines[0])
    assert visual(lines[0], "R") == get_display(lines[0], base_dir="R")
    paragraph = BidiParagraph(sentence, 10, align="right")
    assert paragraph.direction == "R"
    width, height = paragraph.wrap(120, 1000)
    assert width == 120 and height == len(lines) * paragraph.leading
    top, rest = paragraph.split(120, paragraph.leading * 1.5)
    assert top.wrap(120, 1000)[1] == paragraph.leading
    assert rest.wrap(120, 1000)[1] == (len(lines) - 1) * paragraph.leading


def test_a_logo_is_drawn_when_the_school_has_one() -> None:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), (200, 80, 20)).save(buffer, format="PNG")
    data = build_passport(passport(logo=buffer.getvalue()), wording_for("en_GB"))
    page = PdfReader(io.BytesIO(data)).pages[0]
    xobjects = page["/Resources"]["/XObject"]
    images = [x for x in xobjects.values() if x.get_object()["/Subtype"] == "/Image"]
    assert images
    plain = PdfReader(io.BytesIO(build_passport(passport(), wording_for("en_GB")))).pages[0]
    assert not [x for x in plain["/Resources"].get("/XObject", {}).values()
                if x.get_object()["/Subtype"] == "/Image"]


def test_eight_skills_keep_to_two_pages_by_showing_fewer_moments() -> None:
    note = "Worked with a partner to plan the steps, then checked each one carefully. " * 2
    many = tuple(PassportMoment(dt.date(2026, 11, d), "Skill number 1", COLOURS[1], note)
                 for d in (3, 2, 1))
    busy = passport(moments=many, from_home=many,
                    teacher_comment="A thoughtful, kind and determined learner. " * 14)
    data = build_passport(busy, wording_for("en_GB"))
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 2
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "What we noticed at home" in text and "A thoughtful, kind" in text
    assert text.count("3 November 2026") == 2  # the newest of each list is kept …
    assert text.count("1 November 2026") < 2  # … and older ones give way
