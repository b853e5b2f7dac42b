"""``dossier-desk <verb>``: every capability of the app, scriptable.

Each verb prints text for people by default and stable JSON with ``--json``
(snake_case keys, integer ids; shapes documented in the README). Errors a user
can act on go to stderr with exit code 1 and no traceback; usage errors exit 2.

Verbs live in modules by area (``library``, ...); each module has
``register(subparsers)`` that adds its parsers and sets ``func`` on them. A verb
function takes the parsed arguments and returns the exit code.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

from desktop import __version__
from desktop.core.backend import is_server_url
from desktop.core.errors import (
    DamagedDatabaseError,
    DatabaseLockedError,
    DossierDeskError,
    PassphraseRequiredError,
    PasswordRequiredError,
    UnwritableError,
)
from desktop.core.logs import private, setup_logging
from desktop.core.safe_text import visible
from desktop.core.store import PASSPHRASE_ENV, Store, open_store

log = logging.getLogger(__name__)

VerbFunc = Callable[[argparse.Namespace], int]

# Stores opened by store_from for the running verb, closed when it ends (a
# server connection left open warns, and holds a slot on the server).
_opened: list[Store] = []


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print stable JSON")


def add_progress_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--progress",
        action="store_true",
        help="print one JSON line on stderr as each unit of work is committed",
    )


def count(minimum: int) -> Callable[[str], int]:
    """An argparse type: a whole number of at least ``minimum`` (a usage
    error, exit 2, otherwise)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{value} is less than {minimum}")
        return value

    parse.__name__ = "count"
    return parse


# Line and paragraph breaks, other control characters and bidi controls: a
# file name holding them could otherwise print lines that look like ours
# ("Imported 9 articles"), or turn the rest of a line around.
_UNPRINTABLE = set(range(32)) | {0x7F, 0x85, 0x2028, 0x2029} | set(range(0x202A, 0x202F))
_UNPRINTABLE |= set(range(0x2066, 0x206A)) | {0x200E, 0x200F, 0x061C}


def one_line(text: str) -> str:
    r"""``text`` for one line of plain output: control characters shown as
    escapes (``\n``, ``\x1b``, ``\u2028``), everything else as it is."""
    if not any(ord(ch) in _UNPRINTABLE for ch in text):
        return text
    out = []
    for ch in text:
        code = ord(ch)
        if code not in _UNPRINTABLE:
            out.append(ch)
        elif ch in "\n\r\t":
            out.append({"\n": "\\n", "\r": "\\r", "\t": "\\t"}[ch])
        elif code < 0x100:
            out.append(f"\\x{code:02x}")
        else:
            out.append(f"\\u{code:04x}")
    return "".join(out)


def print_event(event: dict[str, object]) -> None:
    """One ``--progress`` line. Written and flushed only after the work it
    reports was committed, so a supervisor that saw the line may rely on it
    even if the process is killed the next instant."""
    sys.stderr.write(json.dumps(event, ensure_ascii=False, sort_keys=True) + "\n")
    sys.stderr.flush()


def to_jsonable(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        # Field by field rather than dataclasses.asdict, which deep-copies every
        # value: a hundred thousand suggestions took seconds.
        return {f.name: to_jsonable(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    return value


class VisibleWriter:
    """A text stream that shows control characters and bidi controls as
    escapes (``\\x1b``): a name holding a terminal escape sequence prints as
    text instead of recolouring or rewriting the terminal. JSON stays valid:
    json already escapes C0, and the ``\\uNNNN`` used for the others is its
    own escape of the same character."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(visible(text))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def print_json(value: Any) -> None:
    # One string written once: json.dump writes piece by piece, each piece
    # through the escaping writer.
    sys.stdout.write(json.dumps(to_jsonable(value), ensure_ascii=False, indent=2) + "\n")


# Verbs that only read: when another window holds the database they read it
# read-only instead of failing (``(verb, sub-verb)`` for nested ones).
READ_ONLY_VERBS = (
    "info",
    "articles",
    "entities",
    "mentions",
    "export",
    "export-entity",
    ("dossier", "list"),
    ("dossier", "show"),
)


def passphrase_from(args: argparse.Namespace) -> str | None:
    """The passphrase from ``--passphrase-file`` or ``$DOSSIER_DESK_PASSPHRASE``
    (never a command-line argument: those are visible to every user in ``ps``)."""
    path = getattr(args, "passphrase_file", None)
    if path:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise DossierDeskError(
                f"{path}: cannot read the passphrase file ({exc.strerror})"
            ) from exc
        except UnicodeDecodeError as exc:
            raise DossierDeskError(f"{path}: the passphrase file is not UTF-8 text") from exc
        # One trailing line break is the file's, not the passphrase's.
        text = text.removesuffix("\n").removesuffix("\r")
        if not text:
            raise DossierDeskError(f"{path}: the passphrase file is empty")
        return text
    return os.environ.get(PASSPHRASE_ENV) or None


def server_store(args: argparse.Namespace, *, migrate: bool = False) -> Store:
    """A team library: the password from --passphrase-file, else libpq's own
    sources (~/.pgpass, $PGPASSWORD), else a prompt on a terminal."""
    password = passphrase_from(args) if getattr(args, "passphrase_file", None) else None
    try:
        return open_store(args.db, password=password, migrate=migrate)
    except PasswordRequiredError:
        if password is not None or not sys.stdin.isatty():
            raise
    import getpass

    password = getpass.getpass("Password for the team library: ")
    return open_store(args.db, password=password, migrate=migrate)


def store_from(args: argparse.Namespace) -> Store:
    if args.db is None and is_server_url(os.environ.get("DOSSIER_DESK_DB", "")):
        args.db = os.environ["DOSSIER_DESK_DB"]
    if is_server_url(args.db):
        store = server_store(args)
        _opened.append(store)
        return store
    passphrase = passphrase_from(args)
    try:
        store = open_store(args.db, passphrase=passphrase)
        if getattr(args, "read_only_ok", False) and not _can_read(store):
            # The lock was taken, but SQLite cannot make its -shm/-wal files
            # (a disk that filled up): read without them.
            store.close()
            raise UnwritableError(f"{store.path}: cannot create the files SQLite reads through")
        return store
    except PassphraseRequiredError as exc:
        raise PassphraseRequiredError(
            f"{exc} (with --passphrase-file FILE or ${PASSPHRASE_ENV})"
        ) from exc
    except DamagedDatabaseError as exc:
        raise damaged_with_backups(exc, passphrase) from exc
    except UnwritableError:
        if not getattr(args, "read_only_ok", False):
            raise
        # A read-only medium or folder, a full disk: reading needs no lock.
        return open_store(args.db, passphrase=passphrase, read_only=True, immutable=True)
    except DatabaseLockedError:
        if not getattr(args, "read_only_ok", False):
            raise
    store = open_store(args.db, passphrase=passphrase, read_only=True)
    print(
        f"dossier-desk: note: {store.path} is open in another Dossier Desk window; "
        "reading it read-only",
        file=sys.stderr,
    )
    return store


def _can_read(store: Store) -> bool:
    try:
        with store.engine.connect() as conn:
            conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").fetchone()
    except Exception:
        return False
    return True


def damaged_with_backups(exc: DamagedDatabaseError, passphrase: str | None) -> DamagedDatabaseError:
    """The damage message completed with the checked backups and the command
    that restores the newest good one."""
    from desktop.core.backup import damage_report

    path = Path(str(exc.path))
    report = damage_report(path, exc.problems or [str(exc)], passphrase)
    return DamagedDatabaseError(report.message(), path=path, problems=exc.problems)


def build_parser() -> argparse.ArgumentParser:
    # Imported here so that `dossier-desk --version` stays instant.
    from desktop.cli import database, dossier, extract, ingest, library, resolve, transfer

    parser = argparse.ArgumentParser(
        prog="dossier-desk",
        description="Offline dossiers on the people, organisations and places in news "
        "articles. With no verb, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"dossier-desk {__version__}")
    parser.add_argument(
        "--db",
        metavar="PATH|URL",
        default=None,
        help="database file (default: $DOSSIER_DESK_DB or library.sqlite in the user data "
        "folder), or a team library on a server: postgresql://ROLE@HOST[:PORT]/DATABASE",
    )
    parser.add_argument(
        "--passphrase-file",
        metavar="FILE",
        default=None,
        help="read the passphrase of an encrypted database (or the password of a team "
        f"library's role) from FILE (or set ${PASSPHRASE_ENV} for a file's passphrase)",
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        help="show a traceback for unexpected errors, and write names and text to the log file",
    )
    subparsers = parser.add_subparsers(dest="verb", metavar="VERB")
    for module in (library, ingest, extract, resolve, dossier, database, transfer):
        module.register(subparsers)
    _mark_read_only(subparsers)
    return parser


def _mark_read_only(subparsers: argparse._SubParsersAction) -> None:
    for verb in READ_ONLY_VERBS:
        name, sub = (verb, None) if isinstance(verb, str) else verb
        parser = subparsers.choices.get(name)
        if parser is None:
            continue
        if sub is not None:
            nested = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
            parser = nested[0].choices.get(sub) if nested else None
            if parser is None:
                continue
        parser.set_defaults(read_only_ok=True)


def run(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and run the verb. Returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    func: VerbFunc | None = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 2
    setup_logging(args.debug)
    t0 = time.perf_counter()
    # The verb's name only: its arguments carry titles, names and paths.
    log.info("cli %s: start (version %s)", args.verb, __version__)
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = VisibleWriter(out), VisibleWriter(err)
    try:
        code = _run_verb(func, args)
    finally:
        sys.stdout, sys.stderr = out, err
    log.info("cli %s: exit %d after %.2f s", args.verb, code, time.perf_counter() - t0)
    return code


def _run_verb(func: VerbFunc, args: argparse.Namespace) -> int:
    try:
        return _run_verb_once(func, args)
    finally:
        while _opened:
            _opened.pop().close()


def _run_verb_once(func: VerbFunc, args: argparse.Namespace) -> int:
    try:
        return func(args)
    except DossierDeskError as exc:
        # Messages name the file or record, so they are private in the log.
        log.warning("cli %s: %s: %s", args.verb, type(exc).__name__, private(exc))
        print(f"dossier-desk: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("dossier-desk: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `dossier-desk articles | head`: the reader left; not an error.
        return 0
    except Exception as exc:
        log.error("cli %s: unexpected %s: %s", args.verb, type(exc).__name__, private(exc))
        if args.debug:
            raise
        print(
            f"dossier-desk: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug; run again with --debug for the details.",
            file=sys.stderr,
        )
        return 70
