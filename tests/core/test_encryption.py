"""Databases encrypted with SQLCipher: the file is unreadable without the
passphrase, a wrong passphrase gets a clear message, and migrations, backups
and copies work on it."""

from __future__ import annotations

import io
import os
import sqlite3
from pathlib import Path

import pytest

from desktop.cli import run
from desktop.core import backup
from desktop.core import models as m
from desktop.core.errors import (
    BackupError,
    DatabaseError,
    PassphraseRequiredError,
    WrongPassphraseError,
)
from desktop.core.services.ingest import import_paths
from desktop.core.services.library import library_info, search_articles
from desktop.core.store import SQLITE_HEADER, head_revision, is_encrypted, open_store
from desktop.resources import samples_dir

pytest.importorskip("sqlcipher3", reason="sqlcipher3-binary has wheels for Linux x86-64 only")

SECRET = 'correct "horse" battery'
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.fixture
def encrypted_db(db_path: Path) -> Path:
    store = open_store(db_path, passphrase=SECRET, encrypt=True)
    import_paths(store, [samples_dir()])
    store.close()
    return db_path


def test_the_file_is_encrypted_and_readable_with_its_passphrase(encrypted_db):
    raw = encrypted_db.read_bytes()
    assert not raw.startswith(SQLITE_HEADER)
    assert b"Jaish" not in raw
    assert b"alembic_version" not in raw
    assert is_encrypted(encrypted_db)
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(encrypted_db).execute("SELECT * FROM sqlite_master").fetchall()

    store = open_store(encrypted_db, passphrase=SECRET)
    try:
        assert store.encrypted
        assert store.schema_version() == head_revision()
        assert library_info(store).articles == len(list(samples_dir().iterdir()))
        # FTS5 works inside the encrypted file.
        assert search_articles(store, "Jaish")
    finally:
        store.close()


def test_wrong_or_missing_passphrase_is_a_clear_error_and_the_file_is_untouched(encrypted_db):
    before = encrypted_db.read_bytes()
    with pytest.raises(WrongPassphraseError) as err:
        open_store(encrypted_db, passphrase="not it")
    assert str(err.value) == f"{encrypted_db}: wrong passphrase or not a Dossier Desk database"
    with pytest.raises(PassphraseRequiredError, match="encrypted"):
        open_store(encrypted_db)
    assert encrypted_db.read_bytes() == before


def test_a_plain_database_ignores_a_passphrase(db_path):
    open_store(db_path).close()
    store = open_store(db_path, passphrase="from the environment")
    try:
        assert not store.encrypted
    finally:
        store.close()


def test_only_a_new_file_can_be_created_encrypted(db_path):
    open_store(db_path).close()
    with pytest.raises(DatabaseError, match="only a new database"):
        open_store(db_path, passphrase=SECRET, encrypt=True)
    with pytest.raises(DatabaseError, match="passphrase is needed"):
        open_store(db_path.with_name("other.sqlite"), encrypt=True)


def test_migrations_and_the_pre_upgrade_backup_work_encrypted(tmp_path):
    # An encrypted copy of the first-schema fixture, made with SQLCipher itself.
    import sqlcipher3

    from desktop.core.store import key_pragma

    path = tmp_path / "old.sqlite"
    plain = sqlcipher3.connect(str(FIXTURES / "schema_0001.sqlite"))
    plain.execute(f"ATTACH DATABASE '{path}' AS enc KEY '{SECRET.replace(chr(39), '')}'")
    plain.execute("SELECT sqlcipher_export('enc')")
    plain.execute("DETACH DATABASE enc")
    plain.close()
    passphrase = SECRET.replace("'", "")
    assert is_encrypted(path)

    store = open_store(path, passphrase=passphrase)
    try:
        assert store.schema_version() == head_revision()
        assert len(search_articles(store, "Bahawalpur")) == 1
    finally:
        store.close()
    saved = tmp_path / "old.sqlite.before-0001.bak"
    assert is_encrypted(saved)
    conn = sqlcipher3.connect(str(saved))
    conn.execute(key_pragma(passphrase))
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    conn.close()


def test_backups_and_copies_of_an_encrypted_database_are_encrypted(encrypted_db, tmp_path):
    store = open_store(encrypted_db, passphrase=SECRET)
    try:
        made = backup.back_up(store)
        copy = backup.save_copy(store, tmp_path / "copy.sqlite")
    finally:
        store.close()
    assert made.encrypted
    for path in (Path(made.path), copy):
        assert is_encrypted(path)
        assert b"Jaish" not in path.read_bytes()
        with pytest.raises(WrongPassphraseError):
            open_store(path, passphrase="not it")
        reopened = open_store(path, passphrase=SECRET)
        try:
            assert library_info(reopened).articles == len(list(samples_dir().iterdir()))
        finally:
            reopened.close()


def test_cli_init_encrypt_reads_the_passphrase_file_never_an_argument(tmp_path, capsys):
    db = tmp_path / "secret.sqlite"
    pw = tmp_path / "pw.txt"
    pw.write_text(SECRET + "\n", encoding="utf-8")
    assert run(["--db", str(db), "--passphrase-file", str(pw), "init", "--encrypt"]) == 0
    out = capsys.readouterr().out
    assert "no way to recover" in out
    assert is_encrypted(db)

    assert run(["--db", str(db), "info"]) == 1
    assert "--passphrase-file" in capsys.readouterr().err
    assert run(["--db", str(db), "--passphrase-file", str(pw), "info", "--json"]) == 0
    assert '"schema_version"' in capsys.readouterr().out

    wrong = tmp_path / "wrong.txt"
    wrong.write_text("guess\n", encoding="utf-8")
    assert run(["--db", str(db), "--passphrase-file", str(wrong), "info"]) == 1
    err = capsys.readouterr().err
    assert f"{db}: wrong passphrase or not a Dossier Desk database" in err
    assert "Traceback" not in err


def test_cli_takes_the_passphrase_from_the_environment(tmp_path, capsys, monkeypatch):
    db = tmp_path / "env.sqlite"
    monkeypatch.setenv("DOSSIER_DESK_PASSPHRASE", SECRET)
    assert run(["--db", str(db), "init", "--encrypt", "--json"]) == 0
    assert '"encrypted": true' in capsys.readouterr().out
    assert run(["--db", str(db), "articles"]) == 0
    monkeypatch.delenv("DOSSIER_DESK_PASSPHRASE")
    assert run(["--db", str(db), "articles"]) == 1


def test_cli_init_encrypt_without_a_passphrase_creates_nothing(tmp_path, capsys, monkeypatch):
    db = tmp_path / "none.sqlite"
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # not a terminal: nobody to ask
    assert run(["--db", str(db), "init", "--encrypt"]) == 1
    assert "needs a passphrase" in capsys.readouterr().err
    assert not db.exists()


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_new_database_files_are_private(db_path):
    store = open_store(db_path, passphrase=SECRET, encrypt=True)
    try:
        with store.session() as s:
            s.add(m.Entity(name="Masood Azhar", type="PER"))
        for p in [db_path, *db_path.parent.glob(db_path.name + "-*")]:
            assert p.stat().st_mode & 0o777 == 0o600, p
    finally:
        store.close()


def test_restore_of_an_encrypted_database(encrypted_db):
    store = open_store(encrypted_db, passphrase=SECRET)
    try:
        saved = backup.back_up(store)
        with store.session() as s:
            s.add(m.Entity(name="Masood Azhar", type="PER"))
        assert library_info(store).entities == 1
        result = backup.restore(store, Path(saved.path))
        assert library_info(store).entities == 0
        assert is_encrypted(Path(result.safety_backup))
        assert is_encrypted(encrypted_db)
    finally:
        store.close()


def test_a_plain_backup_cannot_be_restored_into_an_encrypted_database(encrypted_db, tmp_path):
    plain = tmp_path / "plain.sqlite"
    open_store(plain).close()
    store = open_store(encrypted_db, passphrase=SECRET)
    try:
        with pytest.raises(BackupError, match="not encrypted"):
            backup.restore(store, plain)
        assert library_info(store).articles == len(list(samples_dir().iterdir()))
    finally:
        store.close()


def test_a_wrong_passphrase_prints_one_clear_line_and_no_sqlcipher_noise(encrypted_db, tmp_path):
    import subprocess
    import sys

    wrong = tmp_path / "wrong.txt"
    wrong.write_text("guess", encoding="utf-8")
    done = subprocess.run(
        [
            *(sys.executable, "-m", "desktop"),
            *("--db", str(encrypted_db), "--passphrase-file", str(wrong), "info"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 1
    assert done.stderr == (
        f"dossier-desk: error: {encrypted_db}: wrong passphrase or not a Dossier Desk database\n"
    )


def test_without_sqlcipher3_an_encrypted_file_gets_a_clear_message(encrypted_db, monkeypatch):
    from desktop.core import store as store_module

    def missing() -> None:
        raise ImportError("No module named 'sqlcipher3'")

    monkeypatch.setattr(store_module, "_load_sqlcipher", missing)
    with pytest.raises(DatabaseError, match="need the sqlcipher3 module") as err:
        open_store(encrypted_db, passphrase=SECRET)
    assert str(encrypted_db) in str(err.value)
