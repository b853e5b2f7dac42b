"""SIGKILL the CLI at random moments during import, re-linking and merging
(50 runs) and check the database left behind: intact, everything reported
done is there, nothing half-applied, and a second run finishes the job with
the same result as an uninterrupted one. See tests/core/crash_harness.py.

The benchmark variant (tests/benchmarks/test_kill.py) does 300 runs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.core import crash_harness as harness

# 50 runs, about 90 s on two cores: the CLI's start-up (spaCy) is most of it.
PLAN = {"import": 16, "import-no-extract": 10, "relink": 14, "merge": 10}


@pytest.mark.slow
def test_killed_cli_leaves_a_consistent_database_and_a_rerun_finishes(tmp_path: Path) -> None:
    scenario = harness.prepare(tmp_path)
    tally = harness.kill_runs(scenario, PLAN, seed=20261125)
    assert tally.failures == []
    assert tally.runs == sum(PLAN.values())
    # The delays spread over start-up and work: some kills must land after
    # units were committed and reported, or the test proves little.
    assert sum(tally.kills.values()) >= 35
    assert sum(tally.kills_after_first_unit.values()) >= 5, tally


@pytest.mark.slow
def test_killed_backup_and_restore_lose_nothing_with_the_clock_moved(tmp_path: Path) -> None:
    """Six kills of `backup` and `restore` (issue 19); the benchmark does 100."""
    scenario = harness.prepare_backups(tmp_path / "backups", rows=60000)
    tally = harness.kill_backup_runs(scenario, {"backup": 3, "restore": 3}, seed=19)
    assert tally.failures == []
    assert tally.runs == 6


@pytest.mark.slow
def test_a_foreign_reader_beside_a_killed_window_like_writer_loses_nothing(tmp_path: Path) -> None:
    """Issue 13: a second process reading while a window-like writer imports;
    the writer is killed at random moments; nothing it confirmed is lost.
    (100 runs in tests/benchmarks/test_kill.py.)"""
    tally, _ = harness.reader_beside_writer_runs(tmp_path, runs=6, seed=13)
    assert tally.failures == []
    assert tally.runs == 6
    assert tally.kills >= 4
