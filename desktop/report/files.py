"""Writing export files safely (no Qt here, so text exports run anywhere)."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from desktop.core import live
from desktop.core.dossier import ExportError
from desktop.core.files import write_private
from desktop.core.logs import private

log = logging.getLogger(__name__)


def check_writable(path: Path) -> None:
    """Fail early, naming the path, rather than after a long render."""
    refused = live.refusal(path, "be overwritten by an export")
    if refused is not None:
        raise ExportError(refused)
    if path.is_dir():
        raise ExportError(f"{path}: is a folder; give a file name to write")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise ExportError(f"{path}: cannot write here, the folder {parent} does not exist")
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise ExportError(f"{path}: cannot write here (permission denied)")


def write_bytes(path: Path, payload: bytes) -> None:
    """Write through :func:`desktop.core.files.atomic_writer`, so a failed
    export never leaves half a file where a good one was. Owner-only."""
    refused = live.refusal(path, "be overwritten by an export")
    if refused is not None:
        raise ExportError(refused)
    try:
        write_private(path, payload)
    except OSError as exc:
        log.warning("export: writing a %s file failed: %s", path.suffix.lower(), private(exc))
        raise ExportError(f"{path}: cannot write the file ({exc.strerror or exc})") from exc
    log.info("export: wrote a %s file, %d bytes", path.suffix.lower(), len(payload))


# Names Windows reserves for devices, with or without an extension ("CON.pdf").
_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"} | {
    f"{dev}{i}" for dev in ("COM", "LPT") for i in (*range(1, 10), "¹", "²", "³")
}
# Path separators, characters Windows forbids, and control characters.
_UNSAFE = set('/\\:*?"<>|') | {chr(c) for c in range(32)} | {"\x7f"}
# Bidirectional controls would make "gpj.exe" look like "exe.jpg" in a file list.
_BIDI = set("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
MAX_STEM = 120  # characters; leaves room for a suffix within 255 bytes on every system


def safe_file_name(name: str, suffix: str = "", *, fallback: str = "dossier") -> str:
    """A file name made from a user's text (a dossier title, an entity name)
    that is one plain name in one folder on every system: no path separators
    or ``..``, no leading dot (hidden files), no characters Windows refuses, no
    reserved device names (CON, NUL, COM1...), no bidi controls, and at most
    :data:`MAX_STEM` characters (255 bytes in UTF-8) before ``suffix``."""
    chars = []
    for c in name:
        if c in _BIDI:
            continue
        if c.isspace():
            chars.append(" ")
        elif c in _UNSAFE or not c.isprintable():
            chars.append("_")
        else:
            chars.append(c)
    cleaned = "".join(chars)
    cleaned = " ".join(cleaned.split())  # newlines, tabs and runs of spaces
    # Windows drops trailing dots and spaces; leading dots hide the file.
    cleaned = cleaned.strip(" .")
    while ".." in cleaned:
        cleaned = cleaned.replace("..", ".")
    stem = cleaned[:MAX_STEM].rstrip(" .")
    while len(stem.encode("utf-8")) + len(suffix.encode("utf-8")) > 250:
        stem = stem[:-1]
    if not stem or stem.replace("_", "") == "":
        stem = fallback
    if stem.split(".")[0].strip().upper() in _RESERVED:
        stem = f"_{stem}"
    return stem + suffix


def export_path(folder: str | os.PathLike[str], name: str, suffix: str = "") -> Path:
    """``folder / safe_file_name(name, suffix)``, checked to resolve inside
    ``folder`` (ExportError otherwise: a name must never write elsewhere)."""
    base = Path(folder).resolve()
    target = (base / safe_file_name(name, suffix)).resolve()
    if target.parent != base:
        raise ExportError(f"{name!r}: not a safe file name in {base}")
    return target
