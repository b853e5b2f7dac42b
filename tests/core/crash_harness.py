"""Kill the real CLI with SIGKILL at random moments and check what is left.

Shared by the kill test of the normal suite (tests/core/test_crash_kill.py)
and its benchmark variant (tests/benchmarks/test_kill.py).

An *operation* is a CLI command run on a copy of a prepared database:

- ``import``: import a small fixed corpus (the samples and generated articles)
  into a database file that does not exist yet, with entity extraction;
- ``import-no-extract``: the same with ``--no-extract``;
- ``relink``: link every article of an extracted library again;
- ``merge``: merge six entities of that library into one.

For each, one uninterrupted run is timed and kept as the reference. Each kill
run picks a delay uniformly in [0, that duration] (seeded), starts the CLI in a
process group of its own, SIGKILLs the group after the delay, and then checks:

- ``PRAGMA integrity_check`` is ok, ``PRAGMA foreign_key_check`` is empty and
  the full-text index agrees with the articles;
- every unit the CLI reported as done (its ``--progress`` lines, or the merge's
  JSON) is in the database;
- no unit is half-applied: each article has all of its mentions or none (or,
  for re-linking, all old or all new ones), each article keeps its original
  bytes, each live entity has an alias, and a merge is either fully there with
  its History entry or not there at all;
- running the operation again to completion gives the reference's counts.

Each check that fails is returned as a message; an empty list is a pass.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from desktop.core.services import extraction, pipeline, resolve
from desktop.core.store import head_revision, open_store
from desktop.resources import samples_dir

OPERATIONS = ("import", "import-no-extract", "relink", "merge")
SCHEMA_TABLES = {
    "alembic_version", "article", "article_fts", "entity", "alias", "mention", "judgement",
    "not_entity", "relation", "dossier", "dossier_item", "history",
}  # fmt: skip

_PEOPLE = [
    "Masood Azhar",
    "Hafiz Muhammad Saeed",
    "Abdul Rauf Asghar",
    "Syed Salahuddin",
    "Naim Qassem",
]
_GROUPS = [
    "Jaish-e-Mohammed",
    "Lashkar-e-Taiba",
    "Hizbul Mujahideen",
    "Tehreek-e-Taliban Pakistan",
    "The Resistance Front",
]
_PLACES = ["Pulwama", "Kupwara", "Bahawalpur", "Srinagar", "Mastung", "Lahore", "Kabul"]


def build_corpus(folder: Path, extra: int = 16, seed: int = 7) -> Path:
    """The samples plus ``extra`` short generated articles naming the same
    people, groups and places (so that linking reaches across articles)."""
    folder.mkdir(parents=True, exist_ok=True)
    for f in sorted(samples_dir().iterdir()):
        shutil.copy(f, folder / f.name)
    rnd = random.Random(seed)
    for i in range(extra):
        person, group = rnd.choice(_PEOPLE), rnd.choice(_GROUPS)
        place, other = rnd.sample(_PLACES, 2)
        body = (
            f"Report {i}: {group} named in {place} inquiry\n\n"
            f"{place}: Police in {place} said on Monday that {person}, described as a "
            f"commander of {group}, had met supporters near {other} last month. "
            f"Officials in {other} declined to comment on the report.\n\n"
            f"{person.split()[-1]} has not been seen in public since the raid, "
            f"according to residents of {place}.\n"
        )
        (folder / f"gen-{i:02d}.txt").write_text(body, encoding="utf-8")
    return folder


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "desktop", *args]


def command(op: str, db: Path, corpus: Path, merge_ids: list[int]) -> list[str]:
    if op == "import":
        return cli("--db", str(db), "import", str(corpus), "--progress", "--json")
    if op == "import-no-extract":
        return cli("--db", str(db), "import", "--no-extract", str(corpus), "--progress", "--json")
    if op == "relink":
        return cli("--db", str(db), "relink", "--progress", "--json", "--jobs", "1")
    if op == "merge":
        return cli("--db", str(db), "merge", *map(str, merge_ids), "--json")
    raise ValueError(op)


@dataclass
class Outcome:
    """One run of the CLI: what it printed before it ended or was killed."""

    killed: bool
    returncode: int
    stdout: str
    events: list[dict[str, object]]
    elapsed: float


def run_cli(argv: list[str], kill_after: float | None, timeout: float = 120) -> Outcome:
    """Run ``argv``; SIGKILL its whole process group after ``kill_after`` s."""
    start = time.monotonic()
    proc = subprocess.Popen(
        argv,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    chunks: dict[str, list[bytes]] = {"out": [], "err": []}

    def drain(stream, key: str) -> None:  # type: ignore[no-untyped-def]
        for chunk in iter(lambda: stream.read1(65536), b""):
            chunks[key].append(chunk)

    readers = [
        threading.Thread(target=drain, args=(proc.stdout, "out"), daemon=True),
        threading.Thread(target=drain, args=(proc.stderr, "err"), daemon=True),
    ]
    for t in readers:
        t.start()
    killed = False
    try:
        proc.wait(timeout=kill_after if kill_after is not None else timeout)
    except subprocess.TimeoutExpired:
        killed = kill_after is not None
        # The whole group: the CLI and any extraction worker it started.
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    finally:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
    for t in readers:
        t.join(timeout=10)
    for stream in (proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()
    elapsed = time.monotonic() - start
    err = b"".join(chunks["err"]).decode("utf-8", "replace")
    events = []
    # Only whole lines: a line cut by the kill cannot be read (though the unit
    # it reports was committed before its first byte was written).
    for line in err.splitlines(keepends=True):
        if line.endswith("\n") and line.startswith("{"):
            events.append(json.loads(line))
    return Outcome(
        killed, proc.returncode, b"".join(chunks["out"]).decode("utf-8", "replace"), events, elapsed
    )


# ------------------------------------------------------------------ reading


def _connect(db: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


def counts(db: Path) -> dict[str, int]:
    conn = _connect(db)
    try:
        return {
            "articles": conn.execute("SELECT count(*) FROM article").fetchone()[0],
            "entities": conn.execute(
                "SELECT count(*) FROM entity WHERE merged_into_id IS NULL"
            ).fetchone()[0],
            "aliases": conn.execute("SELECT count(*) FROM alias").fetchone()[0],
            "mentions": conn.execute("SELECT count(*) FROM mention").fetchone()[0],
            "history": conn.execute("SELECT count(*) FROM history").fetchone()[0],
        }
    finally:
        conn.close()


def mentions_by_sha(db: Path) -> dict[str, int]:
    conn = _connect(db)
    try:
        return dict(
            conn.execute(
                "SELECT a.sha256, count(x.id) FROM article a "
                "LEFT JOIN mention x ON x.article_id = a.id GROUP BY a.id"
            ).fetchall()
        )
    finally:
        conn.close()


def _structural(conn: sqlite3.Connection) -> list[str]:
    problems = []
    result = conn.execute("PRAGMA integrity_check").fetchall()
    if result != [("ok",)]:
        problems.append(f"integrity_check: {result[:5]}")
    fk = conn.execute("PRAGMA foreign_key_check").fetchall()
    if fk:
        problems.append(f"foreign_key_check: {fk[:5]}")
    try:
        # rank 1: also compare the index with the article table it indexes.
        conn.execute("INSERT INTO article_fts(article_fts, rank) VALUES('integrity-check', 1)")
    except sqlite3.DatabaseError as exc:
        problems.append(f"full-text index: {exc}")
    n_fts = conn.execute("SELECT count(*) FROM article_fts").fetchone()[0]
    n_art = conn.execute("SELECT count(*) FROM article").fetchone()[0]
    if n_fts != n_art:
        problems.append(f"full-text index has {n_fts} rows for {n_art} articles")
    for aid, original, size, sha in conn.execute(
        "SELECT id, original, original_size, sha256 FROM article"
    ):
        try:
            data = zlib.decompress(original)
        except zlib.error:
            problems.append(f"article {aid}: original bytes do not decompress")
            continue
        if len(data) != size or hashlib.sha256(data).hexdigest() != sha:
            problems.append(f"article {aid}: original bytes do not match size/hash")
    orphans = conn.execute(
        "SELECT count(*) FROM mention x LEFT JOIN article a ON a.id = x.article_id "
        "LEFT JOIN entity e ON e.id = x.entity_id "
        "WHERE a.id IS NULL OR (x.entity_id IS NOT NULL AND e.id IS NULL)"
    ).fetchone()[0]
    if orphans:
        problems.append(f"{orphans} mentions point at no article or entity")
    nameless = conn.execute(
        # Merged-away records hand their aliases to the survivor.
        "SELECT count(*) FROM entity e WHERE e.merged_into_id IS NULL AND NOT EXISTS "
        "(SELECT 1 FROM alias a WHERE a.entity_id = e.id)"
    ).fetchone()[0]
    if nameless:
        problems.append(f"{nameless} entities without any alias (half-made)")
    return problems


# ----------------------------------------------------------------- scenario


@dataclass
class Scenario:
    """Prepared databases, reference results and durations for each operation."""

    root: Path
    corpus: Path
    extracted: Path  # a library imported with extraction (base for relink, merge)
    merge_ids: list[int]
    reference: dict[str, dict[str, int]] = field(default_factory=dict)
    reference_mentions: dict[str, dict[str, int]] = field(default_factory=dict)
    duration: dict[str, float] = field(default_factory=dict)
    base_max_mention: int = 0


def prepare(root: Path) -> Scenario:
    corpus = build_corpus(root / "corpus")
    extracted = root / "extracted.sqlite"
    store = open_store(extracted)
    pipeline.import_and_extract(store, [corpus], processes=1)
    store.close()
    conn = _connect(extracted)
    try:
        # Six records with the most mentions: a merge that moves many rows.
        merge_ids = [
            r[0]
            for r in conn.execute(
                "SELECT entity_id FROM mention WHERE entity_id IS NOT NULL "
                "GROUP BY entity_id ORDER BY count(*) DESC, entity_id LIMIT 6"
            )
        ]
        base_max = conn.execute("SELECT max(id) FROM mention").fetchone()[0]
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    sc = Scenario(root, corpus, extracted, merge_ids, base_max_mention=base_max)
    for op in OPERATIONS:
        db = fresh_db(sc, op, root / f"reference-{op}")
        out = run_cli(command(op, db, corpus, merge_ids), None)
        if out.returncode != 0:
            raise RuntimeError(f"reference run of {op} failed: {out.stdout}")
        sc.duration[op] = out.elapsed
        sc.reference[op] = counts(db)
        sc.reference_mentions[op] = mentions_by_sha(db)
    return sc


def fresh_db(sc: Scenario, op: str, folder: Path) -> Path:
    """The database an operation starts from, in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "library.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    if op in ("relink", "merge"):
        shutil.copy(sc.extracted, db)
    return db


def check_after_kill(sc: Scenario, op: str, db: Path, out: Outcome) -> list[str]:
    """Invariants of the database a killed run left behind."""
    if not db.exists():
        # Killed before the file was created: nothing reported, nothing to check.
        return [f"reported {len(out.events)} units but made no database"] if out.events else []
    conn = _connect(db)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        if not tables:
            # Killed before the schema was committed: an empty file, which the
            # next run fills (finish() checks that it can).
            return ["units reported on a database without tables"] if out.events else []
        missing = sorted(SCHEMA_TABLES - tables)
        version = conn.execute("SELECT version_num FROM alembic_version").fetchall()
        if missing or version != [(head_revision(),)]:
            return [f"half-created schema: version {version}, missing tables {missing}"]
        problems = _structural(conn)
        # Per article: no mentions yet, or all of them (as extracted first, or
        # as this operation leaves them).
        refs = [sc.reference_mentions[op]]
        if op in ("relink", "merge"):
            refs.append(sc.reference_mentions["import"])
        by_sha = dict(
            conn.execute(
                "SELECT a.sha256, count(x.id) FROM article a "
                "LEFT JOIN mention x ON x.article_id = a.id GROUP BY a.id"
            ).fetchall()
        )
        ids = {r[0]: r[1] for r in conn.execute("SELECT id, sha256 FROM article")}
        for sha, n in by_sha.items():
            allowed = {0} | {ref.get(sha, -1) for ref in refs}
            if n not in allowed:
                problems.append(f"article {sha[:8]}: {n} mentions, expected one of {allowed}")
        for e in out.events:
            aid = e.get("article_id")
            if e["event"] in ("imported", "duplicate") and aid not in ids:
                problems.append(f"reported {e['event']} article {aid} is missing")
            if e["event"] in ("extracted", "relinked"):
                have = by_sha.get(ids.get(aid, ""), -1)  # type: ignore[arg-type]
                if have != e["mentions"]:
                    problems.append(
                        f"reported {e['event']} article {aid} with {e['mentions']} mentions; "
                        f"the database has {have}"
                    )
        if op == "relink":
            problems += _check_relink(conn, sc, out)
        if op == "merge":
            problems += _check_merge(conn, sc, out)
        return problems
    finally:
        conn.close()


def _check_relink(conn: sqlite3.Connection, sc: Scenario, out: Outcome) -> list[str]:
    problems = []
    reported = {e["article_id"] for e in out.events if e["event"] == "relinked"}
    for aid, lo, hi in conn.execute(
        "SELECT article_id, min(id), max(id) FROM mention GROUP BY article_id"
    ):
        old, new = hi <= sc.base_max_mention, lo > sc.base_max_mention
        if not (old or new):
            problems.append(f"article {aid}: old and new mentions mixed (half re-linked)")
        if aid in reported and not new:
            problems.append(f"article {aid} reported re-linked but has its old mentions")
    return problems


def _check_merge(conn: sqlite3.Connection, sc: Scenario, out: Outcome) -> list[str]:
    target, sources = sc.merge_ids[0], sc.merge_ids[1:]
    marks = ",".join("?" * len(sources))
    merged = conn.execute(
        f"SELECT count(*) FROM entity WHERE id IN ({marks}) AND merged_into_id = ?",
        (*sources, target),
    ).fetchone()[0]
    history = conn.execute("SELECT count(*) FROM history WHERE action = 'merge'").fetchone()[0]
    left = conn.execute(
        f"SELECT count(*) FROM mention WHERE entity_id IN ({marks})", sources
    ).fetchone()[0]
    stray = conn.execute(
        f"SELECT count(*) FROM alias a WHERE a.entity_id IN ({marks}) AND a.name NOT IN "
        "(SELECT name FROM alias WHERE entity_id = ?)",
        (*sources, target),
    ).fetchone()[0]
    reported = bool(out.stdout.strip())
    if merged == 0 and history == 0:
        return ["merge reported done but absent"] if reported else []
    if merged == len(sources) and history == 1 and left == 0 and stray == 0:
        return []
    return [
        f"merge half-applied: {merged}/{len(sources)} merged, {history} History entries, "
        f"{left} mentions and {stray} aliases left on merged records"
    ]


def finish(sc: Scenario, op: str, db: Path) -> list[str]:
    """Run the operation again to completion (in this process) and compare
    with the uninterrupted reference."""
    store = open_store(db)
    try:
        if op == "import":
            pipeline.import_and_extract(store, [sc.corpus], processes=1)
        elif op == "import-no-extract":
            pipeline.import_and_extract(store, [sc.corpus], extract=False)
        elif op == "relink":
            extraction.relink(store)
        elif op == "merge":
            conn = _connect(db)
            try:
                done = conn.execute(
                    "SELECT count(*) FROM history WHERE action = 'merge'"
                ).fetchone()[0]
            finally:
                conn.close()
            if not done:
                resolve.merge(store, sc.merge_ids)
    finally:
        store.close()
    problems = []
    got = counts(db)
    if got != sc.reference[op]:
        problems.append(f"after a second run: {got}, uninterrupted: {sc.reference[op]}")
    if mentions_by_sha(db) != sc.reference_mentions[op]:
        problems.append("after a second run the mentions per article differ from the reference")
    conn = _connect(db)
    try:
        problems += _structural(conn)
    finally:
        conn.close()
    return problems


@dataclass
class Tally:
    runs: int = 0
    kills: dict[str, int] = field(default_factory=dict)
    # Killed after at least one unit was reported done (mid-work, not at start-up).
    kills_after_first_unit: dict[str, int] = field(default_factory=dict)
    finished_before_kill: int = 0
    failures: list[str] = field(default_factory=list)


def kill_runs(sc: Scenario, plan: dict[str, int], seed: int) -> Tally:
    """Run ``plan[op]`` kill runs of each operation; the failures found."""
    rnd = random.Random(seed)
    tally = Tally()
    for op, n in plan.items():
        for i in range(n):
            db = fresh_db(sc, op, sc.root / "runs" / op)
            delay = rnd.uniform(0, sc.duration[op])
            out = run_cli(command(op, db, sc.corpus, sc.merge_ids), delay)
            tally.runs += 1
            if out.killed:
                tally.kills[op] = tally.kills.get(op, 0) + 1
                if out.events or out.stdout.strip():
                    tally.kills_after_first_unit[op] = tally.kills_after_first_unit.get(op, 0) + 1
            else:
                tally.finished_before_kill += 1
                # The reference run may have been slowed by other work on the
                # machine; the fastest complete run is the better estimate of
                # how long the operation lasts, so later delays fall inside it.
                sc.duration[op] = min(sc.duration[op], out.elapsed)
            where = f"{op} run {i} (kill after {delay:.2f}s)"
            problems = check_after_kill(sc, op, db, out)
            problems += finish(sc, op, db)
            tally.failures += [f"{where}: {p}" for p in problems]
    return tally


# ------------------------------------------------- backup and restore (issue 19)
#
# Separate from the scenarios above: a library of its own, whose backups were
# made while the clock was elsewhere (their names and times lie a day ahead or
# a day behind), then `backup` and `restore` are killed at random moments.
# Nothing may be lost: the library is intact and holds the state before or
# after (never between), every good backup there was is still there or a
# newer good one replaced it within --keep, and a restore that took effect
# left its safety copy (the state before) in before-restore/.

BACKUP_OPERATIONS = ("backup", "restore")
BACKUP_KEEP = 3


@dataclass
class BackupScenario:
    root: Path
    library: Path  # the prepared library, state "A" (entities_a rows)
    old_backup: Path  # a backup of state "B" (entities_b rows) to restore
    entities_a: int
    entities_b: int
    startup: float = 0.0
    duration: dict[str, float] = field(default_factory=dict)


def _entity_count(db: Path) -> int:
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM entity").fetchone()[0]
    finally:
        conn.close()


def _sound(db: Path) -> bool:
    try:
        conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    except sqlite3.Error:
        return False
    finally:
        conn.close()


def _add_entities(db: Path, start: int, n: int) -> None:
    """``n`` entities, written directly (the ORM would take a minute for the
    size that makes a backup last long enough to be killed in the middle)."""
    open_store(db).close()
    now = "2026-12-01 00:00:00.000000"
    conn = sqlite3.connect(db)
    try:
        conn.executemany(
            "INSERT INTO entity (name, type, description, notes, properties, created_at, "
            "updated_at) VALUES (?, 'PER', '', ?, '{}', ?, ?)",
            (
                (f"Kill test person {i:06d}", "note " * 20, now, now)
                for i in range(start, start + n)
            ),
        )
        conn.commit()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def prepare_backups(root: Path, rows: int = 120000) -> BackupScenario:
    """A library in state B, backed up; then more rows (state A)."""
    from desktop.core import backup

    root.mkdir(parents=True, exist_ok=True)
    lib = root / "prepared.sqlite"
    _add_entities(lib, 0, rows)
    store = open_store(lib)
    try:
        made = backup.back_up(store, keep=None)
    finally:
        store.close()
    old = root / "state-b.sqlite"
    shutil.move(made.path, old)
    shutil.rmtree(backup.backups_dir(lib))
    _add_entities(lib, rows, rows // 4)
    sc = BackupScenario(root, lib, old, _entity_count(lib), _entity_count(old))
    # Start-up: a verb that loads what backup and restore load, but opens no
    # library (`--version` alone returns before the imports).
    out = run_cli(cli("--db", str(root / "none.sqlite"), "backups"), None)
    sc.startup = out.elapsed
    for op in BACKUP_OPERATIONS:
        db = fresh_backup_db(sc, root / f"reference-{op}", shift_days=1)
        out = run_cli(backup_command(op, db, sc), None)
        if out.returncode != 0:
            raise RuntimeError(f"reference run of {op} failed: {out.stdout}")
        sc.duration[op] = out.elapsed
    return sc


def _stamp(when: float) -> str:
    import datetime as dt

    return dt.datetime.fromtimestamp(when, dt.UTC).strftime("%Y%m%dT%H%M%S.%fZ")


def fresh_backup_db(sc: BackupScenario, folder: Path, shift_days: int) -> Path:
    """The library in state A with three good backups (also of state A) whose
    names and file times are ``shift_days`` away from now: made while the
    clock was set elsewhere. The restore source sits beside it."""
    from desktop.core import backup

    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    db = folder / "library.sqlite"
    shutil.copy(sc.library, db)
    shutil.copy(sc.old_backup, folder / "state-b.sqlite")
    routine = backup.backups_dir(db)
    routine.mkdir(mode=0o700)
    base = time.time() + shift_days * 86400
    for seq in (1, 2, 3):
        when = base + seq * 60
        target = routine / f"{db.stem}-{seq:06d}-{_stamp(when)}.sqlite"
        shutil.copy(sc.library, target)
        os.utime(target, (when, when))
    return db


def backup_command(op: str, db: Path, sc: BackupScenario) -> list[str]:
    if op == "backup":
        return cli("--db", str(db), "backup", "--keep", str(BACKUP_KEEP), "--json")
    if op == "restore":
        return cli("--db", str(db), "restore", str(db.parent / "state-b.sqlite"), "--json")
    raise ValueError(op)


def _backups(db: Path, kind: str) -> list[tuple[int, Path]]:
    from desktop.core import backup

    return [(b.sequence, Path(b.path)) for b in backup.list_backups(db, kinds=(kind,))]


def check_backup_kill(sc: BackupScenario, op: str, db: Path, out: Outcome) -> list[str]:
    """What a killed `backup` or `restore` left: nothing lost."""
    problems = []
    if not _sound(db):
        return ["the library fails its integrity check"]
    count = _entity_count(db)
    routine = _backups(db, "routine")
    good = [(seq, p) for seq, p in routine if _sound(p) and _entity_count(p) == sc.entities_a]
    bad = [p.name for _seq, p in routine if (_seq, p) not in good]
    if bad:
        problems.append(f"damaged or partial backups under final names: {bad}")
    if op == "backup":
        if count != sc.entities_a:
            problems.append(f"a backup changed the library: {count} rows")
        # Three good backups before; each removal must be paid by a newer good one.
        if len(good) < BACKUP_KEEP:
            problems.append(f"only {len(good)} good backups left of {BACKUP_KEEP}")
        if max((seq for seq, _p in good), default=0) < 3:
            problems.append("the newest good backup is gone")
        if out.stdout.strip():
            made = json.loads(out.stdout)
            if not Path(made["path"]).is_file() or made["sequence"] <= 3:
                problems.append(f"reported backup {made['name']} is missing or not the newest")
    else:
        if count not in (sc.entities_a, sc.entities_b):
            problems.append(f"the library holds {count} rows, neither before nor after")
        if len(good) != 3:
            problems.append(f"a restore touched the routine backups: {len(good)} good of 3")
        safety = [p for _s, p in _backups(db, "before-restore")]
        kept_a = [p for p in safety if _sound(p) and _entity_count(p) == sc.entities_a]
        if count == sc.entities_b and not kept_a:
            problems.append("restored, but the state before is in no safety copy")
        if out.stdout.strip():
            done = json.loads(out.stdout)
            if count != sc.entities_b or Path(done["safety_backup"]) not in kept_a:
                problems.append("reported done, but the restore or its safety copy is missing")
    return problems


def finish_backup_kill(sc: BackupScenario, op: str, db: Path) -> list[str]:
    """Run the operation again to completion; it must clean what the kill
    left (hidden .part files) and end in the expected state."""
    from desktop.core import backup

    out = run_cli(backup_command(op, db, sc), None)
    if out.returncode != 0:
        return [f"the second run failed (exit {out.returncode})"]
    problems = []
    leftovers = [
        p.name
        for kind in (backup.ROUTINE, backup.BEFORE_RESTORE)
        if backup.backups_dir(db, kind).is_dir()
        for p in backup.backups_dir(db, kind).iterdir()
        if p.name.startswith(".")
    ]
    if leftovers:
        problems.append(f"leftovers after the second run: {leftovers}")
    made = json.loads(out.stdout)
    if op == "backup":
        newest = _backups(db, "routine")[0]
        if str(newest[1]) != made["path"]:
            problems.append("the second run's backup is not the newest")
    else:
        if _entity_count(db) != sc.entities_b:
            problems.append("the second restore did not take effect")
        safety = [p for _s, p in _backups(db, "before-restore")]
        if not any(_entity_count(p) == sc.entities_a for p in safety if _sound(p)):
            problems.append("no safety copy holds the state before the first restore")
    return problems


def _file_work_began(db: Path) -> bool:
    """Whether a killed run had begun writing: a hidden temporary copy, a
    backup newer than the three prepared ones, a safety copy, or the library
    itself changed (a restore)."""
    folder = db.with_name(db.name + ".backups")
    if not folder.is_dir():
        return False
    if any(p.name.startswith(".") for p in folder.iterdir()):
        return True
    if any(seq > 3 for seq, _p in _backups(db, "routine")):
        return True
    safety = folder / "before-restore"
    return safety.is_dir() and any(safety.iterdir())


def _file_work_running(db: Path) -> bool:
    """A hidden temporary copy exists: a backup, safety copy or restore is
    being written right now."""
    folder = db.with_name(db.name + ".backups")
    for f in (folder, folder / "before-restore", folder / "damaged"):
        with contextlib.suppress(OSError):
            if any(p.name.startswith(".") for p in f.iterdir()):
                return True
    return False


def run_cli_during_file_work(
    argv: list[str], db: Path, extra: float, timeout: float = 120
) -> Outcome:
    """Run ``argv`` and SIGKILL its process group ``extra`` seconds after
    it starts writing a copy (polled every 2 ms). Under a heavy load the
    start-up time varies too much for a delay from the start to land there
    often enough."""
    start = time.monotonic()
    proc = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True
    )
    chunks: list[bytes] = []
    reader = threading.Thread(
        target=lambda: chunks.extend(iter(lambda: proc.stdout.read1(65536), b"")),  # type: ignore[union-attr]
        daemon=True,
    )
    reader.start()
    killed = False
    try:
        while proc.poll() is None and time.monotonic() - start < timeout:
            if _file_work_running(db):
                time.sleep(extra)
                if proc.poll() is None:
                    os.killpg(proc.pid, signal.SIGKILL)
                    killed = True
                break
            time.sleep(0.002)
        proc.wait(timeout=timeout)
    finally:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
    reader.join(timeout=10)
    if proc.stdout is not None:
        proc.stdout.close()
    out = b"".join(chunks).decode("utf-8", "replace")
    return Outcome(killed, proc.returncode, out, [], time.monotonic() - start)


def kill_backup_runs(sc: BackupScenario, plan: dict[str, int], seed: int) -> Tally:
    """``plan[op]`` kill runs of `backup` and `restore`, the clock a day
    ahead of the existing backups on even runs and a day behind on odd ones.
    Delays are drawn over [start-up, whole run], where the file work is."""
    rnd = random.Random(seed)
    tally = Tally()
    for op, n in plan.items():
        for i in range(n):
            shift = 1 if i % 2 == 0 else -1
            db = fresh_backup_db(sc, sc.root / "runs" / op, shift_days=shift)
            if i % 4 < 2:
                # Half the runs: a random moment of the whole run.
                low = min(sc.startup, sc.duration[op] * 0.8)
                delay = rnd.uniform(low, sc.duration[op])
                out = run_cli(backup_command(op, db, sc), delay)
            else:
                # The other half: a random moment once a copy is being written.
                delay = rnd.uniform(0, 1.0)
                out = run_cli_during_file_work(backup_command(op, db, sc), db, delay)
            tally.runs += 1
            if out.killed:
                tally.kills[op] = tally.kills.get(op, 0) + 1
                if out.stdout.strip() or _file_work_began(db):
                    tally.kills_after_first_unit[op] = tally.kills_after_first_unit.get(op, 0) + 1
            else:
                tally.finished_before_kill += 1
                sc.duration[op] = min(sc.duration[op], out.elapsed)
            moment = f"{delay:.2f}s" if i % 4 < 2 else f"{delay:.2f}s into the copy"
            where = f"{op} run {i} (clock {'behind' if shift > 0 else 'ahead'}, kill {moment})"
            problems = check_backup_kill(sc, op, db, out)
            problems += finish_backup_kill(sc, op, db)
            tally.failures += [f"{where}: {p}" for p in problems]
    return tally


# ------------------------------------------- a reader beside a window-like writer

# The writer holds one Store for its whole life, as the window does, and
# imports the corpus one file at a time through the window's service, printing
# "confirmed ID SHA" after each commit. Between files it runs every code path
# of ours that used to open the database file behind SQLite's back (the
# encryption sniff, File > Open of the same file, importing the database file
# itself, as a drop onto the window would).
WINDOW_LIKE_WRITER = """
import sys
from pathlib import Path
from desktop.core.ingest import IngestError
from desktop.core.ingest.readers import load_file
from desktop.core.services import ingest
from desktop.core.store import is_encrypted, open_store

db, corpus = Path(sys.argv[1]), Path(sys.argv[2])
store = open_store(db)
print("ready", flush=True)
for path in sorted(corpus.iterdir()):
    report = ingest.import_paths(store, [path])
    with store.session() as s:
        for article_id in report.imported:
            sha = s.exec(
                __import__("sqlalchemy").text("SELECT sha256 FROM article WHERE id = :i"),
                params={"i": article_id},
            ).one()[0]
            print(f"confirmed {article_id} {sha}", flush=True)
    assert is_encrypted(db) is False
    open_store(db).close()
    try:
        load_file(db)
    except IngestError:
        pass
print("all done", flush=True)
"""

# Another program's SQLite (not ours, not read-only) opening the database and
# closing it again and again: if the writer ever lost its locks, one of these
# closes would checkpoint and delete the write-ahead log under it.
FOREIGN_READER = """
import sqlite3, sys, time
while True:
    try:
        c = sqlite3.connect(sys.argv[1], timeout=5)
        c.execute("SELECT count(*) FROM article").fetchone()
        c.close()
    except sqlite3.Error:
        pass
    time.sleep(0.01)
"""


@dataclass
class ReaderTally:
    runs: int = 0
    kills: int = 0
    kills_after_first_confirmed: int = 0
    confirmed: int = 0
    failures: list[str] = field(default_factory=list)


def _writer_run(db: Path, corpus: Path, kill_after: float | None) -> tuple[list[str], bool]:
    """One writer run beside a foreign reader; the writer's stdout lines and
    whether it was killed."""
    from desktop.core.store import open_store

    open_store(db).close()
    reader = subprocess.Popen([sys.executable, "-c", FOREIGN_READER, str(db)],
                              start_new_session=True)  # fmt: skip
    try:
        outcome = run_cli([sys.executable, "-c", WINDOW_LIKE_WRITER, str(db), str(corpus)],
                          kill_after)  # fmt: skip
    finally:
        os.killpg(reader.pid, signal.SIGKILL)
        reader.wait()
    lines = [x for x in outcome.stdout.splitlines(keepends=True) if x.endswith("\n")]
    return [x.strip() for x in lines], outcome.killed


def _check_confirmed(db: Path, lines: list[str]) -> list[str]:
    confirmed = {}
    for line in lines:
        if line.startswith("confirmed "):
            _, article_id, sha = line.split()
            confirmed[int(article_id)] = sha
    conn = _connect(db)
    try:
        problems = _structural(conn)
        stored = dict(conn.execute("SELECT id, sha256 FROM article").fetchall())
    finally:
        conn.close()
    lost = sorted(k for k, sha in confirmed.items() if stored.get(k) != sha)
    if lost:
        problems.append(f"confirmed articles lost: {lost}")
    return problems


def reader_beside_writer_runs(root: Path, runs: int, seed: int) -> tuple[ReaderTally, float]:
    """``runs`` kills of a window-like writer at random moments while a
    foreign process reads the same database; returns the tally and the
    duration of the uninterrupted reference run."""
    corpus = build_corpus(root / "corpus")
    ref_db = root / "reference.sqlite"
    start = time.monotonic()
    lines, _ = _writer_run(ref_db, corpus, None)
    duration = time.monotonic() - start
    tally = ReaderTally()
    if lines[-1:] != ["all done"] or _check_confirmed(ref_db, lines):
        tally.failures.append(f"reference run: {lines[-3:]} {_check_confirmed(ref_db, lines)}")
        return tally, duration
    rnd = random.Random(seed)
    for i in range(runs):
        db = root / f"run-{i:03d}" / "library.sqlite"
        db.parent.mkdir()
        lines, killed = _writer_run(db, corpus, rnd.uniform(0, duration))
        tally.runs += 1
        tally.kills += killed
        n = sum(1 for x in lines if x.startswith("confirmed "))
        tally.confirmed += n
        tally.kills_after_first_confirmed += killed and n > 0
        tally.failures += [f"run {i}: {p}" for p in _check_confirmed(db, lines)]
        shutil.rmtree(db.parent)
    return tally, duration
