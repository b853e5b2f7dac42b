"""Issue 19, finding 2: a damaged or truncated library is never trusted. It
opens into a message naming the good backups and the one command restoring
the newest, and that command works although the file cannot be opened."""

from __future__ import annotations

import shlex
import sqlite3
from pathlib import Path

import pytest

from desktop.cli import run
from desktop.core import backup
from desktop.core import models as m
from desktop.core.errors import DamagedDatabaseError
from desktop.core.store import Store, open_store


def _fill(store: Store, n: int = 3000, prefix: str = "Person") -> None:
    with store.session() as s:
        for i in range(n):
            s.add(m.Entity(name=f"{prefix} {i:05d} of a long enough name", type="PER"))


def _count(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT count(*) FROM entity").fetchone()[0]
    finally:
        conn.close()


def _table_pages(db: Path, table: str) -> tuple[int, int]:
    """(page size, a page number inside ``table``'s b-tree, not its root)."""
    conn = sqlite3.connect(db)
    try:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        try:
            rows = conn.execute(
                "SELECT pageno FROM dbstat WHERE name = ? ORDER BY pageno", (table,)
            ).fetchall()
        except sqlite3.OperationalError:  # no dbstat in this build
            root = conn.execute(
                "SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)
            ).fetchone()[0]
            rows = [(root,)]
    finally:
        conn.close()
    pages = [r[0] for r in rows]
    return page_size, pages[len(pages) // 2]


def _overwrite_page(db: Path, page: int, page_size: int) -> None:
    with open(db, "r+b") as f:
        f.seek((page - 1) * page_size)
        f.write(b"\xa5" * page_size)


@pytest.fixture
def library(db_path: Path) -> Path:
    """A closed library with 3000 entities and three good backups."""
    store = open_store(db_path)
    _fill(store)
    for _ in range(3):
        backup.back_up(store, keep=5)
    store.close()
    return db_path


def _damage(db: Path) -> None:
    page_size, page = _table_pages(db, "entity")
    _overwrite_page(db, page, page_size)


def _truncate(db: Path) -> None:
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])


@pytest.mark.parametrize("harm", [_damage, _truncate], ids=["overwritten", "truncated"])
def test_a_damaged_library_names_its_good_backups_and_the_command_that_restores(
    library: Path, capsys: pytest.CaptureFixture[str], harm
) -> None:
    good = backup.list_backups(library)
    harm(library)
    harmed = library.read_bytes()
    db = ["--db", str(library)]
    # Before: info, import, merge and backup exited 0 on the overwritten file
    # (a damaged index page gave exit 70), and every verb failed on the
    # truncated one without a word about backups.
    for verb in (["info"], ["entities"], ["backup"], ["merge", "1", "2"]):
        assert run([*db, *verb]) == 1, verb
        err = capsys.readouterr().err
        assert "the database is damaged" in err
        assert good[0].name in err
    assert library.read_bytes() == harmed, "nothing was written to the damaged file"
    assert backup.list_backups(library) == good, "no backup rotated in, none pruned"

    assert run([*db, "info"]) == 1
    err = capsys.readouterr().err
    command = next(line.strip() for line in err.splitlines() if " restore " in line)
    argv = shlex.split(command)
    assert argv[:4] == ["dossier-desk", "--db", str(library), "restore"]
    assert run(argv[1:]) == 0
    out = capsys.readouterr().out
    assert "damaged file is kept" in out
    assert _count(library) == 3000
    kept = list(backup.backups_dir(library, backup.DAMAGED).iterdir())
    assert any(p.read_bytes() == harmed for p in kept), "the damaged file is kept aside"
    assert run([*db, "check", "--backups"]) == 0


def test_a_damaged_open_library_is_never_backed_up_over_good_backups(db_path: Path) -> None:
    store = open_store(db_path)
    _fill(store)
    made = [backup.back_up(store, keep=2) for _ in range(2)]
    store.engine.dispose()
    _damage(db_path)
    for _ in range(3):
        with pytest.raises(DamagedDatabaseError, match="no backup was made"):
            backup.back_up(store, keep=2)
    store.close()
    assert [b.path for b in backup.list_backups(db_path)] == [b.path for b in reversed(made)]
    assert all(not backup.check_backup_file(Path(b.path), full=True) for b in made)


def test_damage_met_mid_work_is_a_clear_error_not_a_crash(db_path: Path) -> None:
    from sqlmodel import select

    store = open_store(db_path)
    _fill(store)
    with store.session() as s:
        s.add(m.Alias(entity_id=1, name="x", key="x", kind="alias"))
    store.engine.dispose()
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    _damage(db_path)
    # Before: sqlite3.DatabaseError escaped (the CLI's exit 70 "internal error").
    with pytest.raises(DamagedDatabaseError, match="damaged"), store.session() as s:
        s.exec(select(m.Entity).where(m.Entity.name > "")).all()
    store.close()


def test_restore_of_a_truncated_backup_over_a_damaged_library_changes_nothing(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    newest = Path(backup.list_backups(library)[0].path)
    _truncate(newest)
    _damage(library)
    harmed = library.read_bytes()
    assert run(["--db", str(library), "info"]) == 1
    err = capsys.readouterr().err
    assert newest.name not in err.split("Restore")[0], "a damaged backup is not offered"
    assert run(["--db", str(library), "restore", newest.name]) == 1
    assert "not a usable backup" in capsys.readouterr().err
    assert library.read_bytes() == harmed


def test_check_verb_reports_damage_with_exit_1(library: Path, capsys) -> None:
    assert run(["--db", str(library), "check"]) == 0
    assert "OK" in capsys.readouterr().out
    _damage(library)
    assert run(["--db", str(library), "check", "--backups"]) == 1
    out = capsys.readouterr().out
    assert "the database is damaged" in out
    assert out.count("  OK") == 3


def test_large_files_get_the_cheap_checks_on_open_and_the_full_one_in_backup(
    library: Path, monkeypatch, capsys
) -> None:
    from desktop.core import store as store_module

    monkeypatch.setattr(store_module, "QUICK_CHECK_MAX_BYTES", 0)
    good = backup.list_backups(library)
    _damage(library)
    # A damaged page inside a table is not visible to the cheap checks...
    assert run(["--db", str(library), "info"]) == 0
    # ...but backup checks in full, and keeps the good backups.
    assert run(["--db", str(library), "backup"]) == 1
    assert "the database is damaged" in capsys.readouterr().err
    assert backup.list_backups(library) == good
    # A truncated file is caught by the header check whatever its size.
    _truncate(library)
    assert run(["--db", str(library), "info"]) == 1
    err = capsys.readouterr().err
    assert "truncated" in err, err[:300]
