"""Body extraction on our HTML corpus stays above its floors and its baseline."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _evaluate_module():
    spec = importlib.util.spec_from_file_location("ingest_evaluate", HERE / "evaluate.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_html_body_extraction_meets_its_targets():
    evaluate = _evaluate_module()
    results = evaluate.evaluate()
    assert results["pages"] >= 15
    # Floors: what a user should be able to count on.
    assert results["precision"] >= 0.9
    assert results["recall"] >= 0.95
    # Pasted text has no markup to go by; headerless teaser lists stay in.
    assert results["paste_precision"] >= 0.65
    assert results["paste_recall"] >= 0.95
    assert results["title_accuracy"] >= 0.9
    assert results["date_accuracy"] >= 0.9
    # And no silent regression against the saved baseline.
    baseline = json.loads((HERE / "baseline.json").read_text(encoding="utf-8"))
    for key in ("precision", "recall", "paste_precision", "paste_recall"):
        assert results[key] >= baseline[key] - evaluate.TOLERANCE, key


def test_scoring_counts_furniture_and_losses():
    evaluate = _evaluate_module()
    gold = ["First paragraph about JeM.", "Second paragraph about LeT."]
    assert evaluate.score_page("First paragraph about JeM.\nShare\n", gold) == (1, 2, 1)
    both = "First paragraph about JeM.\n\nSecond paragraph about LeT."
    assert evaluate.score_page(both, gold) == (2, 2, 2)
