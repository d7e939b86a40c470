"""Schema versions and migrations.

A new database is created from the current table classes and stamped with ``SCHEMA_VERSION``.
An existing one is brought up to date by the numbered steps in ``MIGRATIONS``, each run in one
transaction together with its version bump, so a failed step leaves the database exactly as it
was (SQLite DDL is transactional). A step must be safe to run on a database that already has
part of it, which is why steps look before they alter. A database from a newer SkillsDesk is
refused rather than opened.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import Connection, inspect, select
from sqlmodel import SQLModel

from skillsdesk.storage import (  # noqa: F401 - audit trail, PINs
    tables,
    tables_appraisal,  # noqa: F401 - staff appraisal (J4)
    tables_audit,
    tables_auth,
    tables_careers,  # noqa: F401 - registers the careers tables
    tables_drafts,  # noqa: F401 - note drafts (G5)
    tables_passports,  # noqa: F401 - registers the passport tables
)
from skillsdesk.storage.backup import backup_before_migration
from skillsdesk.storage.engine import Engines, StorageError

log = logging.getLogger(__name__)

SCHEMA_VERSION = 2

# version reached -> step that takes a database from (version - 1) to it.
Migration = Callable[[Connection], None]


def _columns(conn: Connection, table: str) -> set[str]:
    return {column["name"] for column in inspect(conn).get_columns(table)}


def _to_2(conn: Connection) -> None:
    """Staff-only notes on observations; pupil photos (kept in the encrypted database).

    The DDL is written out rather than taken from the table classes, which will keep changing:
    this step must do exactly what it did the day it shipped.
    """
    if "staff_only" not in _columns(conn, "observation"):
        conn.exec_driver_sql(
            "ALTER TABLE observation ADD COLUMN staff_only BOOLEAN DEFAULT 0 NOT NULL")
    conn.exec_driver_sql(
        "CREATE TABLE IF NOT EXISTS pupil_photo (\n"
        "\tpupil_id CHAR(32) NOT NULL, \n"
        "\tmedia_type VARCHAR(40) NOT NULL, \n"
        "\timage BLOB NOT NULL, \n"
        "\tupdated_at DATETIME NOT NULL, \n"
        "\tPRIMARY KEY (pupil_id), \n"
        "\tFOREIGN KEY(pupil_id) REFERENCES pupil (id) ON DELETE CASCADE\n"
        ")")


MIGRATIONS: dict[int, Migration] = {2: _to_2}


class NewerSchemaError(StorageError):
    def __init__(self, found: int) -> None:
        super().__init__(
            f"This data was saved by a newer SkillsDesk (schema {found}; this copy knows up to "
            f"{SCHEMA_VERSION}). Update SkillsDesk to open it."
        )
        self.found = found


def read_version(conn: Connection) -> int | None:
    if not inspect(conn).has_table(tables.SchemaVersion.__tablename__):
        return None
    row = conn.execute(select(tables.SchemaVersion.version)).first()
    return None if row is None else int(row[0])


def _stamp(conn: Connection, version: int) -> None:
    table = tables.SchemaVersion.__table__
    if conn.execute(select(table.c.id)).first() is None:
        conn.execute(table.insert().values(id=1, version=version))
    else:
        conn.execute(table.update().values(version=version))


def ensure_schema(engines: Engines) -> int:
    """Create or upgrade the schema; return the version the database was at before."""
    with engines.writer.begin() as conn:
        found = read_version(conn)
        if found is None:
            user_tables = set(inspect(conn).get_table_names())
            if user_tables:
                raise StorageError(
                    "This file is not a SkillsDesk database (it has tables but no schema version)."
                )
            SQLModel.metadata.create_all(conn)
            _stamp(conn, SCHEMA_VERSION)
            log.info("created a new database at schema %s", SCHEMA_VERSION)
            return 0
    if found > SCHEMA_VERSION:
        raise NewerSchemaError(found)
    if found < SCHEMA_VERSION:
        # A verified copy at the old schema first (RELIABILITY.md G9): a failed upgrade can
        # always be undone by restoring it.
        backup_before_migration(engines)
    for target in range(found + 1, SCHEMA_VERSION + 1):
        with engines.writer.begin() as conn:
            log.info("migrating schema %s -> %s", target - 1, target)
            MIGRATIONS[target](conn)
            _stamp(conn, target)
    return found
