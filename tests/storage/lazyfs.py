"""A FUSE filesystem that loses what was not fsynced, like LazyFS (RELIABILITY.md G2).

``test_power_loss.py`` mounts it over a backing folder and runs SkillsDesk on the mount. Every
write stays in this process's memory, per file, until that file is fsynced (``fsync`` and
``fdatasync`` alike): only then is it written to the backing file, which is fsynced in turn.
``power_cut()`` throws away everything not yet synced, as a power cut throws away the page
cache. Between syncs, reads, sizes (``getattr``) and truncations see the unsynced state, as
other processes would through the page cache. Closing a file syncs nothing, so a process killed
with SIGKILL leaves its unsynced writes here until the cut drops them.

Names are durable at once: creating a file (empty), making a folder, unlinking and renaming go
straight to the backing folder, and ``fsyncdir`` has nothing left to do. This is LazyFS's model
too (its cache holds file data, not directory entries), and it is the one that tests what
SkillsDesk controls: whether the *contents* SQLite and the app's atomic writes rely on were
synced before they were acknowledged or renamed into place. SQLite already fsyncs the folder
after creating a WAL or journal (``UNIXFILE_DIRSYNC`` in os_unix.c), and losing a creation
would test SQLite, not us. A file written and renamed without an fsync still comes out empty
or short after a cut, which is the classic atomic-save bug. A cut drops all unsynced data; it
never keeps part of a write (LazyFS's torn-write faults are not modelled).

The kernel must not keep its own copy: attribute and name caches are off
(``attr_timeout=0``, ``entry_timeout=0``), and the kernel drops a file's cached pages whenever
the file is opened (FUSE's default without ``kernel_cache``), so the first open after a cut
reads what survived it. Locks stay in the kernel (no ``lock`` operation), which is right for
processes on one machine.

Run as ``python lazyfs.py BACKING MOUNTPOINT``: it mounts (single-threaded, in the foreground),
prints ``mounted`` and then takes commands on stdin: ``cut`` drops unsynced data and answers
``cut FILES BYTES`` (how many files and bytes were dropped). At the end of stdin (the test, or
the process that started it, went away) it unmounts itself. ``LazyFS`` below drives it from a
test, with a timeout on every wait and an unmount that falls back to a lazy one.
"""

from __future__ import annotations

import contextlib
import errno
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

PAGE = 4096


def unavailable() -> str | None:
    """Why FUSE cannot be used here, or None (the test then reports skipped with the reason)."""
    if not sys.platform.startswith("linux"):
        return "the power-loss test needs Linux (FUSE)"
    if not os.path.exists("/dev/fuse"):
        return "no /dev/fuse on this machine"
    if os.geteuid() != 0 and shutil.which("fusermount") is None:
        return "not root and no fusermount to mount FUSE filesystems"
    try:
        import fuse  # noqa: F401  (fusepy loads libfuse2 through ctypes on import)
    except (ImportError, OSError) as exc:
        return f"fusepy or libfuse2 is missing ({exc})"
    return None


class Node:
    """One file's unsynced state: its size, the pages written since the last sync, and how far
    the backing file's bytes still show (a truncation hides the rest, until the sync)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.cut = size  # backing bytes at or past this offset read as zeros
        self.pages: dict[int, bytearray] = {}

    def dirty(self) -> bool:
        return bool(self.pages) or self.cut != self.size

    def page(self, fd: int, index: int) -> bytearray:
        """The page as a reader sees it now (written pages, else backing bytes before the cut)."""
        found = self.pages.get(index)
        if found is not None:
            return found
        start = index * PAGE
        page = bytearray(PAGE)
        visible = min(self.cut, self.size) - start
        if visible > 0:
            data = os.pread(fd, min(PAGE, visible), start)
            page[:len(data)] = data
        return page

    def read(self, fd: int, size: int, offset: int) -> bytes:
        end = min(offset + size, self.size)
        if offset >= end:
            return b""
        if not self.pages and end <= self.cut:
            return os.pread(fd, end - offset, offset)
        out = bytearray()
        position = offset
        while position < end:
            index, within = divmod(position, PAGE)
            take = min(PAGE - within, end - position)
            out += self.page(fd, index)[within:within + take]
            position += take
        return bytes(out)

    def write(self, fd: int, data: bytes, offset: int) -> None:
        position, done = offset, 0
        while done < len(data):
            index, within = divmod(position, PAGE)
            take = min(PAGE - within, len(data) - done)
            page = self.page(fd, index)
            page[within:within + take] = data[done:done + take]
            self.pages[index] = page
            position += take
            done += take
        self.size = max(self.size, offset + len(data))

    def truncate(self, length: int) -> None:
        if length < self.size:
            for index in [i for i in self.pages if i * PAGE >= length]:
                del self.pages[index]
            index, within = divmod(length, PAGE)
            if within and index in self.pages:
                self.pages[index][within:] = bytes(PAGE - within)
            self.cut = min(self.cut, length)
        self.size = length

    def apply(self, fd: int) -> None:
        """Write the unsynced state to the backing file and fsync it (the file's fsync)."""
        if self.cut < os.fstat(fd).st_size:
            os.ftruncate(fd, self.cut)
        for index in sorted(self.pages):
            start = index * PAGE
            if start < self.size:
                os.pwrite(fd, bytes(self.pages[index][:self.size - start]), start)
        os.ftruncate(fd, self.size)
        os.fsync(fd)
        self.pages.clear()
        self.cut = self.size

    def unsynced_bytes(self) -> int:
        return len(self.pages) * PAGE + max(0, self.size - self.cut)


def make_operations(backing: Path):  # type: ignore[no-untyped-def]
    from fuse import FuseOSError, Operations

    class Lazy(Operations):
        use_ns = True

        def __init__(self) -> None:
            self.root = str(backing)
            self.mutex = threading.Lock()  # not "lock": that name would be the FUSE lock operation
            self.nodes: dict[str, Node] = {}  # by path: files with unsynced state
            self.handles: dict[int, tuple[int, Node | None, str]] = {}  # fh: (fd, node, path)
            self.next_fh = 1

        def __call__(self, op, *args):  # type: ignore[no-untyped-def]
            if not hasattr(self, op):
                raise FuseOSError(errno.ENOSYS)
            with self.mutex:
                try:
                    return getattr(self, op)(*args)
                except OSError as exc:
                    if isinstance(exc, FuseOSError):
                        raise
                    raise FuseOSError(exc.errno or errno.EIO) from exc

        def _real(self, path: str) -> str:
            return self.root + path

        def _node(self, path: str) -> Node:
            node = self.nodes.get(path)
            if node is None:
                node = self.nodes[path] = Node(os.stat(self._real(path)).st_size)
            return node

        def _open_fd(self, path: str, flags: int) -> int:
            flags &= ~(os.O_TRUNC | os.O_CREAT | os.O_EXCL | os.O_APPEND | os.O_DIRECT)
            try:  # writable underneath always, so a sync can write what a reader-only fd wrote
                return os.open(self._real(path), (flags & ~os.O_ACCMODE) | os.O_RDWR)
            except OSError:
                return os.open(self._real(path), flags)

        def _handle(self, fd: int, path: str) -> int:
            fh = self.next_fh
            self.next_fh += 1
            self.handles[fh] = (fd, None, path)
            return fh

        def _fd_node(self, fh: int) -> tuple[int, Node]:
            """The handle's file and its state. A handle keeps its file's state even when the
            name is unlinked or renamed over (it is the same inode)."""
            fd, node, path = self.handles[fh]
            if node is None:
                node = self.nodes.get(path) if path else None
                if node is None:
                    node = Node(os.fstat(fd).st_size)
                    if path:
                        self.nodes[path] = node
                self.handles[fh] = (fd, node, path)
            return fd, node

        def _detach(self, path: str) -> None:
            """``path`` is unlinked or renamed over: its open handles keep their file, nameless."""
            for fh, (_fd, _node, held) in list(self.handles.items()):
                if held == path:
                    fd, node = self._fd_node(fh)
                    self.handles[fh] = (fd, node, "")
            self.nodes.pop(path, None)

        # --- the power cut --------------------------------------------------------------------

        def power_cut(self) -> tuple[int, int]:
            with self.mutex:
                dropped = [n for n in self.nodes.values() if n.dirty()]
                dropped += [n for _fd, n, _p in self.handles.values()
                            if n is not None and n.dirty() and n not in dropped]
                lost = sum(n.unsynced_bytes() for n in dropped)
                self.nodes.clear()
                self.handles = {fh: (fd, None, path) for fh, (fd, _n, path)
                                in self.handles.items()}
                return len(dropped), lost

        # --- files ----------------------------------------------------------------------------

        def getattr(self, path, fh=None):  # type: ignore[no-untyped-def]
            st = os.lstat(self._real(path))
            attrs = {key: getattr(st, key) for key in (
                "st_mode", "st_nlink", "st_uid", "st_gid", "st_size", "st_atime_ns",
                "st_mtime_ns", "st_ctime_ns")}
            attrs = {key.removesuffix("_ns"): value for key, value in attrs.items()}
            node = self.nodes.get(path)
            if node is not None:
                attrs["st_size"] = node.size
            return attrs

        def open(self, path, flags):  # type: ignore[no-untyped-def]
            return self._handle(self._open_fd(path, flags), path)

        def create(self, path, mode, fi=None):  # type: ignore[no-untyped-def]
            fd = os.open(self._real(path), os.O_CREAT | os.O_RDWR, mode)
            return self._handle(fd, path)

        def read(self, path, size, offset, fh):  # type: ignore[no-untyped-def]
            fd, node = self._fd_node(fh)
            return node.read(fd, size, offset)

        def write(self, path, data, offset, fh):  # type: ignore[no-untyped-def]
            fd, node = self._fd_node(fh)
            node.write(fd, data, offset)
            return len(data)

        def truncate(self, path, length, fh=None):  # type: ignore[no-untyped-def]
            if fh is not None and fh in self.handles:
                _fd, node = self._fd_node(fh)
            else:
                node = self._node(path)
            node.truncate(length)
            return 0

        def fsync(self, path, datasync, fh):  # type: ignore[no-untyped-def]
            fd, node = self._fd_node(fh)
            node.apply(fd)
            return 0

        def fsyncdir(self, path, datasync, fh):  # type: ignore[no-untyped-def]
            return 0  # names are durable at once (see the module docstring)

        def flush(self, path, fh):  # type: ignore[no-untyped-def]
            return 0  # closing syncs nothing

        def release(self, path, fh):  # type: ignore[no-untyped-def]
            fd, _node, _path = self.handles.pop(fh)
            os.close(fd)
            return 0

        # --- names and folders: straight to the backing folder ----------------------------------

        def unlink(self, path):  # type: ignore[no-untyped-def]
            os.unlink(self._real(path))
            self._detach(path)

        def rename(self, old, new):  # type: ignore[no-untyped-def]
            os.rename(self._real(old), self._real(new))
            if old == new:
                return
            self._detach(new)
            moved = {p: n for p, n in self.nodes.items() if p == old or p.startswith(old + "/")}
            for path, node in moved.items():
                del self.nodes[path]
                self.nodes[new + path[len(old):]] = node
            self.handles = {fh: (fd, n, new + p[len(old):] if p == old or
                                 p.startswith(old + "/") else p)
                            for fh, (fd, n, p) in self.handles.items()}

        def mkdir(self, path, mode):  # type: ignore[no-untyped-def]
            os.mkdir(self._real(path), mode)

        def rmdir(self, path):  # type: ignore[no-untyped-def]
            os.rmdir(self._real(path))

        def readdir(self, path, fh):  # type: ignore[no-untyped-def]
            return [".", "..", *os.listdir(self._real(path))]

        def chmod(self, path, mode):  # type: ignore[no-untyped-def]
            os.chmod(self._real(path), mode)

        def chown(self, path, uid, gid):  # type: ignore[no-untyped-def]
            os.chown(self._real(path), uid, gid)

        def utimens(self, path, times=None):  # type: ignore[no-untyped-def]
            os.utime(self._real(path), ns=times)

        def access(self, path, amode):  # type: ignore[no-untyped-def]
            if not os.access(self._real(path), amode):
                raise FuseOSError(errno.EACCES)

        def statfs(self, path):  # type: ignore[no-untyped-def]
            sv = os.statvfs(self._real(path))
            return {key: getattr(sv, key) for key in (
                "f_bavail", "f_bfree", "f_blocks", "f_bsize", "f_favail", "f_ffree", "f_files",
                "f_flag", "f_frsize", "f_namemax")}

        def readlink(self, path):  # type: ignore[no-untyped-def]
            return os.readlink(self._real(path))

        def symlink(self, target, source):  # type: ignore[no-untyped-def]
            os.symlink(source, self._real(target))

        def link(self, target, source):  # type: ignore[no-untyped-def]
            os.link(self._real(source), self._real(target))

        def init(self, path):  # type: ignore[no-untyped-def]
            _say("mounted")  # the kernel sent INIT: the mount is there

    return Lazy()


def mounted(mountpoint: str | Path) -> bool:
    """Whether anything is mounted at ``mountpoint`` (``os.path.ismount`` says False for a FUSE
    mount whose process died, which still needs unmounting)."""
    wanted = os.path.realpath(mountpoint)
    with open("/proc/self/mounts", encoding="utf-8") as mounts:
        for line in mounts:
            fields = line.split()
            if len(fields) > 1 and fields[1].replace("\\040", " ") == wanted:
                return True
    return False


def _say(text: str) -> None:
    os.write(1, (text + "\n").encode("utf-8"))


def _unmount_lazily(mountpoint: str) -> None:
    for command in (["fusermount", "-u", "-z", mountpoint], ["umount", "-l", mountpoint]):
        try:
            if subprocess.run(command, capture_output=True, timeout=10).returncode == 0:
                return
        except (OSError, subprocess.TimeoutExpired):
            continue


def serve(backing: Path, mountpoint: str) -> None:
    from fuse import FUSE

    if os.environ.get("LAZYFS_DEBUG"):  # every failed operation, on stderr
        import logging

        logging.basicConfig(level=logging.DEBUG)
    operations = make_operations(backing)

    def commands() -> None:
        for line in sys.stdin:
            if line.strip() == "cut":
                files, lost = operations.power_cut()
                _say(f"cut {files} {lost}")
        _unmount_lazily(mountpoint)  # stdin closed: whoever started us is done or gone

    threading.Thread(target=commands, daemon=True).start()
    FUSE(operations, mountpoint, foreground=True, nothreads=True, attr_timeout=0,
         entry_timeout=0, negative_timeout=0, fsname="lazyfs", subtype="lazyfs")


# --- the test's side ------------------------------------------------------------------------


class LazyFS:
    """The filesystem mounted at ``mountpoint`` over ``backing``, in a child process.

    ``with LazyFS(backing, mountpoint) as fs: ... fs.power_cut()``; leaving the block always
    unmounts, whatever happened inside it. Every wait has a timeout, so a stuck filesystem
    fails the test instead of hanging it.
    """

    def __init__(self, backing: Path, mountpoint: Path, timeout: float = 30,
                 watchdog: float = 600) -> None:
        self.backing = backing
        self.mountpoint = mountpoint
        self.timeout = timeout
        # After this many seconds the filesystem process is killed, whatever it is doing: the
        # kernel then fails every call on the mount (ENOTCONN) instead of letting it wait, so
        # even a read stuck inside SQLite ends and the test fails rather than hangs.
        self._watchdog = threading.Timer(watchdog, self._kill)
        self._watchdog.daemon = True
        self.cuts = 0
        self.dropped_bytes = 0
        self._proc: subprocess.Popen[bytes] | None = None
        self._lines: queue.Queue[str | None] = queue.Queue()

    def __enter__(self) -> LazyFS:
        self.mountpoint.mkdir(parents=True, exist_ok=True)
        # stderr goes to a file: a pipe nobody reads could fill up and stall the filesystem.
        self._stderr_file = tempfile.TemporaryFile()
        self._proc = subprocess.Popen(
            [sys.executable, __file__, str(self.backing), str(self.mountpoint)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr_file)
        threading.Thread(target=self._read, daemon=True).start()
        self._watchdog.start()
        try:
            self._expect("mounted")
            if not mounted(self.mountpoint):
                raise AssertionError(f"{self.mountpoint} is not a mount point")
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _kill(self) -> None:
        proc = self._proc
        if proc is not None and proc.poll() is None:
            proc.kill()

    def _read(self) -> None:
        assert self._proc is not None and self._proc.stdout is not None
        for raw in self._proc.stdout:
            self._lines.put(raw.decode("utf-8").strip())
        self._lines.put(None)

    def _expect(self, word: str) -> str:
        try:
            line = self._lines.get(timeout=self.timeout)
        except queue.Empty:
            raise AssertionError(f"lazyfs did not answer {word!r} within {self.timeout} s") \
                from None
        if line is None or not line.startswith(word):
            raise AssertionError(f"lazyfs stopped or said {line!r}: {self._stderr()}")
        return line

    def _stderr(self) -> str:
        self._stderr_file.seek(0)
        return self._stderr_file.read().decode("utf-8", "replace")[-2000:]

    def power_cut(self) -> int:
        """Drop every unsynced write; the number of bytes dropped."""
        assert self._proc is not None and self._proc.stdin is not None
        self._proc.stdin.write(b"cut\n")
        self._proc.stdin.flush()
        _word, _files, lost = self._expect("cut").split()
        self.cuts += 1
        self.dropped_bytes += int(lost)
        return int(lost)

    def close(self) -> None:
        self._watchdog.cancel()
        proc, self._proc = self._proc, None
        if proc is None:
            return
        try:
            if proc.stdin is not None:
                proc.stdin.close()  # the filesystem unmounts itself and exits
            proc.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            pass
        mountpoint = str(self.mountpoint)
        if mounted(mountpoint):
            with contextlib.suppress(OSError, subprocess.TimeoutExpired):
                subprocess.run(["fusermount", "-u", mountpoint], capture_output=True, timeout=10)
        if mounted(mountpoint):
            _unmount_lazily(mountpoint)
        if proc.poll() is None:
            proc.kill()  # a dead filesystem process makes the kernel fail, not block, its users
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()
        self._stderr_file.close()
        if mounted(mountpoint):
            raise AssertionError(f"{mountpoint} could not be unmounted")


if __name__ == "__main__":
    serve(Path(sys.argv[1]), sys.argv[2])
