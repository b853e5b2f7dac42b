"""Readers that turn a file (or pasted text) into a :class:`RawArticle`.

Each reader takes the original bytes and returns clean text plus whatever
metadata the format carries; storing is the job of ``services.ingest``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class RawArticle:
    """What a reader found in one source, before it is stored."""

    body: str
    original: bytes
    format: str
    title: str = ""
    publication: str = ""
    author: str = ""
    published: dt.date | None = None
    url: str = ""
    source_path: str = ""
    language: str = ""
    extra: dict[str, object] = field(default_factory=dict)
