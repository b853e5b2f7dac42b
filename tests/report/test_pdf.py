"""The PDF: its text read back (every mention, citation, TOC page number),
redaction, right-to-left names, markup characters, metadata, bad paths."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pypdf
import pytest

from desktop.core import models as m
from desktop.core.dossier import REDACTED, ExportError, Options, assemble, entity_dossier
from desktop.core.services import dossiers as ds

pytest.importorskip("PySide6.QtGui")  # the core-only run blocks Qt
from desktop.report.pdf import write_pdf

from .conftest import normalise, pdf_pages, squeeze  # type: ignore[import-not-found]

# Renders with Qt.
pytestmark = pytest.mark.gui


@pytest.fixture
def dossier_id(store, library):  # type: ignore[no-untyped-def]
    d = ds.create_dossier(
        store,
        "JeM <draft> & co",
        subtitle="Network of Jaish-e-Mohammed",
        author="Desk <analyst> & Co",
        marking="CONFIDENTIAL",
    )
    ds.add_heading(store, d.id, "People")
    for key in ("azhar", "ilyas", "tehreek"):
        ds.add_entity(store, d.id, library.entities[key])
    ds.add_heading(store, d.id, "Groups")
    ds.add_entity(store, d.id, library.entities["jem"])
    ds.add_excerpt(store, d.id, library.articles[1], 0, 56)
    ds.add_article(store, d.id, library.articles[0])
    ds.add_note(store, d.id, "Unverified: <b>not bold</b> & more")
    return d.id


def test_every_mention_citation_and_source_is_in_the_text(store, dossier_id, tmp_path):
    data = assemble(store, dossier_id)
    out = tmp_path / "d.pdf"
    result = write_pdf(data, out)
    pages = pdf_pages(out)
    assert len(pages) == result.pages
    text = " ".join(pages)
    flat = squeeze(text)
    for section in data.entity_sections():
        assert normalise(section.name) in text
        for c in section.mentions:
            assert squeeze(c.context) in flat, c.context
            assert f"[{c.citation}]" in text
    for src in data.sources:
        assert f"[{src.citation}] {normalise(src.title)}" in text
        assert src.sha256 in text
    assert "“A suicide bomber rammed a car into a convoy in Pulwama.”" in text
    # Markup characters are literal text, never interpreted.
    assert "JeM <draft> & co" in text
    assert "<Tehreek> & Sons" in text
    assert "Unverified: <b>not bold</b> & more" in text
    # Right-to-left names are real, extractable text.
    assert "مسعود اظہر" in text
    assert "مسعود أزهر" in text


def test_toc_page_numbers_point_at_the_headings(store, dossier_id, tmp_path):
    out = tmp_path / "d.pdf"
    result = write_pdf(assemble(store, dossier_id), out)
    pages = pdf_pages(out)
    titles = [t for t, _ in result.toc]
    assert titles == [
        "People",
        "Masood Azhar",
        "Masood Ilyas",
        "<Tehreek> & Sons",
        "Groups",
        "Jaish-e-Mohammed",
        "Excerpt from “Pulwama attack: what we know”",
        "Militant chief Masood Azhar named in UN listing",
        "Analyst's note",
        "Sources",
    ]
    toc_page = pages[1]
    assert toc_page.startswith("JeM <draft> & co CONFIDENTIAL Contents") or "Contents" in toc_page
    for title, page in result.toc:
        assert f"{title} {page}" in toc_page, (title, page)
        # The heading is on the page the contents promise, and not earlier.
        assert title in pages[page - 1]
    # Each entity starts on the page named, with its facts line just after it.
    for title, page in result.toc[1:4]:
        assert re.search(re.escape(title) + r" \w+ · \d+ mentions? in", pages[page - 1])


def test_headers_footers_and_metadata(store, dossier_id, tmp_path):
    out = tmp_path / "d.pdf"
    result = write_pdf(assemble(store, dossier_id), out, paper="Letter")
    pages = pdf_pages(out)
    for n, page in enumerate(pages, 1):
        assert "CONFIDENTIAL" in page
        assert re.search(rf"(^| ){n} ?/ ?{result.pages}( |$)", page), page[-20:]
    reader = pypdf.PdfReader(out)
    assert reader.metadata.title == "JeM <draft> & co"
    assert reader.metadata.author == "Desk <analyst> & Co"
    assert reader.metadata.creation_date is not None
    assert reader.xmp_metadata.dc_description["x-default"] == "Network of Jaish-e-Mohammed"
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    # Fonts are embedded (a FontFile2 stream in each font descriptor).
    fonts = []
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            for desc in font.get("/DescendantFonts", [font]):
                descriptor = desc.get_object().get("/FontDescriptor")
                if descriptor is not None:
                    fonts.append(descriptor.get_object())
    assert fonts
    assert all("/FontFile2" in f or "/FontFile3" in f or "/FontFile" in f for f in fonts)
    assert any("Naskh" in str(f["/FontName"]) for f in fonts)


def test_a4_is_the_default(store, dossier_id, tmp_path):
    out = tmp_path / "d.pdf"
    write_pdf(assemble(store, dossier_id), out)
    box = pypdf.PdfReader(out).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_redacted_text_is_absent_from_the_file(store, dossier_id, tmp_path):
    out = tmp_path / "d.pdf"
    opts = Options(redact=("مسعود اظہر", "Bahawalpur", "Masood Ilyas"), redact_notes=True)
    write_pdf(assemble(store, dossier_id, opts), out)
    text = " ".join(pdf_pages(out))
    assert "Bahawalpur" not in text
    assert "Masood Ilyas" not in text
    assert "مسعود اظہر" not in text
    assert "Unverified" not in text
    assert REDACTED in text
    # Nothing hides in the raw bytes either (metadata, uncompressed streams).
    raw = out.read_bytes()
    assert b"Bahawalpur" not in raw
    assert "Masood Ilyas".encode("utf-16-be") not in raw


def test_options_no_contexts(store, dossier_id, tmp_path):
    out = tmp_path / "d.pdf"
    write_pdf(assemble(store, dossier_id, Options(include_contexts=False)), out)
    text = " ".join(pdf_pages(out))
    assert "Mentions in context" not in text
    assert "Timeline" in text


def test_deleted_article_is_noted_in_the_pdf(store, dossier_id, library, tmp_path):
    with store.session() as s:
        s.delete(s.get(m.Article, library.articles[0]))
    out = tmp_path / "d.pdf"
    write_pdf(assemble(store, dossier_id), out)
    text = " ".join(pdf_pages(out))
    assert "Notes on this export" in text
    assert "“Militant chief Masood Azhar named in UN listing” was deleted from the library" in text


def test_unwritable_path_names_the_path(store, dossier_id, tmp_path):
    data = assemble(store, dossier_id)
    with pytest.raises(ExportError, match=re.escape(str(tmp_path / "nope" / "d.pdf"))):
        write_pdf(data, tmp_path / "nope" / "d.pdf")
    with pytest.raises(ExportError, match="is a folder"):
        write_pdf(data, tmp_path)
    if os.geteuid() != 0:  # root can write anywhere
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o500)
        with pytest.raises(ExportError, match="permission denied"):
            write_pdf(data, locked / "d.pdf")


def test_entity_pdf(store, library, tmp_path):
    out = tmp_path / "e.pdf"
    write_pdf(entity_dossier(store, library.entities["tehreek"]), out)
    text = " ".join(pdf_pages(out))
    assert "<Tehreek> & Sons" in text
    assert "Name as printed: <b>not bold</b>." in text
    assert Path(out).stat().st_size > 1000


def test_network_figure_sits_with_its_section(store, dossier_id, tmp_path):
    """The figure is drawn on the page where the layout made room for it:
    its labels share a page with the line that explains its links."""
    data = assemble(store, dossier_id)
    out = tmp_path / "d.pdf"
    write_pdf(data, out, paper="Letter")
    pages = pdf_pages(out)
    for section in data.entity_sections():
        if not section.co_mentions:
            continue
        top = section.co_mentions[0]
        below = "Lines join entities named in the same sentence or tied by a recorded "
        below += f"relation: {top.name} ("
        page = next(p for p in pages if below in p)
        # The figure is painted after the page's text, so its labels come
        # last in the page's text, but on the same page.
        assert top.name in page.split(below)[1]
        assert "Co-mentioned entities" in page


def test_no_hidden_text_under_the_page_headers(store, library, dossier_id, tmp_path):
    """A paragraph split by a page break leaves no clipped copy of its line
    under the next page's header: the header band holds the header alone."""
    import pypdfium2 as pdfium

    with store.session() as s:
        # Descriptions long enough that page breaks fall inside them.
        for key in ("azhar", "ilyas", "jem"):
            entity = s.get(m.Entity, library.entities[key])
            entity.description = " ".join(f"Sentence {i} of a long profile." for i in range(160))
    out = tmp_path / "d.pdf"
    result = write_pdf(assemble(store, dossier_id), out, paper="Letter")
    pdf = pdfium.PdfDocument(str(out))
    mm = 72 / 25.4
    split_seen = False
    try:
        for n in range(1, result.pages):  # the cover has no header
            page = pdf[n]
            width, height = page.get_size()
            textpage = page.get_textpage()
            band_top = height - 16 * mm
            band = textpage.get_text_bounded(0, band_top - 9 * mm, width, band_top)
            assert normalise(band).replace(" ", "") in (
                "JeM<draft>&coCONFIDENTIAL",
                "CONFIDENTIALJeM<draft>&co",
            ), (n, band)
            # Nor is anything hidden above the footer ("n / N", 14 mm margin,
            # footer 8 mm): the next page's first line stays on its page.
            footer = textpage.get_text_bounded(0, 0, width, 14 * mm + 8 * mm)
            assert normalise(footer).replace(" ", "") == f"{n + 1}/{result.pages}", (n, footer)
            split_seen = split_seen or "long profile" in textpage.get_text_range()[:60]
    finally:
        pdf.close()
    assert split_seen
