"""The embedded backend: one library in one SQLite file.

Opening, encryption, the one-writer file lock and backups stay where they are
(``core.store``, ``core.lock``, ``core.backup``); this class is what the
services ask for the few things that differ from a server.
"""

from __future__ import annotations

import getpass
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy.engine import Connection
from sqlmodel import Session

from desktop.core.errors import DatabaseError


def os_user() -> str:
    """The operating-system account, which is who edits a file library."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


class SqliteBackend:
    name = "sqlite"
    # SQLite's LIKE ignores the case of ASCII letters.
    like_ci = "LIKE"

    def search_articles(
        self, conn: Connection, words: Sequence[str], limit: int | None
    ) -> list[int]:
        # Each word quoted: FTS5 syntax in what the user typed is not syntax.
        match = " ".join(f'"{w}"' for w in words)
        if limit is None:
            rows = conn.exec_driver_sql(
                "SELECT rowid FROM article_fts WHERE article_fts MATCH ?", (match,)
            )
        else:
            rows = conn.exec_driver_sql(
                "SELECT rowid FROM article_fts WHERE article_fts MATCH ? ORDER BY rank LIMIT ?",
                (match, limit),
            )
        return [int(r[0]) for r in rows]

    def string_agg(self, expression: str, separator: str) -> str:
        return f"group_concat({expression}, {separator})"

    def actor(self, session: Session) -> str:
        return os_user()

    def lock_identities(self, session: Session, keys: Iterable[int]) -> bool:
        # Nothing to do: the file lock (core.lock) makes this process the only
        # writer, and SQLite runs one write transaction at a time.
        return False

    def lock_new_names(self, session: Session) -> bool:
        return False

    def listener(self) -> None:
        # One writer per file: nobody else changes it while it is open.
        return None

    def failure(self, where: str, exc: BaseException) -> DatabaseError:
        return DatabaseError(f"{where}: {getattr(exc, 'orig', exc)}")

    def refusal(self, where: str, exc: BaseException) -> DatabaseError | None:
        return None

    def consistent_read(self, session: Session) -> None:
        # A file is copied by the process holding its writer lock, or read-only
        # beside one writer; SQLite's own locking keeps each statement whole.
        return None

    def after_copy(self, session: Session, tables: Sequence[str]) -> None:
        # INTEGER PRIMARY KEY takes the largest id + 1 by itself.
        return None

    def back_up(self, store: Any, keep: int) -> Any:
        from desktop.core import backup

        return backup.back_up(store, keep=keep)
