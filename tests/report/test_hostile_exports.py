"""Hostile names and text in every export: the HTML shows them as text (and
loads nothing from outside), the Markdown escapes them, the PDF prints them
as typed, and the PDF renderer never asks for an outside resource."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import html as lxml_html

from desktop.core.dossier import assemble
from desktop.report.html import dossier_html
from desktop.report.text_formats import dossier_markdown

from .conftest import normalise, pdf_pages  # type: ignore[import-not-found]

# Elements that make a browser fetch something, and their URL attributes.
_FETCHING = {
    "img": ("src", "srcset"),
    "script": ("src",),
    "link": ("href",),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "input": ("src",),
    "image": ("href",),
    "use": ("href",),
}
_REMOTE = re.compile(r"(?i)\b(?:https?:|ftp:|file:)?//")


def _visual(value: str) -> str:
    return re.sub("\u202e([^\u202c]*)\u202c?", lambda mt: mt.group(1)[::-1], value)


@pytest.fixture
def data(hostile_library):  # type: ignore[no-untyped-def]
    return assemble(hostile_library.store, hostile_library.dossier)


def _strings(hostile_library) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    import sys

    module = sys.modules["hostile_library"]
    return [(marker, part or s) for marker, s, part in module.NASTY]


def test_html_export_shows_names_as_text(data, hostile_library):
    page = dossier_html(data)
    tree = lxml_html.fromstring(page)
    text = " ".join(tree.text_content().split())
    for marker, literal in _strings(hostile_library):
        assert " ".join(literal.split()) in text, marker
    # None of the markup became elements.
    assert tree.xpath("//script") == []
    assert tree.xpath("//img") == []
    assert tree.xpath("//iframe | //object | //embed | //link | //video | //audio") == []
    assert tree.xpath("//*[@onerror or @onload or @onclick]") == []
    assert [el.text_content() for el in tree.xpath("//b") if "N5" in el.text_content()] == []


def test_html_export_loads_nothing_from_outside(data):
    page = dossier_html(data)
    tree = lxml_html.fromstring(page)
    for tag, attrs in _FETCHING.items():
        for el in tree.iter(tag):
            for attr in attrs:
                value = el.get(attr) or ""
                assert not _REMOTE.search(value), (tag, attr, value)
    for el in tree.iter("style"):
        assert "url(" not in (el.text or "")
        assert "@import" not in (el.text or "")
    for el in tree.xpath("//*[@style]"):
        assert "url(" not in el.get("style")
    # Links are citations inside the file (sources are named in plain text).
    for el in tree.iter("a"):
        href = el.get("href")
        assert href is None or href.startswith("#"), href
    # No attribute anywhere points outside (the SVG namespace is a name, not a fetch).
    for el in tree.iter():
        for attr, value in el.attrib.items():
            if attr != "xmlns":
                assert not _REMOTE.search(value), (el.tag, attr, value)


def test_source_url_is_text_not_a_fetch(data):
    page = dossier_html(data)
    tree = lxml_html.fromstring(page)
    assert "URL: http://192.0.2.1/page" in " ".join(tree.text_content().split())
    assert tree.xpath("//*[@href='http://192.0.2.1/page' or @src='http://192.0.2.1/page']") == []


def test_markdown_escapes_every_markup_character(data, hostile_library):
    md = dossier_markdown(data)
    # A Markdown renderer passes raw HTML through; every < and & is escaped.
    assert re.findall(r"(?<!\\)<", md) == []
    assert re.findall(r"(?<!\\)&", md) == []
    unescaped = re.sub(r"\\(.)", r"\1", md)
    for marker, literal in _strings(hostile_library):
        assert " ".join(literal.split()) in " ".join(unescaped.split()), marker


@pytest.mark.gui
def test_pdf_prints_names_as_typed_and_asks_for_nothing(
    data, hostile_library, tmp_path, monkeypatch
):
    from desktop.report import offline, pdf

    made: list[offline.OfflineTextDocument] = []
    real = pdf.OfflineTextDocument

    class Counting(real):  # type: ignore[misc,valid-type]
        def __init__(self, *args):  # type: ignore[no-untyped-def]
            super().__init__(*args)
            made.append(self)

    monkeypatch.setattr(pdf, "OfflineTextDocument", Counting)
    out = tmp_path / "hostile.pdf"
    pdf.write_pdf(data, out)
    assert made, "the PDF is laid out with the offline document"
    assert [u for d in made for u in d.refused] == []
    text = " ".join(pdf_pages(out))
    (tmp_path / "hostile.txt").write_text(text)
    for marker, literal in _strings(hostile_library):
        # A right-to-left override is honoured: the PDF shows (and PDFium
        # reads) the overridden run reversed, which is what the name says.
        assert normalise(literal) in text or normalise(_visual(literal)) in text, marker


@pytest.mark.gui
def test_pdf_document_refuses_remote_resources(tmp_path):
    """Markup that does reach the renderer (it never should: everything is
    escaped) still cannot fetch: the document refuses every outside URL."""
    from PySide6.QtGui import QPdfWriter

    from desktop.report import pdf

    pdf.ensure_gui()
    writer = QPdfWriter(str(tmp_path / "x.pdf"))
    doc = pdf._document(
        '<html><head><link rel="stylesheet" href="http://192.0.2.1/s.css"></head><body>'
        '<p>text <img src="http://192.0.2.1/a.png"> <img src="file:///etc/hostname"></p>'
        "</body></html>",
        writer,
        400,
        600,
    )
    doc.pageCount()  # forces layout, which asks for the images
    assert {"http://192.0.2.1/a.png", "file:///etc/hostname"} <= set(doc.refused)
    del writer


def test_written_files_stay_in_place(tmp_path: Path, data):
    from desktop.report.files import export_path, write_bytes

    folder = tmp_path / "exports"
    folder.mkdir()
    target = export_path(folder, data.title, ".html")
    write_bytes(target, dossier_html(data).encode())
    assert [p.name for p in folder.iterdir()] == [target.name]
    assert target.name == "_img src=http___192.0.2.1_N2.png onerror=alert(1)_.html"


@pytest.mark.parametrize(
    ("value", "closed"),
    [
        ("\u202eevil", "\u202eevil\u202c"),
        ("\u202eok\u202c", "\u202eok\u202c"),
        ("\u2067a\u202bb", "\u2067a\u202bb\u202c\u2069"),
        ("\u202c\u2069stray closers", "\u202c\u2069stray closers"),
        ("plain", "plain"),
    ],
)
def test_names_cannot_reverse_the_text_after_them(value, closed):
    from desktop.report.html import close_bidi, text
    from desktop.report.text_formats import md

    assert close_bidi(value) == closed
    assert text(value) == closed
    assert md(value) == closed
