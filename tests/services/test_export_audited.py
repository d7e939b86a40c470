"""An export writes its audit row (issue 6: "every change, sign-in, failed sign-in, print,
export, restore and role change writes one append-only audit row"). Prints, restores, role
changes and sign-ins have theirs proved beside their own tests; this is the trust export."""

from pathlib import Path

from skillsdesk.domain.permissions import Actor


def test_a_trust_export_writes_exactly_one_audit_row(demo_services, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    head = next(p for p in demo_services.school.staff() if p.login == "head")
    demo_services.context.set_actor(Actor(head.id, head.login, head.name, head.role))
    try:
        before = demo_services.accounts.audit_trail(action="trust.export")
        saved = demo_services.audit_export.export(tmp_path / "for-the-trust")
        events = demo_services.accounts.audit_trail(action="trust.export")
    finally:
        demo_services.context.set_actor(None)
    assert before == [] and len(events) == 1
    event = events[0]
    assert event.login == "head" and event.role == "admin" and event.entity_id == saved.path.name
    assert event.at.tzinfo is not None  # UTC
