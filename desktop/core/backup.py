"""Rotating backups, restore and "save a copy" of an open database.

Backups are made with SQLite's online backup API, so they are consistent even
while the database is in use. They live in a folder beside the database,
``library.sqlite.backups/``, named by their UTC time of creation
(``library-20261125T152003.123456Z.sqlite``); the newest ``keep`` are kept.
A backup of an encrypted database is encrypted with the same passphrase. Every
backup file is readable by its owner only.

On open (the window does this, see :func:`backup_on_open`) a backup is made
only when the data changed since the newest backup, so opening a database ten
times does not push useful older backups out with ten identical ones. To know
that without reading the backup, each backup file's modification time is set
to the time the data it holds last changed.

A restore first backs up the current state (so a restore can itself be undone
by restoring that backup), checks the chosen file is a readable Dossier Desk
database of a schema we know, then copies it into the open database with the
same backup API and upgrades its schema if it is older.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

from desktop.core.errors import BackupError, DatabaseError
from desktop.core.store import (
    Store,
    _file_state,
    connect_raw,
    copy_database,
    head_revision,
    is_encrypted,
    known_revisions,
    upgrade,
)

DEFAULT_KEEP = 5
KEEP_ENV = "DOSSIER_DESK_KEEP_BACKUPS"
_STAMP = "%Y%m%dT%H%M%S.%fZ"


@dataclass(frozen=True)
class BackupInfo:
    path: str
    name: str
    created: str  # ISO 8601, UTC, seconds
    size: int
    encrypted: bool


@dataclass(frozen=True)
class RestoreResult:
    restored_from: str
    # The state before the restore, itself a backup: restore it to undo.
    safety_backup: str
    schema_version: str


def keep_from_env(default: int = DEFAULT_KEEP) -> int:
    raw = os.environ.get(KEEP_ENV, "").strip()
    if not raw:
        return default
    try:
        return max(1, int(raw))
    except ValueError:
        raise BackupError(f"${KEEP_ENV}={raw!r}: not a whole number of backups") from None


def backups_dir(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".backups")


def _pattern(db_path: Path) -> re.Pattern[str]:
    return re.compile(re.escape(db_path.stem) + r"-(\d{8}T\d{6}\.\d{6}Z)\.sqlite")


def list_backups(db_path: Path) -> list[BackupInfo]:
    """The rotating backups of ``db_path``, newest first."""
    folder = backups_dir(db_path)
    if not folder.is_dir():
        return []
    pattern = _pattern(db_path)
    found = []
    for entry in folder.iterdir():
        match = pattern.fullmatch(entry.name)
        if not match or not entry.is_file():
            continue
        when = dt.datetime.strptime(match.group(1), _STAMP).replace(tzinfo=dt.UTC)
        found.append(
            (
                when,
                BackupInfo(
                    path=str(entry),
                    name=entry.name,
                    created=when.replace(microsecond=0).isoformat(),
                    size=entry.stat().st_size,
                    encrypted=is_encrypted(entry),
                ),
            )
        )
    found.sort(key=lambda pair: pair[0], reverse=True)
    return [info for _when, info in found]


def prune(db_path: Path, keep: int) -> list[str]:
    """Delete all but the newest ``keep`` (at least one) backups; returns the removed paths."""
    removed = []
    for info in list_backups(db_path)[max(1, keep) :]:
        Path(info.path).unlink(missing_ok=True)
        removed.append(info.path)
    return removed


def _new_backup_path(db_path: Path) -> Path:
    folder = backups_dir(db_path)
    now = dt.datetime.now(dt.UTC)
    while True:
        target = folder / f"{db_path.stem}-{now.strftime(_STAMP)}.sqlite"
        if not target.exists():
            return target
        now += dt.timedelta(microseconds=1)


def _info(db_path: Path, path: Path) -> BackupInfo:
    for info in list_backups(db_path):
        if info.path == str(path):
            return info
    raise BackupError(f"{path}: the backup just written is missing")


def back_up(store: Store, *, keep: int | None = DEFAULT_KEEP) -> BackupInfo:
    """Back up ``store`` now into its backups folder; then keep only the newest
    ``keep`` (None: delete nothing)."""
    folder = backups_dir(store.path)
    try:
        folder.mkdir(exist_ok=True)
        if os.name == "posix":
            folder.chmod(0o700)
    except OSError as exc:
        raise BackupError(f"{folder}: cannot create the backups folder ({exc.strerror})") from exc
    target = _new_backup_path(store.path)
    state = _file_state(store.path)
    try:
        _copy_open(store, target)
    except OSError as exc:
        raise BackupError(f"{target}: cannot write the backup ({exc.strerror or exc})") from exc
    except Exception as exc:
        if isinstance(exc, DatabaseError):
            raise
        raise BackupError(f"{store.path}: the backup failed ({exc})") from exc
    if state is not None:
        # Records when the data it holds last changed (see the module doc).
        os.utime(target, ns=(state, state))
    if keep is not None:
        prune(store.path, keep)
    return _info(store.path, target)


def _copy_open(store: Store, target: Path) -> None:
    """A consistent copy of the open database through SQLite's backup API,
    encrypted with the same passphrase if the database is."""
    src = store.connect_raw()
    try:
        copy_database(src, target, store._passphrase)
    finally:
        src.close()


def backup_on_open(store: Store, *, keep: int = DEFAULT_KEEP) -> BackupInfo | None:
    """The backup made when a database is opened: only for an existing file
    whose data changed since its newest backup. Returns it, or None."""
    if store.read_only or store.opened_state is None:
        return None
    newest = list_backups(store.path)[:1]
    if newest and Path(newest[0].path).stat().st_mtime_ns >= store.opened_state:
        return None
    return back_up(store, keep=keep)


def save_copy(store: Store, target: Path, *, overwrite: bool = False) -> Path:
    """Write a consistent copy of the open database to ``target`` (mode 0600,
    encrypted with the same passphrase if the database is). An existing file is
    replaced only with ``overwrite`` (the window asks first)."""
    target = Path(target).expanduser()
    if target.resolve() == store.path.resolve():
        raise BackupError(f"{target}: is the open database itself; choose another file")
    if target.is_dir():
        raise BackupError(f"{target}: is a folder; give a file name")
    if target.exists() and not overwrite:
        raise BackupError(f"{target}: exists already; choose a new file name")
    if not target.parent.is_dir():
        raise BackupError(f"{target}: the folder {target.parent} does not exist")
    try:
        _copy_open(store, target)
    except OSError as exc:
        raise BackupError(f"{target}: cannot write the copy ({exc.strerror or exc})") from exc
    return target


def find_backup(db_path: Path, name: str) -> Path:
    """A backup given by path, or by file name in the backups folder."""
    candidate = Path(name).expanduser()
    if candidate.is_file():
        return candidate
    in_folder = backups_dir(db_path) / name
    if in_folder.is_file():
        return in_folder
    raise BackupError(f"{name}: no such backup (see `dossier-desk backups`)")


def _check_backup(store: Store, backup: Path) -> str:
    """The schema revision of ``backup`` if it can be restored into ``store``."""
    if backup.resolve() == store.path.resolve():
        raise BackupError(f"{backup}: is the open database itself")
    encrypted = is_encrypted(backup)
    if encrypted and not store.encrypted:
        raise BackupError(
            f"{backup}: is encrypted (or not a database) while {store.path.name} is not; "
            "open it directly with its passphrase instead"
        )
    if not encrypted and store.encrypted:
        raise BackupError(
            f"{backup}: is not encrypted while {store.path.name} is; "
            "open it directly instead of restoring it here"
        )
    try:
        conn = connect_raw(backup, store._passphrase if encrypted else None, immutable=True)
    except DatabaseError as exc:
        raise BackupError(
            f"{backup}: not a Dossier Desk backup, or encrypted with another passphrase; "
            "nothing was changed"
        ) from exc
    try:
        ok = conn.execute("PRAGMA quick_check").fetchone()
        if not ok or ok[0] != "ok":
            raise BackupError(f"{backup}: the file is damaged ({ok[0] if ok else 'no answer'})")
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except BackupError:
        raise
    except Exception as exc:
        raise BackupError(
            f"{backup}: not a usable Dossier Desk backup ({exc}); nothing was changed"
        ) from exc
    finally:
        conn.close()
    revision = row[0] if row else ""
    if revision not in known_revisions():
        raise BackupError(
            f"{backup}: written by a newer or unknown version of Dossier Desk "
            f"(schema {revision or 'none'}); nothing was changed"
        )
    return revision


def restore(store: Store, backup: Path, *, keep: int = DEFAULT_KEEP) -> RestoreResult:
    """Replace the contents of the open database with ``backup``.

    The current state is backed up first; on any error before the copy the
    database is untouched. Views holding data of the old state must reload.
    """
    if store.read_only:
        raise BackupError(f"{store.path}: opened read-only; a restore needs write access")
    backup = Path(backup)
    revision = _check_backup(store, backup)
    safety = back_up(store, keep=None)
    src = connect_raw(backup, store._passphrase)
    try:
        with store.engine.connect() as conn:
            raw = conn.connection.dbapi_connection
            assert raw is not None
            src.backup(raw)
    except Exception as exc:
        raise BackupError(
            f"{store.path}: the restore from {backup.name} failed ({exc}); "
            f"the previous state is in {safety.path}"
        ) from exc
    finally:
        src.close()
    # Pooled connections may have cached the old schema.
    store.engine.dispose()
    if revision != head_revision():
        upgrade(store.engine)
    prune(store.path, keep)
    return RestoreResult(
        restored_from=str(backup), safety_backup=safety.path, schema_version=head_revision()
    )
