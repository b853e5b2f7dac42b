"""Readers that turn a file (or pasted text) into a :class:`RawArticle`.

Each reader takes the original bytes and returns clean text plus whatever
metadata the format carries; storing is the job of ``services.ingest``.
``desktop.core.ingest.readers`` picks the reader for a file and enforces the size
limit; the readers themselves live in one module per format.

Every problem with an input is raised as an :class:`IngestError` whose message
names the file and what is wrong with it, so a batch import can report it and
go on with the next file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from desktop.core.errors import DossierDeskError

# Files larger than this are refused before they are read. A long news article
# with pictures rarely reaches 5 MB even as a PDF; 50 MB leaves room for
# magazine-style PDFs and saved pages with inlined images, and keeps one import
# from holding several hundred megabytes of parsed document in memory.
MAX_FILE_BYTES = 50 * 1024 * 1024


class IngestError(DossierDeskError):
    """A source cannot be imported; the message names it and says why."""


class UnsupportedFormatError(IngestError):
    """No reader for this kind of file."""


class TooLargeError(IngestError):
    """The file is above :data:`MAX_FILE_BYTES`."""


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
    # Readable files carried inside this one (e-mail attachments); each is stored
    # as an article of its own, with its own original bytes and hash.
    attachments: list[RawArticle] = field(default_factory=list)
