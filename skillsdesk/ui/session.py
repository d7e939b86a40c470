"""Who is at the desk: the member of staff whose name goes on what is recorded.

Until staff sign in with their own accounts, the person chooses themselves from the staff list
("Recording as"); sign-in will set it instead.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from skillsdesk.domain.records import StaffInfo


class DeskSession(QObject):
    staff_changed = Signal(object)

    def __init__(self, staff: StaffInfo | None = None) -> None:
        super().__init__()
        self._staff = staff

    @property
    def staff(self) -> StaffInfo | None:
        return self._staff

    def set_staff(self, staff: StaffInfo | None) -> None:
        self._staff = staff
        self.staff_changed.emit(staff)
