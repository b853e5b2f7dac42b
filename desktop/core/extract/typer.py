"""One type per entity, decided from the evidence pooled over its mentions.

After the mentions of an article are grouped into entities, each entity gets
one type (PER, ORG, LOC, or MISC for every other name) from a small
multinomial logistic regression over :func:`pipeline.entity_features`: the
model's labels on each mention, the rules' votes, the head and first word of
its longest name, titles, place-list hits and the words around its mentions.
An entity is typed PER, ORG or LOC only when that type is likely enough
(``thresholds``, one per type); otherwise it is MISC, never forced into one of
the three.

The weights (desktop/core/data/typer.json) are fitted offline on GUM's train
partition by packaging/train_typer.py, on model labels from recognisers that
never saw the document they label (cross-fitting), so the typer learns how
far to trust the recogniser on unseen text. Without the file, the rules' vote
decides, as before.
"""

from __future__ import annotations

import json
import logging
import math
import threading
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

WEIGHTS = Path(__file__).resolve().parents[1] / "data" / "typer.json"
CLASSES = ("PER", "ORG", "LOC", "OTHER")

_lock = threading.Lock()
_model: dict[str, Any] | None = None
_loaded = False


def load(path: Path = WEIGHTS) -> dict[str, Any] | None:
    """The fitted weights, or None when the file is missing or unreadable."""
    global _model, _loaded
    if _loaded:
        return _model
    with _lock:
        if not _loaded:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                if tuple(data["classes"]) != CLASSES:
                    raise ValueError(f"classes {data['classes']} are not {CLASSES}")
                if set(data["thresholds"]) != set(CLASSES[:3]):
                    raise ValueError(f"thresholds {data['thresholds']} are not one per type")
                _model = data
            except (OSError, ValueError, KeyError) as exc:
                log.warning("entity typer %s unavailable (%s): rule votes type entities", path, exc)
                _model = None
            _loaded = True
    return _model


def probabilities(features: dict[str, float], model: dict[str, Any]) -> list[float]:
    """P(PER), P(ORG), P(LOC), P(OTHER) for one entity."""
    weights: dict[str, list[float]] = model["weights"]
    scores = [0.0] * len(CLASSES)
    for name, value in features.items():
        w = weights.get(name)
        if w is not None:
            for k in range(len(CLASSES)):
                scores[k] += w[k] * value
    top = max(scores)
    exp = [math.exp(s - top) for s in scores]
    total = sum(exp)
    return [e / total for e in exp]


def decide(features: dict[str, float], fallback: str) -> str:
    """The entity's type: PER, ORG or LOC when the model gives it at least the
    threshold, else MISC. ``fallback`` (the rules' vote) when no model is
    installed, or when one cue of the rules' own is strong enough
    (``features["_strength"]`` >= the model's ``rule_strength``: a title, a
    dateline, "Council" or "-e-" in an organisation's name, a demonym, the
    gazetteer), which GUM, short of news about South Asia, can hardly teach."""
    model = load()
    if model is None:
        return fallback
    if features.get("_strength", 0.0) >= model.get("rule_strength", math.inf):
        return fallback
    probs = probabilities(features, model)
    best = max(range(3), key=lambda k: probs[k])
    return CLASSES[best] if probs[best] >= model["thresholds"][CLASSES[best]] else "MISC"
