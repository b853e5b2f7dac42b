"""Entry point: a CLI verb, or the window when there is none."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def _wants_window(argv: Sequence[str]) -> bool:
    """True when argv names no verb and asks for no help/version."""
    args = list(argv)
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--db":
            i += 2
            continue
        if a.startswith("--db=") or a == "--debug":
            i += 1
            continue
        return False
    return True


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv == ["--version"]:
        # Answered before the CLI imports the database layer (a second or more).
        from desktop import __version__

        print(f"dossier-desk {__version__}")
        return 0
    if not _wants_window(argv):
        from desktop.cli import run

        return run(argv)
    from desktop.ui.application import run_window

    db = None
    for i, a in enumerate(argv):
        if a == "--db" and i + 1 < len(argv):
            db = argv[i + 1]
        elif a.startswith("--db="):
            db = a.split("=", 1)[1]
    return run_window(db, debug="--debug" in argv)


if __name__ == "__main__":
    raise SystemExit(main())
