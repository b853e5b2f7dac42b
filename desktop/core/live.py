"""The database files this process has open, and the guard that keeps SQLite's
hold on them.

SQLite's locks on POSIX are ``fcntl`` record locks, and POSIX drops every such
lock a process holds on a file as soon as the process closes *any* descriptor
of that file. One ``open(db).read(16)`` anywhere in the process (a header
sniff, a hash, a copy, a file dialog guessing an icon) silently leaves the
writer unlocked; the next process that opens the database believes it is
alone, checkpoints, deletes the write-ahead log on close, and everything the
writer commits afterwards goes into a deleted file (SQLite's "How To Corrupt
An SQLite Database File", 2.2).

Two rules follow, both enforced here:

- Nothing of ours opens a live database, its ``-wal``/``-shm``/``-journal`` or
  its lock file other than through the same SQLite library that holds it:
  :func:`live_database_for` tells a reader, an export or a copy that the path
  it was given is one of them (by name and by device/inode, so a hard link or
  a symlink is recognised too), and they refuse it.
- Before every commit the writer checks that its hold is intact
  (:func:`lost_hold`): the path still names the file it opened, the ``-wal``
  and ``-shm`` it writes are not deleted or replaced, and on Linux that
  ``/proc/locks`` still lists a lock of this process on the file. If not, the
  commit is refused with :class:`LostHoldError` and the Store writes nothing
  more, so what was committed before stays where every reader finds it.
"""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

from desktop.core.errors import DatabaseError

# Files SQLite and our lock keep beside a database.
SIDE_SUFFIXES = ("-wal", "-shm", "-journal", ".lock")
_PROC_LOCKS = Path("/proc/locks")
_PROC_FDS = Path("/proc/self/fd")


class LostHoldError(DatabaseError):
    """The database file was pulled out from under this writer; writing stops."""


@dataclass(eq=False)
class LiveDatabase:
    """One open database (a Store), identified by the file it opened."""

    path: Path  # resolved at open
    dev: int
    ino: int
    encrypted: bool
    # Whether /proc/locks shows this process's SQLite locks here; decided once
    # after the first read, so a file system that hides them disables only
    # that part of the check, never the writes.
    locks_visible: bool = False
    broken: str | None = field(default=None)
    # Descriptor numbers of the -wal and -shm, by path (see _side_fds).
    fds: dict[str, list[int]] = field(default_factory=dict)

    def side_paths(self) -> list[Path]:
        return [self.path.with_name(self.path.name + s) for s in SIDE_SUFFIXES]


_live: list[LiveDatabase] = []
_guard = threading.Lock()


def file_id(path: Path) -> tuple[int, int] | None:
    """(device, inode) of ``path`` following symlinks; None if it is missing."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def register(path: Path, *, encrypted: bool) -> LiveDatabase:
    ident = file_id(path)
    if ident is None:
        raise DatabaseError(f"{path}: the database file disappeared while it was being opened")
    entry = LiveDatabase(path.resolve(), ident[0], ident[1], encrypted)
    with _guard:
        _live.append(entry)
    return entry


def unregister(entry: LiveDatabase) -> None:
    with _guard:
        if entry in _live:
            _live.remove(entry)


def live_database_for(path: Path | str) -> LiveDatabase | None:
    """The open database that ``path`` is, or is a side file of (by name after
    resolving symlinks, or by device/inode), else None. Only stats, never opens."""
    path = Path(path)
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):
        resolved = path.absolute()
    ident = file_id(path)
    with _guard:
        entries = list(_live)
    for entry in entries:
        names = [entry.path, *entry.side_paths()]
        if resolved in names:
            return entry
        if ident is None:
            continue
        if ident == (entry.dev, entry.ino):
            return entry
        if any(file_id(p) == ident for p in names[1:]):
            return entry
    return None


def refusal(path: Path | str, doing: str) -> str | None:
    """A message refusing to ``doing`` (e.g. "import") ``path`` when it is a
    live database or one of its side files, else None."""
    entry = live_database_for(path)
    if entry is None:
        return None
    return (
        f"{path}: is the database open in Dossier Desk ({entry.path.name}) or one of its "
        f"own files; it cannot {doing}: any access outside SQLite would release "
        "SQLite's locks on it"
    )


def _fd_targets() -> list[tuple[str, tuple[str, int]]]:
    """(descriptor, (link target, inode)) of this process's open descriptors (Linux)."""
    out: list[tuple[str, tuple[str, int]]] = []
    try:
        names = os.listdir(_PROC_FDS)
    except OSError:
        return out
    for name in names:
        try:
            target = os.readlink(_PROC_FDS / name)
            ino = os.stat(_PROC_FDS / name).st_ino
        except OSError:
            continue
        out.append((name, (target, ino)))
    return out


def read_head(entry: LiveDatabase, size: int = 100) -> bytes | None:
    """The first ``size`` bytes of a database this process holds, read with
    pread through SQLite's own descriptor: opening and closing one of our own
    would release SQLite's locks. None where no such descriptor is seen."""
    try:
        names = os.listdir(_PROC_FDS)
    except OSError:
        return None
    for name in names:
        try:
            st = os.stat(_PROC_FDS / name)
            if (st.st_dev, st.st_ino) == (entry.dev, entry.ino):
                return os.pread(int(name), size, 0)
        except (OSError, ValueError):
            continue
    return None


def _side_fds(entry: LiveDatabase, side: str) -> list[tuple[str, int]]:
    """(link target, inode) of this process's descriptors of ``side`` (the
    -wal or -shm path, maybe deleted). The descriptor numbers are remembered,
    so a commit checks two links rather than every descriptor of the process."""
    known = entry.fds.get(side, [])
    out: list[tuple[str, int]] = []
    for fd in known:
        try:
            target = os.readlink(_PROC_FDS / str(fd))
            ino = os.stat(_PROC_FDS / str(fd)).st_ino
        except OSError:
            break
        if not target.startswith(side):
            break
        out.append((target, ino))
    else:
        if known:
            return out
    found = [(name, t) for name, t in _fd_targets() if t[0].startswith(side)]
    entry.fds[side] = [int(name) for name, _ in found]
    return [t for _, t in found]


def holds_lock(entry: LiveDatabase) -> bool:
    """Whether /proc/locks lists a lock of this process on the database file."""
    pid = str(os.getpid())
    suffix = f":{entry.ino}"
    try:
        text = _PROC_LOCKS.read_text(encoding="ascii", errors="replace")
    except OSError:
        return False
    for line in text.splitlines():
        fields = line.split()
        # "1: POSIX  ADVISORY  READ 7824 fe:00:2162740 1073741826 1073742335"
        mine = len(fields) >= 6 and fields[1] == "POSIX" and fields[4] == pid
        if mine and fields[5].endswith(suffix):
            return True
    return False


def calibrate(entry: LiveDatabase) -> None:
    """Called once a connection has read the open database: SQLite holds its
    shared lock from then on, so /proc/locks must show it."""
    entry.locks_visible = sys.platform.startswith("linux") and holds_lock(entry)


def lost_hold(entry: LiveDatabase) -> str | None:
    """Why this process may no longer write the database safely, or None."""
    if entry.broken:
        return entry.broken
    ident = file_id(entry.path)
    if ident is None:
        return "the database file was moved or deleted while it was open"
    if ident != (entry.dev, entry.ino):
        return "the database file was replaced by another file while it was open"
    for suffix in ("-wal", "-shm"):
        side = str(entry.path) + suffix
        current = file_id(Path(side))
        for target, ino in _side_fds(entry, side):
            if target == side + " (deleted)" or (target == side and current is None):
                return f"its {suffix[1:]} file was deleted by another process"
            if target == side and current is not None and ino != current[1]:
                return f"its {suffix[1:]} file was replaced by another process"
    if entry.locks_visible and not holds_lock(entry):
        return (
            "something in this process opened and closed the database file outside "
            "SQLite, which released SQLite's locks on it"
        )
    return None


def check_hold(entry: LiveDatabase) -> None:
    """Raise :class:`LostHoldError` (and keep refusing) once the hold is lost."""
    reason = lost_hold(entry)
    if reason is None:
        return
    entry.broken = reason
    raise LostHoldError(
        f"{entry.path}: Dossier Desk stopped writing to this database because {reason}. "
        "This change was not saved; everything saved before it is in the file. "
        "Close the database and open it again to go on."
    )
