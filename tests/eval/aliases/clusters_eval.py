"""How the review queue's clusters hold on the real alias clusters.

    python tests/eval/aliases/clusters_eval.py [--dev DIR] [--json OUT]

Every name of ../shared/corpora/aliases-dev is its own record (as score.py
imports them); the suggestions at the app's default threshold (70), and at a
low one (30) where wrong pairs come in, are grouped twice: by plain connected
components, and by ``desktop.core.clusters`` (weak links do not chain, at
most 25 names). For each grouping: how many
pairs inside its clusters are one name by the gold (precision), how many of
the gold pairs it puts together (recall), the largest cluster, and the
confusable pairs it puts together.

Then the review is simulated with the gold as the user: the 50 best clusters
reviewed in the cluster dialog (the names of the cluster's main gold name
ticked and merged, the others left out and judged different), against the 50
best pairs judged one by one in the pair queue. Each is 50 decisions; the
figure is how many gold pairs end up merged, and how many wrong ones.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from tests.eval.aliases.devset import DEFAULT_DEV, DevSet, _records, load

REVIEWS = 50


def _pairs_inside(groups: list[list[int]]) -> list[tuple[int, int]]:
    return [(a, b) for g in groups for i, a in enumerate(g) for b in g[i + 1 :]]


def grouping_figures(ds: DevSet, groups: list[list[int]]) -> dict:
    inside = _pairs_inside(groups)
    labels = [ds.label(ds.names[a], ds.names[b]) for a, b in inside]
    same = sum(1 for x in labels if x == 1)
    judged = sum(1 for x in labels if x is not None)
    confusable = {frozenset(p) for p in ds.confusables}
    together = [
        f"{ds.names[a]} | {ds.names[b]}"
        for a, b in inside
        if frozenset((ds.names[a], ds.names[b])) in confusable
    ]
    return {
        "clusters": len(groups),
        "names_in_clusters": sum(len(g) for g in groups),
        "largest": max((len(g) for g in groups), default=0),
        "pair_precision": round(same / judged, 3) if judged else None,
        "pair_recall": round(same / len(ds.positives), 3),
        "confusable_together": len(together),
        "confusable_together_pairs": together,
    }


class _Merges:
    """Union-find over the names: what the user's "same" decisions merged."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def root(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def join(self, a: int, b: int) -> None:
        self.parent[self.root(b)] = self.root(a)

    def outcome(self, ds: DevSet) -> dict:
        groups: dict[int, list[int]] = {}
        for i in range(len(self.parent)):
            groups.setdefault(self.root(i), []).append(i)
        right = wrong = 0
        for a, b in _pairs_inside(list(groups.values())):
            lab = ds.label(ds.names[a], ds.names[b])
            right += lab == 1
            wrong += lab == 0
        return {"gold_pairs_merged": right, "wrong_pairs_merged": wrong}


def review_clusters(ds: DevSet, clusters: list[list[int]], n: int = REVIEWS) -> dict:
    merges = _Merges(len(ds.names))
    names_seen = 0
    for g in clusters[:n]:
        names_seen += len(g)
        votes = Counter(c for x in g for c in ds.clusters.get(ds.names[x], ()))
        if not votes:
            continue
        main, _ = votes.most_common(1)[0]
        ticked = [x for x in g if main in ds.clusters.get(ds.names[x], ())]
        for x in ticked[1:]:
            merges.join(ticked[0], x)
    return {"decisions": min(n, len(clusters)), "names_reviewed": names_seen} | merges.outcome(ds)


def review_pairs(ds: DevSet, pairs: list, n: int = REVIEWS) -> dict:
    merges = _Merges(len(ds.names))
    done = 0
    for s in pairs:
        if done == n:
            break
        lab = ds.label(s.a_name, s.b_name)
        if lab is None:
            continue  # neither: the user would skip it
        done += 1
        if lab == 1:
            merges.join(s.a, s.b)
    return {"decisions": done} | merges.outcome(ds)


def main() -> int:
    import argparse

    from desktop.core import matching
    from desktop.core.clusters import cluster_pairs

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dev", type=Path, default=DEFAULT_DEV)
    ap.add_argument("--json", type=Path, help="write the figures here")
    args = ap.parse_args()
    ds = load(args.dev)
    out: dict = {"dev": str(args.dev)}
    for min_score in (matching.DEFAULT_MIN_SCORE, 30):
        t0 = time.perf_counter()
        sug = matching.suggest_pairs(_records(ds), min_score=min_score, limit=None)
        t1 = time.perf_counter()
        components = cluster_pairs(sug, strong=0, density=0.0, max_size=10**9)
        t2 = time.perf_counter()
        ours = cluster_pairs(sug)
        t3 = time.perf_counter()
        out[f"min_score_{min_score}"] = {
            "suggested_pairs": len(sug),
            "seconds": {
                "suggest": round(t1 - t0, 2),
                "connected_components": round(t2 - t1, 4),
                "clusters": round(t3 - t2, 4),
            },
            "connected_components": grouping_figures(ds, components),
            "clusters": grouping_figures(ds, ours),
            f"review_{REVIEWS}_clusters": review_clusters(ds, ours),
            f"review_{REVIEWS}_pairs": review_pairs(ds, sug),
        }
    loadavg = Path("/proc/loadavg")
    out["load_average"] = loadavg.read_text().split()[:3] if loadavg.exists() else None
    print(json.dumps(out, indent=1))
    if args.json:
        args.json.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
