"""Render the main views of the demo school to PNG files, offscreen, so anyone can see the app.

    python -m skillsdesk.ui.screenshots OUTDIR [--data-dir DIR] [--dark] [--scale 2]

Builds a demo school in a temporary folder unless ``--data-dir`` names one. ``--dark`` draws
with a dark palette; ``--scale 2`` as at 200 % display scaling (QT_SCALE_FACTOR).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m skillsdesk.ui.screenshots")
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--dark", action="store_true", help="use a dark palette")
    parser.add_argument("--scale", type=float, help="display scale factor, e.g. 2 for 200 %%")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if args.scale:  # read when the QApplication is made, so it must be set before
        os.environ["QT_SCALE_FACTOR"] = str(args.scale)

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from skillsdesk.services.container import open_services
    from skillsdesk.services.demo import build_demo
    from skillsdesk.ui.lunchtime import LunchtimeWindow
    from skillsdesk.ui.main_window import MainWindow
    from skillsdesk.ui.profile import ProfileDialog
    from skillsdesk.ui.record_dialog import RecordDialog
    from skillsdesk.ui.tasks import TaskRunner

    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("SkillsDesk")
    if args.dark:
        from skillsdesk.ui.colours import dark_palette

        app.setStyle("Fusion")  # the offscreen platform's default style ignores palettes
        app.setPalette(dark_palette())
    data_dir = args.data_dir
    if data_dir is None:
        data_dir = Path(tempfile.mkdtemp(prefix="skillsdesk-shots-"))
        build_demo(data_dir, pupils=420, encrypted=False)
    args.outdir.mkdir(parents=True, exist_ok=True)
    services = open_services(data_dir)
    tasks = TaskRunner()
    window = MainWindow(services, QSettings(str(args.outdir / "window.ini"),
                                            QSettings.Format.IniFormat), tasks)
    window.resize(1280, 800)
    window.show()
    app.processEvents()

    def shoot(widget: object, name: str) -> None:
        app.processEvents()
        widget.grab().save(str(args.outdir / f"{name}.png"))  # type: ignore[attr-defined]
        print(args.outdir / f"{name}.png")

    classes = window.page("classes")
    classes.group_view.setCurrentIndex(classes.groups.index(min(8, classes.groups.rowCount() - 1)))
    for index, page in enumerate(window.pages):
        window.nav.setCurrentRow(index)
        shoot(window, f"{index + 1:02d}-{page.key}")
    window.nav.setCurrentRow(0)
    rows = [classes.pupils.pupil_at(r) for r in range(min(4, classes.pupils.rowCount()))]
    framework = classes.current_framework()
    dialog = RecordDialog(framework, rows[:1], framework.skills[1].code, services.school.today(),
                          window)
    dialog.show()
    shoot(dialog, "20-record-one")
    dialog = RecordDialog(framework, rows, framework.skills[0].code, services.school.today(),
                          window)
    dialog.show()
    shoot(dialog, "21-record-group")
    profile = ProfileDialog(services, rows[0].pupil.id, tasks, window.undo_stack, window.session,
                            framework, window)
    profile.show()
    shoot(profile, "22-profile")
    lunch = LunchtimeWindow(services, tasks, window.session)
    lunch.resize(1280, 800)
    lunch.show()
    shoot(lunch, "23-lunchtime-groups")
    lunch.group_buttons[0].click()
    shoot(lunch, "24-lunchtime-children")
    lunch.leave()
    from skillsdesk.ui.first_run import FirstRunWizard
    from skillsdesk.ui.lock import LockPage
    from skillsdesk.ui.signin import SignInDialog

    sign = SignInDialog(services.school.name() or "", lambda login, password: None, "head")
    sign.show()
    shoot(sign, "30-sign-in")
    wizard = FirstRunWizard(lambda *a: (None, ""))
    wizard.resize(640, 480)
    wizard.show()
    wizard.next()
    shoot(wizard, "31-first-run-admin")
    lock = LockPage(services.accounts, services.school.name() or "")
    lock.resize(1280, 800)
    lock.prepare("teacher1")
    lock.show()
    shoot(lock, "32-locked")
    tasks.wait()
    services.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
