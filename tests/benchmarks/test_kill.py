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

# Found by the kill test, fixed in the code.
FIXED = [
    "import: after a kill during the import phase, the second run extracted the new "
    "articles first and the ones stored before the kill last; linking depends on order, "
    "so the library differed from an uninterrupted import (114 entities instead of 115). "
    "The second run now extracts in import order.",
    "import into a new library: a kill while the schema was being created left the first "
    "migration's tables without a schema version (Python's sqlite3 module commits each "
    "CREATE TABLE by itself), and every later start failed with 'table article already "
    "exists'. Migrations now run in one transaction, DDL included (store.py, upgrade).",
]
# Found while auditing the services for this test, fixed before it first ran.
FOUND_BY_AUDIT = [
    "import: a kill between the import and the extraction phases left articles without "
    "mentions for good (a second run saw duplicates and extracted nothing); a second run "
    "now extracts the stored articles that have no mentions.",
    "re-linking after a merge (the window): the History entry that makes the added "
    "mentions undoable was written after all articles were done, in its own transaction; "
    "a kill in between left mentions no undo could remove. It is now written and extended "
    "in each article's transaction.",
    "extraction and re-linking committed 32 articles at a time and reported nothing per "
    "article; each article is now one transaction, reported (--progress) after its commit.",
]


@pytest.mark.benchmark
def test_kill_benchmark(tmp_path: Path) -> None:
    start = time.monotonic()
    scenario = harness.prepare(tmp_path)
    reference = {k: round(v, 2) for k, v in scenario.duration.items()}
    tally = harness.kill_runs(scenario, PLAN, seed=SEED)
    result = {
        "runs": tally.runs,
        "plan": PLAN,
        "seed": SEED,
        "kills": tally.kills,
        "kills_after_first_committed_unit": tally.kills_after_first_unit,
        "finished_before_the_kill": tally.finished_before_kill,
        "reference_seconds": reference,
        # The fastest complete run of each (delays were drawn from [0, this]).
        "fastest_complete_seconds": {k: round(v, 2) for k, v in scenario.duration.items()},
        "corpus_articles": scenario.reference["import"]["articles"],
        "failures_left": len(tally.failures),
        "failure_messages": tally.failures[:20],
        "seconds": round(time.monotonic() - start, 1),
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
    }
    result["failures_found_and_fixed"] = FIXED
    result["found_by_audit_and_fixed"] = FOUND_BY_AUDIT
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    json.dump(result, sys.stdout, indent=2)
    assert tally.failures == []


# -- backup and restore with the clock moved (issue 19) -----------------------------

BACKUP_RESULTS = Path(__file__).resolve().parent / "results" / "kill_backup.json"
BACKUP_PLAN = {"backup": 50, "restore": 50}
BACKUP_SEED = 19
BACKUP_FIXED = [
    "restore with the clock behind the newest backup: backups were pruned by the time in "
    "their names, so the safety copy of the restore counted as the oldest and was deleted. "
    "Backups are now numbered by a sequence and safety copies live apart (before-restore/).",
    "a killed backup left a hidden .part copy of the library's size that nothing removed; "
    "the next backup now removes .part and .part-journal files in the backups folder.",
]


@pytest.mark.benchmark
def test_kill_backup_and_restore_benchmark(tmp_path: Path) -> None:
    start = time.monotonic()
    scenario = harness.prepare_backups(tmp_path / "backups")
    reference = {k: round(v, 2) for k, v in scenario.duration.items()}
    tally = harness.kill_backup_runs(scenario, BACKUP_PLAN, seed=BACKUP_SEED)
    result = {
        "runs": tally.runs,
        "plan": BACKUP_PLAN,
        "seed": BACKUP_SEED,
        "clock": "existing backups named and dated a day ahead (even runs) or behind (odd)",
        "library_rows": {"before_restore": scenario.entities_a, "backup": scenario.entities_b},
        "kills": tally.kills,
        # Killed once file work had begun (a hidden .part, a safety copy, or output).
        "kills_during_file_work": tally.kills_after_first_unit,
        "finished_before_the_kill": tally.finished_before_kill,
        "startup_seconds": round(scenario.startup, 2),
        "reference_seconds": reference,
        "failures_left": len(tally.failures),
        "failure_messages": tally.failures[:20],
        "failures_found_and_fixed": BACKUP_FIXED,
        "seconds": round(time.monotonic() - start, 1),
        "load_average_at_end": Path("/proc/loadavg").read_text().split()[:3]
        if Path("/proc/loadavg").exists()
        else None,
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
    }
    BACKUP_RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    json.dump(result, sys.stdout, indent=2)
    assert tally.failures == []
    assert sum(tally.kills_after_first_unit.values()) >= 25, "kills must land in the work"


READER_RUNS = 100


@pytest.mark.benchmark
def test_kill_beside_a_reader_benchmark(tmp_path: Path) -> None:
    """Issue 13: a foreign process opens and closes the database in a loop
    while a window-like writer (one Store for its life, importing file by file,
    running the code paths that used to open the file behind SQLite's back) is
    killed at a random moment; 100 runs, nothing it confirmed may be lost.
    Recorded under "reader_beside_writer" in kill.json."""
    start = time.monotonic()
    tally, duration = harness.reader_beside_writer_runs(tmp_path, READER_RUNS, seed=SEED)
    with open("/proc/loadavg", encoding="ascii") as f:
        load = f.read().split()[:3]
    result = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    result["reader_beside_writer"] = {
        "runs": tally.runs,
        "seed": SEED,
        "kills": tally.kills,
        "kills_after_first_confirmed_article": tally.kills_after_first_confirmed,
        "articles_confirmed_before_the_kills": tally.confirmed,
        "reference_seconds": round(duration, 2),
        "failures_left": len(tally.failures),
        "failure_messages": tally.failures[:20],
        "seconds": round(time.monotonic() - start, 1),
        "load_average": load,
        "before_the_fix": "the same scenario on the code before issue 13 lost confirmed "
        "articles in 3 of 4 runs (the encryption sniff opened the file and dropped the "
        "writer's locks; the reader then deleted the write-ahead log)",
    }
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    json.dump(result["reader_beside_writer"], sys.stdout, indent=2)
    assert tally.failures == []
    assert tally.runs == READER_RUNS
