"""The entity-level type decision (extract/typer.py) and the script that refits it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.core.extract import extract_texts, typer
from tests.scripts import load_packaging_script


def _types(text: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for f in extract_texts([text])[0]:
        out.setdefault(f.text, set()).add(f.type)
    return out


def test_the_weights_ship_in_the_package_and_load() -> None:
    model = typer.load()
    assert model is not None, "desktop/core/data/typer.json missing: run packaging/train_typer.py"
    assert tuple(model["classes"]) == typer.CLASSES
    assert set(model["thresholds"]) == {"PER", "ORG", "LOC"}
    assert all(0.0 < t < 1.0 for t in model["thresholds"].values())
    assert "GUM train" in model["trained_on"]
    # The model's labels and the rules' evidence both carry weight.
    for name in ("model_PER", "model_ORG", "model_LOC", "title", "place"):
        assert name in model["weights"]


def test_probabilities_sum_to_one_and_weak_evidence_is_misc() -> None:
    model = {
        "classes": list(typer.CLASSES),
        "thresholds": {"PER": 0.6, "ORG": 0.6, "LOC": 0.6},
        "weights": {"bias": [0.0, 0.0, 0.0, 0.0], "model_PER": [2.0, 0.0, 0.0, 0.0]},
    }
    strong = typer.probabilities({"bias": 1.0, "model_PER": 1.0}, model)
    assert abs(sum(strong) - 1.0) < 1e-9
    assert strong[0] > 0.6
    # With nothing for any of the three, no type reaches the threshold.
    flat = typer.probabilities({"bias": 1.0}, model)
    assert max(flat[:3]) < 0.6


def test_each_type_has_its_own_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    model = {
        "classes": list(typer.CLASSES),
        "thresholds": {"PER": 0.9, "ORG": 0.3, "LOC": 0.5},
        "weights": {"bias": [0.0, 0.0, 0.0, 0.0], "hint": [0.0, 1.0, 0.0, 0.0]},
    }
    monkeypatch.setattr(typer, "_loaded", True)
    monkeypatch.setattr(typer, "_model", model)
    # P(ORG) = e / (e + 3), about 0.48: enough for ORG, not for PER or LOC.
    assert typer.decide({"bias": 1.0, "hint": 1.0}, "PER") == "ORG"
    model["weights"]["hint"] = [1.0, 0.0, 0.0, 0.0]
    assert typer.decide({"bias": 1.0, "hint": 1.0}, "PER") == "MISC"
    # A strong cue of the rules decides whatever the weights say.
    model["rule_strength"] = 2.5
    assert typer.decide({"bias": 1.0, "hint": 1.0, "_strength": 3.0}, "LOC") == "LOC"


def test_decide_falls_back_to_the_rules_without_weights(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(typer, "_loaded", False)
    monkeypatch.setattr(typer, "_model", None)
    assert typer.load(tmp_path / "missing.json") is None
    assert typer.decide({"bias": 1.0}, "ORG") == "ORG"
    monkeypatch.setattr(typer, "_loaded", False)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"classes": ["A", "B"]}), encoding="utf-8")
    assert typer.load(bad) is None


def test_one_type_per_entity_decided_over_all_its_mentions() -> None:
    text = (
        "Daniel Bernoulli was born in Groningen. Bernoulli later taught at the "
        "University of Basel, where Bernoulli wrote on fluids. The University of "
        "Basel kept his papers, and Groningen honoured him."
    )
    types = _types(text)
    assert types.get("Daniel Bernoulli") == {"PER"}
    assert types.get("Bernoulli") == {"PER"}  # a surname after the full name
    assert types.get("University of Basel") == {"ORG"}
    assert types.get("Groningen") == {"LOC"}


def test_peoples_and_works_are_not_forced_into_the_three() -> None:
    text = (
        "The Kashmiris protested in Srinagar. Many Kashmiris say the Treaty of "
        "Versailles and the First World War are remote history."
    )
    types = _types(text)
    for name in ("Kashmiris", "Treaty of Versailles", "First World War"):
        assert types.get(name, {"MISC"}) == {"MISC"}, (name, types)
    assert types.get("Srinagar") == {"LOC"}


def test_refitting_reads_gum_train_only_with_held_out_folds() -> None:
    train_ner = load_packaging_script("train_ner")
    gum = next((p for p in train_ner._CANDIDATES if (p / "score.py").exists()), None)
    if gum is None:
        pytest.skip("the GUM corpus is not beside this checkout")
    folds = train_ner.train_folds(gum, 3)
    names = [n for fold in folds for n in fold]
    assert len(names) == len(set(names)) >= 100  # each train document held out once
    for name in names:
        gold = json.loads((gum / f"{name}.gold.json").read_text(encoding="utf-8"))
        assert gold["partition"] == "train"
    held = set(folds[0])
    assert not held & {d["name"] for d in train_ner.gum_docs(gum, held)}


def test_the_fit_recovers_a_separable_rule() -> None:
    fit = load_packaging_script("train_typer")
    import numpy as np

    # Two features that decide the class outright; the fit must learn them.
    x = np.array([[1.0, 1.0, 0.0], [1.0, 0.0, 1.0], [1.0, 0.0, 0.0]] * 20)
    y = np.array([[5.0, 0, 0, 0], [0, 0, 5.0, 0], [0, 0, 0, 5.0]] * 20)
    p = fit.predict(x, fit.fit(x, y, l2=1e-4, steps=400))
    assert p[0].argmax() == 0
    assert p[1].argmax() == 2
    assert p[2].argmax() == 3
