"""300 SIGKILLs of the CLI during import, re-linking and merging, each
followed by the checks of tests/core/crash_harness.py and a second run to
completion.

    pytest -m benchmark tests/benchmarks/test_kill.py -s

Writes tests/benchmarks/results/kill.json: runs, kills per operation (and how
many landed after some work was committed and reported), failures found and
failures left. A failure found is fixed in the code, then this is run again:
the committed figures are those of the last run.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from pathlib import Path

import pytest

from tests.core import crash_harness as harness

RESULTS = Path(__file__).resolve().parent / "results" / "kill.json"
PLAN = {"import": 100, "import-no-extract": 50, "relink": 90, "merge": 60}
SEED = 1


@pytest.mark.benchmark
def test_kill_benchmark(tmp_path: Path) -> None:
    start = time.monotonic()
    scenario = harness.prepare(tmp_path)
    tally = harness.kill_runs(scenario, PLAN, seed=SEED)
    result = {
        "runs": tally.runs,
        "plan": PLAN,
        "seed": SEED,
        "kills": tally.kills,
        "kills_after_first_committed_unit": tally.kills_after_first_unit,
        "finished_before_the_kill": tally.finished_before_kill,
        "uninterrupted_seconds": {k: round(v, 2) for k, v in scenario.duration.items()},
        "corpus_articles": scenario.reference["import"]["articles"],
        "failures_left": len(tally.failures),
        "failure_messages": tally.failures[:20],
        "seconds": round(time.monotonic() - start, 1),
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
    }
    # Failures found by earlier runs and fixed in the code (see the commit log).
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    result["failures_found_and_fixed"] = previous.get("failures_found_and_fixed", [])
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    json.dump(result, sys.stdout, indent=2)
    assert tally.failures == []
