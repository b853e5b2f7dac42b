"""The log file: what the app did, never what the user's material says.

A rotating file (``dossier-desk.log``, 1 MB x 3 kept) in the user log folder
(platformdirs' ``user_log_path``, or ``$DOSSIER_DESK_LOG_DIR``), readable by the
user only. It records operations with ids, counts, formats, sizes and timings:
"import: 12 files (.html x 10, .pdf x 2), 11 imported, 1 duplicate",
"export: dossier #3 as pdf, 14 pages". Article text, titles, entity names,
aliases, notes, file names, database paths and the messages of errors (which
name records) are *private*: written as ``<private: 17 chars>`` unless debug
logging is on (``--debug`` or ``DOSSIER_DESK_DEBUG=1``), because a log file is
what people attach to bug reports and copy off machines.

Code logs private values through :func:`private` (or :func:`file_facts` for a
file), never by formatting them into the message itself::

    log.info("merged entity %d into %d (%s)", a, b, private(name))
"""

from __future__ import annotations

import contextlib
import logging
import logging.handlers
import os
import sys
import traceback
from pathlib import Path
from types import TracebackType

import platformdirs

APP_NAME = "dossier-desk"
LOG_NAME = "dossier-desk.log"
MAX_BYTES = 1_000_000
BACKUPS = 3
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_debug = False
_handler: logging.Handler | None = None
_attached_to: logging.Logger | None = None
_root_level: int | None = None
_app_level: int | None = None


def debug_enabled() -> bool:
    return _debug


def env_debug() -> bool:
    return os.environ.get("DOSSIER_DESK_DEBUG", "").strip().lower() not in ("", "0", "false", "no")


def log_dir() -> Path:
    override = os.environ.get("DOSSIER_DESK_LOG_DIR")
    if override:
        return Path(override).expanduser()
    return platformdirs.user_log_path(APP_NAME, appauthor=False)


class private:
    """A value that is written to the log only when debug logging is on.

    Formatting happens when the record is written, so the check follows the
    setting at that moment and costs nothing for records that are dropped."""

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value

    def __str__(self) -> str:
        if _debug:
            return str(self.value)
        return f"<private: {len(str(self.value))} chars>"

    __repr__ = __str__


def file_facts(path: str | os.PathLike[str]) -> str:
    """What the log may say about a file without debug: its extension and
    size (the name itself may identify a source or a case)."""
    p = Path(path)
    try:
        size = f"{p.stat().st_size} bytes"
    except OSError:
        size = "size unknown"
    facts = f"{p.suffix.lower() or '(no extension)'}, {size}"
    if _debug:
        return f"{p} ({facts})"
    return facts


def _open_private(path: Path) -> None:
    """Create the log file readable by the user only (umask could leave it
    world-readable); an existing file is tightened too."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.close(fd)
    with contextlib.suppress(OSError):
        os.chmod(path, 0o600)


_warned = False


def _warn_once(reason: object) -> None:
    """One line on stderr the first time the log cannot be written (a full
    disk, a read-only home folder); nothing after that, and never a traceback."""
    global _warned
    if _warned:
        return
    _warned = True
    with contextlib.suppress(Exception):
        sys.stderr.write(f"dossier-desk: note: the log file cannot be written ({reason})\n")


class _PrivateRotatingHandler(logging.handlers.RotatingFileHandler):
    def doRollover(self) -> None:
        super().doRollover()
        _open_private(Path(self.baseFilename))

    def handleError(self, record: logging.LogRecord) -> None:
        # logging's default prints "--- Logging error ---" and a traceback for
        # every record; the work itself is not affected, so say it once.
        exc = sys.exc_info()[1]
        _warn_once(getattr(exc, "strerror", None) or exc)


def setup_logging(debug: bool = False) -> Path:
    """Send the app's log records to the rotating log file; returns its path.

    Safe to call more than once (each CLI run in a test calls it): the previous
    handler is closed and replaced. Without debug only our own loggers
    (``desktop.*``) are written, at INFO; libraries are left out because some
    of them log the text they are working on. With debug everything at DEBUG
    goes in, private values included."""
    debug = debug or env_debug()
    folder = log_dir()
    path = folder / LOG_NAME
    shutdown_logging()
    global _debug, _handler, _attached_to, _root_level, _app_level
    try:
        # A folder we create is the user's alone; an existing one (the
        # override may name a shared folder) keeps its mode.
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        _open_private(path)
        handler: logging.Handler = _PrivateRotatingHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
        )
    except OSError as exc:
        _warn_once(exc.strerror or exc)
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter(FORMAT))
    target = logging.getLogger() if debug else logging.getLogger("desktop")
    handler.setLevel(logging.DEBUG if debug else logging.INFO)
    target.addHandler(handler)
    _app_level = logging.getLogger("desktop").level
    logging.getLogger("desktop").setLevel(logging.DEBUG if debug else logging.INFO)
    if debug:
        _root_level = logging.getLogger().level
        logging.getLogger().setLevel(logging.DEBUG)
    _debug, _handler, _attached_to = debug, handler, target
    from desktop import __version__

    logging.getLogger("desktop").info(
        "log opened: dossier-desk %s, debug %s", __version__, "on" if debug else "off"
    )
    return path


def shutdown_logging() -> None:
    """Detach and close the handler (tests; the app just exits)."""
    global _debug, _handler, _attached_to, _root_level, _app_level
    if _handler is not None and _attached_to is not None:
        _attached_to.removeHandler(_handler)
        _handler.close()
    if _root_level is not None:
        logging.getLogger().setLevel(_root_level)
    if _app_level is not None:
        logging.getLogger("desktop").setLevel(_app_level)
    _debug, _handler, _attached_to, _root_level, _app_level = False, None, None, None, None


def log_exception(
    exc_type: type[BaseException],
    exc: BaseException,
    tb: TracebackType | None,
    *,
    where: str,
) -> None:
    """Log an unexpected error: its type and the place of each frame (file,
    line, function). Its message often quotes the user's material, so it is
    written as a private value."""
    frames = traceback.extract_tb(tb)
    stack = " < ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(frames))
    logging.getLogger("desktop").error(
        "unexpected error in %s: %s (%s) at %s",
        where,
        exc_type.__name__,
        private(exc),
        stack or "(no traceback)",
    )
