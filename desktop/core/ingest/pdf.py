"""PDF files: the text layer, read with pypdf.

Scanned PDFs have no text layer and are refused ("no text layer, OCR is not
supported"): recognising text from images needs models we do not ship.
Password-protected PDFs are refused unless they open with the empty password
(many "protected" PDFs only restrict printing). A file without its end-of-file
marker is refused as truncated rather than imported half.

The text layer is laid out in lines; they are joined back into paragraphs
(a line ends a paragraph when it is clearly shorter than the page's full lines),
words hyphenated at a line end are rejoined, and running headers, footers and
page numbers (lines repeated on most pages) are removed.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from io import BytesIO

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError, PyPdfError

from desktop.core.ingest import IngestError, RawArticle
from desktop.core.ingest.metadata import parse_date
from desktop.core.ingest.text import finish

# pypdf logs every repair it makes to a damaged file ("Object 17 0 not
# defined.", "Advanced encoding ... not implemented yet") at WARNING and ERROR,
# which would reach the terminal of a CLI import; the file is reported by our
# own message when it cannot be read.
logging.getLogger("pypdf").setLevel(logging.CRITICAL)

_PAGE_NUMBER = re.compile(
    r"^(?:page\s*)?[-–(]?\s*\d{1,4}\s*[-–)]?(?:\s*(?:of|/)\s*\d{1,4})?$", re.I
)
_JUNK_TITLES = re.compile(
    r"^(?:untitled|microsoft word - .*|document\d*|\S+\.(?:docx?|pdf|html?))$", re.I
)
_SENTENCE_END = tuple(".!?…:;\"”’')»]۔؟।")


def _open(data: bytes, name: str) -> PdfReader:
    if not data.lstrip()[:5].startswith(b"%PDF-"):
        raise IngestError(f"{name}: not a PDF file (no %PDF header)")
    if b"%%EOF" not in data[-2048:]:
        raise IngestError(
            f"{name}: the PDF is truncated (no end-of-file marker); "
            "it may not have finished downloading"
        )
    try:
        reader = PdfReader(BytesIO(data), strict=False)
    except PyPdfError as exc:
        raise IngestError(f"{name}: damaged PDF ({exc})") from exc
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except (DependencyError, NotImplementedError, PdfReadError) as exc:
            raise IngestError(
                f"{name}: encrypted PDF, with a method that cannot be read here ({exc})"
            ) from exc
        if not opened:
            raise IngestError(
                f"{name}: encrypted PDF (password protected); "
                "open it, remove the password and import it again"
            )
    return reader


def _paragraphs(lines: list[str]) -> list[str]:
    """Re-join the laid-out lines of one page into paragraphs."""
    lengths = sorted(len(line) for line in lines if line.strip())
    if not lengths:
        return []
    full = lengths[int(len(lengths) * 0.9)] if len(lengths) > 3 else max(lengths)
    paragraphs: list[str] = []
    current = ""
    for line in lines:
        line = line.strip()
        if not line:
            if current:
                paragraphs.append(current)
            current = ""
            continue
        if current:
            if current.endswith("-") and len(current) > 1 and current[-2].isalpha():
                # "investi-" + "gation": rejoin; "Jaish-e-" + "Mohammed": keep the hyphen.
                word = re.search(r"(\w+)-$", current)
                if line[:1].islower() and word and len(word.group(1)) >= 3:
                    current = current[:-1] + line
                else:
                    current += line
            else:
                current += " " + line
        else:
            current = line
        if len(line) < 0.75 * full or (line.endswith(_SENTENCE_END) and len(line) < 0.9 * full):
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return paragraphs


def read_pdf(data: bytes, name: str, fmt: str = "pdf") -> RawArticle:
    reader = _open(data, name)
    pages: list[list[str]] = []
    try:
        for page in reader.pages:
            pages.append((page.extract_text() or "").split("\n"))
    except FileNotDecryptedError as exc:
        raise IngestError(f"{name}: encrypted PDF (password protected)") from exc
    except PyPdfError as exc:
        raise IngestError(f"{name}: damaged PDF (page {len(pages) + 1}: {exc})") from exc
    except NotImplementedError as exc:
        # pypdf's word for a compression filter or encoding it does not know.
        raise IngestError(
            f"{name}: page {len(pages) + 1} uses a PDF feature that cannot be read ({exc})"
        ) from exc
    if sum(len(line.split()) for page in pages for line in page) < 5:
        raise IngestError(f"{name}: the PDF has no text layer, OCR is not supported")
    # Running headers and footers: the same line on most pages (digits ignored,
    # so "Page 3" and "Page 4" count as one).
    repeated: set[str] = set()
    if len(pages) >= 3:
        seen = Counter(
            key for page in pages for key in {re.sub(r"\d+", "#", ln.strip()) for ln in page}
        )
        repeated = {k for k, c in seen.items() if k and c >= 0.6 * len(pages)}
    paragraphs: list[str] = []
    for page in pages:
        kept = [
            ln
            for ln in page
            if not _PAGE_NUMBER.match(ln.strip())
            and re.sub(r"\d+", "#", ln.strip()) not in repeated
        ]
        paragraphs.extend(_paragraphs(kept))
    meta = reader.metadata or {}
    title = str(meta.get("/Title", "") or "").strip()
    if _JUNK_TITLES.match(title):
        title = ""
    extra: dict[str, object] = {"pages": len(pages)}
    for key, label in (
        ("/Subject", "subject"),
        ("/Keywords", "keywords"),
        ("/Creator", "creator"),
        ("/Producer", "producer"),
    ):
        if meta.get(key):
            extra[label] = str(meta[key])
    created = parse_date(str(meta.get("/CreationDate", "") or ""))
    if created:
        # When the PDF was made (often when a page was printed), not when the
        # article was published; kept apart so it is not mistaken for the latter.
        extra["pdf_created"] = created.isoformat()
    return finish(
        "\n\n".join(paragraphs),
        original=data,
        fmt=fmt,
        name=name,
        title=title,
        author=str(meta.get("/Author", "") or ""),
        extra=extra,
    )
