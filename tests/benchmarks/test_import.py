"""Import 10,000 generated articles; report the rate for the first and last
thousand and the peak memory, and check that import does not slow down as the
library grows (the duplicate check is one lookup in the sha256 index).

    pytest -m benchmark tests/benchmarks/test_import.py -s

Writes tests/benchmarks/results/import.json.
"""

from __future__ import annotations

import json
import os
import platform
import random
import resource
import statistics
import sys
import time
from pathlib import Path

import pytest

from desktop.core.services.ingest import import_paths

N = 10_000
WINDOW = 1_000
RESULTS = Path(__file__).resolve().parent / "results" / "import.json"

GROUPS = ["Jaish-e-Mohammed (JeM)", "Lashkar-e-Taiba (LeT)", "Hizbul Mujahideen (HM)",
          "Tehreek-e-Taliban Pakistan (TTP)", "Islamic State Khorasan Province (ISKP)",
          "Baloch Liberation Army (BLA)", "The Resistance Front (TRF)"]  # fmt: skip
PEOPLE = ["Masood Azhar", "Hafiz Muhammad Saeed", "Syed Salahuddin", "Noor Wali Mehsud",
          "Sanaullah Ghafari", "Bashir Zeb", "Sheikh Sajjad Gul", "Abdul Rauf Asghar"]  # fmt: skip
PLACES = ["Lahore", "Srinagar", "Peshawar", "Quetta", "Kabul", "Bahawalpur", "Muridke",
          "Gwadar", "Kupwara", "Islamabad", "New Delhi", "Jalalabad"]  # fmt: skip
VERBS = ["questioned", "arrested", "charged", "named", "released", "identified"]


def _article(i: int, rng: random.Random) -> tuple[str, str]:
    place, group, person = rng.choice(PLACES), rng.choice(GROUPS), rng.choice(PEOPLE)
    title = f"Police in {place} {rng.choice(VERBS)} suspects linked to {group.split(' (')[0]}"
    paras = [
        f"{place.upper()}: Police {rng.choice(VERBS)} {rng.randint(2, 9)} men suspected of links "
        f"to {group} on day {i}, officials said. {person} was named in the report."
    ]
    for _ in range(rng.randint(3, 6)):
        paras.append(
            f"Officials in {rng.choice(PLACES)} said {person.split()[-1]} had met members of "
            f"{rng.choice(GROUPS)} in {rng.choice(PLACES)} in {rng.randint(2001, 2024)}. "
            f"The case number is {rng.randint(10_000, 99_999)} and the hearing resumes next week."
        )
    return title, "\n\n".join(paras)


def _write_corpus(folder: Path) -> None:
    rng = random.Random(1234)
    for i in range(N):
        sub = folder / f"{i // 500:03d}"
        sub.mkdir(exist_ok=True)
        title, body = _article(i, rng)
        if i % 10 == 9:
            paras = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
            page = (
                f"<html><head><title>{title}</title></head><body><nav>Home | World | Sport</nav>"
                f"<article><h1>{title}</h1>{paras}</article>"
                "<footer>All rights reserved.</footer></body></html>"
            )
            (sub / f"{i:05d}.html").write_text(page, encoding="utf-8")
        else:
            (sub / f"{i:05d}.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports kilobytes, macOS bytes.
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


@pytest.mark.benchmark
def test_import_ten_thousand_articles(store, tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    _write_corpus(folder)
    rss_before = _peak_rss_mb()
    stamps: list[float] = []
    start = time.perf_counter()
    report = import_paths(
        store, [folder], progress=lambda d, t, p: stamps.append(time.perf_counter())
    )
    total = time.perf_counter() - start
    assert report.failed == []
    assert len(report.imported) == N

    again_start = time.perf_counter()
    again = import_paths(store, [folder])
    again_seconds = time.perf_counter() - again_start
    assert len(again.duplicates) == N

    # Per-file times: their medians are robust to the other work sharing the
    # machine, which the throughput of a window is not.
    per_file = [b - a for a, b in zip([start, *stamps[:-1]], stamps, strict=True)]
    median_first = statistics.median(per_file[:WINDOW]) * 1000
    median_last = statistics.median(per_file[-WINDOW:]) * 1000
    first = WINDOW / (stamps[WINDOW - 1] - start)
    last = WINDOW / (stamps[-1] - stamps[-WINDOW - 1])
    results = {
        "articles": N,
        "mix": "90% .txt, 10% .html, 4-7 paragraphs each",
        "seconds": round(total, 1),
        "articles_per_second": round(N / total, 1),
        "first_1000_per_second": round(first, 1),
        "last_1000_per_second": round(last, 1),
        "last_to_first_ratio": round(last / first, 2),
        "median_ms_per_file_first_1000": round(median_first, 2),
        "median_ms_per_file_last_1000": round(median_last, 2),
        "reimport_duplicates_per_second": round(N / again_seconds, 1),
        "peak_rss_mb": _peak_rss_mb(),
        "peak_rss_mb_before_import": rss_before,
        "database_mb": round(store.path.stat().st_size / 1048576, 1),
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))
    # The library growing from 0 to 9,000 articles must not slow the import.
    assert median_last <= 1.3 * median_first
