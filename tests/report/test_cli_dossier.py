"""The dossier verbs, end to end through ``desktop.cli.run``."""

from __future__ import annotations

import json

import pypdf
import pytest

from desktop.cli import run

# Renders with Qt.
pytestmark = pytest.mark.gui


def _run(db, *args):  # type: ignore[no-untyped-def]
    return run(["--db", str(db), *args])


def test_create_add_list_export(store, library, db_path, tmp_path, capsys):
    assert (
        _run(
            db_path,
            "dossier",
            "create",
            "JeM <x> & y",
            "--marking",
            "SECRET",
            "--author",
            "Desk",
            "--json",
        )
        == 0
    )
    created = json.loads(capsys.readouterr().out)
    did = str(created["id"])
    assert created["marking"] == "SECRET"
    assert _run(db_path, "dossier", "add", did, "heading", "People") == 0
    assert _run(db_path, "dossier", "add", did, "entity", str(library.entities["azhar"])) == 0
    assert _run(db_path, "dossier", "add", "jem <x> & y", "article", str(library.articles[0])) == 0
    assert _run(db_path, "dossier", "add", did, "excerpt", str(library.articles[1]), "0", "56") == 0
    assert _run(db_path, "dossier", "add", did, "note", "check", "this") == 0
    capsys.readouterr()
    assert _run(db_path, "dossier", "list", "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed[0]["items"] == 5
    assert set(listed[0]) == {
        "id",
        "title",
        "subtitle",
        "author",
        "marking",
        "items",
        "created_at",
        "updated_at",
    }
    pdf, md, html = tmp_path / "d.pdf", tmp_path / "d.md", tmp_path / "d.html"
    js, gml = tmp_path / "d.json", tmp_path / "d.graphml"
    assert (
        _run(
            db_path,
            "export",
            did,
            "--pdf",
            str(pdf),
            "--md",
            str(md),
            "--html",
            str(html),
            "--json",
            str(js),
            "--graphml",
            str(gml),
            "--paper",
            "Letter",
            "--max-contexts",
            "1",
            "--redact",
            "Bahawalpur",
        )
        == 0
    )
    assert len(pypdf.PdfReader(pdf).pages) >= 3
    assert "Bahawalpur" not in md.read_text()
    doc = json.loads(js.read_text())
    assert len(doc["sections"][1]["mentions"]) == 1
    assert gml.read_text().startswith("<?xml")


def test_export_errors_are_clear(store, library, db_path, tmp_path, capsys):
    _run(db_path, "dossier", "create", "D")
    bad = tmp_path / "missing" / "d.pdf"
    assert _run(db_path, "export", "1", "--pdf", str(bad)) == 1
    err = capsys.readouterr().err
    assert str(bad) in err
    assert "does not exist" in err
    assert _run(db_path, "export", "1") == 1
    assert "nothing to export" in capsys.readouterr().err
    assert _run(db_path, "export", "42", "--pdf", str(tmp_path / "x.pdf")) == 1
    assert "no dossier with id or title '42'" in capsys.readouterr().err
    assert _run(db_path, "dossier", "add", "1", "excerpt", str(library.articles[0]), "9", "x") == 1
    assert "END must be a number" in capsys.readouterr().err


def test_export_entity(store, library, db_path, tmp_path, capsys):
    out = tmp_path / "e.pdf"
    assert (
        _run(
            db_path,
            "export-entity",
            str(library.entities["tehreek"]),
            "--pdf",
            str(out),
            "--no-contexts",
        )
        == 0
    )
    assert pypdf.PdfReader(out).metadata.title == "<Tehreek> & Sons"
    assert _run(db_path, "export-entity", "999", "--pdf", str(out)) == 1
    assert "no entity with id 999" in capsys.readouterr().err


def test_cli_renders_without_a_display(store, library, db_path, tmp_path):
    """A fresh process, no DISPLAY and no QT_QPA_PLATFORM: the renderer
    creates its own offscreen QGuiApplication."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    out = tmp_path / "e.pdf"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "desktop",
            "--db",
            str(db_path),
            "export-entity",
            str(library.entities["azhar"]),
            "--pdf",
            str(out),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Wrote" in proc.stdout
    assert pypdf.PdfReader(out).metadata.title == "Masood Azhar"


def test_unreviewed_mentions_only_on_request(store, library, db_path, tmp_path):
    from sqlmodel import select

    from desktop.core import models as m

    with store.session() as s:
        mention = s.exec(
            select(m.Mention)
            .where(m.Mention.entity_id == library.entities["azhar"])
            .where(m.Mention.text == "مسعود أزهر")
        ).one()
        mention.status = m.MentionStatus.SUGGESTED
        s.add(mention)
    out = tmp_path / "e.md"
    azhar = str(library.entities["azhar"])
    assert _run(db_path, "export-entity", azhar, "--md", str(out)) == 0
    text = out.read_text()
    assert "1 unreviewed (left out)" in text
    assert "Unreviewed mentions" not in text
    assert _run(db_path, "export-entity", azhar, "--md", str(out), "--unreviewed") == 0
    text = out.read_text()
    assert "1 unreviewed (listed apart below)" in text
    unreviewed = text[text.index("#### Unreviewed mentions") :]
    assert "**مسعود أزهر**" in unreviewed
