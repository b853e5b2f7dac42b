"""Verbs about the database file itself: init (optionally encrypted), backup,
backups, restore."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from desktop.cli import add_json_flag, passphrase_from, print_json, server_store, store_from
from desktop.core import backup
from desktop.core.backend import is_server_url
from desktop.core.errors import DamagedDatabaseError, DossierDeskError
from desktop.core.store import (
    PASSPHRASE_ENV,
    connect_raw,
    default_db_path,
    integrity_problems,
    is_encrypted,
    open_store,
)

NO_RECOVERY = (
    "There is no way to recover an encrypted database without its passphrase: "
    "keep it somewhere safe."
)


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "init",
        help="create a new, empty database (optionally encrypted)",
        description="Create the database given by --db (or the default one). "
        "With --encrypt the whole file is encrypted with a passphrase read from "
        f"--passphrase-file or ${PASSPHRASE_ENV} (asked for on a terminal otherwise). "
        + NO_RECOVERY,
    )
    p.add_argument("--encrypt", action="store_true", help="encrypt the file with a passphrase")
    add_json_flag(p)
    p.set_defaults(func=cmd_init)

    p = subparsers.add_parser(
        "migrate",
        help="create or upgrade a team library's schema on its server (administrators)",
        description="A window or a researcher's CLI never changes a server's schema; an "
        "administrator role runs this once per new version of Dossier Desk. A file is "
        "upgraded when it is opened, so this only reports its version.",
    )
    add_json_flag(p)
    p.set_defaults(func=cmd_migrate)

    keep_help = f"keep the newest N backups (default: ${backup.KEEP_ENV} or {backup.DEFAULT_KEEP})"
    p = subparsers.add_parser(
        "backup",
        help="back up the database now (rotating), or save a copy elsewhere with --to",
    )
    p.add_argument("--keep", type=int, metavar="N", help=keep_help)
    p.add_argument(
        "--to", metavar="FILE", help="write a copy to FILE instead (not part of the rotation)"
    )
    add_json_flag(p)
    p.set_defaults(func=cmd_backup)

    p = subparsers.add_parser("backups", help="list the backups of the database, newest first")
    add_json_flag(p)
    p.set_defaults(func=cmd_backups, read_only_ok=True)

    p = subparsers.add_parser(
        "check",
        help="check the database in full (PRAGMA integrity_check); --backups checks those too",
        description="Read-only: takes no lock and writes nothing. Exit 1 when anything "
        "checked is damaged; the message then lists the good backups and the command "
        "that restores the newest one.",
    )
    p.add_argument("--backups", action="store_true", help="check every backup as well")
    add_json_flag(p)
    p.set_defaults(func=cmd_check)

    p = subparsers.add_parser(
        "restore",
        help="replace the database with a backup (the current state is backed up first)",
    )
    p.add_argument("backup", help="a backup's file name (see `backups`) or any path")
    p.add_argument("--keep", type=int, metavar="N", help=keep_help)
    add_json_flag(p)
    p.set_defaults(func=cmd_restore)


def _keep(args: argparse.Namespace) -> int:
    if args.keep is not None:
        if args.keep < 1:
            raise DossierDeskError(f"--keep {args.keep}: keep at least one backup")
        return args.keep
    return backup.keep_from_env()


def _ask_new_passphrase() -> str:
    if not sys.stdin.isatty():
        raise DossierDeskError(
            f"--encrypt needs a passphrase: give --passphrase-file FILE or set ${PASSPHRASE_ENV}"
        )
    first = getpass.getpass("New passphrase: ")
    if not first:
        raise DossierDeskError("an empty passphrase cannot encrypt a database")
    if getpass.getpass("Repeat it: ") != first:
        raise DossierDeskError("the two passphrases differ; nothing was created")
    return first


def cmd_migrate(args: argparse.Namespace) -> int:
    store = server_store(args, migrate=True) if is_server_url(args.db) else store_from(args)
    info = {"location": store.location, "schema_version": store.schema_version()}
    store.close()
    if args.json:
        print_json(info)
        return 0
    print(f"{info['location']} is at schema {info['schema_version']}")
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    if is_server_url(args.db):
        # A team library: an empty database on the server gets the schema.
        return cmd_migrate(args)
    path = Path(args.db).expanduser() if args.db else default_db_path()
    if path.exists() and path.stat().st_size:
        raise DossierDeskError(f"{path}: exists already; init only creates new databases")
    passphrase = None
    if args.encrypt:
        passphrase = passphrase_from(args) or _ask_new_passphrase()
    store = open_store(path, passphrase=passphrase, encrypt=args.encrypt)
    info = {"path": str(store.path), "encrypted": store.encrypted}
    store.close()
    if args.json:
        print_json(info)
        return 0
    print(f"Created {'an encrypted' if args.encrypt else 'a'} database at {path}")
    if args.encrypt:
        print(NO_RECOVERY)
    return 0


def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)


def cmd_backup(args: argparse.Namespace) -> int:
    if args.to:
        _file_only(args, "backup --to")
    store = store_from(args)
    if args.to:
        target = backup.save_copy(store, Path(args.to))
        if args.json:
            print_json({"path": str(target), "encrypted": store.encrypted})
        else:
            print(f"Saved a copy of {store.path} to {target}")
        return 0
    info = store.backend.back_up(store, _keep(args))
    if args.json:
        print_json(info)
        return 0
    print(f"Backed up {store.path} to {info.path} ({_size(info.size)})")
    return 0


def _file_only(args: argparse.Namespace, what: str) -> None:
    if is_server_url(args.db):
        raise DossierDeskError(
            f"{what} works on a library file; a team library is backed up on its server "
            "(pg_dump), or copied to a file with copy-library"
        )


def cmd_backups(args: argparse.Namespace) -> int:
    _file_only(args, "backups")
    path = Path(args.db).expanduser() if args.db else default_db_path()
    rows = backup.list_backups(path)
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print(f"No backups of {path} yet. Make one with: dossier-desk backup")
        return 0
    print(f"Backups of {path} in {backup.backups_dir(path)}:")
    for b in rows:
        lock = "  encrypted" if b.encrypted else ""
        kind = "  (state before a restore)" if b.kind == backup.BEFORE_RESTORE else ""
        print(f"  #{b.sequence:<4} {b.created}  {_size(b.size):>10}  {b.name}{lock}{kind}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    _file_only(args, "restore")
    path = Path(args.db).expanduser() if args.db else default_db_path()
    try:
        store = store_from(args)
    except DamagedDatabaseError:
        # The library cannot even be opened: set it aside and copy the backup in.
        source = backup.find_backup(path, args.backup)
        result = backup.restore_unopenable(path, source, passphrase=passphrase_from(args))
    else:
        source = backup.find_backup(store.path, args.backup)
        result = backup.restore(store, source, keep=_keep(args))
        store.close()
    if args.json:
        print_json(result)
        return 0
    print(f"Restored {path} from {result.restored_from}")
    if result.damaged_kept:
        print(f"The damaged file is kept in {result.damaged_kept}")
    else:
        print(f"The state before the restore is in {result.safety_backup}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Full integrity check of the library (read-only: no lock, nothing
    written) and, with --backups, of every backup."""
    path = Path(args.db).expanduser() if args.db else default_db_path()
    if not path.is_file():
        raise DossierDeskError(f"{path}: no such database")
    passphrase = passphrase_from(args)
    key = passphrase if is_encrypted(path) else None
    if is_encrypted(path) and key is None:
        raise DossierDeskError(
            f"{path}: is encrypted; give its passphrase (--passphrase-file or ${PASSPHRASE_ENV})"
        )
    try:
        conn = connect_raw(path, key, immutable=True)
    except DossierDeskError as exc:
        problems = [str(exc)]
    else:
        try:
            problems = integrity_problems(conn, full=True)
        finally:
            conn.close()
    rows = []
    if args.backups:
        for b in backup.list_backups(path):
            found = backup.check_backup_file(Path(b.path), passphrase, full=True)
            rows.append(
                {"name": b.name, "sequence": b.sequence, "ok": not found, "problems": found}
            )
    bad_backups = [r for r in rows if not r["ok"]]
    if args.json:
        print_json({"path": str(path), "ok": not problems, "problems": problems, "backups": rows})
    elif problems:
        report = backup.damage_report(path, problems, passphrase)
        print(report.message())
    else:
        print(f"{path}: OK (full integrity check)")
    if not args.json:
        for r in rows:
            state = "OK" if r["ok"] else f"DAMAGED: {'; '.join(r['problems'][:2])}"
            print(f"  #{r['sequence']:<4} {r['name']}  {state}")
    return 1 if problems or bad_backups else 0
