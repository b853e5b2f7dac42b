"""Rotating backups, restore and "save a copy"."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from pathlib import Path

import pytest

from desktop.cli import run
from desktop.core import backup
from desktop.core import models as m
from desktop.core.errors import BackupError
from desktop.core.services.library import library_info
from desktop.core.store import head_revision, open_store

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _add_entity(store, name: str) -> None:  # type: ignore[no-untyped-def]
    with store.session() as s:
        s.add(m.Entity(name=name, type="PER"))


def _entities(store) -> set[str]:  # type: ignore[no-untyped-def]
    from sqlmodel import select

    with store.session() as s:
        return {e.name for e in s.exec(select(m.Entity)).all()}


def test_backup_is_a_consistent_private_copy_and_rotation_keeps_the_newest(store):
    _add_entity(store, "Masood Azhar")
    made = [backup.back_up(store, keep=3) for _ in range(5)]
    listed = backup.list_backups(store.path)
    assert [b.path for b in listed] == [b.path for b in reversed(made[-3:])]
    assert all(not Path(b.path).exists() for b in made[:2])
    newest = Path(listed[0].path)
    assert newest.parent == backup.backups_dir(store.path)
    assert listed[0].size == newest.stat().st_size > 0
    assert listed[0].created.endswith("+00:00")
    if os.name == "posix":
        assert newest.stat().st_mode & 0o777 == 0o600
    # A single file (no WAL needed beside it) holding the data.
    conn = sqlite3.connect(newest)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    assert conn.execute("SELECT name FROM entity").fetchall() == [("Masood Azhar",)]
    conn.close()


def test_backup_on_open_only_when_the_data_changed(db_path):
    store = open_store(db_path)
    assert backup.backup_on_open(store) is None, "a brand-new database has nothing to save"
    _add_entity(store, "Masood Azhar")
    store.close()

    store = open_store(db_path)
    first = backup.backup_on_open(store)
    store.close()
    assert first is not None

    store = open_store(db_path)
    assert backup.backup_on_open(store) is None, "unchanged since the newest backup"
    time.sleep(0.01)  # file times must move on
    _add_entity(store, "Hafiz Saeed")
    store.close()

    store = open_store(db_path)
    second = backup.backup_on_open(store, keep=5)
    store.close()
    assert second is not None
    assert [b.path for b in backup.list_backups(db_path)] == [second.path, first.path]


def test_restore_brings_back_the_old_state_and_is_itself_undoable(store):
    _add_entity(store, "Masood Azhar")
    saved = backup.back_up(store)
    _add_entity(store, "Hafiz Saeed")

    result = backup.restore(store, Path(saved.path))
    assert _entities(store) == {"Masood Azhar"}
    assert result.schema_version == head_revision()

    backup.restore(store, Path(result.safety_backup))
    assert _entities(store) == {"Masood Azhar", "Hafiz Saeed"}


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"not a database at all" * 300, id="garbage"),
        pytest.param(None, id="foreign-sqlite"),
        pytest.param("truncated", id="truncated"),
    ],
)
def test_restoring_a_bad_file_changes_nothing(store, tmp_path, content):
    _add_entity(store, "Masood Azhar")
    bad = tmp_path / "bad.sqlite"
    if content is None:
        conn = sqlite3.connect(bad)
        conn.execute("CREATE TABLE songs (title TEXT)")
        conn.commit()
        conn.close()
    elif content == "truncated":
        good = Path(backup.back_up(store).path).read_bytes()
        bad.write_bytes(good[: len(good) // 3])
    else:
        bad.write_bytes(content)
    before = backup.list_backups(store.path)
    with pytest.raises(BackupError, match=r"bad\.sqlite"):
        backup.restore(store, bad)
    assert _entities(store) == {"Masood Azhar"}
    assert backup.list_backups(store.path) == before, "no safety backup for a refused restore"


def test_restoring_an_older_schema_upgrades_it(store):
    backup.restore(store, FIXTURES / "schema_0001.sqlite")
    assert store.schema_version() == head_revision()
    assert {"Jaish-e-Mohammed", "Masood Azhar"} <= _entities(store)


def test_save_copy_refuses_the_open_file_and_writes_a_private_copy(store, tmp_path):
    _add_entity(store, "Masood Azhar")
    with pytest.raises(BackupError, match="open database itself"):
        backup.save_copy(store, store.path)
    with pytest.raises(BackupError, match="does not exist"):
        backup.save_copy(store, tmp_path / "missing" / "x.sqlite")
    copy = backup.save_copy(store, tmp_path / "copy.sqlite")
    if os.name == "posix":
        assert copy.stat().st_mode & 0o777 == 0o600
    other = open_store(copy)
    try:
        assert _entities(other) == {"Masood Azhar"}
    finally:
        other.close()


def test_cli_backup_backups_restore(db_path, capsys, monkeypatch):
    store = open_store(db_path)
    _add_entity(store, "Masood Azhar")
    store.close()
    db = ["--db", str(db_path)]

    assert run([*db, "backups"]) == 0
    assert "No backups" in capsys.readouterr().out
    assert run([*db, "backup", "--json"]) == 0
    made = json.loads(capsys.readouterr().out)
    assert set(made) == {"path", "name", "created", "size", "encrypted", "sequence", "kind"}
    assert made["encrypted"] is False

    store = open_store(db_path)
    _add_entity(store, "Hafiz Saeed")
    store.close()
    assert run([*db, "restore", made["name"], "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {"restored_from", "safety_backup", "schema_version", "damaged_kept"}
    store = open_store(db_path)
    assert _entities(store) == {"Masood Azhar"}
    store.close()

    assert run([*db, "backups", "--json"]) == 0
    names = [b["name"] for b in json.loads(capsys.readouterr().out)]
    assert names == [Path(result["safety_backup"]).name, made["name"]]

    monkeypatch.setenv("DOSSIER_DESK_KEEP_BACKUPS", "1")
    assert run([*db, "backup"]) == 0
    assert "Backed up" in capsys.readouterr().out
    assert len(backup.list_backups(db_path, kinds=(backup.ROUTINE,))) == 1
    assert run([*db, "backup", "--keep", "0"]) == 1
    assert "keep at least one" in capsys.readouterr().err

    assert run([*db, "restore", "no-such-backup.sqlite"]) == 1
    assert "no such backup" in capsys.readouterr().err

    copy = db_path.with_name("copy.sqlite")
    assert run([*db, "backup", "--to", str(copy)]) == 0
    assert copy.exists()
    capsys.readouterr()
    assert run([*db, "backup", "--to", str(copy)]) == 1
    assert "exists already" in capsys.readouterr().err
    other = open_store(copy, read_only=True)
    try:
        assert library_info(other).entities == 1
    finally:
        other.close()
