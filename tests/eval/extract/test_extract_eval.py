"""The extraction evaluation must meet its targets on the whole corpus."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def _load(name: str):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(f"_eval_{name}", HERE / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_gold_json_matches_the_marked_up_corpus() -> None:
    build = _load("build_gold").build()
    saved = json.loads((HERE / "gold.json").read_text(encoding="utf-8"))
    assert saved == build, "run tests/eval/extract/build_gold.py"
    assert len(build["articles"]) >= 15
    for a in build["articles"]:
        for mention in a["mentions"]:
            assert a["text"][mention["start"] : mention["end"]] == mention["text"]


@pytest.fixture(scope="module")
def result() -> dict:  # type: ignore[type-arg]
    r = _load("run_eval").evaluate("all")
    r.pop("_pred")
    r.pop("_articles")
    return r


def test_mention_f1_target(result: dict) -> None:  # type: ignore[type-arg]
    assert result["ours"]["mentions"]["f1"] >= 0.92, result["ours"]["mentions"]


def test_linking_pairwise_f1_target(result: dict) -> None:  # type: ignore[type-arg]
    assert result["ours"]["linking"]["f1"] >= 0.95, result["ours"]["linking"]


def test_no_worse_than_spacy_alone_on_any_type(result: dict) -> None:  # type: ignore[type-arg]
    for t in ("PER", "ORG", "LOC"):
        ours = result["ours"]["by_type"][t]["f1"]
        theirs = result["spacy_alone"]["by_type"][t]["f1"]
        assert ours >= theirs, (t, ours, theirs)


def test_no_regression_against_the_saved_baseline(result: dict) -> None:  # type: ignore[type-arg]
    baseline = json.loads((HERE / "baseline.json").read_text())["all"]["ours"]
    assert result["ours"]["mentions"]["f1"] >= baseline["mentions"]["f1"] - 0.02
    assert result["ours"]["linking"]["f1"] >= baseline["linking"]["f1"] - 0.02
