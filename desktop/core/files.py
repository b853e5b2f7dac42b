"""Files only their owner can read: databases, backups, lock files, exports.

A database of research notes is as sensitive as the notes, so every file the
app creates is mode 0600 on POSIX (on Windows the user's profile folder already
restricts access, and these calls only create the file).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

PRIVATE_MODE = 0o600


def create_private(path: Path) -> bool:
    """Create ``path`` empty with mode 0600 if it does not exist.

    Returns True when it was created. SQLite gives a database's ``-wal`` and
    ``-shm`` files the mode of the database file, so creating the database
    this way before SQLite opens it keeps those private too.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_MODE)
    except FileExistsError:
        return False
    os.close(fd)
    # The umask may have removed bits, never added them; chmod anyway in case
    # the file system ignored the mode given to open().
    make_private(path)
    return True


def make_private(path: Path) -> None:
    """Restrict an existing file to its owner (no-op where chmod is meaningless)."""
    if os.name == "posix":
        os.chmod(path, PRIVATE_MODE)


# Suffixes of the temporary files an interrupted write can leave behind: ours,
# and the rollback journal SQLite keeps beside a database being written.
PART_SUFFIXES = (".part", ".part-journal")


def part_path(target: Path) -> Path:
    """The temporary file a write of ``target`` goes through: hidden, in the
    same folder (so the final rename never crosses file systems)."""
    return target.with_name(f".{target.name}.part")


def clean_leftovers(target: Path) -> None:
    """Remove what a killed or failed write of ``target`` left behind."""
    tmp = part_path(target)
    for leftover in (tmp, tmp.with_name(tmp.name + "-journal")):
        with contextlib.suppress(FileNotFoundError, IsADirectoryError):
            leftover.unlink()


def clean_folder_leftovers(folder: Path) -> list[Path]:
    """Remove every hidden ``.NAME.part`` / ``.NAME.part-journal`` in ``folder``
    (files whose names change each time, such as backups, cannot be cleaned
    by target name). Returns what was removed."""
    removed = []
    with contextlib.suppress(FileNotFoundError, NotADirectoryError):
        for entry in folder.iterdir():
            if entry.name.startswith(".") and entry.name.endswith(PART_SUFFIXES):
                with contextlib.suppress(OSError):
                    entry.unlink()
                    removed.append(entry)
    return removed


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (a no-op where folders cannot be opened)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def commit_part(tmp: Path, target: Path) -> None:
    """Give the finished temporary file ``tmp`` its final name ``target``:
    made private, fsynced, renamed over the target, the rename itself fsynced.
    Until the rename the old ``target`` is untouched."""
    make_private(tmp)
    fd = os.open(tmp, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, target)
    fsync_folder(target.parent if str(target.parent) else Path("."))


@contextlib.contextmanager
def atomic_writer(target: Path) -> Iterator[BinaryIO]:
    """Write ``target`` all at once or not at all.

    Yields a binary file: the data goes to a 0600 temporary file beside the
    target, which is flushed, fsynced and renamed over ``target`` only when
    the block ends normally. On any error (a full disk, an exception of the
    caller) the temporary file is removed and the old ``target`` is left as it
    was. Leftovers of a killed earlier run are removed first.

    Every file the app writes goes through here (or, for SQLite copies,
    through :func:`commit_part`), so there is one place to get this right.
    """
    target = Path(target)
    clean_leftovers(target)
    tmp = part_path(target)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_MODE)
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        commit_part(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def write_private(path: Path, payload: bytes) -> None:
    """Write ``payload`` to ``path`` atomically, readable by the owner only."""
    with atomic_writer(path) as f:
        f.write(payload)
