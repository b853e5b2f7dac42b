"""Word files (.docx) with python-docx: paragraphs and tables in document order;
title, author and keywords from the core properties. (Old binary ``.doc`` files
are not read: save them as .docx.)

The document's created/modified times describe the file, not the article, so
they go to ``extra`` and the publication date comes from the text.
"""

from __future__ import annotations

import zipfile
import zlib
from io import BytesIO

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from lxml import etree

from desktop.core.ingest import IngestError, RawArticle
from desktop.core.ingest.text import finish

_MAX_UNPACKED = 500 * 1024 * 1024
# Values that python-docx's and Word's templates put in new files.
_PLACEHOLDER_AUTHORS = {
    "python-docx",
    "author",
    "user",
    "admin",
    "administrator",
    "microsoft office user",
}


def read_docx(data: bytes, name: str, fmt: str = "docx") -> RawArticle:
    try:
        return _read(data, name, fmt)
    except etree.XMLSyntaxError as exc:
        raise IngestError(
            f"{name}: damaged Word .docx file (a part is not valid XML: {exc})"
        ) from exc
    except (zlib.error, zipfile.BadZipFile, EOFError) as exc:
        raise IngestError(
            f"{name}: damaged Word .docx file (a compressed part is corrupt: {exc})"
        ) from exc


def _read(data: bytes, name: str, fmt: str) -> RawArticle:
    if not data.startswith(b"PK"):
        raise IngestError(
            f"{name}: not a .docx file (old Word .doc files are not supported; save as .docx)"
        )
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise IngestError(f"{name}: damaged or not a Word .docx file ({exc})") from exc
    if unpacked > _MAX_UNPACKED:
        # A few hundred kilobytes that unpack to gigabytes: a zip bomb.
        raise IngestError(
            f"{name}: the .docx unpacks to {unpacked / 1048576:.0f} MB, "
            f"more than the {_MAX_UNPACKED // 1048576} MB a document can need"
        )
    try:
        document = docx.Document(BytesIO(data))
    # python-docx walks the package's XML expecting its schema; a part with the
    # wrong elements (a damaged or crafted .rels) surfaces as AttributeError.
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, AttributeError) as exc:
        raise IngestError(f"{name}: damaged or not a Word .docx file ({exc})") from exc
    lines: list[str] = []
    heading = ""
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells: list[str] = []
                for cell in row.cells:
                    # Merged cells repeat the same cell object across the row.
                    if cell.text.strip() and cell.text not in cells:
                        cells.append(cell.text)
                lines.extend(cells)
            lines.append("")
            continue
        text = block.text
        style = (block.style.name if block.style is not None else "") or ""
        if not heading and text.strip() and style in ("Title", "Heading 1"):
            heading = text.strip()
        lines.extend([text, ""])
    props = document.core_properties
    author = props.author or ""
    extra: dict[str, object] = {}
    for label, value in (
        ("subject", props.subject),
        ("keywords", props.keywords),
        ("docx_created", props.created.isoformat() if props.created else ""),
        ("docx_modified", props.modified.isoformat() if props.modified else ""),
    ):
        if value:
            extra[label] = value
    return finish(
        "\n".join(lines),
        original=data,
        fmt=fmt,
        name=name,
        title=(props.title or "").strip() or heading,
        author="" if author.strip().casefold() in _PLACEHOLDER_AUTHORS else author,
        language=(props.language or "").split("-")[0].lower(),
        extra=extra,
        # A Word file is a document someone wrote or saved on purpose; its
        # tables and closing lines are content, not page furniture.
        strip=False,
    )
