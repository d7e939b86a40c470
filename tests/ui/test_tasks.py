import threading
import time

from skillsdesk.ui.tasks import TaskRunner


def test_results_come_back_on_the_gui_thread(qtbot) -> None:  # type: ignore[no-untyped-def]
    runner = TaskRunner()
    main = threading.get_ident()
    seen: list[tuple[int, int]] = []
    runner.run(lambda: threading.get_ident(),
               lambda worker: seen.append((worker, threading.get_ident())), lambda exc: None)
    qtbot.waitUntil(lambda: bool(seen), timeout=3000)
    worker, callback = seen[0]
    assert worker != main and callback == main


def test_errors_are_handed_back(qtbot) -> None:  # type: ignore[no-untyped-def]
    runner = TaskRunner()
    errors: list[Exception] = []

    def fail() -> None:
        raise ValueError("disk unhappy")

    runner.run(fail, lambda _r: None, errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=3000)
    assert str(errors[0]) == "disk unhappy"


def test_long_work_shows_progress_and_can_be_cancelled(qtbot) -> None:  # type: ignore[no-untyped-def]
    runner = TaskRunner()
    finished: list[object] = []
    started = threading.Event()

    def slow(progress) -> str:  # type: ignore[no-untyped-def]
        started.set()
        for step in range(200):
            progress.report(step, 200)
            time.sleep(0.02)
        return "done"

    progress = runner.run(slow, finished.append, finished.append, label="Working…")
    assert progress is not None
    qtbot.waitUntil(lambda: runner.last_dialog is not None and runner.last_dialog.isVisible(),
                    timeout=3000)
    assert runner.last_dialog.maximum() == 200
    from PySide6.QtWidgets import QPushButton

    runner.last_dialog.findChild(QPushButton).click()  # the dialog's Cancel button
    assert runner.wait(3000)
    qtbot.wait(50)
    assert progress.cancelled and finished == []  # stopped early, nothing reported as done
    assert runner.dialogs_shown == 1


def test_short_work_shows_no_dialog(qtbot) -> None:  # type: ignore[no-untyped-def]
    runner = TaskRunner()
    done: list[object] = []
    runner.run(lambda progress: 42, done.append, done.append, label="Quick")
    qtbot.waitUntil(lambda: bool(done), timeout=3000)
    assert done == [42]
    assert runner.dialogs_shown == 0 and runner.last_dialog is None
