"""``dossier-desk import PATH... [--json]``: files and folders into the library.

Exit code: 0 when every file was imported or was already in the library (a
duplicate), 1 when at least one file failed (each failure is listed with its
reason; the others are imported all the same), 130 if interrupted.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop.cli import (
    add_json_flag,
    add_progress_flag,
    one_line,
    print_event,
    print_json,
    store_from,
)
from desktop.core.services import ingest, pipeline


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "import",
        help="import articles from files and folders (txt, md, html, pdf, docx, eml)",
        description="Import articles from files and folders (recursively). Supported: "
        + ", ".join(ingest.supported_extensions())
        + ". Exit code 1 if any file failed.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", type=Path)
    p.add_argument(
        "--no-extract",
        action="store_true",
        help="only store the articles; find their entities later with `extract`",
    )
    add_json_flag(p)
    add_progress_flag(p)
    p.set_defaults(func=cmd_import)


def cmd_import(args: argparse.Namespace) -> int:
    store = store_from(args)
    show_progress = not args.json and not args.progress and sys.stderr.isatty()

    def progress(done: int, total: int, message: str) -> None:
        print(f"\r{one_line(message)[:78]:<78}", end="", file=sys.stderr)

    outcome = pipeline.import_and_extract(
        store,
        args.paths,
        progress=progress if show_progress else None,
        extract=not args.no_extract,
        on_event=print_event if args.progress else None,
    )
    report = outcome.report
    if show_progress:
        print(file=sys.stderr)
    if args.json:
        print_json(report.to_json())
    else:
        print(report.summary())
        if outcome.extraction is not None:
            x = outcome.extraction
            print(
                f"Found {x.mentions} mentions: {x.linked} linked to known entities, "
                f"{x.suggested} to review, {x.new_entities} new entities."
            )
            if x.degraded:
                print(f"  {x.status}")
        for note in report.notes:
            print(f"dossier-desk: warning: {note}", file=sys.stderr)
        for dup in report.duplicates:
            print(f"  duplicate of article {dup['id']}: {one_line(str(dup['path']))}")
        # Failures are errors: on stderr, where a script looks for them.
        for fail in report.failed:
            print(f"  failed: {one_line(fail['error'])}", file=sys.stderr)
    return 1 if report.failed else 0
