"""Which reader reads which file, the size limit, and one error type for all.

:func:`read_file` and :func:`read_bytes` never let a parser's own exception
escape: whatever goes wrong inside a third-party parser on a hostile or broken
file comes out as an :class:`IngestError` naming the file, so that a batch
import reports it and goes on.
"""

from __future__ import annotations

from pathlib import Path

from desktop.core import live
from desktop.core.ingest import (
    MAX_FILE_BYTES,
    IngestError,
    RawArticle,
    TooLargeError,
    UnsupportedFormatError,
)
from desktop.core.ingest.html import read_html
from desktop.core.ingest.mail import read_eml
from desktop.core.ingest.pdf import read_pdf
from desktop.core.ingest.text import read_pasted, read_text
from desktop.core.ingest.word import read_docx

FORMATS: dict[str, str] = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".pdf": "pdf",
    ".docx": "docx",
    ".eml": "eml",
}
# An e-mail attached to an e-mail attached to...: a few levels are real, more is
# a crafted file.
_MAX_DEPTH = 3


def format_for(path: str | Path) -> str | None:
    """The reader format for a file name, or None if we cannot read it."""
    return FORMATS.get(Path(str(path)).suffix.lower())


def _size_text(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"


def _check_size(size: int, name: str) -> None:
    if size > MAX_FILE_BYTES:
        raise TooLargeError(
            f"{name}: the file is too large ({_size_text(size)}; "
            f"the limit is {_size_text(MAX_FILE_BYTES)})"
        )


def read_bytes(data: bytes, name: str, fmt: str, *, _depth: int = 0) -> RawArticle:
    """Read ``data`` (named ``name`` in messages) with the reader for ``fmt``."""
    _check_size(len(data), name)
    if not data.strip():
        raise IngestError(f"{name}: the file is empty")
    try:
        if fmt in ("txt", "md"):
            return read_text(data, name, fmt)
        if fmt == "html":
            return read_html(data, name, fmt)
        if fmt == "pdf":
            return read_pdf(data, name, fmt)
        if fmt == "docx":
            return read_docx(data, name, fmt)
        if fmt == "eml":
            if _depth >= _MAX_DEPTH:
                raise IngestError(f"{name}: e-mails nested more than {_MAX_DEPTH} deep")
            return read_eml(
                data,
                name,
                fmt,
                read_attachment=lambda d, n, f: read_bytes(d, n, f, _depth=_depth + 1),
                attachment_format=format_for,
            )
    except IngestError:
        raise
    except RecursionError as exc:
        raise IngestError(f"{name}: the {fmt} file is nested too deeply to read") from exc
    except Exception as exc:
        # A parser's own failure on a broken file (pypdf, lxml, zipfile raise
        # many kinds); the file is reported, the import goes on.
        raise IngestError(
            f"{name}: cannot read this {fmt} file ({type(exc).__name__}: {exc})"
        ) from exc
    raise UnsupportedFormatError(f"{name}: unsupported format {fmt!r}")


def read_file(path: str | Path) -> RawArticle:
    """Read one file, refusing it before reading if it is above the size limit."""
    data, fmt = load_file(path)
    return read_bytes(data, str(path), fmt)


def load_file(path: str | Path) -> tuple[bytes, str]:
    """The bytes of a file we can read and its reader format, without parsing
    them; refused before reading if the type is unknown or the file too large."""
    path = Path(path)
    name = str(path)
    fmt = format_for(path)
    if fmt is None:
        supported = ", ".join(sorted(FORMATS))
        raise UnsupportedFormatError(
            f"{name}: unsupported file type {path.suffix or '(no extension)'!r} "
            f"(supported: {supported})"
        )
    refused = live.refusal(path, "be imported")
    if refused is not None:
        raise IngestError(refused)
    try:
        _check_size(path.stat().st_size, name)
        with path.open("rb") as fh:
            # One byte over the limit is enough to know: a file that grew since
            # stat() is refused without reading it whole.
            data = fh.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError as exc:
        raise IngestError(
            f"{name}: the file is gone (moved or deleted during the import?)"
        ) from exc
    except IsADirectoryError as exc:
        raise IngestError(f"{name}: is a folder, not a file") from exc
    except PermissionError as exc:
        raise IngestError(f"{name}: permission denied") from exc
    except OSError as exc:
        raise IngestError(f"{name}: cannot read the file ({exc.strerror or exc})") from exc
    return data, fmt


__all__ = ["FORMATS", "format_for", "load_file", "read_bytes", "read_file", "read_pasted"]
