"""What the fuzzer found in the readers, one small test each, so that each
fix stays (tests/benchmarks/results/fuzz.json lists them)."""

from __future__ import annotations

import io
import logging
import zipfile

import pytest

from desktop.core.ingest import IngestError
from desktop.core.ingest.readers import read_bytes
from tests.core import fuzz_targets as fz


def _pdf(content: bytes) -> bytes:
    """A one-page PDF whose page draws ``content`` (uncompressed)."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def _docx_with(part: str, data: bytes) -> bytes:
    """The sample Word file with one part replaced."""
    sample = fz.sample_path("docx").read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(sample)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info.filename, data if info.filename == part else src.read(info))
    return out.getvalue()


def test_a_control_character_in_a_saved_page_does_not_refuse_it() -> None:
    # lxml parsed the page, then refused to set the text around the \x1a.
    # The \x1a follows a script, which is dropped before the text is taken.
    page = (
        b"<html><head><title>Raid</title></head><body><p>"
        + b"Police in Kupwara said two men linked to Jaish-e-Mohammed were arrested. " * 3
        + b"</p><script>x</script>\x1a<p>More.</p></body></html>"
    )
    article = read_bytes(page, "page.html", "html")
    assert "\x1a" not in article.body
    assert "Jaish-e-Mohammed" in article.body
    assert article.original == page


def test_a_damaged_pdf_content_stream_is_named_as_damage() -> None:
    assert (
        "Jaish-e-Mohammed"
        in read_bytes(
            _pdf(b"BT /F1 12 Tf 72 720 Td (Police said Jaish-e-Mohammed men were held) Tj ET"),
            "good.pdf",
            "pdf",
        ).body
    )
    with pytest.raises(IngestError, match=r"bad\.pdf: damaged PDF \(page 1: "):
        read_bytes(_pdf(b"BT /F1 12 Tf 72 720 Td <zz12> Tj ET"), "bad.pdf", "pdf")


def test_pypdf_repair_messages_stay_off_the_terminal(caplog: pytest.LogCaptureFixture) -> None:
    data = fz.sample_path("pdf").read_bytes()
    broken = data[:200] + data[260:]
    with caplog.at_level(logging.WARNING), pytest.raises(IngestError):
        read_bytes(broken[:-400] + b"\n%%EOF\n", "cut.pdf", "pdf")
    assert not [r for r in caplog.records if r.name.startswith("pypdf")]


def test_a_word_part_that_is_not_xml_is_named_as_damage() -> None:
    with pytest.raises(IngestError, match=r"w\.docx: damaged Word \.docx file \(a part is not"):
        read_bytes(_docx_with("word/document.xml", b"not xml at all"), "w.docx", "docx")


def test_a_word_package_with_the_wrong_relationships_is_named_as_damage() -> None:
    rels = b'<?xml version="1.0"?><Other xmlns="urn:x"><Relationship Id="r"/></Other>'
    with pytest.raises(IngestError, match=r"w\.docx: damaged or not a Word \.docx file"):
        read_bytes(_docx_with("_rels/.rels", rels), "w.docx", "docx")


def test_an_e_mail_with_a_malformed_address_header_is_read() -> None:
    # The standard library's address parser fails on a group where a mailbox
    # should be; the message is still an article.
    message = (
        b"From: Desk <desk@example.org>\nTo: a: b, c; d\nSubject: Raid in Kupwara\n\n"
        b"Police in Kupwara said two men linked to Jaish-e-Mohammed were arrested.\n"
    )
    article = read_bytes(message, "m.eml", "eml")
    assert article.title == "Raid in Kupwara"
    assert "a: b, c; d" in str(article.extra["email_to"])
