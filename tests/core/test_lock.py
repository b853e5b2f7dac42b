"""One writer per database: a second process gets a clear message (or reads
read-only), never a corrupted file or a "database is locked" traceback."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from desktop.core import models as m
from desktop.core.errors import DatabaseError, DatabaseLockedError
from desktop.core.lock import lock_path
from desktop.core.services.library import library_info
from desktop.core.store import open_store

REPO = Path(__file__).resolve().parents[2]

HOLDER = textwrap.dedent(
    """
    import sys
    from desktop.core.store import open_store
    store = open_store(sys.argv[1])
    if len(sys.argv) > 2:
        from desktop.core import models as m
        with store.session() as s:
            s.add(m.Entity(name=sys.argv[2], type="ORG"))
    print("ready", flush=True)
    sys.stdin.readline()   # hold the database until the test says so
    store.close()
    print("closed", flush=True)
    """
)


@pytest.fixture
def holder(db_path: Path):  # type: ignore[no-untyped-def]
    """Another process with the database open, as a second window would have it."""
    open_store(db_path).close()
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    yield proc
    if proc.poll() is None:
        proc.kill()
    proc.wait(timeout=10)
    for pipe in (proc.stdin, proc.stdout):
        if pipe is not None:
            pipe.close()


def _cli(db: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop", "--db", str(db), *argv],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        check=False,
    )


def test_a_second_process_is_refused_with_the_holders_pid(holder, db_path):
    with pytest.raises(DatabaseLockedError) as err:
        open_store(db_path)
    assert str(db_path) in str(err.value)
    assert f"pid {holder.pid}" in str(err.value)
    assert err.value.pid == holder.pid


def test_read_only_open_works_beside_the_writer_and_refuses_writes(holder, db_path):
    store = open_store(db_path, read_only=True)
    try:
        assert library_info(store).schema_version
        with pytest.raises(DatabaseError, match=r"read-only.*not saved"), store.session() as s:
            s.add(m.Entity(name="Masood Azhar", type="PER"))
    finally:
        store.close()


def test_read_only_sees_what_the_writer_has_only_in_its_write_ahead_log(tmp_path):
    # The holder creates the database: schema and data sit in its -wal file,
    # not yet in the main file (no checkpoint while it keeps it open).
    path = tmp_path / "fresh.sqlite"
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path), "Jaish-e-Mohammed"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        assert path.with_name(path.name + "-wal").stat().st_size > 0
        store = open_store(path, read_only=True)
        try:
            assert library_info(store).entities == 1
        finally:
            store.close()
    finally:
        proc.kill()
        proc.wait(timeout=10)
        for pipe in (proc.stdin, proc.stdout):
            if pipe is not None:
                pipe.close()


def test_the_lock_is_free_again_once_the_holder_closes(holder, db_path):
    holder.stdin.write("\n")
    holder.stdin.flush()
    assert holder.stdout.readline().strip() == "closed"
    holder.wait(timeout=10)
    store = open_store(db_path)
    store.close()
    assert not lock_path(db_path).exists()


def test_a_killed_holder_leaves_no_stale_lock(holder, db_path):
    holder.kill()
    holder.wait(timeout=10)
    store = open_store(db_path)  # the OS dropped the lock with the process
    store.close()


def test_cli_write_verb_exits_1_with_the_message_and_read_verb_reads_read_only(holder, db_path):
    done = _cli(db_path, "dossier", "create", "Convoy attack")
    assert done.returncode == 1
    assert "open in another Dossier Desk window" in done.stderr
    assert "Traceback" not in done.stderr

    done = _cli(db_path, "info", "--json")
    assert done.returncode == 0, done.stderr
    assert "read-only" in done.stderr
    assert '"schema_version"' in done.stdout


def test_stores_of_one_process_share_the_lock(db_path):
    first = open_store(db_path)
    second = open_store(db_path)  # the CLI in tests, a window reopening its own file
    second.close()
    assert lock_path(db_path).exists(), "the first store still holds it"
    first.close()
    assert not lock_path(db_path).exists()


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_lock_file_is_private(db_path):
    store = open_store(db_path)
    try:
        assert lock_path(db_path).stat().st_mode & 0o777 == 0o600
        assert lock_path(db_path).read_text().strip() == str(os.getpid())
    finally:
        store.close()


@pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0, reason="root may write anywhere; POSIX modes"
)
def test_a_folder_without_write_access_is_a_clear_error(tmp_path):
    path = tmp_path / "ro" / "library.sqlite"
    path.parent.mkdir()
    open_store(path).close()
    path.parent.chmod(0o555)
    try:
        with pytest.raises(DatabaseError, match="lock file"):
            open_store(path)
    finally:
        path.parent.chmod(0o755)


# One writer per file, not per name (issue 13).


@pytest.mark.skipif(os.name != "posix", reason="symlinks need privileges on Windows")
def test_a_symlink_to_a_held_database_finds_the_same_lock(holder, db_path, tmp_path):
    link_dir = tmp_path / "elsewhere"
    link_dir.mkdir()
    link = link_dir / "same.sqlite"
    link.symlink_to(db_path)
    assert lock_path(link) == lock_path(db_path)
    with pytest.raises(DatabaseLockedError, match=f"pid {holder.pid}"):
        open_store(link)
    # A second process writing through the symlink is refused, before writing.
    done = _cli(link, "dossier", "create", "Convoy attack")
    assert done.returncode == 1, done.stdout
    assert "open in another Dossier Desk window" in done.stderr
    assert "Traceback" not in done.stderr
    # Reading through it is read-only, and sees the holder's file.
    done = _cli(link, "info", "--json")
    assert done.returncode == 0, done.stderr
    assert "read-only" in done.stderr


@pytest.mark.skipif(os.name != "posix", reason="symlinks need privileges on Windows")
def test_stores_of_one_process_share_the_lock_through_a_symlink(db_path, tmp_path):
    link = tmp_path / "link.sqlite"
    link.symlink_to(db_path)
    first = open_store(db_path)
    second = open_store(link)  # same process, same file: one shared lock
    try:
        assert second._lock is not None
        assert first._lock is not None
        assert second._lock.key == first._lock.key
    finally:
        second.close()
        first.close()


@pytest.mark.skipif(not hasattr(os, "link"), reason="no hard links here")
def test_a_database_with_a_second_hard_link_is_refused_with_the_reason(db_path, tmp_path):
    open_store(db_path).close()
    other = tmp_path / "hard.sqlite"
    os.link(db_path, other)
    for name in (db_path, other):
        with pytest.raises(DatabaseError, match="2 hard links") as err:
            open_store(name)
        assert "write-ahead log" in str(err.value)
        with pytest.raises(DatabaseError, match="hard links"):
            open_store(name, read_only=True)
    # Two real processes, one per name: both refused, neither writes.
    before = db_path.read_bytes()
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "desktop", "--db", str(name), "dossier", "create", "X"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
        )
        for name in (db_path, other)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 1
        assert "hard links" in err
        assert "Traceback" not in err
    assert db_path.read_bytes() == before
    other.unlink()
    store = open_store(db_path)  # one name again: fine
    store.close()
