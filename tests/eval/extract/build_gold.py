"""Turn the marked-up corpus (corpus_dev.txt, corpus_test.txt) into gold.json.

Markup: ``[[surface|TYPE|cluster]]``; articles start with ``=== ID half``.
Halves: ``dev`` (rules developed on it), ``test`` (measured before looking, then
its errors were studied), ``fresh`` (written last and measured once, untuned).
Offsets are computed here, never by hand. Cluster ids are global to the corpus,
so linking is scored across articles as well as within them.

    python tests/eval/extract/build_gold.py
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
MARK = re.compile(r"\[\[([^|\]]+)\|(PER|ORG|LOC|MISC)\|([\w-]+)\]\]")


def parse(path: Path) -> list[dict[str, object]]:
    articles = []
    blocks = re.split(r"^=== ", path.read_text(encoding="utf-8"), flags=re.M)
    for block in blocks:
        if not block.strip():
            continue
        header, _, body = block.partition("\n")
        art_id, half = header.split()
        text_parts: list[str] = []
        mentions = []
        pos = 0
        length = 0
        for m in MARK.finditer(body):
            plain = body[pos : m.start()]
            if "[[" in plain or "]]" in plain:
                raise SystemExit(f"{path}:{art_id}: broken markup near {plain[-40:]!r}")
            text_parts.append(plain)
            length += len(plain)
            surface = m.group(1)
            mentions.append(
                {
                    "start": length,
                    "end": length + len(surface),
                    "text": surface,
                    "type": m.group(2),
                    "cluster": m.group(3),
                }
            )
            text_parts.append(surface)
            length += len(surface)
            pos = m.end()
        tail = body[pos:]
        if "[[" in tail or "]]" in tail:
            raise SystemExit(f"{path}:{art_id}: broken markup near {tail[:40]!r}")
        text_parts.append(tail)
        text = "".join(text_parts).strip("\n") + "\n"
        lead = len("".join(text_parts)) - len("".join(text_parts).lstrip("\n"))
        for mention in mentions:
            mention["start"] -= lead
            mention["end"] -= lead
            assert text[mention["start"] : mention["end"]] == mention["text"]
        articles.append({"id": art_id, "half": half, "text": text, "mentions": mentions})
    return articles


def build() -> dict[str, object]:
    articles = []
    for name in ("corpus_dev.txt", "corpus_test.txt", "corpus_fresh.txt"):
        articles += parse(HERE / name)
    return {"version": 1, "articles": articles}


def main() -> int:
    gold = build()
    (HERE / "gold.json").write_text(
        json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    n = sum(len(a["mentions"]) for a in gold["articles"])
    print(f"{len(gold['articles'])} articles, {n} gold mentions -> gold.json", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
