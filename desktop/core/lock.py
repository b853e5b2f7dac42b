"""One writer per database: an OS lock on a sidecar ``FILE.lock``.

SQLite's own locking keeps the file consistent, but two Dossier Desk windows
writing the same library would each show stale views and undo stacks, and the
loser of a write race gets "database is locked". So a :class:`Store` takes an
exclusive, non-blocking OS lock for its whole life (``flock`` on POSIX,
``msvcrt.locking`` on Windows). The OS drops it when the process dies, so a
crash never leaves a stale lock behind.

The lock is per process: several Stores of one process on the same file share
it (the CLI in tests, a window reopening its own database). A second process
gets :class:`DatabaseLockedError` naming the holder's pid.

It belongs to the file, not to the name typed: the lock file sits beside the
database's resolved path (every symlink to it finds the same lock), and within
a process the file is known by device and inode. Hard links, the one way left
to give a file two real names, are refused by ``open_store``.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import threading
from pathlib import Path

from desktop.core.errors import DatabaseLockedError
from desktop.core.files import PRIVATE_MODE, make_private

if os.name == "nt":  # pragma: no cover - exercised on Windows only
    import msvcrt

    # The pid is written at the start of the file; Windows refuses reads of a
    # locked range, so the lock sits on a byte far after it.
    _LOCK_OFFSET = 1 << 20

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
        with contextlib.suppress(OSError):
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def lock_path(db_path: Path) -> Path:
    real = db_path.resolve()
    return real.with_name(real.name + ".lock")


def _file_id(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _key(db_path: Path) -> str:
    """The key of the file ``db_path`` names among the locks this process
    holds: its resolved path, or that of a held database with the same device
    and inode (one file reached by another path, a bind mount say)."""
    real = str(db_path.resolve())
    if real in _held:
        return real
    ident = _file_id(db_path)
    if ident is not None:
        for key in _held:
            if _file_id(Path(key)) == ident:
                return key
    return real


class _Held:
    def __init__(self, fd: int, path: Path) -> None:
        self.fd, self.path, self.count = fd, path, 1


_held: dict[str, _Held] = {}
_guard = threading.Lock()


def _holder_pid(path: Path) -> int | None:
    try:
        text = path.read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


class DatabaseLock:
    """Held from construction until :meth:`release` (idempotent)."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self._released = False
        with _guard:
            self.key = _key(db_path)
            held = _held.get(self.key)
            if held is not None:
                held.count += 1
                return
            _held[self.key] = _acquire(db_path)

    def release(self) -> None:
        if self._released:
            return
        self._released = True
        with _guard:
            held = _held.get(self.key)
            if held is None:
                return
            held.count -= 1
            if held.count:
                return
            del _held[self.key]
            # Unlink while still holding the lock: a process that opened the old
            # file meanwhile notices (see _acquire) and retries on a new one.
            with contextlib.suppress(OSError):
                held.path.unlink()
            _unlock(held.fd)
            os.close(held.fd)


@atexit.register
def _release_all() -> None:
    """Tidy up at exit (the CLI never closes its Store): remove our lock files.
    The OS would drop the locks anyway; this only avoids leftover files."""
    with _guard:
        for held in list(_held.values()):
            with contextlib.suppress(OSError):
                held.path.unlink()
            _unlock(held.fd)
            os.close(held.fd)
        _held.clear()


def _acquire(db_path: Path) -> _Held:
    path = lock_path(db_path)
    for _attempt in range(20):
        fd = os.open(path, os.O_RDWR | os.O_CREAT, PRIVATE_MODE)
        if not _try_lock(fd):
            os.close(fd)
            pid = _holder_pid(path)
            who = f"pid {pid}" if pid else "another process"
            raise DatabaseLockedError(
                f"{db_path} is open in another Dossier Desk window or command ({who}). "
                "Close it there first, or open the database read-only.",
                pid=pid,
            )
        try:
            same = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if not same:
            # The previous holder removed the file between our open and lock.
            _unlock(fd)
            os.close(fd)
            continue
        make_private(path)
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        return _Held(fd, path)
    raise DatabaseLockedError(f"{db_path}: could not take the lock file {path}", pid=None)
