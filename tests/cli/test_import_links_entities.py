"""`import` is import plus extraction: new articles arrive with their mentions."""

from __future__ import annotations

import json
from pathlib import Path

from desktop.cli import run
from desktop.core.services import library

ARTICLE = (
    "Court hears case against Lashkar-e-Taiba charity\n\n"
    "LAHORE: A court in Lahore heard that Lashkar-e-Taiba (LeT) raised money through a "
    "charity. Hafiz Muhammad Saeed, who founded the group, was not present. Saeed denies "
    "any link to LeT.\n"
)


def _write(tmp_path: Path) -> Path:
    path = tmp_path / "let.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_import_finds_and_links_the_entities_of_new_articles(capsys, tmp_path, store):
    path = _write(tmp_path)
    assert run(["--db", str(store.path), "import", str(path), "--json"]) == 0
    imported = json.loads(capsys.readouterr().out)["imported"]
    assert len(imported) == 1

    mentions = library.article_mentions(store, imported[0])
    by_text = {mention.text: mention for mention in mentions}
    assert by_text["Lashkar-e-Taiba"].type == "ORG"
    # The acronym defined in the text and the bare surname link to the full records.
    assert by_text["LeT"].entity_id == by_text["Lashkar-e-Taiba"].entity_id
    saeed = [m for m in mentions if m.text in ("Muhammad Saeed", "Hafiz Muhammad Saeed")]
    assert saeed
    assert by_text["Saeed"].entity_id == saeed[0].entity_id
    assert by_text["Lahore"].type == "LOC"


def test_import_without_extraction_stores_only_the_article(capsys, tmp_path, store):
    path = _write(tmp_path)
    assert run(["--db", str(store.path), "import", "--no-extract", str(path), "--json"]) == 0
    imported = json.loads(capsys.readouterr().out)["imported"]
    assert library.article_mentions(store, imported[0]) == []
    assert library.library_info(store).entities == 0


def test_import_summary_says_what_was_found(capsys, tmp_path, store):
    path = _write(tmp_path)
    assert run(["--db", str(store.path), "import", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Imported 1 article" in out
    assert "new entities" in out
