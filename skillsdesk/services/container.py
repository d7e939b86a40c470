"""Opens a school's data folder and builds the services over it (used by the CLI and the GUI)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from skillsdesk.domain.errors import UserError
from skillsdesk.i18n import _
from skillsdesk.services.accounts import AccountService
from skillsdesk.services.appraisal import AppraisalService
from skillsdesk.services.audit_export import AuditExportService
from skillsdesk.services.backups import BackupService, open_store
from skillsdesk.services.careers import CareersService
from skillsdesk.services.context import Context
from skillsdesk.services.drafts import DraftService
from skillsdesk.services.erasure import ErasureService
from skillsdesk.services.frameworks import FrameworkService
from skillsdesk.services.observations import ObservationService
from skillsdesk.services.passports import PassportService
from skillsdesk.services.photos import PhotoService
from skillsdesk.services.progress import ProgressService
from skillsdesk.services.pupils import PupilService
from skillsdesk.services.recording import RecordingService
from skillsdesk.services.rollover import RolloverService
from skillsdesk.services.sar import SubjectAccessService
from skillsdesk.services.school import SchoolService
from skillsdesk.services.settings import SettingsService
from skillsdesk.services.targets import TargetService
from skillsdesk.storage import vault
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
    context: Context
    accounts: AccountService
    appraisal: AppraisalService
    settings: SettingsService
    photos: PhotoService
    unlocked: vault.Unlocked | None = None

    def close(self) -> None:
        if self.unlocked is not None:
            self.unlocked.close()
        else:
            self.store.close()


def open_services(data_dir: Path, today: dt.date | None = None, *,
                  unlocked: vault.Unlocked | None = None,
                  context: Context | None = None,
                  checked: Callable[[], None] | None = None) -> Services:
    """Build the services over a school.

    With ``unlocked`` (see ``services.signin``) they work on that encrypted school as its signed-in
    member of staff. Without it they open a plain store, created if the folder is empty: that is
    for tests and development only; a school's folder is always encrypted and needs a sign-in.
    ``checked`` waits for a start-up check already run on another thread (``open_store``).
    """
    context = context or Context()
    if unlocked is not None:
        store = unlocked.store
    else:
        state = vault.folder_state(data_dir)
        if state == vault.ENCRYPTED:
            raise UserError(_("The data in {folder} is encrypted: sign in to open it (--user, or "
                              "SKILLSDESK_USER and SKILLSDESK_PASSWORD).").format(folder=data_dir))
        was_encrypted = any((data_dir / "backups").glob("*.keys"))
        if state == vault.KEYS_MISSING and was_encrypted:
            # Never treat an encrypted database as damaged just because its key file is gone
            # (its backups carry key files); a plain store's damaged header is checked below.
            raise UserError(_("The key file is missing from {folder}, so its data cannot be "
                              "opened. Restore the key file (skillsdesk.keys) from a backup.")
                            .format(folder=data_dir))
        # Checked first: a damaged database is moved aside, never replaced (CorruptDatabase).
        store = open_store(data_dir, checked=checked)
    try:
        school = SchoolService(store, today, context)
        frameworks = FrameworkService(store, context)
        if not frameworks.list():
            frameworks.install_shipped()
        school.ensure_current_year()
        return Services(
            store=store, school=school, frameworks=frameworks,
            pupils=PupilService(store, school, frameworks, context),
            observations=ObservationService(store, frameworks, context),
            progress=ProgressService(store, context),
            careers=CareersService(store, school, frameworks, ProgressService(store),
                                   context=context),
            recording=RecordingService(store, (lambda: today) if today else None, context),
            targets=TargetService(store, context, today),
            passports=PassportService(store, school, frameworks, ProgressService(store),
                                      RecordingService(store, (lambda: today) if today else None,
                                                       context), context),
            audit_export=AuditExportService(store, school, frameworks, ProgressService(store),
                                            context),
            backups=BackupService(store, key=unlocked.data_key if unlocked else None,
                                  context=context),
            rollover=RolloverService(store, school, context),
            erasure=ErasureService(store, school, context),
            sar=SubjectAccessService(store, school, context),
            drafts=DraftService(store),
            context=context,
            accounts=AccountService(store, context, unlocked),
            appraisal=AppraisalService(store, school, frameworks, context),
            settings=SettingsService(store, context),
            photos=PhotoService(store, context),
            unlocked=unlocked,
        )
    except BaseException:
        store.close()
        raise
