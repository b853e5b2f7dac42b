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
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, is_dataclass
from typing import Any

from desktop import __version__
from desktop.core.errors import DossierDeskError
from desktop.core.store import Store, open_store

VerbFunc = Callable[[argparse.Namespace], int]


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print stable JSON")


def add_progress_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--progress",
        action="store_true",
        help="print one JSON line on stderr as each unit of work is committed",
    )


def print_event(event: dict[str, object]) -> None:
    """One ``--progress`` line. Written and flushed only after the work it
    reports was committed, so a supervisor that saw the line may rely on it
    even if the process is killed the next instant."""
    sys.stderr.write(json.dumps(event, ensure_ascii=False, sort_keys=True) + "\n")
    sys.stderr.flush()


def to_jsonable(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    return value


def print_json(value: Any) -> None:
    json.dump(to_jsonable(value), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def store_from(args: argparse.Namespace) -> Store:
    return open_store(args.db)


def build_parser() -> argparse.ArgumentParser:
    # Imported here so that `dossier-desk --version` stays instant.
    from desktop.cli import dossier, extract, ingest, library, resolve

    parser = argparse.ArgumentParser(
        prog="dossier-desk",
        description="Offline dossiers on the people, organisations and places in news "
        "articles. With no verb, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"dossier-desk {__version__}")
    parser.add_argument(
        "--db",
        metavar="PATH",
        default=None,
        help="database file (default: $DOSSIER_DESK_DB or library.sqlite in the user data folder)",
    )
    parser.add_argument(
        "--debug", action="store_true", help="show a traceback for unexpected errors"
    )
    subparsers = parser.add_subparsers(dest="verb", metavar="VERB")
    for module in (library, ingest, extract, resolve, dossier):
        module.register(subparsers)
    return parser


def run(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and run the verb. Returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    func: VerbFunc | None = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 2
    try:
        return func(args)
    except DossierDeskError as exc:
        print(f"dossier-desk: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("dossier-desk: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `dossier-desk articles | head`: the reader left; not an error.
        return 0
    except Exception as exc:
        if args.debug:
            raise
        print(
            f"dossier-desk: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug; run again with --debug for the details.",
            file=sys.stderr,
        )
        return 70
