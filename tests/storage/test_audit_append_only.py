"""The app has no path that edits or deletes audit rows (issue 6, RELIABILITY.md G18).

The triggers that abort UPDATE and DELETE are proved in tests/storage/test_audit.py; this reads
the source: only the audit module and the backup check name the audit tables, nothing updates
them, and the one DELETE is the erasure of a pupil's content (the events stay, chained), which
only the erasure service calls, after its admin check."""

import re
from pathlib import Path

import skillsdesk

PACKAGE = Path(skillsdesk.__file__).parent
TABLES = re.compile(r"\bAudit(Event|Content)\b|\baudit_(event|content)\b")
WRITES = re.compile(r"\b(update|delete)\s*\(|\b(UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\b"
                    r"|\.merge\(|session\.delete\b")


def sources() -> dict[str, str]:
    return {str(p.relative_to(PACKAGE)): p.read_text(encoding="utf-8")
            for p in sorted(PACKAGE.rglob("*.py"))}


def test_only_the_audit_module_and_the_backup_check_touch_the_audit_tables() -> None:
    touching = {name for name, text in sources().items() if TABLES.search(text)}
    assert touching == {"storage/audit.py", "storage/tables_audit.py", "storage/backup.py"}


def test_nothing_updates_audit_rows_and_only_erasure_deletes_content() -> None:
    found = sources()
    writes = {name: [m.group(0) for m in WRITES.finditer(found[name])]
              for name in ("storage/audit.py", "storage/tables_audit.py", "storage/backup.py")}
    # tables_audit.py names UPDATE and DELETE only to refuse them with triggers.
    assert not any(w.endswith("(") for w in writes["storage/tables_audit.py"])
    assert "refuse_changes(AuditEvent.__table__, (\"UPDATE\", \"DELETE\"))" in \
        found["storage/tables_audit.py"]
    assert "refuse_changes(AuditContent.__table__, (\"UPDATE\",))" in \
        found["storage/tables_audit.py"]
    assert writes["storage/backup.py"] == []  # it reads the chain's head, nothing more
    assert writes["storage/audit.py"] == ["delete("]
    audit_py = found["storage/audit.py"]
    delete_at = audit_py.index("delete(AuditContent)")
    assert audit_py.rindex("\ndef ", 0, delete_at) == audit_py.index("\ndef erase_content(")
    callers = {name for name, text in found.items() if "erase_content(" in text}
    assert callers == {"storage/audit.py", "services/erasure.py"}
