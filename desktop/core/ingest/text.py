"""Plain text and Markdown."""

from __future__ import annotations

import unicodedata

from desktop.core.errors import DossierDeskError
from desktop.core.ingest import RawArticle


class UnreadableError(DossierDeskError):
    pass


def decode(data: bytes, name: str) -> str:
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        return unicodedata.normalize("NFC", text)
    raise UnreadableError(f"{name}: not valid UTF-8 or UTF-16 text")


def read_text(data: bytes, name: str, fmt: str = "txt") -> RawArticle:
    text = decode(data, name).replace("\r\n", "\n").strip()
    if not text:
        raise UnreadableError(f"{name}: the file is empty")
    lines = text.split("\n")
    title = lines[0].lstrip("# ").strip() if fmt == "md" or len(lines) > 1 else ""
    body = "\n".join(lines[1:]).strip() if title else text
    return RawArticle(body=body, original=data, format=fmt, title=title, source_path=name)
