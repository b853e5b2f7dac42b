"""Files only their owner can read: databases, backups, lock files, exports.

A database of research notes is as sensitive as the notes, so every file the
app creates is mode 0600 on POSIX (on Windows the user's profile folder already
restricts access, and these calls only create the file).
"""

from __future__ import annotations

import os
from pathlib import Path

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


def write_private(path: Path, payload: bytes) -> None:
    """Write ``payload`` to ``path`` (replacing it) readable by the owner only."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_MODE)
    with os.fdopen(fd, "wb") as f:
        f.write(payload)
    make_private(path)
