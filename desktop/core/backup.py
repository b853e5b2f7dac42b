"""Rotating backups, restore and "save a copy" of an open database.

Backups are made with SQLite's online backup API, so they are consistent even
while the database is in use. They live in a folder beside the database,
``library.sqlite.backups/``, named by a **sequence number** and, for people,
the UTC time of creation (``library-000042-20261125T152003.123456Z.sqlite``).
Order, "newest" and pruning follow the sequence only, never the clock: a
laptop whose clock went back (a time-zone or battery change) still keeps its
newest backups. The sequence continues from the highest one on disk, which
pruning never removes. Files of older versions (``library-STAMP.sqlite``, no
sequence) count as older than every numbered one.

Kinds, each pruned on its own so that one never pushes out the other:
- routine backups (the ``backup`` verb, the window's backup on opening) in
  ``library.sqlite.backups/``; the newest ``keep`` are kept;
- safety copies made by a restore (the state before it) in
  ``library.sqlite.backups/before-restore/``; routine backups never prune
  them, and a restore prunes only older safety copies (never the one it made);
- damaged files a restore set aside, in ``library.sqlite.backups/damaged/``:
  never deleted by the app.

Check before you trust: the database is fully checked (``PRAGMA
integrity_check``) before a backup is made, so a damaged file is refused
instead of being rotated in over good backups; every copy is checked again
after writing, before it gets its final name (see ``store.copy_database``).

On open (the window does this, see :func:`backup_on_open`) a backup is made
only when the data changed since the newest backup, so opening a database ten
times does not push useful older backups out with ten identical ones. To know
that without reading the backup, each backup file's modification time is set
to the time stamp the database file had when it was copied; any other stamp
(earlier or later: clocks go back) means the data changed.

A restore first backs up the current state (so a restore can itself be undone
by restoring that backup), checks the chosen file is a readable Dossier Desk
database of a schema we know, then copies it into the open database with the
same backup API and upgrades its schema if it is older. A database too damaged
to open is restored with :func:`restore_unopenable`, which moves the damaged
file aside (never deleting it) and copies the backup into its place.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

from desktop.core.errors import BackupError, DamagedDatabaseError, DatabaseError
from desktop.core.files import clean_folder_leftovers, fsync_folder
from desktop.core.lock import DatabaseLock
from desktop.core.store import (
    Store,
    _file_state,
    connect_raw,
    copy_database,
    head_revision,
    integrity_problems,
    is_encrypted,
    known_revisions,
    open_store,
    upgrade,
)

DEFAULT_KEEP = 5
KEEP_ENV = "DOSSIER_DESK_KEEP_BACKUPS"
_STAMP = "%Y%m%dT%H%M%S.%fZ"
ROUTINE = "routine"
BEFORE_RESTORE = "before-restore"
DAMAGED = "damaged"
_SUBFOLDER = {ROUTINE: "", BEFORE_RESTORE: BEFORE_RESTORE, DAMAGED: DAMAGED}


def _now() -> dt.datetime:
    """The wall clock, for file names only (tests move it)."""
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class BackupInfo:
    path: str
    name: str
    created: str  # ISO 8601, UTC, seconds: the clock at the time, for people only
    size: int
    encrypted: bool
    # What orders backups: higher is newer, whatever the clock said.
    sequence: int = 0
    kind: str = ROUTINE


@dataclass(frozen=True)
class RestoreResult:
    restored_from: str
    # The state before the restore, itself a backup: restore it to undo.
    safety_backup: str
    schema_version: str
    # Where a damaged database was moved (restore_unopenable only).
    damaged_kept: str = ""


def keep_from_env(default: int = DEFAULT_KEEP) -> int:
    raw = os.environ.get(KEEP_ENV, "").strip()
    if not raw:
        return default
    try:
        return max(1, int(raw))
    except ValueError:
        raise BackupError(f"${KEEP_ENV}={raw!r}: not a whole number of backups") from None


def backups_dir(db_path: Path, kind: str = ROUTINE) -> Path:
    folder = db_path.with_name(db_path.name + ".backups")
    return folder / _SUBFOLDER[kind] if _SUBFOLDER[kind] else folder


def _pattern(db_path: Path) -> re.Pattern[str]:
    return re.compile(re.escape(db_path.stem) + r"-(?:(\d{6,})-)?(\d{8}T\d{6}\.\d{6}Z)\.sqlite")


def _list_kind(db_path: Path, kind: str) -> list[BackupInfo]:
    folder = backups_dir(db_path, kind)
    if not folder.is_dir():
        return []
    pattern = _pattern(db_path)
    found = []
    for entry in folder.iterdir():
        match = pattern.fullmatch(entry.name)
        if not match or not entry.is_file():
            continue
        when = dt.datetime.strptime(match.group(2), _STAMP).replace(tzinfo=dt.UTC)
        seq = int(match.group(1) or 0)
        found.append(
            (
                # Unnumbered (older versions') files: by their stamp, before the rest.
                (seq, when if not seq else dt.datetime.min.replace(tzinfo=dt.UTC)),
                BackupInfo(
                    path=str(entry),
                    name=entry.name,
                    created=when.replace(microsecond=0).isoformat(),
                    size=entry.stat().st_size,
                    encrypted=is_encrypted(entry),
                    sequence=seq,
                    kind=kind,
                ),
            )
        )
    found.sort(key=lambda pair: pair[0], reverse=True)
    return [info for _order, info in found]


def list_backups(
    db_path: Path, *, kinds: tuple[str, ...] = (ROUTINE, BEFORE_RESTORE)
) -> list[BackupInfo]:
    """The backups of ``db_path`` of the given kinds, newest (highest
    sequence) first."""
    found = [info for kind in kinds for info in _list_kind(db_path, kind)]
    return sorted(found, key=lambda b: b.sequence, reverse=True)


def prune(db_path: Path, keep: int, kind: str = ROUTINE) -> list[str]:
    """Delete all but the newest ``keep`` (at least one) backups of ``kind``;
    returns the removed paths. The newest of a kind is never removed."""
    if kind == DAMAGED:
        return []
    removed = []
    for info in _list_kind(db_path, kind)[max(1, keep) :]:
        Path(info.path).unlink(missing_ok=True)
        removed.append(info.path)
    return removed


def _next_sequence(db_path: Path) -> int:
    every = list_backups(db_path, kinds=(ROUTINE, BEFORE_RESTORE, DAMAGED))
    return max((b.sequence for b in every), default=0) + 1


def _new_backup_path(db_path: Path, kind: str = ROUTINE, suffix: str = ".sqlite") -> Path:
    folder = backups_dir(db_path, kind)
    seq = _next_sequence(db_path)
    stamp = _now().strftime(_STAMP)
    while True:
        target = folder / f"{db_path.stem}-{seq:06d}-{stamp}{suffix}"
        if not target.exists():
            return target
        seq += 1


def _info(db_path: Path, path: Path, kind: str = ROUTINE) -> BackupInfo:
    for info in _list_kind(db_path, kind):
        if info.path == str(path):
            return info
    raise BackupError(f"{path}: the backup just written is missing")


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if os.name == "posix":
            folder.chmod(0o700)
    except OSError as exc:
        raise BackupError(f"{folder}: cannot create the backups folder ({exc.strerror})") from exc
    # A killed backup leaves a hidden temporary copy the size of the library.
    clean_folder_leftovers(folder)


def check_store(store: Store, *, full: bool = True) -> list[str]:
    """What ``integrity_check`` (``quick_check`` unless ``full``) finds
    wrong in the open database; empty when sound."""
    conn = store.connect_raw()
    try:
        return integrity_problems(conn, full=full)
    finally:
        conn.close()


def back_up(store: Store, *, keep: int | None = DEFAULT_KEEP, kind: str = ROUTINE) -> BackupInfo:
    """Back up ``store`` now into its backups folder; then keep only the newest
    ``keep`` of that kind (None: delete nothing).

    The database is checked in full first: a damaged one raises
    DamagedDatabaseError and no backup is made or pruned."""
    problems = check_store(store, full=True)
    if problems:
        raise DamagedDatabaseError(
            f"{store.path}: the database is damaged ({'; '.join(problems[:3])}); "
            "no backup was made, so the good backups you have are kept",
            path=store.path,
            problems=problems,
        )
    folder = backups_dir(store.path, kind)
    _make_folder(folder)
    target = _new_backup_path(store.path, kind)
    state = _file_state(store.path)
    try:
        _copy_open(store, target)
    except OSError as exc:
        raise BackupError(f"{target}: cannot write the backup ({exc.strerror or exc})") from exc
    except Exception as exc:
        if isinstance(exc, DatabaseError):
            raise
        raise BackupError(f"{store.path}: the backup failed ({_reason(exc)})") from exc
    if state is not None:
        # Records which state of the file it holds (see the module doc).
        os.utime(target, ns=(state, state))
    if keep is not None:
        prune(store.path, keep, kind)
    return _info(store.path, target, kind)


def _reason(exc: BaseException) -> str:
    """A short reason for an error from SQLite or the OS (no traceback)."""
    orig = getattr(exc, "orig", None)
    return str(orig or exc)


def _copy_open(store: Store, target: Path) -> None:
    """A consistent, checked copy of the open database through SQLite's backup
    API, encrypted with the same passphrase if the database is."""
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
    newest = _list_kind(store.path, ROUTINE)[:1]
    # Equal, not "at least as new": a clock set back gives older stamps to new data.
    if newest and Path(newest[0].path).stat().st_mtime_ns == store.opened_state:
        return None
    return back_up(store, keep=keep)


def save_copy(store: Store, target: Path, *, overwrite: bool = False) -> Path:
    """Write a consistent copy of the open database to ``target`` (mode 0600,
    encrypted with the same passphrase if the database is). An existing file is
    replaced only with ``overwrite`` (the window asks first), and only once the
    new copy is complete and checked."""
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
    except Exception as exc:
        if isinstance(exc, DatabaseError):
            raise
        # A full disk or a read-only medium surfaces as sqlite3.OperationalError.
        raise BackupError(f"{target}: cannot write the copy ({_reason(exc)})") from exc
    return target


def find_backup(db_path: Path, name: str) -> Path:
    """A backup given by path, or by file name in one of the backups folders."""
    candidate = Path(name).expanduser()
    if candidate.is_file():
        return candidate
    for kind in (ROUTINE, BEFORE_RESTORE, DAMAGED):
        in_folder = backups_dir(db_path, kind) / name
        if in_folder.is_file():
            return in_folder
    raise BackupError(f"{name}: no such backup (see `dossier-desk backups`)")


def check_backup_file(
    backup: Path, passphrase: str | None = None, *, full: bool = False
) -> list[str]:
    """What is wrong with ``backup`` as a file to restore (empty: usable).
    Never writes to it or beside it."""
    if is_encrypted(backup) and passphrase is None:
        return ["encrypted; give its passphrase to check it"]
    try:
        conn = connect_raw(backup, passphrase if is_encrypted(backup) else None, immutable=True)
    except DatabaseError as exc:
        return [str(exc)]
    try:
        problems = integrity_problems(conn, full=full)
        if problems:
            return problems
        try:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        except Exception as exc:
            return [f"not a Dossier Desk database ({exc})"]
        if not row or row[0] not in known_revisions():
            return [f"schema {row[0] if row else 'none'} is unknown to this version"]
        return []
    finally:
        conn.close()


def good_backups(db_path: Path, passphrase: str | None = None) -> list[BackupInfo]:
    """The backups of ``db_path`` that pass their check, newest first (safety
    copies of restores included)."""
    return [b for b in list_backups(db_path) if not check_backup_file(Path(b.path), passphrase)]


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

    The current state is backed up first, as a safety copy kept apart from
    the routine backups; on any error before the copy the database is
    untouched. Views holding data of the old state must reload.
    """
    if store.read_only:
        raise BackupError(f"{store.path}: opened read-only; a restore needs write access")
    backup = Path(backup)
    revision = _check_backup(store, backup)
    try:
        safety = back_up(store, keep=None, kind=BEFORE_RESTORE)
    except DamagedDatabaseError:
        # The current state is damaged: keep the file itself aside instead.
        safety = _set_aside_damaged_copy(store)
    src = connect_raw(backup, store._passphrase)
    try:
        with store.engine.connect() as conn:
            raw = conn.connection.dbapi_connection
            assert raw is not None
            src.backup(raw)
    except Exception as exc:
        raise BackupError(
            f"{store.path}: the restore from {backup.name} failed ({_reason(exc)}); "
            f"the previous state is in {safety.path}"
        ) from exc
    finally:
        src.close()
    # Pooled connections may have cached the old schema.
    store.engine.dispose()
    if revision != head_revision():
        upgrade(store.engine)
    # Only older safety copies go; the one just made is the newest of its kind.
    prune(store.path, keep, BEFORE_RESTORE)
    return RestoreResult(
        restored_from=str(backup), safety_backup=safety.path, schema_version=head_revision()
    )


def _set_aside_damaged_copy(store: Store) -> BackupInfo:
    """A byte copy of a damaged open database (its pages, through SQLite's
    backup API, unchecked) in the ``damaged`` folder, never pruned."""
    folder = backups_dir(store.path, DAMAGED)
    _make_folder(folder)
    target = _new_backup_path(store.path, DAMAGED)
    src = store.connect_raw()
    try:
        copy_database(src, target, store._passphrase, verify=False)
    except Exception as exc:
        raise BackupError(
            f"{store.path}: is damaged and cannot even be copied aside ({_reason(exc)}); "
            "nothing was changed"
        ) from exc
    finally:
        src.close()
    return _info(store.path, target, DAMAGED)


def restore_unopenable(
    db_path: Path, backup: Path, *, passphrase: str | None = None
) -> RestoreResult:
    """Restore ``backup`` over a database that cannot be opened (damaged,
    truncated). The damaged file and its ``-wal`` are moved, never deleted,
    into the ``damaged`` folder; the checked backup is copied into place and
    its schema upgraded. Takes the one-writer lock for the duration."""
    db_path = Path(db_path).expanduser()
    backup = Path(backup)
    problems = check_backup_file(backup, passphrase, full=True)
    if problems:
        raise BackupError(
            f"{backup}: not a usable backup ({'; '.join(problems[:3])}); nothing was changed"
        )
    lock = DatabaseLock(db_path)
    try:
        folder = backups_dir(db_path, DAMAGED)
        _make_folder(folder)
        kept = _new_backup_path(db_path, DAMAGED)
        moved = []
        for suffix in ("", "-wal", "-shm", "-journal"):
            src = db_path.with_name(db_path.name + suffix)
            if src.exists():
                dst = kept.with_name(kept.name + suffix)
                os.replace(src, dst)
                moved.append(dst)
        fsync_folder(folder)
        fsync_folder(db_path.parent)
        enc = passphrase if is_encrypted(backup) else None
        src_conn = connect_raw(backup, enc, immutable=True)
        try:
            copy_database(src_conn, db_path, enc)
        finally:
            src_conn.close()
    except OSError as exc:
        raise BackupError(f"{db_path}: the restore failed ({exc.strerror or exc})") from exc
    finally:
        lock.release()
    # Opening upgrades an older schema (and backs that up as usual).
    open_store(db_path, passphrase=passphrase).close()
    return RestoreResult(
        restored_from=str(backup),
        safety_backup=str(moved[0]) if moved else "",
        schema_version=head_revision(),
        damaged_kept=str(moved[0]) if moved else "",
    )


def restore_command(db_path: Path, backup_name: str) -> str:
    """The one command a user types to restore ``backup_name`` over ``db_path``."""
    return f"dossier-desk --db {shlex.quote(str(db_path))} restore {shlex.quote(backup_name)}"


@dataclass(frozen=True)
class DamageReport:
    """What to tell a user whose library is damaged: what is wrong, which
    backups passed their check, and the command restoring the newest good one."""

    path: str
    problems: list[str]
    good: list[BackupInfo]
    bad: list[tuple[BackupInfo, str]]
    command: str  # empty when there is no good backup

    def message(self) -> str:
        lines = [f"{self.path}: the database is damaged ({'; '.join(self.problems[:3])})."]
        if self.good:
            lines.append("Good backups (each checked just now), newest first:")
            for b in self.good[:5]:
                kind = " (state before a restore)" if b.kind == BEFORE_RESTORE else ""
                lines.append(f"  #{b.sequence}  {b.created}  {b.name}{kind}")
            lines.append("Restore the newest good one with:")
            lines.append(f"  {self.command}")
            lines.append(
                "The damaged file is moved into "
                f"{backups_dir(Path(self.path), DAMAGED)}, never deleted."
            )
        else:
            folder = backups_dir(Path(self.path))
            lines.append(
                f"No good backup was found in {folder}"
                + (f" ({len(self.bad)} damaged or unreadable)." if self.bad else ".")
            )
            lines.append("Do not write to the file; keep a copy of it before trying repairs.")
        return "\n".join(lines)


def damage_report(
    db_path: Path, problems: list[str], passphrase: str | None = None
) -> DamageReport:
    good: list[BackupInfo] = []
    bad: list[tuple[BackupInfo, str]] = []
    for b in list_backups(db_path):
        found = check_backup_file(Path(b.path), passphrase)
        if found:
            bad.append((b, found[0]))
        else:
            good.append(b)
    command = restore_command(db_path, good[0].name) if good else ""
    return DamageReport(str(db_path), problems, good, bad, command)
