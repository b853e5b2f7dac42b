"""Team libraries: PostgreSQL against SQLite on the same machine, and the
figures of the concurrency and server-kill runs.

Run on demand:  pytest -m benchmark tests/benchmarks/test_team.py -s
Writes tests/benchmarks/results/team.json:
- import with extraction of 200 articles, and ``suggest`` over 50,000 names
  (their loading from the database included), on a file and on a server
  library, wall and CPU time, and the ratio;
- four researchers at once (4 processes, 4 roles, ``ROUNDS`` rounds each):
  outcomes per operation and the invariants checked;
- the server stopped and restarted in the middle of imports and merges
  (``KILLS`` runs): how the runs ended, and the failures (none expected).
The machine may be shared: load averages at the start and end are recorded.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from desktop.core import models as m
from desktop.core.names import alias_key
from desktop.core.services import pipeline
from desktop.core.services import resolve as svc
from desktop.core.store import Store, open_store
from tests.benchmarks.test_suggest import generate_typed
from tests.team.concurrency import check_invariants, run_workers
from tests.team.server_kill import as_json, run_kills, write_inbox

pytestmark = pytest.mark.benchmark

RESULTS = Path(__file__).with_name("results") / "team.json"
# The sizes; the environment may shrink them for a quick check.
ARTICLES = int(os.environ.get("DOSSIER_DESK_TEAM_ARTICLES", "200"))
NAMES = int(os.environ.get("DOSSIER_DESK_TEAM_NAMES", "50000"))
ROUNDS = int(os.environ.get("DOSSIER_DESK_TEAM_ROUNDS", "200"))
KILLS = int(os.environ.get("DOSSIER_DESK_PG_KILLS", "50"))


def _timed(fn):  # type: ignore[no-untyped-def]
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return out, round(time.perf_counter() - w, 2), round(time.process_time() - c, 2)


def _load_names(store: Store, names: list[tuple[str, str]]) -> None:
    """50,000 more entities with their names, in bulk, after those of the import."""
    now = m.utcnow()
    with store.session() as s:
        first = int(s.execute(select(func.max(m.Entity.id))).scalar() or 0)
        rows = [
            {"id": i, "name": n, "type": t, "description": "", "notes": "", "properties": "{}",
             "created_at": now, "updated_at": now, "updated_by": "", "version": 1}
            for i, (n, t) in enumerate(names, first + 1)
        ]  # fmt: skip
        for k in range(0, len(rows), 5000):
            s.execute(insert(m.Entity), rows[k : k + 5000])
        aliases = [
            {"entity_id": i, "name": n, "key": alias_key(n), "kind": "name", "origin": "import",
             "confirmed": False, "created_at": now}
            for i, (n, _t) in enumerate(names, first + 1)
        ]  # fmt: skip
        for k in range(0, len(aliases), 5000):
            s.execute(insert(m.Alias), aliases[k : k + 5000])
        store.backend.after_copy(s, ["entity"])


def _one_backend(store: Store, inbox: Path, names: list[tuple[str, str]]) -> dict:
    outcome, wall, cpu = _timed(lambda: pipeline.import_and_extract(store, [inbox], processes=1))
    assert len(outcome.report.imported) == ARTICLES
    figures = {"import_extract": {"articles": ARTICLES, "wall_s": wall, "cpu_s": cpu}}
    _load_names(store, names)
    pairs, wall, cpu = _timed(lambda: svc.suggest(store, limit=1000))
    figures["suggest"] = {"names": NAMES, "wall_s": wall, "cpu_s": cpu, "pairs": len(pairs)}
    return figures


def test_team_figures(pg_server, pg_url, tmp_path):
    results: dict = {"load_average_start": [round(x, 2) for x in os.getloadavg()]}
    inbox = write_inbox(tmp_path / "inbox", ARTICLES)
    names = generate_typed(NAMES)
    file_store = open_store(tmp_path / "bench.sqlite")
    try:
        results["sqlite"] = _one_backend(file_store, inbox, names)
    finally:
        file_store.close()
    # A separate server library (the pg_url one is used by the workers below).
    pg_server.create_database("bench_pg", template="dd_template")
    server_store = open_store(pg_server.url("bench_pg"))
    try:
        results["postgresql"] = _one_backend(server_store, inbox, names)
    finally:
        server_store.close()
        pg_server.drop_database("bench_pg")
    for key in ("import_extract", "suggest"):
        results[f"ratio_{key}_pg_over_sqlite"] = round(
            results["postgresql"][key]["wall_s"] / results["sqlite"][key]["wall_s"], 2
        )
    run = run_workers(lambda role: pg_url.replace("dd_super@", f"{role}@", 1), ROUNDS, tmp_path)
    store = open_store(pg_url)
    try:
        invariants = check_invariants(store)
    finally:
        store.close()
    results["concurrency"] = {
        "processes": 4,
        "rounds_per_process": ROUNDS,
        "seconds": run["seconds"],
        "outcomes": {role: w["outcomes"] for role, w in run["workers"].items()},
        "invariants_hold": True,
        **invariants,
    }
    kills = run_kills(pg_server, KILLS, tmp_path / "kills")
    results["server_kill"] = as_json(kills)
    results["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))
    assert kills.failures == []
