"""Fit the pair model shipped as desktop/core/data/pair_model.json.

    pip install -e '.[fit]'        # scikit-learn, only for this script
    python tests/eval/aliases/fit_pair_model.py [--dev DIR] [--write]

Training pairs are the candidate pairs our blocking proposes on two corpora: the
real alias clusters (``--dev``, see devset.py) and our own resolve corpus
(tests/eval/resolve). Labels come from the clusters; pairs of related clusters
(front organisations, renamings) are left out. The model: gradient-boosted trees
(scikit-learn) over the explainable features of :mod:`desktop.core.pairmodel`,
written out as arrays that plain Python or numpy evaluates.

Overfitting is checked by cluster: clusters are split into five folds, and every
pair is scored by a model fitted without the folds of either of its names. The
held-out figures printed (and stored in the JSON's ``meta``) are those.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import devset  # noqa: E402

from desktop.core import matching, pairmodel  # noqa: E402

FOLDS = 5
# The dev set is the real thing; our own corpus was written with the rules.
OWN_WEIGHT = 0.5
# Pairs known to look alike and differ (father and son, a person and their
# organisation) are the mistakes that cost most: they weigh more.
CONFUSABLE_WEIGHT = 10.0


def _own_corpus():
    spec = importlib.util.spec_from_file_location(
        "resolve_evaluate", ROOT / "tests/eval/resolve/evaluate.py"
    )
    assert spec
    assert spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod.load()


def candidate_rows(names: list[str], types: list[str]) -> list[tuple[int, int, list[float]]]:
    """(i, j, features) for every candidate pair of distinct names."""
    people = {i for i, t in enumerate(types) if t in ("PER", "MISC")}
    index = matching.build_index(enumerate(names), people=people)
    rows = []
    for i, j in sorted(matching.iter_pairs(index)):
        a, b = index.infos[i], index.infos[j]
        if a.key == b.key:
            continue
        kind = matching._kind(types[i], types[j])
        rows.append((i, j, matching.pair_features(a, b, kind)))
    return rows


def collect(dev: Path):
    """X, y, weights, groups (a cluster per side), and which corpus."""
    X, y, w, ga, gb, src, pairs = [], [], [], [], [], [], []
    ds = devset.load(dev, typed=True)
    confusable = {frozenset(p) for p in ds.confusables}
    for i, j, x in candidate_rows(ds.names, ds.types):
        a, b = ds.names[i], ds.names[j]
        lab = ds.label(a, b)
        if lab is None:
            continue
        X.append(x)
        y.append(lab)
        w.append(CONFUSABLE_WEIGHT if frozenset((a, b)) in confusable else 1.0)
        ga.append("dev:" + ds.group_of(a))
        gb.append("dev:" + ds.group_of(b))
        src.append("dev")
        pairs.append(frozenset((a, b)))
    own = _own_corpus()
    own_conf = {(min(a, b), max(a, b)) for a, b in own.confusable}
    for i, j, x in candidate_rows(own.names, own.types):
        X.append(x)
        y.append(int(own.truth[i] == own.truth[j]))
        w.append(OWN_WEIGHT * (CONFUSABLE_WEIGHT if (min(i, j), max(i, j)) in own_conf else 1.0))
        ga.append(f"own:{own.truth[i]}")
        gb.append(f"own:{own.truth[j]}")
        src.append("own")
        pairs.append((min(i, j), max(i, j)))
    return ds, own, X, y, w, ga, gb, src, pairs


# Chosen by the held-out-by-cluster figures (shallower or fewer trees lost
# held-out recall; smaller leaves gained in-sample only).
N_TREES, DEPTH, RATE, MIN_LEAF = 300, 4, 0.05, 60


def fit(X, y, w):
    import numpy as np
    from sklearn.ensemble import GradientBoostingClassifier

    gb = GradientBoostingClassifier(
        n_estimators=N_TREES,
        max_depth=DEPTH,
        learning_rate=RATE,
        min_samples_leaf=MIN_LEAF,
        subsample=0.8,
        random_state=14,
    )
    gb.fit(np.asarray(X, dtype=float), np.asarray(y), sample_weight=np.asarray(w))
    return gb


def predict(gb, rows) -> list[float]:
    import numpy as np

    return [100 * float(p) for p in gb.predict_proba(np.asarray(rows, dtype=float))[:, 1]]


def to_json(gb, X, meta: dict) -> dict:
    """The trees as plain arrays; checked against scikit-learn's own decision."""
    import numpy as np

    trees = []
    for est in gb.estimators_[:, 0]:
        t = est.tree_
        trees.append(
            {
                "feature": [
                    int(f) if left >= 0 else -1
                    for f, left in zip(t.feature, t.children_left, strict=True)
                ],
                "threshold": [round(float(v), 9) for v in t.threshold],
                "left": [int(v) for v in t.children_left],
                "right": [int(v) for v in t.children_right],
                "value": [round(float(v), 9) for v in t.value[:, 0, 0]],
            }
        )
    Xa = np.asarray(X, dtype=float)
    raw = gb.decision_function(Xa)
    tree_sum = sum(est.predict(Xa) for est in gb.estimators_[:, 0])
    base = float(np.median(raw - gb.learning_rate * tree_sum))
    data = {
        "kind": "gradient boosted trees (scikit-learn GradientBoostingClassifier)",
        "features": list(pairmodel.FEATURE_NAMES),
        "base": base,
        "learning_rate": gb.learning_rate,
        "trees": trees,
        "meta": meta,
    }
    mine = pairmodel.PairModel(data).log_odds_many(X)
    assert np.allclose(mine, raw, atol=1e-4), "exported trees disagree with scikit-learn"
    return data


def held_out_scores(X, y, w, ga, gb) -> list[float]:
    """Each pair scored by a model fitted without the fold of either of its
    clusters (five folds of clusters; a pair across two folds goes with the
    first, and its model saw neither)."""
    groups = sorted(set(ga) | set(gb))
    rnd = random.Random(14)
    rnd.shuffle(groups)
    fold = {g: k % FOLDS for k, g in enumerate(groups)}
    out = [0.0] * len(X)
    for f in range(FOLDS):
        train = [k for k in range(len(X)) if f not in (fold[ga[k]], fold[gb[k]])]
        test = [k for k in range(len(X)) if min(fold[ga[k]], fold[gb[k]]) == f]
        lr = fit([X[k] for k in train], [y[k] for k in train], [w[k] for k in train])
        held = {fold[ga[k]] for k in test} | {fold[gb[k]] for k in test}
        for g in held - {f}:
            # Pairs reaching a later fold: refit without that fold as well.
            sub = [k for k in test if g in (fold[ga[k]], fold[gb[k]])]
            tr = [k for k in train if g not in (fold[ga[k]], fold[gb[k]])]
            l2 = fit([X[k] for k in tr], [y[k] for k in tr], [w[k] for k in tr])
            for k, p in zip(sub, predict(l2, [X[k] for k in sub]), strict=True):
                out[k] = p
        same = [k for k in test if fold[ga[k]] == fold[gb[k]]]
        for k, p in zip(same, predict(lr, [X[k] for k in same]), strict=True):
            out[k] = p
    return out


def own_figures(own, pairs, src, scores) -> dict:
    """Recall at precision 0.95 and confusable pairs at that threshold, our corpus."""
    scored = {p: s for p, s, c in zip(pairs, scores, src, strict=True) if c == "own"}
    n = len(own.names)
    positives = sum(1 for i in range(n) for j in range(i + 1, n) if own.truth[i] == own.truth[j])
    # Same-key pairs are not in the rows: they score 100.
    same_key = {}
    from desktop.core.names import alias_key

    for i in range(n):
        for j in range(i + 1, n):
            if alias_key(own.names[i]) == alias_key(own.names[j]):
                same_key[(i, j)] = 100.0
    scored.update(same_key)
    tp = fp = 0
    r95 = 0.0
    t95 = None
    for p, s in sorted(scored.items(), key=lambda kv: -kv[1]):
        lab = own.truth[p[0]] == own.truth[p[1]]
        tp, fp = tp + lab, fp + (not lab)
        if tp / (tp + fp) >= 0.95 and tp / positives > r95:
            r95, t95 = tp / positives, s
    conf = sum(
        1
        for a, b in own.confusable
        if t95 is not None and scored.get((min(a, b), max(a, b)), -1) >= t95
    )
    return {
        "r_at_p95": round(r95, 3),
        "confusable_accepted": conf,
        "confusable": len(own.confusable),
    }


def with_implied(scored: dict, types: dict[str, str] | None = None) -> dict:
    """``scored`` (pairs of names to scores) with what suggestion adds beyond
    the model: names of one type (not people) that read the same in
    translation (glossary.meaning_key, at matching.TRANSLATION_SCORE), then the
    pairs a chain of links implies (clusters.implied_pairs; without
    suggestion's veto on two full names that differ, which needs the direct
    score of every implied pair)."""
    from desktop.core import clusters, glossary

    scored = dict(scored)
    if types:
        by_key: dict[tuple, list[str]] = {}
        for name, type_ in types.items():
            found = glossary.meaning_key(name) if type_ != "PER" else None
            if found is not None:
                by_key.setdefault((type_, found[0]), []).append(name)
        for group in by_key.values():
            if len(group) > matching.TRANSLATION_GROUP_MAX:
                continue
            for x, a in enumerate(group):
                for b in group[x + 1 :]:
                    k = frozenset((a, b))
                    scored[k] = max(scored.get(k, 0), matching.TRANSLATION_SCORE)
    ids: dict[str, int] = {}
    for k in scored:
        for name in k:
            ids.setdefault(name, len(ids))
    names = {v: k for k, v in ids.items()}
    links = [
        clusters.Link(*sorted(ids[n] for n in k), int(s)) for k, s in scored.items() if len(k) == 2
    ]
    out = dict(scored)
    for imp in clusters.implied_pairs(links):
        k = frozenset((names[imp.a], names[imp.b]))
        out[k] = max(out.get(k, 0), imp.score)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dev", type=Path, default=devset.DEFAULT_DEV)
    ap.add_argument("--write", action="store_true", help="write desktop/core/data/pair_model.json")
    args = ap.parse_args()
    ds, own, X, y, w, ga, gb, src, pairs = collect(args.dev)
    print(
        f"{len(X)} candidate pairs ({sum(y)} same), {sum(c == 'dev' for c in src)} from the dev set"
    )
    held = held_out_scores(X, y, w, ga, gb)
    lr = fit(X, y, w)
    full = predict(lr, X)
    rules = [x[0] * 100 for x in X]
    report = {}
    for label, scores in (
        ("rules", rules),
        ("model, fitted on all", full),
        ("model, held out by cluster", held),
        ("held out, translations and implied pairs", held),
    ):
        dev_scored = {p: s for p, s, c in zip(pairs, scores, src, strict=True) if c == "dev"}
        # Names with one key (case or punctuation only) are not rows: they score 100.
        for k in ds.positives:
            a, b = tuple(k)
            if matching.NameInfo.of(a).key == matching.NameInfo.of(b).key:
                dev_scored[k] = 100.0
        if "implied" in label:
            dev_scored = with_implied(dev_scored, dict(zip(ds.names, ds.types, strict=True)))
        f = devset.figures(ds, dev_scored)
        o = own_figures(own, pairs, src, scores)
        report[label] = {"dev": f, "own": o}
        print(
            f"{label:28s} dev R@P.95 {f['r_at_p95']:.3f} {f['by_kind']}"
            f" confusable {f['confusable_accepted']} | own R@P.95 {o['r_at_p95']:.3f}"
            f" confusable {o['confusable_accepted']}/{o['confusable']}"
        )
    imp = sorted(
        zip(pairmodel.FEATURE_NAMES, lr.feature_importances_, strict=True), key=lambda kv: -kv[1]
    )
    print("feature importances:", ", ".join(f"{n} {c:.3f}" for n, c in imp))
    if args.write:
        meta = {
            "fitted_on": {
                "dev_pairs": sum(c == "dev" for c in src),
                "own_pairs": sum(c == "own" for c in src),
            },
            "held_out_by_cluster": report["model, held out by cluster"],
            "fitted_on_all": report["model, fitted on all"],
            "rules_alone": report["rules"],
        }
        out = ROOT / "desktop/core/data/pair_model.json"
        data = to_json(lr, X, meta)
        out.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
