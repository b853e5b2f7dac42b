"""Issue 19, finding 6: names holding control characters. They are cleaned
at every entry point; every export stays valid for its format (checked by
real parsers: expat and libxml2 for XML, json, csv, libxml2's HTML parser);
the terminal shows escapes as text."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

from desktop.cli import run
from desktop.core.safe_text import clean_name, document_text, visible
from desktop.core.store import open_store

HOSTILE = 'Evil\x07 <b>Azhar</b> & "Sons"\x1b[31m\x00\x85\nRed'
CLEAN = 'Evil <b>Azhar</b> & "Sons"[31m Red'
RAW_CONTROLS = [chr(c) for c in (*range(0x20), 0x7F, *range(0x80, 0xA0)) if chr(c) not in "\n\t"]


def test_clean_name_drops_controls_and_folds_breaks() -> None:
    assert clean_name(HOSTILE) == CLEAN
    assert clean_name("  Masood\tAzhar \r\n") == "Masood Azhar"
    # Bidi and joiners are the name's own (Urdu needs ZWNJ); renderers close bidi.
    assert clean_name("مسعود\u200cاظہر\u202e") == "مسعود\u200cاظہر\u202e"
    assert visible("a\x1b[31mb\u202ec\x85\nd") == "a\\x1b[31mb\\u202ec\\u0085\nd"
    assert document_text("a\x07\tb\ufffe") == "a\\x07\tb\\ufffe"


def _db(tmp_path: Path) -> list[str]:
    db = tmp_path / "library.sqlite"
    open_store(db).close()
    return ["--db", str(db)]


def _entities(db: list[str], capsys) -> list[dict]:  # type: ignore[no-untyped-def]
    capsys.readouterr()
    assert run([*db, "entities", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_every_entry_point_cleans_control_characters(tmp_path: Path, capsys) -> None:
    db = _db(tmp_path)
    ref = tmp_path / "ref.csv"
    with ref.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["name", "type", "aliases"])
        w.writerow([HOSTILE, "ORG", "JeM\x1b[2J; Jaish\x00"])
        w.writerow(["Hafiz Saeed", "PER", ""])
    ftm = tmp_path / "ref.jsonl"
    ftm.write_text(
        json.dumps({"schema": "Person", "properties": {"name": ["Masood\x07 Azhar\x9b"]}}) + "\n",
        encoding="utf-8",
    )
    assert run([*db, "import-entities", str(ref)]) == 0
    assert run([*db, "import-entities", str(ftm)]) == 0
    assert run([*db, "merge", "2", "3", "--name", "Hafiz\x1b]0;owned\x07 Saeed"]) == 0
    article = tmp_path / "report.md"
    article.write_text("# Convoy\x1b[5m attack\x07\n\nHafiz Saeed spoke in Lahore.\n")
    capsys.readouterr()
    assert run([*db, "import", str(article)]) == 0
    names = {e["name"] for e in _entities(db, capsys)}
    assert CLEAN in names
    assert "Hafiz]0;owned Saeed" in names
    conn = sqlite3.connect(db[1])
    try:
        stored = [
            r[0] for r in conn.execute("SELECT name FROM entity UNION ALL SELECT name FROM alias")
        ]
        stored += [r[0] for r in conn.execute("SELECT title FROM article")]
    finally:
        conn.close()
    bad = [s for s in stored if any(c in s for c in RAW_CONTROLS)]
    assert bad == []
    assert any("Convoy" in s for s in stored)


def _dirty_library(tmp_path: Path) -> list[str]:
    """Names written by an older version, controls and a bidi override included."""
    db = _db(tmp_path)
    conn = sqlite3.connect(db[1])
    now = "2026-12-01 00:00:00.000000"
    for name, typ in ((HOSTILE, "ORG"), ("Masood\u202eAzhar\x1b[2J", "PER")):
        conn.execute(
            "INSERT INTO entity (name, type, description, notes, properties, created_at, "
            "updated_at) VALUES (?, ?, '', '', '{}', ?, ?)",
            (name, typ, now, now),
        )
    conn.commit()
    conn.close()
    return db


def test_terminal_output_shows_escapes_as_text(tmp_path: Path, capsys) -> None:
    db = _dirty_library(tmp_path)
    capsys.readouterr()
    assert run([*db, "entities"]) == 0
    out = capsys.readouterr().out
    # Before: the escape sequences went raw to the terminal.
    assert not any(c in out for c in RAW_CONTROLS)
    assert "\u202e" not in out
    assert "\\x1b[31m" in out
    assert "Masood\\u202eAzhar\\x1b[2J" in out
    assert run([*db, "entities", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["name"] for r in rows} == {HOSTILE, "Masood\u202eAzhar\x1b[2J"}


@pytest.mark.parametrize("dirty", [False, True], ids=["cleaned", "older-data"])
def test_every_export_is_valid_for_its_parser(tmp_path: Path, capsys, dirty: bool) -> None:
    if dirty:
        db = _dirty_library(tmp_path)
    else:
        db = _db(tmp_path)
        ref = tmp_path / "ref.csv"
        with ref.open("w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows([["name", "type"], [HOSTILE, "ORG"]])
        assert run([*db, "import-entities", str(ref)]) == 0
    out = tmp_path / "out"
    out.mkdir()
    args = [
        "export-entity", "1", "--graphml", str(out / "e.graphml"), "--html", str(out / "e.html"),
        "--md", str(out / "e.md"), "--json", str(out / "e.json"),
    ]  # fmt: skip
    assert run([*db, *args]) == 0, capsys.readouterr().err
    assert run([*db, "export-entities", str(out / "all.csv")]) == 0
    assert run([*db, "export-entities", str(out / "all.jsonl")]) == 0

    # GraphML: well-formed for expat and for libxml2 (before: not well-formed, exit 0).
    graph = (out / "e.graphml").read_bytes()
    ET.fromstring(graph)
    tree = etree.fromstring(graph)
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    labels = tree.xpath("//g:node/g:data[@key='label']/text()", namespaces=ns)
    want = document_text(HOSTILE) if dirty else CLEAN
    assert want in labels

    data = json.loads((out / "e.json").read_text(encoding="utf-8"))
    assert data["title"] == (HOSTILE if dirty else CLEAN)

    rows = list(csv.reader(io.StringIO((out / "all.csv").read_text(encoding="utf-8"))))
    assert rows[0] == ["name", "type", "aliases"]
    assert (HOSTILE if dirty else CLEAN) in [r[0] for r in rows[1:]]
    # splitlines(), as many tools do, also cuts at NEL and U+2028.
    lines = (out / "all.jsonl").read_text(encoding="utf-8").splitlines()
    names = [json.loads(line)["properties"]["name"][0] for line in lines]
    assert (HOSTILE if dirty else CLEAN) in names

    page = (out / "e.html").read_text(encoding="utf-8")
    assert not any(c in page for c in RAW_CONTROLS)
    doc = lxml_html.document_fromstring(page)
    assert doc.xpath("//b[text()='Azhar']") == [], "markup in a name is text, never a tag"
    assert want in doc.text_content()

    md = (out / "e.md").read_text(encoding="utf-8")
    assert not any(c in md for c in RAW_CONTROLS)
    assert "\\<b\\>Azhar\\</b\\>" in md
