"""Makers of small input files for the import tests, written by the tests
themselves so that every byte is known."""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO

import pytest


def _pdf_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def pdf_bytes(pages: list[list[str]], info: dict[str, str] | None = None) -> bytes:
    """A minimal valid PDF: one Helvetica text line per entry, top to bottom.
    A page given as ``[]`` has a drawn rectangle and no text (like a scan)."""
    objects: list[bytes] = []
    n_pages = len(pages)
    page_ids = [4 + 2 * i for i in range(n_pages)]
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = " ".join(f"{pid} 0 R" for pid in page_ids)
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for i, lines in enumerate(pages):
        if lines:
            ops = ["BT", "/F1 11 Tf", "14 TL", "50 780 Td"]
            for line in lines:
                ops.append(f"({_pdf_string(line)}) Tj T*")
            ops.append("ET")
        else:
            ops = ["0.5 g", "50 50 500 700 re f"]
        stream = "\n".join(ops).encode("latin-1")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 842] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {page_ids[i] + 1} 0 R >>".encode()
        )
        objects.append(
            b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream"
        )
    info_id = None
    if info:
        fields = " ".join(f"/{k} ({_pdf_string(v)})" for k, v in info.items())
        objects.append(f"<< {fields} >>".encode("latin-1"))
        info_id = len(objects)
    out = BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for num, obj in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{num} 0 obj\n".encode() + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    trailer = f"<< /Size {len(objects) + 1} /Root 1 0 R"
    if info_id:
        trailer += f" /Info {info_id} 0 R"
    out.write(f"trailer\n{trailer} >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


ARTICLE_LINES = [
    "Court orders probe into Lashkar-e-Taiba funding",
    "LAHORE, March 3, 2024 - An anti-terrorism court on Sunday ordered police",
    "to investigate donations to Lashkar-e-Taiba (LeT) collected in Gujranwala.",
    "Hafiz Muhammad Saeed, the founder of the group, did not appear in court.",
    "Saeed is serving a prison sentence in earlier terror-financing cases.",
]


@pytest.fixture
def make_pdf() -> Callable[..., bytes]:
    return pdf_bytes


@pytest.fixture
def article_pdf() -> bytes:
    return pdf_bytes(
        [ARTICLE_LINES], {"Title": "Court orders probe into LeT funding", "Author": "Asad Ali"}
    )


@pytest.fixture
def make_docx() -> Callable[..., bytes]:
    def make(paragraphs: list[str], title: str = "", author: str = "") -> bytes:
        import docx

        document = docx.Document()
        for text in paragraphs:
            document.add_paragraph(text)
        document.core_properties.title = title
        document.core_properties.author = author
        buf = BytesIO()
        document.save(buf)
        return buf.getvalue()

    return make
