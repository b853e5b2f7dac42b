"""Extraction throughput: find, type and link entities in generated articles.

Runs on a sample (default 400 articles of ~800 words) and extrapolates to the
target of 10,000 articles in under 10 minutes on 2 cores. Writes
tests/benchmarks/results/extract.json.

    pytest -m benchmark tests/benchmarks/test_extract.py -s
"""

from __future__ import annotations

import json
import os
import platform
import random
import time
from pathlib import Path

import pytest

from desktop.core.extract.ner import load
from desktop.core.ingest import RawArticle
from desktop.core.services.extraction import extract_articles
from desktop.core.services.ingest import store_article
from desktop.core.store import Store

RESULTS = Path(__file__).parent / "results" / "extract.json"
SAMPLE = int(os.environ.get("EXTRACT_BENCH_ARTICLES", "400"))
TARGET_ARTICLES = 10_000
TARGET_SECONDS = 600

_SYL = [
    "ma",
    "sood",
    "zah",
    "eer",
    "qu",
    "resh",
    "im",
    "ran",
    "na",
    "ji",
    "ha",
    "fiz",
    "ba",
    "dar",
    "gul",
    "ra",
    "shid",
    "kha",
    "lid",
    "far",
    "ooq",
    "ta",
    "riq",
    "sa",
    "jid",
    "wa",
    "li",
    "ul",
]
_ORG_HEAD = ["Lashkar", "Jaish", "Tehreek", "Harkat", "Jamaat", "Hizb", "Ansar"]
_CONN = ["e", "i", "ul", "ud", "al"]
_PLACES = [
    "Quetta",
    "Rawalakot",
    "Muzaffarabad",
    "Kandahar",
    "Idlib",
    "Peshawar",
    "Lahore",
    "Kabul",
    "Bahawalpur",
    "Karachi",
    "Herat",
    "Aleppo",
    "Raqqa",
    "Deir ez-Zor",
]
_FILLER = (
    "Officials said the investigation was continuing and that more arrests were expected "
    "in the coming days. Residents described hearing gunfire late into the night, while "
    "security forces sealed the roads leading to the market. Analysts said the group had "
    "been weakened by years of operations but retained the ability to strike. "
)


def _name(rng: random.Random, parts: int) -> str:
    return " ".join(
        "".join(rng.choice(_SYL) for _ in range(rng.randint(2, 3))).title() for _ in range(parts)
    )


def _article(rng: random.Random) -> str:
    people = [_name(rng, rng.choice((2, 3))) for _ in range(4)]
    orgs = []
    for _ in range(2):
        tail = "".join(rng.choice(_SYL) for _ in range(2)).title()
        orgs.append(f"{rng.choice(_ORG_HEAD)}-{rng.choice(_CONN)}-{tail}")
    paras = []
    words = 0
    i = 0
    while words < 800:
        p, o, place = people[i % 4], orgs[i % 2], rng.choice(_PLACES)
        acro = "".join(w[0] for w in o.split("-")).upper()
        if i < 2:
            s = f"Maulana {p}, a leader of {o} ({acro}), was seen in {place} on Monday. "
        else:
            s = f"{p.split()[-1]} later told reporters in {place} that {acro} had no role. "
        para = s + _FILLER
        paras.append(para)
        words += len(para.split())
        i += 1
    return f"{rng.choice(_PLACES)}: " + "\n\n".join(paras)


@pytest.mark.benchmark
@pytest.mark.parametrize("n_process", [1, 2])
def test_extract_throughput(store: Store, n_process: int) -> None:
    rng = random.Random(2026)
    bodies = [_article(rng) for _ in range(SAMPLE)]
    ids = [
        store_article(store, RawArticle(body=b, original=b.encode(), format="txt"))[0]
        for b in bodies
    ]
    nlp = load()
    assert nlp is not None
    tokens = sum(len(nlp.tokenizer(b)) for b in bodies)
    words = sum(len(b.split()) for b in bodies)
    batch = 64
    t0 = time.perf_counter()
    report = extract_articles(store, ids, processes=n_process, batch_size=batch)
    took = time.perf_counter() - t0
    assert report.articles == SAMPLE
    assert report.mentions > SAMPLE * 10
    rate = SAMPLE / took
    extrapolated = TARGET_ARTICLES / rate * (800 / (words / SAMPLE))
    result = {
        "n_process": n_process,
        "batch_size": batch,
        "sample_articles": SAMPLE,
        "mean_words_per_article": round(words / SAMPLE, 1),
        "tokens": tokens,
        "seconds": round(took, 2),
        "articles_per_second": round(rate, 2),
        "tokens_per_second": round(tokens / took),
        "mentions": report.mentions,
        "extrapolated_seconds_for_10000_articles_of_800_words": round(extrapolated, 1),
        "target_seconds": TARGET_SECONDS,
        "meets_target": extrapolated < TARGET_SECONDS,
        "cpu_count": os.cpu_count(),
        "load_average_1min_after": round(os.getloadavg()[0], 2),
        "python": platform.python_version(),
        "note": "sample extrapolated linearly; the machine was shared with other jobs",
    }
    data = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    data[f"n_process_{n_process}"] = result
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(data, indent=1) + "\n")
    print(json.dumps(result, indent=1))
