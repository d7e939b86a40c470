"""Opens a school's data folder and builds the services over it (used by the CLI and the GUI)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from skillsdesk.services.audit_export import AuditExportService
from skillsdesk.services.backups import BackupService, open_store
from skillsdesk.services.careers import CareersService
from skillsdesk.services.drafts import DraftService
from skillsdesk.services.erasure import ErasureService
from skillsdesk.services.frameworks import FrameworkService
from skillsdesk.services.observations import ObservationService
from skillsdesk.services.passports import PassportService
from skillsdesk.services.progress import ProgressService
from skillsdesk.services.pupils import PupilService
from skillsdesk.services.recording import RecordingService
from skillsdesk.services.rollover import RolloverService
from skillsdesk.services.sar import SubjectAccessService
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
    careers: CareersService
    recording: RecordingService
    targets: TargetService
    passports: PassportService
    audit_export: AuditExportService
    backups: BackupService
    rollover: RolloverService
    erasure: ErasureService
    sar: SubjectAccessService
    drafts: DraftService

    def close(self) -> None:
        self.store.close()


def open_services(data_dir: Path, today: dt.date | None = None) -> Services:
    """Open (or create) the store in ``data_dir``; a new store gets the shipped frameworks."""
    # Checked first: a damaged database is moved aside, never replaced (CorruptDatabase).
    store = open_store(data_dir)
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
            careers=CareersService(store, school, frameworks, ProgressService(store)),
            recording=RecordingService(store, (lambda: today) if today else None),
            targets=TargetService(store, today),
            passports=PassportService(store, school, frameworks, ProgressService(store),
                                      RecordingService(store, (lambda: today) if today else None)),
            audit_export=AuditExportService(store, school, frameworks, ProgressService(store)),
            backups=BackupService(store),
            rollover=RolloverService(store, school),
            erasure=ErasureService(store, school),
            sar=SubjectAccessService(store, school),
            drafts=DraftService(store),
        )
    except BaseException:
        store.close()
        raise
