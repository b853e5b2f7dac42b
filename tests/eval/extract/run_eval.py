"""Evaluate mention detection and linking against the gold corpus.

Reports, for our extractor (through the real services and a fresh database)
and for spaCy alone on the same texts:
- mention precision, recall and F1, exact span and type, overall and per type;
- linking: pairwise precision, recall and F1 over the gold mentions both found,
  pairs in the same gold cluster vs pairs on the same predicted entity (across
  the whole corpus, so cross-article linking counts). spaCy alone "links"
  mentions with the same surface text.
Then compares with baseline.json (``--save-baseline`` rewrites it).

    python tests/eval/extract/run_eval.py [--half dev|test|all] [--save-baseline] [--errors]
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from desktop.core.extract.ner import EXCLUDE, LABELS, MODEL  # noqa: E402
from desktop.core.ingest import RawArticle  # noqa: E402
from desktop.core.services.extraction import extract_articles  # noqa: E402
from desktop.core.services.ingest import store_article  # noqa: E402
from desktop.core.services.library import article_mentions  # noqa: E402
from desktop.core.store import open_store  # noqa: E402

TYPES = ("PER", "ORG", "LOC")
Mention = tuple[str, int, int, str]  # article, start, end, type


def load_gold() -> list[dict[str, Any]]:
    sys.path.insert(0, str(HERE))
    import build_gold

    return build_gold.build()["articles"]


def predict_ours(articles: list[dict[str, Any]]) -> dict[Mention, str]:
    """(article, start, end, type) -> predicted entity id, via the services."""
    out: dict[Mention, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "eval.sqlite")
        try:
            ids = {}
            for a in articles:
                raw = RawArticle(body=a["text"], original=a["text"].encode(), format="txt")
                ids[a["id"]], _ = store_article(store, raw)
            extract_articles(store, list(ids.values()))
            for a in articles:
                for mi in article_mentions(store, ids[a["id"]]):
                    # The corpus marks people, organisations and places only:
                    # a MISC name (a work, an event) is neither right nor wrong.
                    if mi.status == "rejected" or mi.type not in TYPES:
                        continue
                    out[(a["id"], mi.start, mi.end, mi.type)] = f"e{mi.entity_id}"
        finally:
            store.close()
    return out


def predict_spacy(articles: list[dict[str, Any]]) -> dict[Mention, str]:
    """spaCy's small English model as it comes (not our fitted one)."""
    import spacy

    nlp = spacy.load(MODEL, exclude=EXCLUDE)
    out: dict[Mention, str] = {}
    for a, doc in zip(articles, nlp.pipe(a["text"] for a in articles), strict=True):
        for ent in doc.ents:
            label = LABELS.get(ent.label_)
            if label in TYPES:
                out[(a["id"], ent.start_char, ent.end_char, label)] = ent.text
    return out


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def score(articles: list[dict[str, Any]], pred: dict[Mention, str]) -> dict[str, Any]:
    ids = {a["id"] for a in articles}
    gold: dict[Mention, str] = {}
    for a in articles:
        for m in a["mentions"]:
            gold[(a["id"], m["start"], m["end"], m["type"])] = m["cluster"]
    pred = {k: v for k, v in pred.items() if k[0] in ids}
    result: dict[str, Any] = {}
    g, p = set(gold), set(pred)
    result["mentions"] = prf(len(g & p), len(p - g), len(g - p))
    result["by_type"] = {
        t: prf(
            len({x for x in g & p if x[3] == t}),
            len({x for x in p - g if x[3] == t}),
            len({x for x in g - p if x[3] == t}),
        )
        for t in TYPES
    }
    # Linking: over gold mentions whose span was found (type aside).
    by_span = {(k[0], k[1], k[2]): v for k, v in pred.items()}
    found = [(k, c) for k, c in gold.items() if (k[0], k[1], k[2]) in by_span]
    tp = fp = fn = 0
    for (k1, c1), (k2, c2) in itertools.combinations(found, 2):
        same_gold = c1 == c2
        same_pred = by_span[(k1[0], k1[1], k1[2])] == by_span[(k2[0], k2[1], k2[2])]
        if same_gold and same_pred:
            tp += 1
        elif same_pred:
            fp += 1
        elif same_gold:
            fn += 1
    result["linking"] = prf(tp, fp, fn)
    result["linking"]["mentions_scored"] = len(found)
    return result


def errors(articles: list[dict[str, Any]], pred: dict[Mention, str]) -> list[str]:
    lines = []
    for a in articles:
        gold = {(a["id"], m["start"], m["end"], m["type"]) for m in a["mentions"]}
        mine = {k for k in pred if k[0] == a["id"]}
        for k in sorted(gold - mine, key=lambda k: k[1]):
            lines.append(f"{a['id']} MISSED {a['text'][k[1] : k[2]]!r} {k[3]}")
        for k in sorted(mine - gold, key=lambda k: k[1]):
            lines.append(f"{a['id']} EXTRA  {a['text'][k[1] : k[2]]!r} {k[3]}")
    return lines


def link_errors(articles: list[dict[str, Any]], pred: dict[Mention, str]) -> list[str]:
    by_span = {(k[0], k[1], k[2]): v for k, v in pred.items()}
    clusters: dict[str, set[str]] = defaultdict(set)
    texts: dict[str, set[str]] = defaultdict(set)
    for a in articles:
        for m in a["mentions"]:
            p = by_span.get((a["id"], m["start"], m["end"]))
            if p is not None:
                clusters[m["cluster"]].add(p)
                texts[p].add(m["cluster"])
    out = [f"SPLIT  {c}: {sorted(ps)}" for c, ps in clusters.items() if len(ps) > 1]
    out += [f"JOINED {p}: {sorted(cs)}" for p, cs in texts.items() if len(cs) > 1]
    return out


def evaluate(half: str = "all") -> dict[str, Any]:
    articles = [a for a in load_gold() if half == "all" or a["half"] == half]
    ours = predict_ours(articles)
    spacy = predict_spacy(articles)
    return {
        "half": half,
        "articles": len(articles),
        "gold_mentions": sum(len(a["mentions"]) for a in articles),
        "ours": score(articles, ours),
        "spacy_alone": score(articles, spacy),
        "_pred": ours,
        "_articles": articles,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--half", choices=("dev", "test", "fresh", "all"), default=None)
    ap.add_argument("--save-baseline", action="store_true")
    ap.add_argument("--errors", action="store_true", help="list missed and extra mentions")
    args = ap.parse_args()
    halves = [args.half] if args.half else ["dev", "test", "fresh", "all"]
    report = {}
    for half in halves:
        r = evaluate(half)
        pred, arts = r.pop("_pred"), r.pop("_articles")
        report[half] = r
        if args.errors:
            print("\n".join(errors(arts, pred) + link_errors(arts, pred)))
    baseline_path = HERE / "baseline.json"
    baseline = json.loads(baseline_path.read_text()) if baseline_path.exists() else {}
    for half, r in report.items():
        o, s = r["ours"], r["spacy_alone"]
        print(f"[{half}] {r['articles']} articles, {r['gold_mentions']} gold mentions")
        print(f"  {'':14}{'ours':>24}{'spaCy alone':>26}")
        rows = [("mentions", o["mentions"], s["mentions"])]
        rows += [(t, o["by_type"][t], s["by_type"][t]) for t in TYPES]
        rows += [("linking", o["linking"], s["linking"])]
        for name, a, b in rows:
            fa = f"P {a['precision']:.3f} R {a['recall']:.3f} F1 {a['f1']:.3f}"
            fb = f"P {b['precision']:.3f} R {b['recall']:.3f} F1 {b['f1']:.3f}"
            print(f"  {name:<12}{fa:>26}{fb:>26}")
        base = baseline.get(half, {}).get("ours")
        if base:
            dm = o["mentions"]["f1"] - base["mentions"]["f1"]
            dl = o["linking"]["f1"] - base["linking"]["f1"]
            print(f"  vs baseline: mention F1 {dm:+.3f}, linking F1 {dl:+.3f}")
    if args.save_baseline:
        baseline_path.write_text(json.dumps(report, indent=1) + "\n")
        print(f"saved {baseline_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
