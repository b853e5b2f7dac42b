"""Duplicate detection quality on our evaluation corpus, beside a baseline.

    python tests/eval/resolve/evaluate.py            # report, compare with baseline.json
    python tests/eval/resolve/evaluate.py --save     # overwrite baseline.json

Corpus: ``clusters.txt`` (one real-world entity per line with its name
variants) and ``confusables.txt`` (pairs of different entities whose names look
alike). Every name is a record; a pair is a true match when both names belong
to one cluster. Our method scores only the pairs its blocking proposes (a pair
it never proposes scores 0, so blocking misses count against recall); the
baseline is plain rapidfuzz ``token_sort_ratio`` over all pairs.

Reported: pairwise precision/recall/F1 at the default threshold, recall at
precision 0.95 (best over thresholds), and the false-merge rate on the
confusable pairs (share scored at or above the threshold).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process, utils

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from desktop.core import matching  # noqa: E402
from desktop.core.names import alias_key  # noqa: E402


@dataclass(frozen=True)
class Corpus:
    names: list[str]
    types: list[str]
    truth: list[int]  # cluster id per name
    confusable: list[tuple[int, int]]  # name indices
    clusters: int


def load(here: Path = HERE) -> Corpus:
    names: list[str] = []
    types: list[str] = []
    truth: list[int] = []
    by_key: dict[str, int] = {}
    n_clusters = 0
    for line in (here / "clusters.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        type_, rest = (x.strip() for x in line.split("|", 1))
        seen: set[str] = set()
        for name in (x.strip() for x in rest.split(";")):
            k = alias_key(name)
            if not name or k in seen:
                continue
            seen.add(k)
            by_key.setdefault(f"{k}\t{n_clusters}", len(names))
            by_key.setdefault(k, len(names))
            names.append(name)
            types.append(type_)
            truth.append(n_clusters)
        n_clusters += 1
    confusable: list[tuple[int, int]] = []
    for line in (here / "confusables.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        type_, a, b = (x.strip() for x in line.split("|"))
        pair = []
        for name in (a, b):
            k = alias_key(name)
            if k not in by_key:
                by_key[k] = len(names)
                names.append(name)
                types.append(type_)
                truth.append(n_clusters)
                n_clusters += 1
            pair.append(by_key[k])
        confusable.append((pair[0], pair[1]))
    return Corpus(names, types, truth, confusable, n_clusters)


def our_scores(c: Corpus) -> dict[tuple[int, int], int]:
    """Score of every pair our blocking proposes (others score 0)."""
    records = [
        matching.EntityRecord(id=i, name=n, type=t, names=(n,))
        for i, (n, t) in enumerate(zip(c.names, c.types, strict=True))
    ]
    index = matching.build_index((i, n) for i, n in enumerate(c.names))
    out: dict[tuple[int, int], int] = {}
    pairs = list(matching.iter_pairs(index))
    kinds = [c.types[i] if c.types[i] == c.types[j] else "" for i, j in pairs]
    # What suggestion does: the rules read each pair, the shipped model decides
    # (in one batch).
    scored = matching.pair_scores([(index.infos[i], index.infos[j]) for i, j in pairs], kinds)
    for (i, j), ns in zip(pairs, scored, strict=True):
        score, _ = matching.score_entities(records[i], records[j], ns)
        out[(min(i, j), max(i, j))] = score
    return out


def suggested_scores(c: Corpus) -> dict[tuple[int, int], int]:
    """What the review queue offers: suggest_pairs over every name as its own
    record (implied pairs included), every score down to 1."""
    records = [
        matching.EntityRecord(id=i, name=n, type=t, names=(n,))
        for i, (n, t) in enumerate(zip(c.names, c.types, strict=True))
    ]
    return {
        (min(s.a, s.b), max(s.a, s.b)): s.score
        for s in matching.suggest_pairs(records, min_score=1)
    }


def baseline_scores(c: Corpus, floor: int = 40) -> dict[tuple[int, int], int]:
    m = process.cdist(
        c.names,
        c.names,
        scorer=fuzz.token_sort_ratio,
        processor=utils.default_process,
        score_cutoff=floor,
        workers=1,
    )
    out: dict[tuple[int, int], int] = {}
    n = len(c.names)
    for i in range(n):
        row = m[i]
        for j in range(i + 1, n):
            if row[j]:
                out[(i, j)] = int(row[j])
    return out


def metrics(c: Corpus, scores: dict[tuple[int, int], int], threshold: int) -> dict:
    positives = {
        (i, j)
        for i in range(len(c.names))
        for j in range(i + 1, len(c.names))
        if c.truth[i] == c.truth[j]
    }
    n_pos = len(positives)

    def at(t: int) -> tuple[float, float, int, int]:
        predicted = [p for p, s in scores.items() if s >= t]
        tp = sum(1 for p in predicted if p in positives)
        precision = tp / len(predicted) if predicted else 1.0
        return precision, tp / n_pos, tp, len(predicted)

    p, r, tp, n_pred = at(threshold)
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    best_r, best_t = 0.0, None
    for t in range(101, 0, -1):
        pp, rr, _, _ = at(t)
        if pp >= 0.95 and rr > best_r:
            best_r, best_t = rr, t
    conf = [(min(a, b), max(a, b)) for a, b in c.confusable]
    false_merges = sum(1 for x in conf if scores.get(x, 0) >= threshold)
    confident = best_t if best_t is not None else 101
    false_confident = sum(1 for x in conf if scores.get(x, 0) >= confident)
    return {
        "threshold": threshold,
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(f1, 4),
        "true_positives": tp,
        "predicted_pairs": n_pred,
        "positive_pairs": n_pos,
        "recall_at_precision_0_95": round(best_r, 4),
        "threshold_at_precision_0_95": best_t,
        "confusable_pairs": len(conf),
        "confusable_false_merges": false_merges,
        "false_merge_rate": round(false_merges / len(conf), 4),
        # At the precision-0.95 operating point (what a user would accept in bulk).
        "confusable_false_merges_at_p95": false_confident,
        "false_merge_rate_at_p95": round(false_confident / len(conf), 4),
    }


def without_place_table(c: Corpus) -> dict:
    """Our metrics with the table of well-known place names switched off, to
    show how much of the result the table (not the spelling rules) brings."""
    saved = matching.place_names
    matching.place_names = dict  # type: ignore[assignment]
    matching._name_info.cache_clear()
    try:
        return metrics(c, our_scores(c), matching.DEFAULT_MIN_SCORE)
    finally:
        matching.place_names = saved  # type: ignore[assignment]
        matching._name_info.cache_clear()


def evaluate() -> dict:
    c = load()
    ours = metrics(c, our_scores(c), matching.DEFAULT_MIN_SCORE)
    suggested = metrics(c, suggested_scores(c), matching.DEFAULT_MIN_SCORE)
    no_table = without_place_table(c)
    base_scores = baseline_scores(c)
    base_probe = metrics(c, base_scores, 90)
    base_t = base_probe["threshold_at_precision_0_95"] or 90
    base = metrics(c, base_scores, base_t)
    return {
        "corpus": {
            "names": len(c.names),
            "clusters": sum(1 for k in set(c.truth) if c.truth.count(k) > 1),
            "confusable_pairs": len(c.confusable),
        },
        "ours": ours,
        "ours_suggestions_with_implied_pairs": suggested,
        "ours_without_place_table": no_table,
        "baseline_token_sort_ratio": base,
    }


def _row(name: str, r: dict) -> str:
    return (
        f"{name:<28} t={r['threshold']!s:>3}  P={r['precision']:.3f}  R={r['recall']:.3f}  "
        f"F1={r['f1']:.3f}  R@P.95={r['recall_at_precision_0_95']:.3f}  "
        f"false merges={r['confusable_false_merges']}/{r['confusable_pairs']} "
        f"({100 * r['false_merge_rate']:.1f}%; {100 * r['false_merge_rate_at_p95']:.1f}% at P.95)"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--save", action="store_true", help="write baseline.json")
    args = ap.parse_args()
    result = evaluate()
    c = result["corpus"]
    print(f"{c['names']} names, {c['clusters']} clusters, {c['confusable_pairs']} confusable pairs")
    print(_row("ours", result["ours"]))
    print(_row("ours, suggestions (implied)", result["ours_suggestions_with_implied_pairs"]))
    print(_row("ours, no place table", result["ours_without_place_table"]))
    print(_row("token_sort_ratio", result["baseline_token_sort_ratio"]))
    path = HERE / "baseline.json"
    if path.exists() and not args.save:
        saved = json.loads(path.read_text())
        print(_row("saved ours", saved["ours"]))
        for key in ("recall_at_precision_0_95", "f1"):
            delta = result["ours"][key] - saved["ours"][key]
            print(f"  {key}: {delta:+.4f} vs saved baseline")
    if args.save:
        path.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n")
        print(f"saved {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
