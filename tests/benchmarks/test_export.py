"""Export speed: a dossier of 50 entities with 2,000 mentions to PDF.

Run on demand: ``pytest -m benchmark tests/benchmarks/test_export.py -s``.
Target: under 10 s (issue 7). Writes tests/benchmarks/results/export.json.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import platform
import random
import time
import zlib
from pathlib import Path

import pytest

from desktop.core import models as m
from desktop.core.dossier import assemble
from desktop.core.services import dossiers as ds
from desktop.core.store import Store

RESULTS = Path(__file__).with_name("results") / "export.json"
N_ENTITIES, N_MENTIONS, N_ARTICLES = 50, 2000, 250
WORDS = (
    "officials said the group met in the district after the attack while police reported "
    "arrests and the court heard that funds moved through several accounts"
)


def _build(store: Store) -> int:
    rng = random.Random(7)
    names = [f"Person {i:02d} Khan" if i % 3 else f"مسعود {i:02d}" for i in range(N_ENTITIES)]
    with store.session() as s:
        entities = []
        for i, name in enumerate(names):
            e = m.Entity(name=name, type="PER" if i % 2 else "ORG", description=f"Entity {i}")
            s.add(e)
            s.flush()
            s.add(m.Alias(entity_id=e.id or 0, name=name, key=name.casefold(), kind="name"))
            entities.append((e.id or 0, name))
        per_article = N_MENTIONS // N_ARTICLES
        for a in range(N_ARTICLES):
            parts, spans = [], []
            pos = 0
            for k in range(per_article):
                filler = " ".join(rng.choice(WORDS.split()) for _ in range(30)) + " "
                parts.append(filler)
                pos += len(filler)
                eid, name = entities[(a * per_article + k) % N_ENTITIES]
                spans.append((pos, pos + len(name), name, eid))
                parts.append(name + ". ")
                pos += len(name) + 2
            body = "".join(parts)
            original = body.encode()
            article = m.Article(
                title=f"Report {a}",
                publication="Wire",
                published=dt.date(2020, 1, 1) + dt.timedelta(days=a),
                url=f"https://example.org/{a}",
                body=body,
                original=zlib.compress(original),
                original_size=len(original),
                sha256=hashlib.sha256(original).hexdigest(),
            )
            s.add(article)
            s.flush()
            for start, end, name, eid in spans:
                s.add(
                    m.Mention(
                        article_id=article.id or 0,
                        start=start,
                        end=end,
                        text=name,
                        entity_id=eid,
                        status="confirmed",
                    )
                )
    d = ds.create_dossier(store, "Benchmark dossier", marking="CONFIDENTIAL")
    for eid, _ in entities:
        ds.add_entity(store, d.id, eid)
    return d.id


@pytest.mark.benchmark
def test_export_50_entities_2000_mentions(store, tmp_path):
    from desktop.report.pdf import write_pdf

    dossier_id = _build(store)
    t0 = time.perf_counter()
    data = assemble(store, dossier_id)
    t1 = time.perf_counter()
    result = write_pdf(data, tmp_path / "bench.pdf")
    t2 = time.perf_counter()
    mentions = sum(len(s.mentions) for s in data.entity_sections())
    assert mentions == N_MENTIONS
    report = {
        "entities": N_ENTITIES,
        "mentions": mentions,
        "articles": N_ARTICLES,
        "pages": result.pages,
        "assemble_seconds": round(t1 - t0, 2),
        "pdf_seconds": round(t2 - t1, 2),
        "total_seconds": round(t2 - t0, 2),
        "target_seconds": 10,
        "pdf_bytes": (tmp_path / "bench.pdf").stat().st_size,
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))
    assert report["total_seconds"] < 10
