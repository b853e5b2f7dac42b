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


def _records(ds: DevSet):
    from desktop.core import matching

    return [
        matching.EntityRecord(id=i, name=n, type=t, names=(n,))
        for i, (n, t) in enumerate(zip(ds.names, ds.types, strict=True))
    ]


def candidates(ds: DevSet) -> set[frozenset[str]]:
    """The pairs candidate generation proposes (before any scoring)."""
    from desktop.core import matching

    people = {i for i, t in enumerate(ds.types) if t in ("PER", "MISC")}
    index = matching.build_index(enumerate(ds.names), people=people)
    return {frozenset((ds.names[i], ds.names[j])) for i, j in matching.iter_pairs(index)}


def cold(ds: DevSet) -> dict[frozenset[str], float]:
    from desktop.core import matching

    sug = matching.suggest_pairs(_records(ds), min_score=1, limit=None)
    return {frozenset((s.a_name, s.b_name)): float(s.score) for s in sug}


def after_judging(ds: DevSet, n: int = 50, pick: str = "top", learn: bool = True) -> dict:
    """Judge ``n`` suggestions by the gold (the top ones, or the most uncertain:
    scores nearest 50), then score the rest with those judgements learnt.
    Figures are on the pairs not judged, before and after. ``learn``: the
    model is also corrected by the judged pairs (else only merges count)."""
    from desktop.core import matching

    recs = _records(ds)
    sug = matching.suggest_pairs(recs, min_score=1, limit=None)
    # Most uncertain: the scores nearest 50, as suggest --informative orders them.
    order = matching.informative_order(sug) if pick == "uncertain" else sug
    judged, examples = [], []
    for s in order:
        lab = ds.label(s.a_name, s.b_name)
        if lab is None:
            continue
        judged.append(s)
        examples.append((s.a_name, recs[s.a].type, s.b_name, recs[s.b].type, lab))
        if len(judged) == n:
            break
    done = {frozenset((s.a_name, s.b_name)) for s in judged}
    before = {frozenset((s.a_name, s.b_name)): float(s.score) for s in sug}
    before = {k: v for k, v in before.items() if k not in done}
    # As the app does: "same" merges the two records (union-find over the
    # judged pairs), "different" settles the pair.
    parent = list(range(len(recs)))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for s, e in zip(judged, examples, strict=True):
        if e[4]:
            parent[root(s.b)] = root(s.a)
    members: dict[int, list[int]] = {}
    for i in range(len(recs)):
        members.setdefault(root(i), []).append(i)
    merged = [
        matching.EntityRecord(
            id=r, name=ds.names[r], type=ds.types[r], names=tuple(ds.names[i] for i in ms)
        )
        for r, ms in members.items()
    ]
    settled = {
        (min(root(s.a), root(s.b)), max(root(s.a), root(s.b)))
        for s, e in zip(judged, examples, strict=True)
        if not e[4] and root(s.a) != root(s.b)
    }
    use = examples if learn else None
    again = matching.suggest_pairs(merged, settled, min_score=1, limit=None, examples=use)
    after: dict[frozenset[str], float] = {}
    for sg in again:
        for i in members[sg.a]:
            for j in members[sg.b]:
                k = frozenset((ds.names[i], ds.names[j]))
                after[k] = max(after.get(k, 0.0), float(sg.score))
    for ms in members.values():
        # Names merged into one record through others are found.
        for i in ms:
            for j in ms:
                if i < j:
                    after[frozenset((ds.names[i], ds.names[j]))] = 100.0
    after = {k: v for k, v in after.items() if k not in done}
    rest = DevSet(
        ds.names,
        ds.types,
        ds.clusters,
        ds.kind,
        ds.related,
        ds.confusables,
        ds.positives - done,
    )
    return {
        "judged": len(judged),
        "judged_same": sum(e[4] for e in examples),
        "pick": pick,
        "before": figures(rest, before),
        "after": figures(rest, after),
    }


def main() -> int:
    import argparse
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dev", type=Path, default=DEFAULT_DEV)
    ap.add_argument("--json", type=Path, help="write the figures here")
    args = ap.parse_args()
    ds = load(args.dev)
    out = {
        "candidates": candidate_recall(ds, candidates(ds)),
        "cold": figures(ds, cold(ds)),
        "after_50_top": after_judging(ds, 50, "top"),
        "after_50_uncertain": after_judging(ds, 50, "uncertain"),
    }
    print(json.dumps(out, indent=1))
    if args.json:
        args.json.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
