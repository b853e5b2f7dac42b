"""``copy-library SRC DST``: a library file to a team server, or a team
library to a file (a snapshot for the field)."""

from __future__ import annotations

import argparse
import getpass
import sys

from desktop.cli import add_json_flag, print_json
from desktop.core.backend import is_server_url
from desktop.core.errors import DatabaseLockedError, DossierDeskError, PasswordRequiredError
from desktop.core.services.transfer import copy_library
from desktop.core.store import Store, open_store


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "copy-library",
        help="copy a whole library, file <-> team server, with row counts checked",
        description="Copy every article, entity, link, judgement, dossier and history entry "
        "from SRC to DST, keeping ids, in one transaction; the row counts of every table are "
        "compared on both sides before it is committed. DST must be empty: a new file, or a "
        "server database an administrator prepared with `dossier-desk --db URL migrate`. "
        "SRC and DST are file paths or postgresql://ROLE@HOST[:PORT]/DATABASE addresses "
        "(passwords from ~/.pgpass or a prompt).",
    )
    p.add_argument("source", metavar="SRC")
    p.add_argument("destination", metavar="DST")
    add_json_flag(p)
    p.set_defaults(func=cmd_copy_library)


def _open(location: str, *, reading: bool) -> Store:
    if is_server_url(location):
        try:
            return open_store(location)
        except PasswordRequiredError:
            if not sys.stdin.isatty():
                raise
        return open_store(location, password=getpass.getpass(f"Password for {location}: "))
    if not reading:
        return open_store(location)
    try:
        return open_store(location)
    except DatabaseLockedError:
        return open_store(location, read_only=True)


def cmd_copy_library(args: argparse.Namespace) -> int:
    if args.source == args.destination:
        raise DossierDeskError(f"{args.source}: the source and the destination are the same")
    src = _open(args.source, reading=True)
    try:
        dst = _open(args.destination, reading=False)
        try:
            report = copy_library(src, dst)
        finally:
            dst.close()
    finally:
        src.close()
    if args.json:
        print_json(report)
        return 0
    print(f"Copied {report.source} to {report.destination} (schema {report.schema_version}):")
    for table, n in report.counts.items():
        print(f"  {table:<14}{n:>9} rows, the same on both sides")
    return 0
