"""Runs the duplicate-detection evaluation and checks it against targets.

The issue's targets are recall >= 0.85 at precision 0.95 and <= 2% false
merges on confusable pairs at that operating point. The corpus keeps
translations and nicknames that no string matcher can find; the targets are
met with the general spelling rules plus the small table of well-known place
names (desktop/core/data/exonyms.txt), which brings about 0.017 of the recall.
The tests also guard against regressions against baseline.json.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def _evaluate() -> dict:
    spec = importlib.util.spec_from_file_location("resolve_evaluate", HERE / "evaluate.py")
    assert spec
    assert spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod.evaluate()


@pytest.fixture(scope="module")
def result() -> dict:
    return _evaluate()


def test_corpus_size(result):
    assert result["corpus"]["clusters"] >= 150
    assert result["corpus"]["confusable_pairs"] >= 80


def test_beats_the_baseline_and_does_not_regress(result):
    ours, base = result["ours"], result["baseline_token_sort_ratio"]
    saved = json.loads((HERE / "baseline.json").read_text())["ours"]
    assert ours["recall_at_precision_0_95"] > base["recall_at_precision_0_95"]
    assert ours["recall_at_precision_0_95"] >= saved["recall_at_precision_0_95"] - 0.005
    assert ours["f1"] >= saved["f1"] - 0.005
    assert ours["precision"] >= 0.9


def test_false_merges_on_confusable_pairs(result):
    # No regression against the saved baseline; the issue's 2% target (at the
    # precision-0.95 operating point) is checked in test_issue_targets.
    saved = json.loads((HERE / "baseline.json").read_text())["ours"]
    ours = result["ours"]
    assert ours["confusable_false_merges"] <= saved["confusable_false_merges"]
    assert ours["confusable_false_merges_at_p95"] <= saved["confusable_false_merges_at_p95"]
    assert ours["false_merge_rate"] <= 0.05


def test_issue_targets(result):
    assert result["ours"]["recall_at_precision_0_95"] >= 0.85
    assert result["ours"]["false_merge_rate_at_p95"] <= 0.02


def test_implied_pairs_do_not_cost_precision_or_merge_confusables(result):
    # The review queue's own output (implied pairs included) against the pairs
    # scored alone: implications may add recall, never false merges.
    ours, offered = result["ours"], result["ours_suggestions_with_implied_pairs"]
    assert offered["recall_at_precision_0_95"] >= ours["recall_at_precision_0_95"]
    assert offered["confusable_false_merges"] == 0
    assert offered["confusable_false_merges_at_p95"] <= ours["confusable_false_merges_at_p95"]
    assert offered["precision"] >= 0.95
