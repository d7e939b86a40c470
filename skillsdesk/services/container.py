"""Opens a school's data folder and builds the services over it (used by the CLI and the GUI)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from skillsdesk.services.frameworks import FrameworkService
from skillsdesk.services.observations import ObservationService
from skillsdesk.services.progress import ProgressService
from skillsdesk.services.pupils import PupilService
from skillsdesk.services.recording import RecordingService
from skillsdesk.services.targets import TargetService
from skillsdesk.services.school import SchoolService
from skillsdesk.storage.database import Store


@dataclass
class Services:
    store: Store
    school: SchoolService
    frameworks: FrameworkService
    pupils: PupilService
    observations: ObservationService
    progress: ProgressService
    recording: RecordingService
    targets: TargetService

    def close(self) -> None:
        self.store.close()


def open_services(data_dir: Path, today: dt.date | None = None) -> Services:
    """Open (or create) the store in ``data_dir``; a new store gets the shipped frameworks."""
    store = Store.open(data_dir)
    try:
        school = SchoolService(store, today)
        frameworks = FrameworkService(store)
        if not frameworks.list():
            frameworks.install_shipped()
        school.ensure_current_year()
        return Services(
            store=store, school=school, frameworks=frameworks,
            pupils=PupilService(store, school, frameworks),
            observations=ObservationService(store, frameworks),
            progress=ProgressService(store),
            recording=RecordingService(store, (lambda: today) if today else None),
            targets=TargetService(store, today),
        )
    except BaseException:
        store.close()
        raise
