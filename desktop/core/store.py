"""The local SQLite database: where it lives, how it is opened, and its schema.

A database is opened through :func:`open_store`, which
- refuses a file written by a newer Dossier Desk (an Alembic revision we do not
  know) *before* writing anything to it, so the file stays byte-for-byte intact;
- backs up an older file next to itself, then upgrades it with the migrations in
  ``desktop/core/migrations``;
- turns on WAL and foreign keys for every connection;
- takes the one-writer lock (``desktop.core.lock``) for the Store's lifetime,
  unless opened read-only;
- opens files encrypted with SQLCipher when given their passphrase (an
  encrypted file is recognised by the missing "SQLite format 3" header).

New database files are created readable by their owner only (0600).

Sessions are short: one per service call (see ``desktop.core.services``).
"""

from __future__ import annotations

import ast
import contextlib
import errno
import functools
import os
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs
from sqlalchemy import URL, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.pool import QueuePool
from sqlmodel import Session, create_engine

from desktop.core import live
from desktop.core.audit import set_actor
from desktop.core.backend import BACKEND_KEY, is_server_url, parse_location
from desktop.core.backend.sqlite import SqliteBackend
from desktop.core.errors import (
    DamagedDatabaseError,
    DatabaseError,
    PassphraseRequiredError,
    SchemaTooNewError,
    UnwritableError,
    WrongPassphraseError,
)
from desktop.core.files import (
    clean_leftovers,
    commit_part,
    create_private,
    make_private,
    part_path,
)
from desktop.core.lock import DatabaseLock

if TYPE_CHECKING:
    from alembic.config import Config

APP_NAME = "dossier-desk"
DB_ENV = "DOSSIER_DESK_DB"
PASSPHRASE_ENV = "DOSSIER_DESK_PASSPHRASE"
MIGRATIONS_DIR = Path(__file__).with_name("migrations")
SQLITE_HEADER = b"SQLite format 3\x00"
# Up to this size a library gets a full PRAGMA quick_check each time it opens
# (0.3 s for 38 MB on a loaded 2-core machine); larger ones get the cheap
# checks only (header, size, schema) and the full check in `backup` and `check`.
QUICK_CHECK_MAX_BYTES = 128 * 1024 * 1024


def default_db_path() -> Path:
    """``$DOSSIER_DESK_DB`` if set, else ``library.sqlite`` in the user data dir."""
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env).expanduser()
    return platformdirs.user_data_path(APP_NAME, appauthor=False) / "library.sqlite"


def _alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


_REVISION_LINE = re.compile(r"^(revision|down_revision)\s*(?::[^=\n]+)?=\s*(.+?)\s*$", re.M)


def known_revisions() -> list[str]:
    """Every schema revision this version of the app knows, oldest first.

    Read from the ``revision`` and ``down_revision`` lines of the migration
    files: importing Alembic costs every start of the window a tenth of a
    second or more, so it is imported only to upgrade a schema."""
    parents: dict[str | None, str] = {}
    for path in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):
        found = dict(_REVISION_LINE.findall(path.read_text(encoding="utf-8")))
        if "revision" in found:
            down = ast.literal_eval(found.get("down_revision", "None"))
            parents[down] = ast.literal_eval(found["revision"])
    order: list[str] = []
    rev = parents.get(None)
    while rev is not None and rev not in order:
        order.append(rev)
        rev = parents.get(rev)
    return order


def head_revision() -> str:
    revisions = known_revisions()
    return revisions[-1] if revisions else ""


def is_encrypted(path: Path) -> bool:
    """True for a file that can be an SQLCipher database: no plain SQLite
    header, and a size that is a whole number of pages (every SQLite file's is;
    the smallest page is 512 bytes). A file of another size is no database at
    all, and gets that message rather than a passphrase prompt.

    A database this process has open is never read here (closing a descriptor
    of it would release SQLite's locks, see ``core.live``): its Store knows."""
    entry = live.live_database_for(path)
    if entry is not None:
        return entry.encrypted
    try:
        with open(path, "rb") as f:
            head = f.read(len(SQLITE_HEADER))
            size = os.fstat(f.fileno()).st_size
    except (FileNotFoundError, IsADirectoryError):
        return False
    return bool(head) and head != SQLITE_HEADER and size % 512 == 0


@functools.cache
def _load_sqlcipher() -> Any:
    import sqlcipher3

    # SQLCipher logs every failed decryption on stderr; a wrong passphrase is
    # an expected user error that we report ourselves. The level is global.
    conn = sqlcipher3.connect(":memory:")
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.close()
    return sqlcipher3


def encryption_available() -> bool:
    """Whether encrypted databases can be created and opened here."""
    try:
        _load_sqlcipher()
    except ImportError:
        return False
    return True


def _sqlcipher(path: Path) -> Any:
    """The sqlcipher3 module, imported when an encrypted file is first met.
    Its wheel (sqlcipher3-binary) exists for Linux x86-64 only."""
    try:
        return _load_sqlcipher()
    except ImportError as exc:
        raise DatabaseError(
            f"{path}: encrypted databases need the sqlcipher3 module, which is not "
            "installed here (pip install sqlcipher3)"
        ) from exc


def key_pragma(passphrase: str) -> str:
    """``PRAGMA key`` with the passphrase quoted the way SQLAlchemy's
    pysqlcipher dialect quotes it, so raw and pooled connections agree."""
    return 'PRAGMA key = "' + passphrase.replace('"', '""') + '"'


def connect_raw(
    path: Path,
    passphrase: str | None = None,
    *,
    immutable: bool = False,
    read_only: bool = False,
) -> Any:
    """A DB-API connection to ``path``: sqlite3 for a plain file, sqlcipher3
    keyed with ``passphrase`` otherwise. ``immutable`` opens read-only without
    creating any file beside it (unless its write-ahead log holds data, which
    only a normal read-only open sees). The caller closes it.

    Raises WrongPassphraseError when the key does not open the file.
    """
    entry = live.live_database_for(path)
    if entry is not None and (
        live.file_id(path) != (entry.dev, entry.ino) or (passphrase is not None) != entry.encrypted
    ):
        # A side file opened as a database, or the database through the other
        # SQLite library (sqlite3 vs sqlcipher3): either one's close would
        # release the open database's locks (see core.live).
        raise DatabaseError(live.refusal(path, "be opened as another database") or str(path))
    if passphrase is None:
        module: Any = sqlite3
    else:
        module = _sqlcipher(path)
    target, uri = str(path), False
    if read_only and not immutable:
        target, uri = f"{path.resolve().as_uri()}?mode=ro", True
    elif immutable:
        wal = path.with_name(path.name + "-wal")
        if wal.exists() and wal.stat().st_size:
            # Data still in the write-ahead log (a writer is running, or one
            # crashed): "immutable" would not see it, so read through SQLite's
            # normal read-only open, which merges the log.
            target = f"{path.resolve().as_uri()}?mode=ro"
        else:
            target = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
        uri = True
    try:
        conn = module.connect(target, uri=uri, check_same_thread=False)
    except module.Error as exc:
        raise DatabaseError(f"{path}: cannot open the database ({exc})") from exc
    if passphrase is not None:
        try:
            conn.execute(key_pragma(passphrase))
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except module.DatabaseError as exc:
            conn.close()
            raise WrongPassphraseError(
                f"{path}: wrong passphrase or not a Dossier Desk database"
            ) from exc
    return conn


def read_revision(path: Path, passphrase: str | None = None) -> str | None:
    """The schema revision stored in ``path`` without modifying the file.

    Returns None for a file with no tables yet (a new database).
    Raises DatabaseError for a file that is not a Dossier Desk database,
    PassphraseRequiredError for an encrypted file opened without passphrase.
    """
    encrypted = is_encrypted(path)
    if encrypted and passphrase is None:
        raise PassphraseRequiredError(
            f"{path}: this file is encrypted, or is not a Dossier Desk database; "
            "give its passphrase to open it"
        )
    # immutable: no lock, no -shm/-wal files created beside a file we may refuse.
    conn = connect_raw(path, passphrase if encrypted else None, immutable=True)
    # sqlite3 and sqlcipher3 each have their own exception classes.
    errors = (sqlite3.DatabaseError, conn.DatabaseError)
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
    except errors as exc:
        if _is_damage(exc):
            raise DamagedDatabaseError(
                f"{path}: the database is damaged ({exc})", path=path, problems=[str(exc)]
            ) from exc
        raise DatabaseError(f"{path}: not a usable SQLite database ({exc})") from exc
    finally:
        conn.close()


def _is_damage(exc: BaseException) -> bool:
    text = str(exc).lower()
    return any(
        sign in text
        # Not "disk I/O error": a full disk gives that too, and is no damage.
        for sign in ("malformed", "corrupt", "not a database", "out of order")
    )


def _header_problems(path: Path) -> list[str]:
    """Damage visible in the 100-byte header of a plain SQLite file: a file
    shorter than the pages it says it holds (truncated), or not a whole
    number of pages. Only called once SQLite has found the file damaged:
    reading a database file other than through SQLite would drop SQLite's
    POSIX locks if this process has it open (see core.lock)."""
    entry = live.live_database_for(path)
    try:
        if entry is None:
            with open(path, "rb") as f:
                head = f.read(100)
                size = os.fstat(f.fileno()).st_size
        else:
            # Held by this process: never open it by hand (see core.live).
            held_head = live.read_head(entry)
            if held_head is None:
                return []
            head, size = held_head, path.stat().st_size
    except OSError as exc:
        return [f"cannot read the file ({exc.strerror})"]
    if len(head) < 100 or not head.startswith(SQLITE_HEADER):
        return ["the file header is not an SQLite header"]
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return [f"the header gives an impossible page size ({page_size})"]
    if size % page_size:
        return [
            f"the file is truncated: it ends inside a page ({size} bytes, pages of {page_size})"
        ]
    pages = int.from_bytes(head[28:32], "big")
    counter_valid = head[24:28] == head[92:96]
    if counter_valid and pages and size < pages * page_size:
        return [f"the file is truncated: {size} bytes of {pages * page_size}"]
    return []


def damaged_error(path: Path, problems: list[str], encrypted: bool = False) -> DatabaseError:
    """The error for a library SQLite found damaged, naming a truncated file
    as such (SQLite only says "malformed"). A file without an SQLite header
    and without backups never was a library: it gets that plainer message."""
    header = [] if encrypted else _header_problems(path)
    if header and "not an SQLite header" in header[0]:
        from desktop.core.backup import list_backups  # backup imports this module

        if not list_backups(path):
            return DatabaseError(
                f"{path}: is not a Dossier Desk database (it has no SQLite header)"
            )
    problems = header or problems
    return DamagedDatabaseError(
        f"{path}: the database is damaged ({'; '.join(problems[:3])})",
        path=path,
        problems=problems,
    )


def check_on_open(path: Path, passphrase: str | None = None) -> list[str]:
    """What SQLite finds wrong with the library file ``path``, checked
    without writing to it: ``PRAGMA quick_check`` (above
    :data:`QUICK_CHECK_MAX_BYTES` reading the schema must do; SQLite itself
    refuses a file shorter than its header says)."""
    conn = connect_raw(path, passphrase, immutable=True)
    try:
        if path.stat().st_size <= QUICK_CHECK_MAX_BYTES:
            return integrity_problems(conn)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except Exception as exc:
            return [str(exc)]
        return []
    finally:
        conn.close()


def _on_connect(dbapi_conn: Any, _record: object, *, read_only: bool = False) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    if read_only:
        # Another process is the writer; it already chose WAL.
        cur.execute("PRAGMA query_only=ON")
    else:
        cur.execute("PRAGMA journal_mode=WAL")
    # NORMAL is durable across application crashes in WAL mode; only a power
    # failure can lose the last transactions.
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def _file_state(path: Path) -> int | None:
    """When the data in ``path`` last changed (ns): the newest mtime of the
    file and of a non-empty write-ahead log. None for a missing/empty file."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    if not st.st_size:
        return None
    newest = st.st_mtime_ns
    wal = path.with_name(path.name + "-wal")
    with contextlib.suppress(FileNotFoundError):
        wst = wal.stat()
        if wst.st_size:
            newest = max(newest, wst.st_mtime_ns)
    return newest


class Store:
    """An open database. Cheap to pass around; sessions are made per call.

    ``encrypted`` and ``read_only`` say how it was opened; ``opened_state`` is
    when its data last changed before this open (see ``core.backup``).
    ``backend`` is what differs between a file and a team library on a server
    (``core.backend``); a server library has no ``path``.
    """

    def __init__(
        self,
        path: Path | None,
        engine: Engine,
        *,
        passphrase: str | None = None,
        read_only: bool = False,
        lock: DatabaseLock | None = None,
        opened_state: int | None = None,
        hold: live.LiveDatabase | None = None,
        backend: Any = None,
    ) -> None:
        self.path = path
        self.engine = engine
        self.backend = backend if backend is not None else SqliteBackend()
        # Kept for the life of the Store: backups and copies of an encrypted
        # database are encrypted with the same passphrase.
        self._passphrase = passphrase
        self.read_only = read_only
        self._lock = lock
        self.opened_state = opened_state
        self.hold = hold

    @property
    def encrypted(self) -> bool:
        return self._passphrase is not None

    @property
    def location(self) -> str:
        """The file path or the server address (never with a password)."""
        return str(self.path) if self.path is not None else str(self.backend.location)

    @property
    def is_server(self) -> bool:
        return self.path is None

    def connect_raw(self) -> Any:
        """A new DB-API connection to this database (keyed if encrypted)."""
        return connect_raw(self.path, self._passphrase, read_only=self.read_only)

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed on normal exit, rolled back on error."""
        with Session(self.engine, expire_on_commit=False) as session:
            set_actor(session, lambda: self.backend.actor(session))
            session.info[BACKEND_KEY] = self.backend
            try:
                yield session
                session.commit()
            except DBAPIError as exc:
                session.rollback()
                if _is_damage(exc.orig):
                    raise DamagedDatabaseError(
                        f"{self.location}: the database is damaged ({exc.orig}); "
                        "nothing was changed by this command",
                        path=self.path,
                        problems=[str(exc.orig)],
                    ) from exc
                if isinstance(exc, OperationalError):
                    if self.read_only and "readonly" in str(exc.orig).replace("-", ""):
                        raise DatabaseError(
                            f"{self.location}: open read-only, as another Dossier Desk "
                            "window is editing it; this change was not saved"
                        ) from exc
                    raise self.backend.failure(self.location, exc) from exc
                refusal = self.backend.refusal(self.location, exc)
                if refusal is None:
                    raise
                raise refusal from exc
            except BaseException:
                session.rollback()
                raise

    def schema_version(self) -> str:
        with self.engine.connect() as conn:
            row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else ""

    def close(self) -> None:
        self.engine.dispose()
        if self.hold is not None:
            live.unregister(self.hold)
        if self._lock is not None:
            self._lock.release()


def copy_database(src: Any, target: Path, passphrase: str | None, *, verify: bool = True) -> None:
    """Copy the database behind the DB-API connection ``src`` into a new file
    ``target`` with SQLite's online backup API (consistent even while others
    write). The copy is mode 0600, a single file (no WAL), and encrypted with
    ``passphrase`` when given (it must be the source's own). An open database
    or one of its side files is refused as a target: replacing it would pull
    the file out from under its writer.

    It is written to a hidden temporary file beside ``target``, checked with
    ``PRAGMA integrity_check`` (``verify``), fsynced and only then renamed to
    ``target``: a full disk or a kill never leaves a partial file under the
    final name, and leftovers of a killed copy are removed by the next one."""
    reason = live.refusal(target, "be replaced by a copy")
    if reason is not None:
        raise DatabaseError(reason)
    clean_leftovers(target)
    tmp = part_path(target)
    create_private(tmp)
    try:
        dst = connect_raw(tmp, passphrase)
        try:
            # No rollback journal beside the temporary file: it is not the
            # target until renamed, so a crash mid-copy loses nothing.
            dst.execute("PRAGMA journal_mode=MEMORY")
            src.backup(dst)
            # One self-contained file: opening it later needs no -wal beside it.
            dst.execute("PRAGMA journal_mode=DELETE")
            if verify:
                problems = integrity_problems(dst, full=True)
                if problems:
                    raise DatabaseError(
                        f"{target}: the copy just written fails its check "
                        f"({'; '.join(problems[:3])}); it was not kept"
                    )
        finally:
            dst.close()
        commit_part(tmp, target)
    except BaseException:
        clean_leftovers(target)
        raise


def integrity_problems(conn: Any, *, full: bool = False, limit: int = 20) -> list[str]:
    """What ``PRAGMA quick_check`` (or ``integrity_check`` with ``full``)
    finds wrong in the database behind the DB-API connection ``conn``; empty
    when it is sound. An error reading the file is itself a problem."""
    pragma = "integrity_check" if full else "quick_check"
    try:
        rows = conn.execute(f"PRAGMA {pragma}({int(limit)})").fetchall()
    except Exception as exc:  # sqlite3 and sqlcipher3 each have their own classes
        return [str(exc)]
    return [str(r[0]) for r in rows if r and r[0] != "ok"]


def _backup(path: Path, revision: str, passphrase: str | None = None) -> Path:
    target = path.with_name(f"{path.name}.before-{revision}.bak")
    src = connect_raw(path, passphrase)
    try:
        copy_database(src, target, passphrase)
    finally:
        src.close()
    return target


def _make_engine(
    path: Path,
    passphrase: str | None,
    read_only: bool,
    hold: live.LiveDatabase | None = None,
    *,
    immutable: bool = False,
) -> Engine:
    if passphrase is None and read_only:
        # SQLite's own read-only open, not just PRAGMA query_only: a read-only
        # connection can never checkpoint nor delete the write-ahead log when
        # it closes, so a reader beside a writer cannot take its log away even
        # if the writer's locks were lost (see core.live). No -wal or -shm is
        # created beside the file, and on a medium nobody can write
        # (immutable) no lock either.
        url: URL | str = "sqlite://"
        extra: dict[str, Any] = {
            "creator": lambda: connect_raw(path, None, immutable=immutable, read_only=True),
            "poolclass": QueuePool,
        }
    elif passphrase is None:
        url = f"sqlite:///{path}"
        extra = {}
    else:
        module = _sqlcipher(path)
        # The pysqlcipher dialect sends PRAGMA key first on every connection.
        url = URL.create("sqlite+pysqlcipher", password=passphrase, database=str(path))
        # Deriving the key costs ~0.1 s per connection: keep connections pooled
        # (the dialect's default would keep one per thread instead).
        extra = {"poolclass": QueuePool}
    if read_only and passphrase is not None:
        uri = f"{path.resolve().as_uri()}?mode=ro"
        extra["creator"] = lambda: module.connect(uri, uri=True, check_same_thread=False)
    engine = create_engine(url, connect_args={"check_same_thread": False}, **extra)
    if hold is not None:

        def before_commit(conn: Any) -> None:
            # Only a transaction that wrote something has anything to lose.
            if conn.connection.dbapi_connection.in_transaction:
                live.check_hold(hold)

        event.listen(engine, "commit", before_commit)

    def on_connect(dbapi_conn: Any, record: object) -> None:
        _on_connect(dbapi_conn, record, read_only=read_only)

    event.listen(engine, "connect", on_connect)
    return engine


def why_unwritable(exc: OSError, folder: Path) -> str:
    """Why a file cannot be written, in the user's terms."""
    if exc.errno == errno.ENOSPC or exc.errno == errno.EDQUOT:
        return f"the disk holding {folder} is full ({exc.strerror})"
    if exc.errno == errno.EROFS:
        return f"{folder} is on a read-only medium ({exc.strerror})"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"the folder {folder} is read-only for you ({exc.strerror})"
    return f"cannot write in {folder} ({exc.strerror or exc})"


def _on_unwritable_medium(path: Path) -> bool:
    """Whether nobody can change ``path`` here: its folder is not writable
    (a read-only mount says so even to root) and no write-ahead log holds
    data a writer left (which only a normal read-only open sees)."""
    if os.access(path.parent, os.W_OK):
        return False
    wal = path.with_name(path.name + "-wal")
    return not (wal.exists() and wal.stat().st_size)


def attach_store(path: Path, passphrase: str | None = None) -> Store:
    """The database a process of ours already has open (locked, and upgraded),
    for a worker process it started to write through: an import run outside
    the window's process, so its Python work never holds the window's GIL.
    Takes no lock; the opener holds it until the worker has ended."""
    return Store(path, _make_engine(path, passphrase, False), passphrase=passphrase)


def passphrase_from_env() -> str | None:
    return os.environ.get(PASSPHRASE_ENV) or None


def open_store(
    path: Path | str | None = None,
    *,
    passphrase: str | None = None,
    encrypt: bool = False,
    read_only: bool = False,
    password: str | None = None,
    migrate: bool = False,
    immutable: bool = False,
) -> Store:
    """Open (creating or upgrading as needed) the database at ``path``.

    ``None`` means :func:`default_db_path`. A ``postgresql://`` address opens a
    team library on a server (``core.backend.postgres``) with ``password``
    (else libpq's ~/.pgpass); only ``migrate`` creates or upgrades its schema.
    ``passphrase`` opens an encrypted file (it is ignored for a plain one);
    with ``encrypt`` a *new* file is created encrypted with it. ``read_only``
    takes no lock and refuses writes (for looking at a database another window
    has open). ``immutable`` (implied on a folder nobody can write to: a DVD, a
    write-protected stick, a snapshot) reads it as a file that cannot change,
    creating nothing beside it.

    Raises DatabaseLockedError when another process has it open for writing,
    PassphraseRequiredError / WrongPassphraseError for encrypted files.
    """
    if path is None:
        # $DOSSIER_DESK_DB may name a team library as well as a file.
        env = os.environ.get(DB_ENV, "")
        path = env if is_server_url(env) else default_db_path()
    location = parse_location(path)
    if not isinstance(location, Path):
        from desktop.core.backend.postgres import open_server

        return open_server(location, password=password, migrate=migrate, read_only=read_only)
    path = location
    if path.is_dir():
        raise DatabaseError(f"{path}: is a folder, not a database file")
    exists = path.exists() and path.stat().st_size > 0
    if encrypt and not passphrase:
        raise DatabaseError(f"{path}: a passphrase is needed to create an encrypted database")
    if encrypt and exists:
        raise DatabaseError(f"{path}: exists already; only a new database can be created encrypted")
    if read_only and not exists:
        raise DatabaseError(f"{path}: does not exist, so it cannot be opened read-only")
    if exists and path.stat().st_nlink > 1:
        raise DatabaseError(
            f"{path}: this database file has {path.stat().st_nlink} hard links (other names "
            "for the same file). SQLite keeps the write-ahead log beside the name a file "
            "is opened by, so two names mean two logs for one file and a corrupt database. "
            "Remove the other names, or copy the file, and open it again."
        )
    encrypted = is_encrypted(path) if exists else encrypt
    key = passphrase if encrypted else None
    try:
        current = read_revision(path, key) if exists else None
    except DamagedDatabaseError as exc:
        raise damaged_error(path, exc.problems, encrypted) from exc
    if exists:
        # Check before you trust: never write to (or back up) a damaged file.
        problems = check_on_open(path, key)
        if problems:
            raise damaged_error(path, problems, encrypted)
    revisions = known_revisions()
    if current is not None and current not in revisions:
        raise SchemaTooNewError(
            f"{path}: written by a newer version of Dossier Desk (schema {current}); "
            "this version knows schemas up to "
            f"{revisions[-1]}. Update Dossier Desk to open it; the file was not changed."
        )
    if read_only and current != revisions[-1]:
        raise DatabaseError(
            f"{path}: needs a schema upgrade (from {current}), which a read-only "
            "open cannot do; open it normally once the other window has closed it"
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseError(f"{path}: cannot create its folder ({exc.strerror})") from exc
    try:
        lock = None if read_only else DatabaseLock(path)
    except OSError as exc:
        full = exc.errno in (errno.ENOSPC, errno.EDQUOT)
        raise UnwritableError(
            f"{path}: cannot be changed here: {why_unwritable(exc, path.parent)}. "
            "Reading verbs (info, articles, entities, export...) still work; "
            + (
                "free some space on that disk to change it."
                if full
                else "to change it, copy it to a folder you can write to."
            ),
            path=path,
        ) from exc
    if read_only and not immutable:
        immutable = _on_unwritable_medium(path)
    try:
        opened_state = _file_state(path)
        if not exists:
            try:
                if not create_private(path):
                    make_private(path)  # an empty file someone made for us
            except OSError as exc:
                raise DatabaseError(f"{path}: cannot create the file ({exc.strerror})") from exc
        if current is not None and current != revisions[-1]:
            _backup(path, current, key)
        hold = live.register(path, encrypted=key is not None)
        engine = _make_engine(
            path, key, read_only, None if read_only else hold, immutable=immutable
        )
        try:
            if current != revisions[-1]:
                upgrade(engine)
            with engine.connect() as conn:
                conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").fetchone()
                live.calibrate(hold)
        except (OperationalError, SADatabaseError) as exc:
            engine.dispose()
            live.unregister(hold)
            raise DatabaseError(f"{path}: cannot prepare the database ({exc.orig})") from exc
        except BaseException:
            engine.dispose()
            live.unregister(hold)
            raise
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    return Store(
        path,
        engine,
        passphrase=key,
        read_only=read_only,
        lock=lock,
        opened_state=opened_state,
        hold=hold,
    )


def upgrade(engine: Engine) -> None:
    """Bring the schema of the database behind ``engine`` to the newest
    revision in ONE transaction, DDL included.

    Python's sqlite3 module (and sqlcipher3, its fork) runs CREATE TABLE
    outside any transaction unless told otherwise, so a crash half-way through
    creating a new library left tables without a schema version: a file no
    later start could open. Here the driver's own transaction handling is off
    for this connection and we BEGIN ourselves."""
    from alembic import command

    cfg = _alembic_config()
    with engine.connect() as conn:
        dbapi_conn: Any = conn.connection.dbapi_connection
        saved = dbapi_conn.isolation_level
        dbapi_conn.isolation_level = None
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            cfg.attributes["connection"] = conn
            try:
                command.upgrade(cfg, "head")
            except BaseException:
                conn.exec_driver_sql("ROLLBACK")
                raise
            conn.exec_driver_sql("COMMIT")
            conn.commit()
        finally:
            dbapi_conn.isolation_level = saved
