"""Stop the team library's server (``pg_ctl stop -m immediate``, as a crash
or a pulled cable does) in the middle of the real CLI's imports and merges,
start it again, and check what is left. Shared by tests/team/test_server_kill.py
and the benchmark that records figures (tests/benchmarks/test_team.py).

For each run: a fresh library from a template, the CLI started, the server
stopped after a seeded random delay, the CLI's exit awaited (it must end by
itself, with exit 0 if it finished first, or exit 1 and a message saying the
server went away; never a traceback or a hang), the server started again.
Then:
- every article the CLI reported as imported (``--progress``) is there with
  its original bytes, and has all of its mentions or none;
- a merge is wholly there with its history entry, or not at all (and the
  history replayed equals the database);
- running the same command again finishes, and gives the uninterrupted run's
  counts.
"""

from __future__ import annotations

import hashlib
import json
import random
import subprocess
import sys
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import col, func, select

from desktop.core import models as m
from desktop.core.services import pipeline, resolve
from desktop.core.store import Store, open_store
from tests.team.concurrency import check_invariants

PEOPLE = ["Masood Azhar", "Hafiz Saeed", "Imran Khan", "Nawaz Sharif", "Asif Ali Zardari"]
PLACES = ["Lahore", "Quetta", "Peshawar", "Karachi"]


def write_inbox(folder: Path, n: int = 24) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(7)
    for i in range(n):
        a, b = rng.sample(PEOPLE, 2)
        (folder / f"report-{i:02}.txt").write_text(
            f"Report {i}\n\n{a} met {b} in {rng.choice(PLACES)} on Monday. "
            f"Later {b} said the talks with {a} would go on.\n"
        )
    return folder


def cli(url: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "desktop", "--db", url, *args]


@dataclass
class Counts:
    articles: int = 0
    mentions: int = 0
    live_entities: int = 0
    history: int = 0


def counts(store: Store) -> Counts:
    with store.session() as s:
        return Counts(
            s.exec(select(func.count()).select_from(m.Article)).one(),
            s.exec(select(func.count()).select_from(m.Mention)).one(),
            s.exec(
                select(func.count())
                .select_from(m.Entity)
                .where(col(m.Entity.merged_into_id).is_(None))
            ).one(),
            s.exec(select(func.count()).select_from(m.History)).one(),
        )


@dataclass
class KillReport:
    runs: int = 0
    stopped_mid_run: int = 0
    finished_before_stop: int = 0
    failures: list[str] = field(default_factory=list)
    exit_messages: dict[str, int] = field(default_factory=dict)
    # Import runs stopped after at least one article was reported committed.
    imports_stopped_after_some_work: int = 0


def _check_articles(
    store: Store, inbox: Path, reported: set[int], per_sha: dict[str, int]
) -> list[str]:
    problems = []
    files = {hashlib.sha256(p.read_bytes()).hexdigest(): p for p in inbox.iterdir()}
    with store.session() as s:
        for a in s.exec(select(m.Article)).all():
            if a.sha256 not in files or zlib.decompress(a.original) != files[a.sha256].read_bytes():
                problems.append(f"article {a.id}: original bytes differ")
            n = s.exec(
                select(func.count()).select_from(m.Mention).where(m.Mention.article_id == a.id)
            ).one()
            if n not in (0, per_sha[a.sha256]):
                problems.append(f"article {a.id}: {n} mentions, half of {per_sha[a.sha256]}")
        present = set(s.exec(select(m.Article.id)).all())
    missing = reported - present
    if missing:
        problems.append(f"reported imported but missing: {sorted(missing)}")
    return problems


def run_kills(pg_server, runs: int, tmp: Path, seed: int = 18) -> KillReport:  # type: ignore[no-untyped-def]
    """``runs`` runs alternating import (with extraction) and merge."""
    inbox = write_inbox(tmp / "inbox")
    as_alice = lambda db: pg_server.url(db).replace("dd_super@", "alice@", 1)  # noqa: E731

    # The references: one uninterrupted import, one uninterrupted merge.
    pg_server.create_database("kill_ref", template="dd_template")
    t0 = time.monotonic()
    done = subprocess.run(
        cli(as_alice("kill_ref"), "import", str(inbox)), capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    import_s = time.monotonic() - t0
    ref = open_store(pg_server.url("kill_ref"))
    ref_import = counts(ref)
    with ref.session() as s:
        per_sha = {
            a.sha256: s.exec(
                select(func.count()).select_from(m.Mention).where(m.Mention.article_id == a.id)
            ).one()
            for a in s.exec(select(m.Article)).all()
        }
        people = [
            e.id
            for e in s.exec(
                select(m.Entity).where(
                    m.Entity.type == "PER", col(m.Entity.merged_into_id).is_(None)
                )
            ).all()
        ][:4]
    ref.close()
    # The merge runs start from the imported library.
    pg_server.sql("ALTER DATABASE kill_ref WITH IS_TEMPLATE true")
    merge_args = ["merge", *map(str, people), "--json"]
    # Each stop falls inside its operation's own measured time (start-up
    # included): on an idle machine a merge takes a second or two.
    pg_server.create_database("kill_merge_ref", template="kill_ref")
    t0 = time.monotonic()
    subprocess.run(cli(as_alice("kill_merge_ref"), *merge_args), capture_output=True, text=True)
    merge_s = time.monotonic() - t0
    report = KillReport()
    rng = random.Random(seed)
    try:
        for i in range(runs):
            op = "import" if i % 2 == 0 else "merge"
            db = f"kill{i}"
            pg_server.create_database(db, template="dd_template" if op == "import" else "kill_ref")
            args = ["import", str(inbox), "--progress"] if op == "import" else merge_args
            proc = subprocess.Popen(
                cli(as_alice(db), *args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
            # Past the start-up (Python, spaCy) into the work itself.
            time.sleep(rng.uniform(0.1, 0.8) * (import_s if op == "import" else merge_s))
            pg_server.stop("immediate")
            try:
                _out, err = proc.communicate(timeout=120)
            except subprocess.TimeoutExpired:
                proc.kill()
                _out, err = proc.communicate()
                report.failures.append(f"run {i} ({op}): the CLI hung after the server stopped")
            pg_server.start()
            report.runs += 1
            if proc.returncode == 0:
                report.finished_before_stop += 1
            else:
                report.stopped_mid_run += 1
                last = err.strip().splitlines()[-1] if err.strip() else ""
                # "dossier-desk: error: ADDRESS: what happened; what to do"
                key = last.split(f"/{db}: ", 1)[-1].split(";")[0] if last else "(no message)"
                report.exit_messages[key] = report.exit_messages.get(key, 0) + 1
                if proc.returncode != 1 or "Traceback" in err or "server" not in err:
                    report.failures.append(f"run {i} ({op}): exit {proc.returncode}: {err[-600:]}")
            store = open_store(pg_server.url(db))
            try:
                if op == "import":
                    reported = {
                        json.loads(line)["article_id"]
                        for line in err.splitlines()
                        if line.startswith("{") and '"imported"' in line
                    }
                    if reported and proc.returncode != 0:
                        report.imports_stopped_after_some_work += 1
                    report.failures += [
                        f"run {i}: {p}" for p in _check_articles(store, inbox, reported, per_sha)
                    ]
                else:
                    c = counts(store)
                    merged = ref_import.live_entities - c.live_entities
                    if merged not in (0, len(people) - 1) or c.history not in (0, 1):
                        report.failures.append(
                            f"run {i}: half a merge ({merged} merged, {c.history} history)"
                        )
                    if proc.returncode == 0 and merged == 0:
                        report.failures.append(f"run {i}: the merge reported done is not there")
                try:
                    check_invariants(store)
                except AssertionError as exc:
                    report.failures.append(f"run {i}: {exc}")
                # Run it again (in this process: spaCy is loaded once): an
                # import finishes, a merge not done is done.
                try:
                    if op == "import":
                        pipeline.import_and_extract(store, [inbox], processes=1)
                    elif counts(store).history == 0:
                        resolve.merge(store, people)
                except Exception as exc:
                    report.failures.append(f"run {i}: the re-run failed: {exc!r}")
                final = counts(store)
                want = (
                    ref_import
                    if op == "import"
                    else Counts(
                        ref_import.articles,
                        ref_import.mentions,
                        ref_import.live_entities - len(people) + 1,
                        1,
                    )
                )
                if (final.articles, final.mentions, final.live_entities) != (
                    want.articles,
                    want.mentions,
                    want.live_entities,
                ):
                    report.failures.append(f"run {i} ({op}): after the re-run {final} != {want}")
            finally:
                store.close()
                pg_server.drop_database(db)
    finally:
        if not pg_server.running():
            pg_server.start()
        pg_server.sql("ALTER DATABASE kill_ref WITH IS_TEMPLATE false")
        pg_server.drop_database("kill_ref")
    return report


def as_json(report: KillReport) -> dict[str, Any]:
    return {
        "runs": report.runs,
        "stopped_mid_run": report.stopped_mid_run,
        "finished_before_stop": report.finished_before_stop,
        "exit_messages": report.exit_messages,
        "imports_stopped_after_some_work": report.imports_stopped_after_some_work,
        "failures": report.failures,
    }
