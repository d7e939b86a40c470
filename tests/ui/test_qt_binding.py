"""Guards against a known-bad Qt binding.

PySide6 6.12.0 on CPython 3.11 drops a reference to ``True`` on every ``Signal.emit()``. ``True``
is not immortal before 3.12, so after enough emits (every background task emits) the process dies
in garbage collection. pyproject.toml keeps PySide6 below 6.12 for that; this test fails on any
binding that has the fault, so an upgrade cannot bring it back unnoticed.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    plain = Signal()
    carrying = Signal(object)


def test_emitting_a_signal_leaves_true_alone(qapp) -> None:  # type: ignore[no-untyped-def]
    emitter = _Emitter()
    seen: list[object] = []
    emitter.plain.connect(lambda: seen.append(None))
    emitter.carrying.connect(seen.append)
    before = sys.getrefcount(True)
    for _ in range(200):
        emitter.plain.emit()
        emitter.carrying.emit(1)
    assert len(seen) == 400
    # Other code may take or drop a few references meanwhile; the fault loses one per emit.
    assert sys.getrefcount(True) - before > -20
