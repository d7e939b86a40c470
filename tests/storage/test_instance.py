"""One SkillsDesk per data folder; a killed one's lock is reclaimed; risky folders warned (G10)."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from skillsdesk.__main__ import main
from skillsdesk.storage.instance import AlreadyRunning, acquire_instance_lock, location_warning

HOLDER = """
import sys, time
from pathlib import Path
from skillsdesk.storage.instance import acquire_instance_lock
lock = acquire_instance_lock(Path(sys.argv[1]))
print("locked", flush=True)
time.sleep(60)
"""


def test_a_second_instance_is_refused_and_a_killed_ones_lock_reclaimed(tmp_path: Path,
                                                                       capsys) -> None:
    from skillsdesk.services.container import open_services

    open_services(tmp_path).close()  # a (plain, test-only) school for the commands to read
    child = subprocess.Popen([sys.executable, "-c", HOLDER, str(tmp_path)],
                             stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "locked"
        with pytest.raises(AlreadyRunning) as caught:
            acquire_instance_lock(tmp_path)
        assert f"process {child.pid}" in caught.value.message
        # Commands that replace data refuse too, with the same sentence and exit code 1.
        assert main(["rollover", "--dry-run", "--data-dir", str(tmp_path)]) == 1
        assert "already open" in capsys.readouterr().err
        # Reading beside the open app works (its start-up check stands for the folder).
        assert main(["pupils", "list", "--data-dir", str(tmp_path)]) == 0
        capsys.readouterr()
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    lock = acquire_instance_lock(tmp_path)  # the OS dropped the dead process's lock
    try:
        assert lock.held
        assert (tmp_path / "skillsdesk.lock").read_text() == str(os.getpid())
        with pytest.raises(AlreadyRunning):
            acquire_instance_lock(tmp_path)  # also within one process
    finally:
        lock.release()
    with acquire_instance_lock(tmp_path) as again:
        assert again.held
    assert not again.held


MOUNTS = """\
/dev/sda1 / ext4 rw,relatime 0 0
//server/staff /mnt/staff cifs rw 0 0
server:/export /srv/nfs nfs4 rw 0 0
rclone: /home/head/remote fuse.rclone rw 0 0
/dev/sdb1 /media/usb\\040stick vfat rw 0 0
"""


@pytest.mark.parametrize(("path", "platform", "expected"), [
    ("/home/head/.local/share/SkillsDesk", "linux", None),
    ("/mnt/staff/SkillsDesk", "linux", "cifs"),
    ("/srv/nfs/school", "linux", "nfs4"),
    ("/home/head/remote/SkillsDesk", "linux", "fuse.rclone"),
    ("/home/head/OneDrive - Brackenfield/SkillsDesk", "linux", "OneDrive"),
    ("/home/head/Dropbox/SkillsDesk", "linux", "Dropbox"),
    ("/Users/head/Library/Mobile Documents/com~apple~CloudDocs/SD", "darwin", "iCloud"),
    ("/Users/head/Google Drive/SkillsDesk", "darwin", "Google Drive"),
    ("\\\\server\\share\\SkillsDesk", "win32", "network share"),
    ("C:\\Users\\head\\iCloudDrive\\SkillsDesk", "win32", "iCloud"),
])
def test_network_and_cloud_folders_get_a_reason(path: str, platform: str,
                                                expected: str | None) -> None:
    found = location_warning(Path(path), mounts_text=MOUNTS, platform=platform)
    if expected is None:
        assert found is None
    else:
        assert found is not None and expected in found


def test_the_cli_prints_the_warning_on_stderr(tmp_path: Path, capsys, monkeypatch) -> None:
    from skillsdesk.services.container import open_services

    folder = tmp_path / "Dropbox" / "school"
    open_services(folder).close()
    assert main(["backup", "--data-dir", str(folder)]) == 0
    err = capsys.readouterr().err
    assert "cloud-synced" in err and "Dropbox" in err
