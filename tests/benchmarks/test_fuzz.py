"""More than 10,000 fuzz cases against the readers, the name normaliser and
the matcher, from a fixed seed, counting every failure instead of stopping at
the first (tests/core/fuzz_targets.py says what a failure is).

    pytest -m benchmark tests/benchmarks/test_fuzz.py -s

Writes tests/benchmarks/results/fuzz.json: cases per target, failures found
in this run, the failures found by earlier runs and fixed in the code, and
the failures left.
"""

from __future__ import annotations

import json
import os
import platform
import random
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.core import fuzz_targets as fz

RESULTS = Path(__file__).resolve().parent / "results" / "fuzz.json"
SEED = 20261125
READER_CASES = 1000  # per format
NAME_CASES = 3000
MATCHER_CASES = 1000

# Found by this fuzzer (or the kill test's damaged files) and fixed; kept here
# so the results file says what the figures cost.
FIXED: list[str] = []


@pytest.mark.benchmark
def test_fuzz_benchmark() -> None:
    rnd = random.Random(SEED)
    cases: Counter[str] = Counter()
    seconds: Counter[str] = Counter()
    slowest: dict[str, float] = {}
    failures: list[str] = []
    start = time.monotonic()

    def run(target: str, fn) -> None:  # type: ignore[no-untyped-def]
        t = time.monotonic()
        problem = fn()
        took = time.monotonic() - t
        cases[target] += 1
        seconds[target] += took
        slowest[target] = max(slowest.get(target, 0.0), took)
        if problem:
            failures.append(f"{target}: {problem}")

    for fmt in fz.FORMATS:
        for _ in range(READER_CASES):
            data = fz.reader_input(fmt, rnd)
            run(f"reader:{fmt}", lambda fmt=fmt, data=data: fz.check_reader(fmt, data))
    for _ in range(NAME_CASES):
        a, b = fz.random_text(rnd), fz.random_text(rnd)
        run("names", lambda a=a, b=b: fz.check_names(a, b))
    for _ in range(MATCHER_CASES):
        lists = [
            [fz.random_text(rnd) for _ in range(rnd.randint(1, 3))]
            for _ in range(rnd.randint(1, 12))
        ]
        types = [rnd.choice(fz.TYPES) for _ in range(4)]
        query = fz.random_text(rnd)
        run("matcher", lambda lists=lists, types=types, q=query: fz.check_matcher(lists, types, q))

    result = {
        "seed": SEED,
        "cases": sum(cases.values()),
        "cases_per_target": dict(cases),
        "mean_ms_per_case": {k: round(1000 * seconds[k] / cases[k], 1) for k in cases},
        "slowest_case_seconds": {k: round(v, 2) for k, v in slowest.items()},
        "case_time_limit_seconds": fz.CASE_SECONDS,
        "failures_found_this_run": len(failures),
        "failure_messages": failures[:30],
        "failures_found_and_fixed": FIXED,
        "failures_left": len(failures),
        "seconds": round(time.monotonic() - start, 1),
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
    }
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    json.dump(result, sys.stdout, indent=2, ensure_ascii=False)
    assert sum(cases.values()) >= 10_000
    assert failures == []
