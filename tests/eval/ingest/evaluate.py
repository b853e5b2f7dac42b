"""Measure HTML body extraction on our corpus of pages with known main text.

    .venv/bin/python tests/eval/ingest/evaluate.py [--save-baseline]

For every ``corpus/<slug>.html`` the HTML reader's body is split into lines
(paragraphs) and matched against the known paragraphs in ``<slug>.json``: a
body line counts as correct when it is the same as a known paragraph not yet
matched (after whitespace normalisation, similarity >= 90 with rapidfuzz, so a
changed quote mark is not a miss but a paragraph cut in half is).

- precision = correct body lines / body lines extracted (furniture kept lowers it)
- recall    = matched known paragraphs / known paragraphs (text lost lowers it)

Both are micro-averaged over the corpus; title, author and date accuracy are
reported too. The same pages are also measured as *pasted text* (their visible
text, as a browser copies it, through the plain-text furniture rules):
``paste_precision`` and ``paste_recall``. Results go to ``results.json``; the
run fails (exit 1) when one of these falls more than 0.02 below ``baseline.json``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from rapidfuzz import fuzz

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
RESULTS = HERE / "results.json"
BASELINE = HERE / "baseline.json"
TOLERANCE = 0.02


def _norm(text: str) -> str:
    return " ".join(text.split())


def score_page(body: str, gold: list[str], title: str = "") -> tuple[int, int, int]:
    """(correct lines, extracted lines, gold paragraphs matched).

    The headline, which the importer keeps as the body's first line so that its
    names are found, is the title and not counted either way."""
    lines = [_norm(line) for line in body.split("\n") if line.strip()]
    if lines and title and lines[0] == _norm(title):
        lines = lines[1:]
    remaining = [_norm(g) for g in gold]
    correct = 0
    for line in lines:
        best = max(
            range(len(remaining)), key=lambda i: fuzz.ratio(line, remaining[i]), default=None
        )
        if best is not None and fuzz.ratio(line, remaining[best]) >= 90:
            correct += 1
            remaining.pop(best)
    return correct, len(lines), len(gold) - len(remaining)


def evaluate(corpus: Path = CORPUS) -> dict[str, object]:
    from desktop.core.ingest.clean import decode
    from desktop.core.ingest.html import fallback_text
    from desktop.core.ingest.readers import read_file, read_pasted

    pages = []
    totals = {"correct": 0, "extracted": 0, "matched": 0, "gold": 0}
    meta_hits = {"title": 0, "author": 0, "date": 0}
    paste = {"correct": 0, "extracted": 0, "matched": 0}
    for html_path in sorted(corpus.glob("*.html")):
        gold = json.loads(html_path.with_suffix(".json").read_text(encoding="utf-8"))
        raw = read_file(html_path)
        correct, extracted, matched = score_page(raw.body, gold["body"], raw.title)
        totals["correct"] += correct
        totals["extracted"] += extracted
        totals["matched"] += matched
        totals["gold"] += len(gold["body"])
        hits = {
            "title": _norm(raw.title) == _norm(gold["title"]),
            "author": raw.author == gold["author"],
            "date": (raw.published.isoformat() if raw.published else "") == gold["date"],
        }
        for key, ok in hits.items():
            meta_hits[key] += ok
        visible = fallback_text(decode(html_path.read_bytes(), html_path.name)[0])
        pasted = read_pasted(visible)
        p_correct, p_extracted, p_matched = score_page(pasted.body, gold["body"], pasted.title)
        paste["correct"] += p_correct
        paste["extracted"] += p_extracted
        paste["matched"] += p_matched
        pages.append(
            {
                "page": html_path.name,
                "layout": gold["layout"],
                "precision": round(correct / extracted, 3) if extracted else 0.0,
                "recall": round(matched / len(gold["body"]), 3),
                "paste_precision": round(p_correct / p_extracted, 3) if p_extracted else 0.0,
                "paste_recall": round(p_matched / len(gold["body"]), 3),
                **hits,
            }
        )
    n = len(pages)
    return {
        "pages": n,
        "precision": round(totals["correct"] / max(totals["extracted"], 1), 3),
        "recall": round(totals["matched"] / max(totals["gold"], 1), 3),
        "paste_precision": round(paste["correct"] / max(paste["extracted"], 1), 3),
        "paste_recall": round(paste["matched"] / max(totals["gold"], 1), 3),
        "title_accuracy": round(meta_hits["title"] / max(n, 1), 3),
        "author_accuracy": round(meta_hits["author"] / max(n, 1), 3),
        "date_accuracy": round(meta_hits["date"] / max(n, 1), 3),
        "per_page": pages,
    }


def main(argv: list[str]) -> int:
    results = evaluate()
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    for page in results["per_page"]:  # type: ignore[union-attr]
        print(
            f"{page['page']:<40} {page['layout']:<14} P={page['precision']:.2f} "
            f"R={page['recall']:.2f} paste P={page['paste_precision']:.2f} "
            f"R={page['paste_recall']:.2f} title={'ok' if page['title'] else 'MISS'} "
            f"author={'ok' if page['author'] else 'MISS'} date={'ok' if page['date'] else 'MISS'}"
        )
    summary = {k: v for k, v in results.items() if k != "per_page"}
    print(json.dumps(summary, indent=2))
    if "--save-baseline" in argv:
        BASELINE.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
        print(f"baseline saved to {BASELINE}")
        return 0
    if BASELINE.exists():
        baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
        worse = [
            f"{key}: {results[key]} < baseline {baseline[key]}"
            for key in ("precision", "recall", "paste_precision", "paste_recall")
            if float(results[key]) < float(baseline[key]) - TOLERANCE  # type: ignore[arg-type]
        ]
        if worse:
            print("WORSE THAN BASELINE: " + "; ".join(worse))
            return 1
        print("not worse than the baseline")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parents[2]))
    sys.exit(main(sys.argv[1:]))
