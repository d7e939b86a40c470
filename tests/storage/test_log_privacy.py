"""A failed write's error message never carries the values it tried to write (logs hold ids)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from skillsdesk.storage.database import Store


def test_a_failed_statement_hides_its_parameters(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s")
    with pytest.raises(IntegrityError) as caught, store.write() as session:
        session.execute(text("INSERT INTO pupil (id, admission_number) VALUES (:id, :adno)"),
                        {"id": "x", "adno": "Canary McCanaryface"})
    assert "Canary" not in str(caught.value)
    assert "hidden due to hide_parameters" in str(caught.value)
    store.close()
