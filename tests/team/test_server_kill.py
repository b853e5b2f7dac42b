"""The server stopped (as by a crash) and started again in the middle of the
real CLI's imports and merges, 50 times: nothing reported done is lost,
nothing is half written, the CLI says what happened and a re-run finishes."""

from __future__ import annotations

import os

import pytest

from tests.team.server_kill import run_kills

RUNS = int(os.environ.get("DOSSIER_DESK_PG_KILLS", "50"))


@pytest.mark.slow
def test_server_stopped_mid_import_and_merge(pg_server, tmp_path):
    report = run_kills(pg_server, RUNS, tmp_path)
    assert report.failures == []
    assert report.runs == RUNS
    # Most runs really were interrupted (the delays fall inside the work).
    assert report.stopped_mid_run >= RUNS // 2, report
