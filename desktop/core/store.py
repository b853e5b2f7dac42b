"""The local SQLite database: where it lives, how it is opened, and its schema.

A database is opened through :func:`open_store`, which
- refuses a file written by a newer Dossier Desk (an Alembic revision we do not
  know) *before* writing anything to it, so the file stays byte-for-byte intact;
- backs up an older file next to itself, then upgrades it with the migrations in
  ``desktop/core/migrations``;
- turns on WAL and foreign keys for every connection.

Sessions are short: one per service call (see ``desktop.core.services``).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import platformdirs
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, create_engine

from desktop.core.errors import DatabaseError, SchemaTooNewError

APP_NAME = "dossier-desk"
DB_ENV = "DOSSIER_DESK_DB"
MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def default_db_path() -> Path:
    """``$DOSSIER_DESK_DB`` if set, else ``library.sqlite`` in the user data dir."""
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env).expanduser()
    return platformdirs.user_data_path(APP_NAME, appauthor=False) / "library.sqlite"


def _alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def known_revisions() -> list[str]:
    """Every schema revision this version of the app knows, oldest first."""
    script = ScriptDirectory.from_config(_alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def head_revision() -> str:
    return ScriptDirectory.from_config(_alembic_config()).get_current_head() or ""


def read_revision(path: Path) -> str | None:
    """The schema revision stored in ``path`` without modifying the file.

    Returns None for a file with no tables yet (a new database).
    Raises DatabaseError for a file that is not a Dossier Desk database.
    """
    # immutable: no lock, no -shm/-wal files created beside a file we may refuse.
    uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
    try:
        conn = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:
        raise DatabaseError(f"{path}: cannot open the database ({exc})") from exc
    try:
        tables = {
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        if not tables:
            return None
        if "alembic_version" not in tables:
            raise DatabaseError(
                f"{path}: this SQLite file is not a Dossier Desk database "
                "(it has tables but no schema version)"
            )
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"{path}: not a usable SQLite database ({exc})") from exc
    finally:
        conn.close()


def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    # NORMAL is durable across application crashes in WAL mode; only a power
    # failure can lose the last transactions.
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


class Store:
    """An open database. Cheap to pass around; sessions are made per call."""

    def __init__(self, path: Path, engine: Engine) -> None:
        self.path = path
        self.engine = engine

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed on normal exit, rolled back on error."""
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except OperationalError as exc:
                session.rollback()
                raise DatabaseError(f"{self.path}: {exc.orig}") from exc
            except BaseException:
                session.rollback()
                raise

    def schema_version(self) -> str:
        with self.engine.connect() as conn:
            row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else ""

    def close(self) -> None:
        self.engine.dispose()


def _backup(path: Path, revision: str) -> Path:
    target = path.with_name(f"{path.name}.before-{revision}.bak")
    src = sqlite3.connect(path)
    try:
        dst = sqlite3.connect(target)
        with dst:
            src.backup(dst)
        dst.close()
    finally:
        src.close()
    return target


def open_store(path: Path | str | None = None) -> Store:
    """Open (creating or upgrading as needed) the database at ``path``.

    ``None`` means :func:`default_db_path`.
    """
    path = Path(path).expanduser() if path is not None else default_db_path()
    if path.is_dir():
        raise DatabaseError(f"{path}: is a folder, not a database file")
    current = read_revision(path) if path.exists() and path.stat().st_size else None
    revisions = known_revisions()
    if current is not None and current not in revisions:
        raise SchemaTooNewError(
            f"{path}: written by a newer version of Dossier Desk (schema {current}); "
            "this version knows schemas up to "
            f"{revisions[-1]}. Update Dossier Desk to open it; the file was not changed."
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseError(f"{path}: cannot create its folder ({exc.strerror})") from exc
    if current is not None and current != revisions[-1]:
        _backup(path, current)

    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"check_same_thread": False},
    )
    event.listen(engine, "connect", _on_connect)
    try:
        if current != revisions[-1]:
            _migrate(path)
    except (OperationalError, SADatabaseError) as exc:
        engine.dispose()
        raise DatabaseError(f"{path}: cannot prepare the database ({exc.orig})") from exc
    return Store(path, engine)


def _migrate(path: Path) -> None:
    """Upgrade ``path`` to the head schema in ONE transaction, DDL included.

    Python's sqlite3 module runs CREATE TABLE outside any transaction unless
    told otherwise, so a crash half-way through creating a new library left
    tables without a schema version: a file no later start could open. Here
    the driver's own transaction handling is off and we BEGIN ourselves."""
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "connect", lambda conn, _rec: setattr(conn, "isolation_level", None))
    event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
    try:
        cfg = _alembic_config()
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    finally:
        engine.dispose()
