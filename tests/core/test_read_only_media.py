"""Issue 19, findings 4 and 5: a full disk and read-only media. Read verbs
work without a lock file; writes fail with a clear message and exit 1 (never
70); a log that cannot be written says so once, without tracebacks."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.cli import run
from desktop.core import logs
from desktop.core import models as m
from desktop.core.store import open_store

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="Linux mounts")


def _mount(args: list[str]) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


@contextlib.contextmanager
def tmpfs(tmp_path: Path, size: str = "4m") -> Iterator[Path]:
    mnt = tmp_path / f"mnt-{uuid.uuid4().hex[:6]}"
    mnt.mkdir()
    if not _mount(["-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(mnt)]):
        pytest.skip("cannot mount here (needs root)")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def _library(db: Path) -> None:
    store = open_store(db)
    with store.session() as s:
        s.add(m.Entity(name="Masood Azhar", type="PER"))
        s.add(m.Entity(name="Jaish-e-Mohammed", type="ORG"))
    store.close()


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_read_verbs_work_on_a_read_only_medium(tmp_path: Path, capsys) -> None:
    with tmpfs(tmp_path) as mnt:
        db = mnt / "library.sqlite"
        _library(db)
        before = _listing(mnt)
        assert _mount(["-o", "remount,ro", str(mnt)])
        capsys.readouterr()
        # Before: every verb failed, reads included, with a message naming a
        # read-only option that did not exist.
        assert run(["--db", str(db), "entities", "--json"]) == 0
        names = {e["name"] for e in json.loads(capsys.readouterr().out)}
        assert names == {"Masood Azhar", "Jaish-e-Mohammed"}
        assert run(["--db", str(db), "info"]) == 0
        assert run(["--db", str(db), "check"]) == 0
        assert run(["--db", str(db), "backups"]) == 0
        capsys.readouterr()
        for verb in (["merge", "1", "2"], ["backup"]):
            assert run(["--db", str(db), *verb]) == 1, verb
            err = capsys.readouterr().err
            assert "read-only medium" in err
            assert "Reading verbs" in err
        assert _listing(mnt) == before, "nothing created beside the file"


def test_read_verbs_work_in_a_read_only_folder(tmp_path: Path, capsys) -> None:
    with tmpfs(tmp_path) as mnt:
        inner = mnt / "folder"
        inner.mkdir()
        db = inner / "library.sqlite"
        _library(db)
        # A read-only bind mount: the folder, not the whole disk.
        view = mnt / "view"
        view.mkdir()
        if not _mount(["--bind", "-o", "ro", str(inner), str(view)]):
            pytest.skip("cannot bind-mount read-only here")
        try:
            assert run(["--db", str(view / "library.sqlite"), "entities"]) == 0
            assert "Masood Azhar" in capsys.readouterr().out
            assert run(["--db", str(view / "library.sqlite"), "merge", "1", "2"]) == 1
            assert "cannot be changed here" in capsys.readouterr().err
        finally:
            subprocess.run(["umount", "-l", str(view)], check=False)


def _cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """A separate process, as a user runs it (each holds its own files)."""
    env = {**os.environ, "DOSSIER_DESK_LOG_DIR": str(db.parent / "logs")}
    return subprocess.run(
        [sys.executable, "-m", "desktop", "--db", str(db), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_a_full_disk_still_reads_and_fails_writes_clearly(tmp_path: Path) -> None:
    with tmpfs(tmp_path, "2m") as mnt:
        db = mnt / "library.sqlite"
        _library(db)
        st = os.statvfs(mnt)
        with open(mnt / "filler", "wb") as f:
            f.write(b"\0" * (st.f_bavail * st.f_frsize))
        # Before: "cannot create its lock file" for every verb, and the log
        # printed "--- Logging error ---" tracebacks.
        for verb in ("info", "entities"):
            done = _cli(db, verb)
            assert done.returncode == 0, done.stderr
            assert "Traceback" not in done.stderr
        assert "Masood Azhar" in done.stdout
        done = _cli(db, "merge", "1", "2")
        assert done.returncode == 1, done.stderr
        assert "full" in done.stderr
        assert "Traceback" not in done.stderr


def test_a_log_that_cannot_be_written_says_so_once(tmp_path: Path, monkeypatch, capsys) -> None:
    log_dir = tmp_path / "logs"
    monkeypatch.setenv("DOSSIER_DESK_LOG_DIR", str(log_dir))
    logs.setup_logging()
    handler = logs._handler
    assert handler is not None

    def full(record: logging.LogRecord) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(handler, "shouldRollover", full)
    monkeypatch.setattr(logs, "_warned", False)
    db = tmp_path / "library.sqlite"
    _library(db)
    try:
        # Before: three "--- Logging error ---" tracebacks per command.
        for _ in range(2):
            for i in range(3):
                logging.getLogger("desktop.test").info("line %d", i)
    finally:
        logs.shutdown_logging()
    err = capsys.readouterr().err
    assert "Logging error" not in err
    assert "Traceback" not in err
    assert err.count("the log file cannot be written (No space left on device)") == 1


def test_a_log_folder_that_cannot_be_created_is_not_an_error(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("DOSSIER_DESK_LOG_DIR", str(blocker / "logs"))
    monkeypatch.setattr(logs, "_warned", False)
    db = tmp_path / "library.sqlite"
    _library(db)
    try:
        assert run(["--db", str(db), "info"]) == 0
        assert run(["--db", str(db), "info"]) == 0
    finally:
        logs.shutdown_logging()
    err = capsys.readouterr().err
    assert err.count("the log file cannot be written") == 1
    assert "Traceback" not in err
