"""One running SkillsDesk per data folder, and a warning for folders SQLite cannot trust (G10).

The lock is an operating-system lock on ``<data>/skillsdesk.lock`` (``flock`` on Linux and
macOS, ``msvcrt.locking`` on Windows), held for as long as the app runs. The OS drops it when
the process ends in any way, SIGKILL and power loss included, so a lock left by a killed
SkillsDesk is simply taken by the next one; the file itself is never deleted (deleting a lock
file another process holds open is a classic race). The file carries the holder's process id,
only to say which process holds it.

SQLite's locking is not reliable on network filesystems, and sync clients copy a database and
its WAL separately (RELIABILITY.md §1.1, §1.2), so those locations get a warning.
"""

from __future__ import annotations

import ntpath
import os
import posixpath
import sys
from pathlib import Path
from typing import IO

from skillsdesk.domain.errors import UserError
from skillsdesk.i18n import _

LOCK_FILE = "skillsdesk.lock"
# Windows locks a byte range; lock one far past the text so the holder's id stays readable.
_WINDOWS_LOCK_OFFSET = 1 << 20
# Folder names sync clients use (folded to lower case), and the service to name in the warning.
_CLOUD_NAMES = {"onedrive": "OneDrive", "dropbox": "Dropbox", "google drive": "Google Drive",
                "googledrive": "Google Drive", "my drive": "Google Drive", "icloud": "iCloud",
                "icloud drive": "iCloud", "iclouddrive": "iCloud", "mobile documents": "iCloud",
                "box sync": "Box", "nextcloud": "Nextcloud", "owncloud": "ownCloud",
                "pcloud": "pCloud", "megasync": "MEGA"}
_NETWORK_TYPES = ("nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "afs", "9p",
                  "ncpfs", "davfs", "sshfs")


class AlreadyRunning(UserError):
    def __init__(self, data_dir: Path, holder: str) -> None:
        who = _(" (process {pid})").format(pid=holder) if holder else ""
        super().__init__(_("SkillsDesk is already open on {folder}{who}. Switch to that window, "
                           "or close it and try again.").format(folder=data_dir, who=who))
        self.data_dir = data_dir


# The locks this process holds, by folder: an OS lock taken twice in one process would refuse
# itself, so code that needs to know asks here first.
_held: dict[str, InstanceLock] = {}


def _key(data_dir: Path) -> str:
    return os.path.normcase(os.path.abspath(data_dir))


def holds_instance_lock(data_dir: Path) -> bool:
    """Whether this process holds ``data_dir``'s lock."""
    return _key(data_dir) in _held


class InstanceLock:
    """Held while this process uses a data folder; ``release`` (or exiting) gives it up."""

    def __init__(self, path: Path, handle: IO[str]) -> None:
        self.path = path
        self._handle: IO[str] | None = handle
        _held[_key(path.parent)] = self

    @property
    def held(self) -> bool:
        return self._handle is not None

    def release(self) -> None:
        if self._handle is None:
            return
        try:
            _unlock(self._handle)
        finally:
            self._handle.close()
            self._handle = None
            if _held.get(_key(self.path.parent)) is self:
                del _held[_key(self.path.parent)]

    def __enter__(self) -> InstanceLock:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()


def _try_lock(handle: IO[str]) -> bool:
    if sys.platform == "win32":
        import msvcrt

        handle.seek(_WINDOWS_LOCK_OFFSET)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(handle: IO[str]) -> None:
    if sys.platform == "win32":
        import msvcrt

        handle.seek(_WINDOWS_LOCK_OFFSET)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
        return
    import fcntl

    fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def acquire_instance_lock(data_dir: Path) -> InstanceLock:
    """Take the data folder's lock, or raise ``AlreadyRunning`` naming the holder."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / LOCK_FILE
    # "a+" creates the file without truncating what the holder wrote.
    handle = open(path, "a+", encoding="ascii")  # noqa: SIM115 - held open while locked
    if not _try_lock(handle):
        handle.seek(0)
        holder = handle.read(20).strip()
        handle.close()
        raise AlreadyRunning(data_dir, holder if holder.isdigit() else "")
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    return InstanceLock(path, handle)


def _mount_type(path: Path, mounts_text: str) -> str | None:
    """The filesystem type of the longest mount point containing ``path`` (Linux)."""
    best, found = -1, None
    target = str(path)
    for line in mounts_text.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        point = parts[1].replace("\\040", " ")
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) > best:
            best, found = len(point), parts[2]
    return found


def location_warning(data_dir: Path, mounts_text: str | None = None,
                     platform: str | None = None) -> str | None:
    """Why ``data_dir`` is a risky place for the database, or None if it looks local."""
    platform = platform or sys.platform
    # Judged as the target platform spells paths (the tests check Windows paths on Linux).
    text = (ntpath if platform == "win32" else posixpath).abspath(str(data_dir))
    path = Path(text)
    lowered = text.replace("\\", "/").casefold()
    parts = [p for p in lowered.split("/") if p]
    for name, service in _CLOUD_NAMES.items():
        if any(part == name or part.startswith(name + " ") or part.startswith(name + "-")
               for part in parts):
            return _("{folder} is inside a cloud-synced folder ({name}). Sync services copy the "
                     "database and its log separately and can damage it: choose a folder on "
                     "this computer's own disk.").format(folder=data_dir, name=service)
    if platform == "win32":
        if text.startswith("\\\\"):
            return _("{folder} is on a network share. SQLite cannot lock a database safely "
                     "over a network: choose a folder on this computer's own disk.").format(
                folder=data_dir)
        if _windows_remote_drive(text):
            return _("{folder} is on a network drive. SQLite cannot lock a database safely "
                     "over a network: choose a folder on this computer's own disk.").format(
                folder=data_dir)
        return None
    if mounts_text is None and platform.startswith("linux"):
        try:
            mounts_text = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            mounts_text = ""
    kind = _mount_type(path, mounts_text or "")
    if kind and (kind in _NETWORK_TYPES or kind.startswith("fuse.")):
        return _("{folder} is on a network or user-space filesystem ({kind}). SQLite cannot "
                 "lock a database safely there: choose a folder on this computer's own "
                 "disk.").format(folder=data_dir, kind=kind)
    return None


def _windows_remote_drive(text: str) -> bool:
    if len(text) < 2 or text[1] != ":":
        return False
    try:
        import ctypes

        drive_remote = 4
        kernel = ctypes.windll.kernel32  # type: ignore[attr-defined]
        return bool(kernel.GetDriveTypeW(text[:2] + "\\") == drive_remote)
    except (AttributeError, OSError):
        return False
