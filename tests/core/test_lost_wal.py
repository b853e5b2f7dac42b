"""The database file cannot be pulled out from under a writer (issue 13).

First the hazard itself, with nothing but the standard library: a process
that opens and closes the database file outside SQLite loses SQLite's POSIX
locks; the next process to open and close the database deletes the
write-ahead log; what the first process commits afterwards is lost when it is
killed. Then what we do about it: our code never opens a live database
outside SQLite, read-only opens can never delete the log, and a writer whose
hold is gone refuses to commit instead of writing into a deleted file.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from desktop.core import live
from desktop.core import models as m
from desktop.core.errors import DatabaseError
from desktop.core.ingest import IngestError
from desktop.core.ingest.readers import load_file
from desktop.core.store import copy_database, is_encrypted, open_store

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="POSIX locks and /proc are checked on Linux"
)

# Writer A: commit, open+close the file by hand, let B open and close it,
# commit again, then die without closing.
STDLIB_WRITER = textwrap.dedent(
    """
    import os, signal, sqlite3, subprocess, sys
    db = sys.argv[1]
    a = sqlite3.connect(db)
    a.execute("PRAGMA journal_mode=WAL")
    a.execute("CREATE TABLE t(x)")
    a.execute("INSERT INTO t VALUES ('before')")
    a.commit()
    with open(db, "rb") as f:
        f.read(100)
    subprocess.run([sys.executable, "-c",
        "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
        "c.execute('SELECT count(*) FROM t').fetchone(); c.close()", db], check=True)
    print("wal exists:", os.path.exists(db + "-wal"), flush=True)
    a.execute("INSERT INTO t VALUES ('after')")
    a.commit()
    os.kill(os.getpid(), signal.SIGKILL)
    """
)


def _rows(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [r[0] for r in conn.execute("SELECT x FROM t ORDER BY rowid")]
    finally:
        conn.close()


def test_stdlib_reproduction_an_open_and_close_outside_sqlite_loses_a_later_commit(tmp_path):
    db = tmp_path / "t.db"
    proc = subprocess.run(
        [sys.executable, "-c", STDLIB_WRITER, str(db)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    # B deleted the log while A had it open; A's second commit went into it.
    assert "wal exists: False" in proc.stdout
    assert _rows(db) == ["before"]


def _add(store, name: str) -> None:  # type: ignore[no-untyped-def]
    with store.session() as s:
        s.add(m.Entity(name=name, type="ORG"))


def _names(db: Path) -> list[str]:
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM entity ORDER BY id")]
    finally:
        conn.close()


def _stdlib_open_close(db: Path, *, read_only: bool) -> None:
    """Another program's SQLite (not ours) opening the database and closing it."""
    target = f"{db.resolve().as_uri()}" + ("?mode=ro" if read_only else "")
    code = (
        "import sqlite3, sys; c = sqlite3.connect(sys.argv[1], uri=True); "
        "c.execute('SELECT count(*) FROM entity').fetchone(); c.close()"
    )
    subprocess.run([sys.executable, "-c", code, target], check=True, timeout=60)


def test_a_writer_holds_visible_locks_and_reading_the_header_keeps_them(db_path):
    store = open_store(db_path)
    try:
        _add(store, "Alpha")
        assert store.hold is not None
        assert store.hold.locks_visible
        # What used to open the file by hand: the encryption sniff, and the
        # whole open path run again on the same file (File > Open, same file).
        assert is_encrypted(db_path) is False
        open_store(db_path).close()
        assert live.holds_lock(store.hold)
        assert live.lost_hold(store.hold) is None
        _add(store, "Beta")
    finally:
        store.close()
    assert _names(db_path) == ["Alpha", "Beta"]


def test_a_commit_after_lost_locks_is_refused_and_nothing_committed_is_lost(db_path):
    store = open_store(db_path)
    try:
        _add(store, "Alpha")
        # Something in the process (a foreign library) opens and closes the file.
        with open(db_path, "rb") as f:
            f.read(16)
        assert not live.holds_lock(store.hold)
        # Another program's SQLite now believes it is alone: it deletes the log.
        _stdlib_open_close(db_path, read_only=False)
        assert not Path(str(db_path) + "-wal").exists()
        with pytest.raises(live.LostHoldError) as err:
            _add(store, "Beta")
        message = str(err.value)
        assert str(db_path) in message
        assert "not saved" in message
        # And it keeps refusing: no later write goes into the deleted log.
        with pytest.raises(live.LostHoldError):
            _add(store, "Gamma")
        assert _names(db_path) == ["Alpha"]
    finally:
        store.close()
    assert _names(db_path) == ["Alpha"]


def test_the_guard_refuses_before_anyone_deletes_the_log(db_path):
    store = open_store(db_path)
    try:
        _add(store, "Alpha")
        with open(db_path, "rb") as f:
            f.read(16)
        with pytest.raises(live.LostHoldError, match="released SQLite's locks"):
            _add(store, "Beta")
    finally:
        store.close()
    assert _names(db_path) == ["Alpha"]


def test_a_read_only_reader_never_deletes_the_log_even_of_an_unlocked_writer(db_path):
    store = open_store(db_path)
    try:
        _add(store, "Alpha")
        with open(db_path, "rb") as f:
            f.read(16)
        wal = Path(str(db_path) + "-wal")
        ino = wal.stat().st_ino
        # Our own read-only open, in another process, as the read verbs do it.
        code = textwrap.dedent(
            """
            import sys
            from desktop.core.store import open_store
            from desktop.core.services.library import library_info
            s = open_store(sys.argv[1], read_only=True)
            print(library_info(s).entities)
            s.close()
            """
        )
        out = subprocess.run(
            [sys.executable, "-c", code, str(db_path)],
            capture_output=True,
            text=True,
            cwd=REPO,
            timeout=60,
            check=True,
        )
        assert out.stdout.strip() == "1"
        assert wal.stat().st_ino == ino
        _stdlib_open_close(db_path, read_only=True)
        assert wal.stat().st_ino == ino
    finally:
        store.close()


def test_the_live_database_and_its_side_files_are_never_imported(db_path, tmp_path):
    store = open_store(db_path)
    try:
        _add(store, "Alpha")
        disguised = tmp_path / "notes.txt"
        disguised.symlink_to(db_path)
        wal = Path(str(db_path) + "-wal")
        wal_as_text = tmp_path / "wal.txt"
        wal_as_text.symlink_to(wal)
        for path in (disguised, wal_as_text):
            with pytest.raises(IngestError, match="is the database open in Dossier Desk"):
                load_file(path)
        assert live.holds_lock(store.hold)
        _add(store, "Beta")
    finally:
        store.close()
    assert _names(db_path) == ["Alpha", "Beta"]


def test_no_export_or_copy_can_replace_the_live_database(db_path, tmp_path):
    from desktop.core.services.resolve import ReferenceListError, export_entities
    from desktop.report.files import check_writable

    store = open_store(db_path)
    try:
        _add(store, "Alpha")
        wal = Path(str(db_path) + "-wal")
        alias = tmp_path / "entities.csv"
        alias.symlink_to(db_path)
        with pytest.raises(ReferenceListError, match="cannot be overwritten"):
            export_entities(store, alias)
        from desktop.core.dossier import ExportError

        with pytest.raises(ExportError, match="cannot be overwritten"):
            check_writable(wal)
        src = store.connect_raw()
        try:
            with pytest.raises(DatabaseError, match="cannot be replaced by a copy"):
                copy_database(src, wal, None)
        finally:
            src.close()
        assert live.lost_hold(store.hold) is None
        _add(store, "Beta")
    finally:
        store.close()
    assert _names(db_path) == ["Alpha", "Beta"]


def test_a_replaced_database_file_stops_the_writer(db_path, tmp_path):
    store = open_store(db_path)
    try:
        _add(store, "Alpha")
        other = tmp_path / "other.sqlite"
        open_store(other).close()
        os.replace(other, db_path)
        with pytest.raises(live.LostHoldError, match="replaced"):
            _add(store, "Beta")
    finally:
        store.close()


def test_a_side_file_is_never_opened_as_a_database(db_path):
    from desktop.core.store import connect_raw

    store = open_store(db_path)
    try:
        _add(store, "Alpha")
        for suffix in ("-shm", "-wal"):
            with pytest.raises(DatabaseError, match="cannot be opened as another database"):
                connect_raw(Path(str(db_path) + suffix))
        assert live.lost_hold(store.hold) is None
        _add(store, "Beta")
    finally:
        store.close()
    assert _names(db_path) == ["Alpha", "Beta"]
