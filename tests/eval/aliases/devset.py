"""The real alias clusters (../shared/corpora/aliases-dev, or --dev DIR) read in-process.

The same labels and figures as that corpus's score.py, without a database, so that
candidate generation and ranking can be measured apart and the pair model fitted:

    python tests/eval/aliases/devset.py [--dev DIR]    # candidate recall and ranking

Every name is one record of the type of its cluster (MISC for names only in the
confusable pairs), as score.py imports them.
"""

from __future__ import annotations

import itertools
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DEV = Path(os.environ.get("DOSSIER_DESK_ALIASES_DEV", "/work/shared/corpora/aliases-dev"))


@dataclass
class DevSet:
    names: list[str]
    types: list[str]
    clusters: dict[str, set[str]]  # name -> cluster ids
    kind: dict[str, str]  # name -> variant kind in its cluster ("variant" = respelling)
    related: dict[str, set[str]]
    confusables: list[tuple[str, str]]
    positives: set[frozenset[str]] = field(default_factory=set)

    def label(self, a: str, b: str) -> int | None:
        """1 same cluster, 0 different, None for related clusters (neither)."""
        ca, cb = self.clusters.get(a, set()), self.clusters.get(b, set())
        if ca & cb:
            return 1
        if any(
            y in self.related.get(x, ()) or x in self.related.get(y, ()) for x in ca for y in cb
        ):
            return None
        return 0

    def pair_kind(self, a: str, b: str) -> str:
        ka, kb = self.kind.get(a), self.kind.get(b)
        if ka == kb == "variant":
            return "respelling"
        return next(k for k in (ka, kb) if k != "variant")  # type: ignore[return-value]

    def group_of(self, name: str) -> str:
        """A cluster id for cross-validation by cluster (confusable-only names: their own)."""
        c = self.clusters.get(name)
        return min(c) if c else "name:" + name


def load(dev: Path = DEFAULT_DEV, typed: bool = False) -> DevSet:
    """``typed``: names found only in confusable pairs take the pair's type
    (for training; score.py imports them untyped, as MISC)."""
    clusters = json.loads((dev / "clusters.json").read_text(encoding="utf-8"))
    negs = json.loads((dev / "confusables.json").read_text(encoding="utf-8"))
    cid: dict[str, set[str]] = {}
    kind: dict[str, str] = {}
    ctype: dict[str, str] = {}
    for c in clusters:
        ctype[c["id"]] = c["type"]
        for n in c["names"]:
            cid.setdefault(n, set()).add(c["id"])
            kind[n] = (c.get("variant_kinds") or {}).get(n, "variant")
    names = sorted(set(cid) | {p["a"] for p in negs} | {p["b"] for p in negs})
    neg_type = {n: p["type"] for p in negs for n in (p["a"], p["b"])} if typed else {}
    types = [
        ctype[next(iter(sorted(cid[n])))] if n in cid else neg_type.get(n, "MISC") for n in names
    ]
    positives = {
        frozenset(p) for c in clusters for p in itertools.combinations(sorted(set(c["names"])), 2)
    }
    return DevSet(
        names=names,
        types=types,
        clusters=cid,
        kind=kind,
        related={c["id"]: set(c.get("related", [])) for c in clusters},
        confusables=[(p["a"], p["b"]) for p in negs],
        positives=positives,
    )


def figures(ds: DevSet, scored: dict[frozenset[str], float]) -> dict:
    """score.py's figures for pair scores (pairs absent score nothing)."""
    tp = fp = 0
    best_f1, r95, t95 = 0.0, 0.0, None
    for k, sc in sorted(scored.items(), key=lambda kv: -kv[1]):
        lab = ds.label(*k)
        if lab is None:
            continue
        tp, fp = tp + lab, fp + (1 - lab)
        p, r = tp / (tp + fp), tp / len(ds.positives)
        best_f1 = max(best_f1, 2 * p * r / (p + r) if p + r else 0)
        if p >= 0.95 and r > r95:
            r95, t95 = r, sc

    def found(k: frozenset[str]) -> bool:
        return t95 is not None and scored.get(k, -1) >= t95

    by: dict[str, list[int]] = {}
    for k in ds.positives:
        pk = ds.pair_kind(*sorted(k))
        by.setdefault(pk, [0, 0])
        by[pk][0] += 1
        by[pk][1] += found(k)
    accepted = [f"{a} | {b}" for a, b in ds.confusables if found(frozenset((a, b)))]
    return {
        "r_at_p95": round(r95, 3),
        "threshold_p95": t95,
        "best_f1": round(best_f1, 3),
        "by_kind": {k: round(f / n, 3) for k, (n, f) in sorted(by.items())},
        "confusable_accepted": len(accepted),
        "confusable_accepted_pairs": accepted,
    }


def candidate_recall(ds: DevSet, pairs: set[frozenset[str]]) -> dict:
    """Share of the gold pairs, by kind, that candidate generation proposes."""
    by: dict[str, list[int]] = {}
    for k in ds.positives:
        pk = ds.pair_kind(*sorted(k))
        by.setdefault(pk, [0, 0])
        by[pk][0] += 1
        by[pk][1] += k in pairs
    total = sum(n for n, _ in by.values())
    hit = sum(f for _, f in by.values())
    return {
        "candidates": len(pairs),
        "recall": round(hit / total, 3),
        "by_kind": {k: round(f / n, 3) for k, (n, f) in sorted(by.items())},
    }
