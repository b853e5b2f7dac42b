"""Writing export files safely (no Qt here, so text exports run anywhere)."""

from __future__ import annotations

import os
from pathlib import Path

from desktop.core.dossier import ExportError
from desktop.core.files import write_private


def check_writable(path: Path) -> None:
    """Fail early, naming the path, rather than after a long render."""
    if path.is_dir():
        raise ExportError(f"{path}: is a folder; give a file name to write")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise ExportError(f"{path}: cannot write here, the folder {parent} does not exist")
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise ExportError(f"{path}: cannot write here (permission denied)")


def write_bytes(path: Path, payload: bytes) -> None:
    """Write via a temporary file beside the target, so a failed export never
    leaves half a file where a good one was. Readable by the owner only."""
    tmp = path.with_name(f".{path.name}.part")
    try:
        write_private(tmp, payload)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ExportError(f"{path}: cannot write the file ({exc.strerror or exc})") from exc
