"""Issue 19: backups that save you. A clock set back, a damaged or truncated
file, a killed backup: each test reproduces a finding of the issue."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from pathlib import Path

import pytest
from sqlmodel import select

from desktop.cli import run
from desktop.core import backup, resolver
from desktop.core import models as m
from desktop.core.store import open_store
from tests.core.resolve_helpers import add_entity


class FakeClock:
    """A wall clock the test moves; both backups and history read it."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(milliseconds=1)
        return self.now

    def back(self, minutes: int) -> None:
        self.now -= dt.timedelta(minutes=minutes)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock(dt.datetime(2026, 12, 6, 12, 0, tzinfo=dt.UTC))
    monkeypatch.setattr(backup, "_now", fake)
    monkeypatch.setattr(m, "utcnow", fake)
    return fake


def _names(store) -> set[str]:  # type: ignore[no-untyped-def]
    with store.session() as s:
        return {e.name for e in s.exec(select(m.Entity)).all()}


def test_restore_with_the_clock_behind_keeps_its_safety_backup(store, clock):
    add_entity(store, "Masood Azhar")
    for _ in range(5):
        backup.back_up(store, keep=5)
    clock.back(10)
    add_entity(store, "Hafiz Saeed")  # imported "before" every backup, by the clock
    oldest = backup.list_backups(store.path)[-1]
    result = backup.restore(store, Path(oldest.path), keep=5)

    # Before: pruned by the time in their names, the safety copy counted as
    # the oldest and was deleted; Hafiz Saeed was gone for good.
    safety = Path(result.safety_backup)
    assert safety.is_file()
    assert safety.parent == backup.backups_dir(store.path, backup.BEFORE_RESTORE)
    assert backup.list_backups(store.path)[0].path == str(safety), "newest by sequence"
    backup.restore(store, safety)
    assert _names(store) == {"Masood Azhar", "Hafiz Saeed"}


def test_routine_backups_never_prune_safety_copies(store, clock):
    add_entity(store, "Masood Azhar")
    made = backup.back_up(store, keep=2)
    safety = backup.restore(store, Path(made.path)).safety_backup
    for _ in range(6):
        backup.back_up(store, keep=2)
    assert Path(safety).is_file()
    routine = backup.list_backups(store.path, kinds=(backup.ROUTINE,))
    assert len(routine) == 2


def test_backup_with_the_clock_behind_is_the_newest(store, clock):
    add_entity(store, "Masood Azhar")
    first = backup.back_up(store, keep=2)
    backup.back_up(store, keep=2)
    clock.back(60)
    # Before: "the backup just written is missing" (pruned as the oldest).
    latest = backup.back_up(store, keep=2)
    listed = backup.list_backups(store.path)
    assert listed[0].path == latest.path
    assert latest.sequence > listed[1].sequence
    assert not Path(first.path).exists()


def test_sequence_continues_after_pruning_and_orders_old_style_names(store, clock):
    add_entity(store, "Masood Azhar")
    folder = backup.backups_dir(store.path)
    folder.mkdir()
    legacy = folder / f"{store.path.stem}-20991231T000000.000000Z.sqlite"
    legacy.write_bytes(Path(backup.back_up(store, keep=None).path).read_bytes())
    made = [backup.back_up(store, keep=3) for _ in range(4)]
    listed = backup.list_backups(store.path)
    assert [b.path for b in listed] == [b.path for b in reversed(made[-3:])]
    assert not legacy.exists(), "a file of an older version is older than every numbered one"
    assert [b.sequence for b in made] == sorted({b.sequence for b in made})


def test_backup_on_open_sees_changes_made_with_the_clock_behind(db_path, clock):
    store = open_store(db_path)
    add_entity(store, "Masood Azhar")
    store.close()
    store = open_store(db_path)
    first = backup.backup_on_open(store)
    store.close()
    assert first is not None
    # The file's new time stamp is older than the backup's.
    store = open_store(db_path)
    add_entity(store, "Hafiz Saeed")
    store.close()
    state = db_path.stat().st_mtime_ns - 3_600_000_000_000
    os.utime(db_path, ns=(state, state))
    store = open_store(db_path)
    try:
        assert backup.backup_on_open(store) is not None
    finally:
        store.close()


def test_redo_follows_the_order_of_undos_not_the_clock(store, clock):
    a = add_entity(store, "Jaish-e-Mohammed", aliases=("JeM",))
    b = add_entity(store, "Jaish e Muhammad")
    with store.session() as s:
        resolver.merge(s, [a, b])
    with store.session() as s:
        resolver.split(s, a, ["JeM"])
    with store.session() as s:
        resolver.undo(s)  # the split
    clock.back(10)
    with store.session() as s:
        resolver.undo(s)  # the merge, "earlier" by the clock
    # Before: redo took the split (latest undone_at), which needs the merge
    # first, and refused; it stayed stuck.
    with store.session() as s:
        redone = resolver.redo(s)
        assert redone.label.startswith("redo merge")
    with store.session() as s:
        assert resolver.redo(s).label.startswith("redo split")


def test_migration_numbers_entries_already_undone_in_their_old_order(tmp_path):
    from alembic import command
    from sqlalchemy import create_engine

    from desktop.core.store import _alembic_config

    db = tmp_path / "old.sqlite"
    # A real library at schema 0002, before the undo sequence existed.
    engine = create_engine(f"sqlite:///{db}")
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0002")
    engine.dispose()
    conn = sqlite3.connect(db)
    for i, undone in ((1, "2026-01-02"), (2, None), (3, "2026-01-01")):
        conn.execute(
            "INSERT INTO history (id, at, action, label, payload, undone_at) "
            "VALUES (?, '2026-01-01', 'rename', 'x', '{}', ?)",
            (i, undone),
        )
    conn.commit()
    conn.close()
    store = open_store(db)
    try:
        with store.session() as s:
            seqs = {h.id: h.undo_seq for h in s.exec(select(m.History)).all()}
    finally:
        store.close()
    assert seqs == {1: 2, 2: None, 3: 1}


def test_cli_backups_json_carries_sequence_and_kind(db_path, capsys, clock):
    store = open_store(db_path)
    add_entity(store, "Masood Azhar")
    store.close()
    db = ["--db", str(db_path)]
    assert run([*db, "backup", "--json"]) == 0
    made = json.loads(capsys.readouterr().out)
    assert made["sequence"] == 1
    assert made["kind"] == "routine"
    assert run([*db, "restore", made["name"], "--json"]) == 0
    capsys.readouterr()
    assert run([*db, "backups", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["sequence"], r["kind"]) for r in rows] == [(2, "before-restore"), (1, "routine")]
