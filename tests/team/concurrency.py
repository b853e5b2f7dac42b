"""The concurrency run and its invariants, shared by the suite's test
(tests/team/test_concurrency.py) and the benchmark that records figures
(tests/benchmarks/test_team.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from sqlmodel import col, select

from desktop.core import models as m
from desktop.core.linking import compatible
from desktop.core.names import alias_key
from desktop.core.resolver import _TABLES, _dump, root_id
from desktop.core.store import Store

WORKER = Path(__file__).with_name("concurrency_worker.py")
ROLES = ("alice", "bob", "dave", "erin")


def run_workers(url_as, rounds: int, tmp: Path, seed: int = 18) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Four researchers at once; returns their outcomes and the wall time."""
    t0 = time.perf_counter()
    procs = []
    for i, role in enumerate(ROLES):
        out = tmp / f"{role}.json"
        procs.append(
            (
                role,
                out,
                subprocess.Popen(
                    [
                        sys.executable,
                        str(WORKER),
                        url_as(role),
                        str(seed + i),
                        str(rounds),
                        str(out),
                    ],
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                    env={**os.environ, "PYTHONPATH": str(WORKER.parents[2])},
                ),
            )
        )
    results: dict[str, Any] = {}
    for role, out, proc in procs:
        _, err = proc.communicate(timeout=1800)
        assert proc.returncode == 0, f"{role} failed:\n{err[-4000:]}"
        results[role] = json.loads(out.read_text())
    return {"workers": results, "seconds": round(time.perf_counter() - t0, 1)}


def _events(store: Store) -> list[tuple[Any, int, str, int, dict[str, Any] | None]]:
    """Every recorded state of every row: (time, history id, table, row id,
    values), an entry's "after" at its time, an undone entry's "before" at
    the time it was undone."""
    out = []
    with store.session() as s:
        for h in s.exec(select(m.History)).all():
            for row in json.loads(h.payload).get("rows", []):
                out.append((h.at, h.id or 0, row["table"], row["id"], row["after"]))
                if h.undone_at is not None:
                    out.append((h.undone_at, h.id or 0, row["table"], row["id"], row["before"]))
    out.sort(key=lambda e: (e[0], e[1]))
    return out


def check_invariants(store: Store) -> dict[str, Any]:
    """The issue's four: the history replayed equals the database, every
    "different" judgement holds, no entity twice for one name, no confirmed
    link lost. Asserts them; returns counts for the results file."""
    expected: dict[tuple[str, int], dict[str, Any] | None] = {}
    for _at, _hid, table, row_id, values in _events(store):
        expected[(table, row_id)] = values
    confirmed = 0
    split_entities = set()
    with store.session() as s:
        for (table, row_id), values in expected.items():
            obj = s.get(_TABLES[table], row_id)
            if values is None and isinstance(obj, m.Judgement):
                assert obj.revoked_at is not None, ("judgement undone but active", row_id)
                continue
            have = None if obj is None else _dump(obj)
            assert have == values, (table, row_id, have, values)
            if table == "mention" and values and values["status"] == "confirmed":
                confirmed += 1
        for h in s.exec(select(m.History).where(m.History.action == "split")).all():
            for row in json.loads(h.payload)["rows"]:
                if row["table"] == "entity" and row["before"] is None:
                    split_entities.add(row["id"])
        different = 0
        for j in s.exec(
            select(m.Judgement).where(
                m.Judgement.verdict == "different", col(m.Judgement.revoked_at).is_(None)
            )
        ).all():
            assert j.b_id is not None
            assert root_id(s, j.a_id) != root_id(s, j.b_id), ("merged across", j.id)
            different += 1
        live = s.exec(select(m.Entity).where(col(m.Entity.merged_into_id).is_(None))).all()
        by_key: dict[str, list[m.Entity]] = {}
        for e in live:
            if e.id not in split_entities:
                by_key.setdefault(alias_key(e.name), []).append(e)
        for key, group in by_key.items():
            for i, a in enumerate(group):
                for b in group[i + 1 :]:
                    assert not compatible(a.type, b.type), ("duplicate entity", key, a.id, b.id)
        counts = {
            "history_entries": len(s.exec(select(m.History.id)).all()),
            "undone": len(
                s.exec(select(m.History.id).where(col(m.History.undone_at).is_not(None))).all()
            ),
            "articles": len(s.exec(select(m.Article.id)).all()),
            "live_entities": len(live),
            "active_different_judgements": different,
            "confirmed_links_checked": confirmed,
            "rows_checked_against_history": len(expected),
        }
        actors = Counter(h.actor for h in s.exec(select(m.History)).all())
        counts["history_by_actor"] = dict(sorted(actors.items()))
    return counts
