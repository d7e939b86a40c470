"""The benchmark self-audit, the action plan and the careers report (its text read back)."""

import datetime as dt
import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from skillsdesk.domain.benchmarks import ACHIEVED, IN_PROGRESS, ActionDraft, AuditEntry
from skillsdesk.domain.careers import ActivityDraft
from skillsdesk.domain.errors import NotFound, UserError
from skillsdesk.reports.careers_report import build_careers_report
from skillsdesk.reports.fonts import SANS, missing_glyphs
from tests.conftest import TODAY


def record(services, title: str, on: dt.date, benchmarks: tuple[str, ...]):  # type: ignore[no-untyped-def]
    group = services.school.classes()[-1]
    return services.careers.record(ActivityDraft(
        held_on=on, title=title, kind="employer-talk", partner="Acme", sector="Retail",
        group_ids=(group.id,), benchmarks=benchmarks)).activity


def pdf_text(data: bytes) -> str:
    """The PDF's words in order, with table cells' line breaks made plain spaces."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())


def test_audits_are_dated_snapshots_compared_with_the_one_before(services) -> None:
    audit = services.careers.audit
    first = audit.save_audit([AuditEntry("", "PB5.1", IN_PROGRESS, "Two visits so far")],
                             dt.date(2026, 7, 10), note="Baseline")
    second = audit.save_audit([AuditEntry("", "PB5.1", ACHIEVED),
                               AuditEntry("", "PB5.2", ACHIEVED)], TODAY)
    assert [a.assessed_on for a in audit.audits()] == [TODAY, dt.date(2026, 7, 10)]
    kept = next(a for a in audit.audits() if a.id == first.id)
    assert kept.entry("PB5.1").status == IN_PROGRESS  # the earlier snapshot is untouched
    assert kept.entry("PB5.1").evidence == "Two visits so far" and kept.note == "Baseline"
    view = audit.view()
    assert view.audit.id == second.id and view.previous.id == first.id
    pb5 = next(c for c in view.changes if c.code == "PB5")
    assert (pb5.before.percentage, pb5.after.percentage) == (0, 50)
    assert (pb5.before.rag, pb5.after.rag) == ("amber", "amber")
    assert ("PB5.2", "not-started", "achieved") in pb5.criteria_changed
    # Saving again on the same day replaces that day's audit rather than adding one.
    audit.save_audit([AuditEntry("", "PB5.1", ACHIEVED)], TODAY)
    assert len(audit.audits()) == 2
    with pytest.raises(UserError):
        audit.save_audit([AuditEntry("", "PB5.1", ACHIEVED)], TODAY + dt.timedelta(days=1))
    with pytest.raises(UserError) as caught:
        audit.save_audit([AuditEntry("", "PB5.9", ACHIEVED)])
    assert caught.value.problems[0].field == "PB5.9"


def test_evidence_links_to_logged_activities_automatically(demo_services) -> None:
    s = demo_services
    early = record(s, "Shop visit", TODAY - dt.timedelta(days=20), ("PB5",))
    late = record(s, "Bank talk", TODAY - dt.timedelta(days=2), ("PB5", "PB2"))
    record(s, "Old visit", dt.date(2026, 7, 1), ("PB5",))  # last academic year
    saved = s.careers.audit.save_audit([AuditEntry("", "PB5.1", ACHIEVED)],
                                       TODAY - dt.timedelta(days=10))
    view = s.careers.audit.view(saved.id)
    titles = {a.title for a in view.evidence.get("PB5", ())}
    assert "Shop visit" in titles and "Bank talk" not in titles and "Old visit" not in titles
    now = s.careers.audit.evidence(TODAY)
    assert {early.id, late.id} <= {a.id for a in now["PB5"]}
    assert late.id in {a.id for a in now["PB2"]}


def test_the_action_plan_with_owners_and_overdue_actions(services) -> None:
    audit = services.careers.audit
    owner = services.accounts.add_staff("lead", "Ada Lead", "admin", job_title="Careers lead")
    late = audit.add_action(ActionDraft("PB7", "Visit a college", owner.id,
                                        TODAY - dt.timedelta(days=1), "in-progress",
                                        "Visit in the log"))
    audit.add_action(ActionDraft("PB1", "Tell governors", None, TODAY + dt.timedelta(days=30)))
    assert [a.action for a in audit.overdue()] == ["Visit a college"]
    assert late.owner == "Ada Lead" and late.done_on is None
    done = audit.update_action(late.id, ActionDraft(
        "PB7", "Visit a college", owner.id, late.due_on, "done", "Visit in the log",
        "Went well"))
    assert done.done_on == TODAY and not done.overdue(TODAY) and audit.overdue() == []
    assert [a.action for a in audit.actions()] == ["Visit a college", "Tell governors"]
    with pytest.raises(UserError) as caught:
        audit.add_action(ActionDraft("PB12", " ", None, TODAY, "finished"))
    assert {p.field for p in caught.value.problems} == {"benchmark", "action", "status"}
    audit.delete_action(done.id)
    with pytest.raises(NotFound):
        audit.delete_action(done.id)
    assert len(audit.actions()) == 1


def test_the_report_shows_the_audit_evidence_and_plan_but_no_pupil(demo_services,
                                                                    tmp_path: Path) -> None:
    s = demo_services
    record(s, "Meet a bus driver", TODAY - dt.timedelta(days=1), ("PB5",))
    s.careers.audit.save_audit([AuditEntry("", c, ACHIEVED, "Minutes of 3 March")
                                for c in ("PB5.1", "PB5.2", "PB5.3", "PB5.4")], TODAY)
    owner = s.school.staff()[0]
    s.careers.audit.add_action(ActionDraft("PB3", "Invite a male nurse", owner.id,
                                           TODAY - dt.timedelta(days=3)))
    path = s.careers.audit.write_report(tmp_path / "careers.pdf")
    text = pdf_text(path.read_bytes())
    assert "Brackenfield Primary School" in text
    assert "benchmark self-audit" in text
    assert "PB5 Encounters with employers and employees: Green, 100% achieved" in text
    assert "Minutes of 3 March" in text and "Meet a bus driver" in text
    assert "Invite a male nurse" in text and "(overdue)" in text and owner.name in text
    assert "Pupils' aspirations" in text and "c = fewer than 5 pupils" in text
    fonts = {str(font["/BaseFont"]) for page in PdfReader(path).pages
             for font in page["/Resources"]["/Font"].values()}
    assert fonts and all("Noto" in f for f in fonts)  # never the Helvetica default
    assert not missing_glyphs(SANS, text)  # reportlab would drop such characters silently
    pupils = s.school.pupils()
    assert not any(p.display_name in text or f"{p.legal_first_name} {p.legal_last_name}" in text
                   for p in pupils)  # no child is named


def test_the_report_before_any_audit_and_the_trust_summary(services) -> None:
    data = services.careers.audit.report_data()
    text = pdf_text(build_careers_report(data))
    assert "No self-audit has been saved yet" in text and "No actions have been planned" in text
    summary = services.careers.audit.summary()
    assert summary["audit_date"] is None and summary["activities"] == 0
    assert set(summary["benchmarks"]) == {f"PB{n}" for n in range(1, 9)}
    with pytest.raises(UserError, match="could not be written"):
        services.careers.audit.write_report(Path("/proc/no-such-place/report.pdf"))
