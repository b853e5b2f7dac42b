"""HTML, Markdown, JSON and GraphML exports."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from desktop.core.dossier import REDACTED, Options, assemble
from desktop.core.services import dossiers as ds
from desktop.report.html import dossier_html
from desktop.report.text_formats import dossier_graphml, dossier_json, dossier_markdown, md


@pytest.fixture
def data(store, library):  # type: ignore[no-untyped-def]
    d = ds.create_dossier(store, "JeM <draft> & co", marking="SECRET")
    ds.add_heading(store, d.id, "People")
    ds.add_entity(store, d.id, library.entities["azhar"])
    ds.add_entity(store, d.id, library.entities["tehreek"])
    ds.add_excerpt(store, d.id, library.articles[1], 0, 56)
    ds.add_note(store, d.id, "<script>alert(1)</script>")
    return assemble(store, d.id)


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        self.tags.append(tag)

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        self.text.append(data)


def test_html_escapes_every_user_string(data):
    html = dossier_html(data)
    parser = _Collect()
    parser.feed(html)
    assert "script" not in parser.tags
    assert "tehreek" not in parser.tags
    assert "draft" not in parser.tags
    text = "".join(parser.text)
    assert "<script>alert(1)</script>" in text
    assert "<Tehreek> & Sons" in text
    assert "JeM <draft> & co" in text
    assert "مسعود اظہر" in text
    assert "<svg" in html  # the co-mention figure, inline
    assert "http" not in html.split("<body>")[0].replace("http-equiv", "")  # nothing fetched


def test_markdown_keeps_markup_literal(data):
    text = dossier_markdown(data)
    assert r"\<Tehreek\> \& Sons" in text
    assert r"\<script\>alert\(1\)\</script\>" in text
    assert "**Masood Azhar**" in text  # the highlighted surface form
    assert "## Sources" in text
    assert md("a_b*c") == r"a\_b\*c"


def test_json_shape(data):
    doc = json.loads(dossier_json(data))
    assert doc["format"] == "dossier-desk/dossier"
    assert doc["version"] == 1
    kinds = [s["kind"] for s in doc["sections"]]
    assert kinds == ["heading", "entity", "entity", "excerpt", "note"]
    entity = doc["sections"][1]
    assert set(entity) >= {
        "entity_id",
        "name",
        "type",
        "aliases",
        "relations",
        "timeline",
        "mentions",
        "co_mentions",
        "description",
        "notes",
    }
    m = entity["mentions"][0]
    assert m["context"][m["start"] : m["end"]] == m["surface"]
    assert {s["citation"] for s in doc["sources"]} == {1, 2, 3}


def test_graphml_for_gephi(data):
    tree = ET.fromstring(dossier_graphml(data))
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    nodes = tree.findall(".//g:node", ns)
    edges = tree.findall(".//g:edge", ns)
    labels = {n.find("g:data[@key='label']", ns).text for n in nodes}
    assert {"Masood Azhar", "<Tehreek> & Sons", "Jaish-e-Mohammed"} <= labels
    assert edges
    ids = {n.get("id") for n in nodes}
    assert all(e.get("source") in ids and e.get("target") in ids for e in edges)


def test_redaction_reaches_every_format(store, library):
    d = ds.create_dossier(store, "D")
    ds.add_entity(store, d.id, library.entities["azhar"])
    data = assemble(store, d.id, Options(redact=("Bahawalpur", "مسعود أزهر")))
    for render in (dossier_html, dossier_markdown, dossier_json, dossier_graphml):
        out = render(data)
        assert "Bahawalpur" not in out
        assert "مسعود أزهر" not in out
    assert REDACTED in dossier_html(data)


def test_html_and_markdown_name_no_internal_ids(data):  # type: ignore[no-untyped-def]
    import re

    for text in (dossier_html(data), dossier_markdown(data)):
        # Anchors such as #source-1 and the CSS colours are markup.
        visible = re.sub(r"<[^>]+>", " ", re.sub(r"<style>.*?</style>", "", text, flags=re.S))
        assert not re.search(r"#\s?\d", visible)
        assert "undated" not in visible
        assert "Excerpt from “Pulwama attack: what we know”" in visible
        assert "Analyst's note" in visible
        assert "1 article" in visible
        assert "1 articles" not in visible
