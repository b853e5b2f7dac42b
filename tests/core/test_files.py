"""Files the app creates are readable by their owner only."""

from __future__ import annotations

import os

import pytest

from desktop.core.files import create_private, write_private
from desktop.report.files import write_bytes

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


def _mode(path) -> int:  # type: ignore[no-untyped-def]
    return path.stat().st_mode & 0o777


def test_private_files_ignore_a_permissive_umask(tmp_path):
    old = os.umask(0o000)
    try:
        assert create_private(tmp_path / "a")
        assert not create_private(tmp_path / "a"), "an existing file is left alone"
        write_private(tmp_path / "b", b"x")
    finally:
        os.umask(old)
    assert _mode(tmp_path / "a") == 0o600
    assert _mode(tmp_path / "b") == 0o600


def test_exports_are_private_even_when_replacing_a_readable_file(tmp_path):
    target = tmp_path / "dossier.md"
    target.write_text("old")
    target.chmod(0o644)
    write_bytes(target, b"# Dossier")
    assert target.read_bytes() == b"# Dossier"
    assert _mode(target) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dossier.md"]


def test_database_its_log_files_and_backups_are_private(db_path):
    from desktop.core import backup
    from desktop.core import models as m
    from desktop.core.store import open_store

    old = os.umask(0o022)
    try:
        store = open_store(db_path)
        try:
            with store.session() as s:
                s.add(m.Entity(name="Masood Azhar", type="PER"))
            made = backup.back_up(store)
            files = [db_path, *db_path.parent.glob(db_path.name + "-*")]
            assert {p.name[len(db_path.name) :] for p in files} >= {"", "-wal", "-shm"}
            for p in files:
                assert _mode(p) == 0o600, p
            assert _mode(backup.backups_dir(db_path)) == 0o700
            assert _mode(db_path.parent / made.path) == 0o600
        finally:
            store.close()
    finally:
        os.umask(old)
