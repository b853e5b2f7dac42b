"""The fitted recogniser shipped in the package, and the script that rebuilds it."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from desktop.core.extract import extractor_status
from desktop.core.extract.ner import FITTED, load, recognise_many

ROOT = Path(__file__).resolve().parents[2]


def _train_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("train_ner", ROOT / "packaging/train_ner.py")
    assert spec is not None
    assert spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_the_fitted_model_ships_small_with_only_the_recogniser() -> None:
    files = [f for f in FITTED.rglob("*") if f.is_file()]
    assert files, "desktop/core/data/ner is missing: run packaging/train_ner.py"
    assert sum(f.stat().st_size for f in files) < 12_000_000
    nlp = load()
    assert nlp is not None
    assert nlp.pipe_names == ["ner"]
    assert "MISC" in nlp.get_pipe("ner").labels
    meta = json.loads((FITTED / "meta.json").read_text(encoding="utf-8"))
    assert meta["training"]["seed"] == 17
    assert "fitted" in extractor_status().message


def test_names_that_are_none_of_the_three_come_out_as_misc() -> None:
    text = (
        "Daniel Bernoulli published Hydrodynamica in 1738 while he lived in Basel. "
        "The Treaty of Versailles was signed after the First World War."
    )
    (spans,) = recognise_many([text])
    got = {text[s.start : s.end]: s.label for s in spans}
    assert got.get("Daniel Bernoulli") == "PER"
    assert got.get("Basel") == "LOC"
    assert got.get("First World War") == "MISC"
    assert got.get("Treaty of Versailles") == "MISC"


def test_training_reads_gum_train_only_and_leaves_out_non_commercial_text() -> None:
    train = _train_module()
    gum = next((p for p in train._CANDIDATES if (p / "score.py").exists()), None)
    if gum is None:
        pytest.skip("the GUM corpus is not beside this checkout")
    docs = train.gum_docs(gum)
    assert len(docs) >= 100
    assert all(d["gold"]["partition"] == "train" for d in docs)
    assert not any(d["name"].startswith("GUM_whow_") for d in docs)


def test_training_pieces_cover_the_text_in_order() -> None:
    train = _train_module()
    text = "A para.\n\nB para is longer.\n\n" + "C " * 40
    pieces = train.paragraphs(text, limit=30)
    assert "".join(p for _, p in pieces) == text
    assert all(text[off : off + len(p)] == p for off, p in pieces)
    assert len(pieces) >= 2


def test_misc_names_become_other_records(tmp_path: Path) -> None:
    from desktop.core.ingest import RawArticle
    from desktop.core.services.extraction import extract_articles
    from desktop.core.services.ingest import store_article
    from desktop.core.services.library import list_entities
    from desktop.core.store import open_store

    store = open_store(tmp_path / "misc.sqlite")
    try:
        body = "After the First World War, France and Germany signed the Treaty of Versailles."
        aid, _ = store_article(store, RawArticle(body=body, original=body.encode(), format="txt"))
        extract_articles(store, [aid])
        types = {e.name: e.type for e in list_entities(store)}
    finally:
        store.close()
    assert types.get("Treaty of Versailles") == "MISC"
    assert types.get("France") == "LOC"
