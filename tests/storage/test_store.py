import datetime as dt
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from skillsdesk.domain.steprule import Seen, StepRule, current_steps, summarise
from skillsdesk.storage import observations as obs_repo
from skillsdesk.storage import schema
from skillsdesk.storage.database import Store
from skillsdesk.storage.engine import StorageError, storage_settings, wal_reset_bug_fixed
from skillsdesk.storage.tables import Observation


def test_connections_get_the_safe_settings(tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    try:
        found = storage_settings(store.engines.writer)
        assert found["journal_mode"] == "wal"
        assert found["synchronous"] == 2  # FULL
        assert found["foreign_keys"] == 1
        assert found["secure_delete"] == 1
        assert found["temp_store"] == 2  # MEMORY
        assert found["wal_reset_bug_fixed"]
        assert store.quick_check() == "ok"
    finally:
        store.close()


@pytest.mark.parametrize(("version", "fixed"), [
    ((3, 40, 1), False), ((3, 51, 2), False), ((3, 51, 3), True), ((3, 50, 7), True),
    ((3, 50, 6), False), ((3, 44, 6), True), ((3, 44, 5), False), ((3, 53, 4), True),
])
def test_wal_reset_bug_gate(version: tuple[int, int, int], fixed: bool) -> None:
    assert wal_reset_bug_fixed(version) is fixed


def test_database_from_a_newer_skillsdesk_is_refused(tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    with store.write() as session:
        session.execute(text("UPDATE schema_version SET version = :v"),
                        {"v": schema.SCHEMA_VERSION + 5})
    store.close()
    with pytest.raises(schema.NewerSchemaError, match="newer SkillsDesk"):
        Store.open(tmp_path)


def test_a_failed_migration_step_changes_nothing(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store.open(tmp_path)
    store.close()

    def half_done(conn) -> None:  # type: ignore[no-untyped-def]
        conn.execute(text("CREATE TABLE extra (id INTEGER PRIMARY KEY)"))
        raise RuntimeError("power cut")

    monkeypatch.setattr(schema, "SCHEMA_VERSION", schema.SCHEMA_VERSION + 1)
    monkeypatch.setitem(schema.MIGRATIONS, schema.SCHEMA_VERSION, half_done)
    with pytest.raises(RuntimeError):
        Store.open(tmp_path)
    monkeypatch.setitem(schema.MIGRATIONS, schema.SCHEMA_VERSION,
                        lambda conn: conn.execute(text("CREATE TABLE extra (id INTEGER)")))
    store = Store.open(tmp_path)  # the DDL of the failed step was rolled back with it
    with store.read() as session:
        assert session.execute(text("SELECT version FROM schema_version")).scalar() == \
            schema.SCHEMA_VERSION
    store.close()


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    (tmp_path / "skillsdesk.db").write_bytes(b"this is a shopping list, not a database" * 200)
    with pytest.raises(StorageError):
        Store.open(tmp_path)


def test_a_write_is_all_or_nothing(tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    try:
        with pytest.raises(RuntimeError), store.write() as session:
            session.execute(text("INSERT INTO setting (key, value) VALUES ('a', '1')"))
            raise RuntimeError("interrupted")
        with store.read() as session:
            assert session.execute(text("SELECT count(*) FROM setting")).scalar() == 0
    finally:
        store.close()


def test_the_class_query_uses_the_covering_index(demo_services) -> None:  # type: ignore[no-untyped-def]
    framework = demo_services.frameworks.current()
    with demo_services.store.read() as session:
        ids = [s.id.hex for s in framework.skills]
        plan = session.execute(text(
            "EXPLAIN QUERY PLAN SELECT pupil_id, skill_id, step_number, max(level) "
            "FROM observation WHERE deleted_at IS NULL AND pupil_id IN ('a', 'b') "
            f"AND skill_id IN ({','.join(repr(i) for i in ids)}) "
            "GROUP BY pupil_id, skill_id, step_number")).all()
    assert any("ix_observation_progress" in str(row) for row in plan)


SEEN = st.lists(st.tuples(st.integers(0, 2), st.integers(0, 1), st.integers(0, 4),
                          st.integers(1, 3), st.integers(0, 9),
                          st.sampled_from(["classroom", "lunchtime"]), st.booleans()),
                max_size=40)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(SEEN)
def test_sql_evidence_agrees_with_the_domain_rule(demo_services, items) -> None:  # type: ignore[no-untyped-def]
    framework = demo_services.frameworks.current()
    skills = [framework.skills[0].id, framework.skills[1].id]
    pupils = [p.id for p in demo_services.school.pupils()[:3]]
    day = dt.date(2030, 1, 1)
    rows = [{"pupil_id": pupils[p], "skill_id": skills[s], "step_number": step, "level": level,
             "observed_on": day + dt.timedelta(days=d), "setting": place,
             "deleted_at": dt.datetime.now(dt.UTC) if deleted else None}
            for p, s, step, level, d, place, deleted in items]
    with demo_services.store.write() as session:
        session.execute(Observation.__table__.delete().where(
            Observation.pupil_id.in_(pupils)))
        obs_repo.insert_observations(session, [dict(r) for r in rows])
    with demo_services.store.read() as session:
        evidence = obs_repo.step_evidence(session, skills, pupils)
    rule = StepRule()
    expected = current_steps(summarise(
        Seen(r["pupil_id"], r["skill_id"], r["step_number"], r["level"], r["observed_on"],
             r["setting"]) for r in rows if r["deleted_at"] is None), rule)
    assert current_steps(evidence, rule) == expected
    assert all(isinstance(k[0], uuid.UUID) for k in expected)
    for days, places in ((2, 1), (1, 1), (3, 2)):
        with demo_services.store.read() as session:
            in_sql = obs_repo.secured_steps(session, skills, days, places, pupils)
        assert in_sql == current_steps(evidence, StepRule(days, places))
