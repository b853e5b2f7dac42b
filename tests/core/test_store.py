from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel, select

from desktop.core import models as m
from desktop.core.errors import DatabaseError, SchemaTooNewError
from desktop.core.services.library import search_articles
from desktop.core.store import default_db_path, head_revision, known_revisions, open_store

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _article(title: str, body: str) -> m.Article:
    digest = hashlib.sha256(f"{title}{body}".encode()).hexdigest()
    return m.Article(title=title, body=body, sha256=digest)


def test_new_database_is_at_head_with_wal_and_foreign_keys(store):
    assert store.schema_version() == head_revision() == known_revisions()[-1]
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def _not_search_index(name: str | None, kind: str, _parent: object) -> bool:
    # The full-text index is raw SQL in migration 0002, not a model: an FTS5
    # table on SQLite, a generated column with its index on PostgreSQL.
    if kind == "table":
        return not (name or "").startswith("article_fts")
    return not (kind == "column" and name == "fts") and name != "ix_article_fts"


@pytest.mark.both_backends
def test_models_describe_exactly_what_the_migrations_create(store):
    with store.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"include_name": _not_search_index})
        diff = compare_metadata(ctx, SQLModel.metadata)
    assert diff == []


@pytest.mark.both_backends
def test_foreign_keys_are_enforced(store):
    with pytest.raises(Exception, match=r"(?i)foreign key"), store.session() as s:
        s.add(m.Alias(entity_id=12345, name="JeM"))


@pytest.mark.both_backends
def test_full_text_index_follows_inserts_updates_and_deletes(store):
    with store.session() as s:
        a = _article("Convoy attack", "Jaish-e-Mohammed claimed the attack near Pulwama.")
        b = _article("Court hearing", "Lashkar-e-Taiba charities were discussed in Lahore.")
        s.add_all([a, b])
    assert search_articles(store, "Pulwama") == [a.id]
    assert search_articles(store, "lahore charities") == [b.id]
    with store.session() as s:
        row = s.get(m.Article, a.id)
        row.body = "The hearing moved to Rawalakot."
        s.add(row)
    assert search_articles(store, "Pulwama") == []
    assert search_articles(store, "Rawalakot") == [a.id]
    with store.session() as s:
        s.delete(s.get(m.Article, b.id))
    assert search_articles(store, "Lahore") == []


@pytest.mark.both_backends
def test_search_treats_user_input_as_words_not_syntax(store):
    with store.session() as s:
        s.add(_article("Hyphens", 'The so-called "Army of Muhammad" was named.'))
    assert len(search_articles(store, 'Army of "Muhammad')) == 1
    assert search_articles(store, '" ) OR (') == []


def test_database_from_a_newer_version_is_refused_and_left_untouched(db_path):
    open_store(db_path).close()
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.close()
    for extra in db_path.parent.glob(db_path.name + "-*"):
        extra.unlink()  # checkpointed by the close above; start from one plain file
    before = db_path.read_bytes()
    siblings_before = sorted(p.name for p in db_path.parent.iterdir())

    with pytest.raises(SchemaTooNewError) as err:
        open_store(db_path)
    message = str(err.value)
    assert str(db_path) in message
    assert "newer version" in message
    assert "9999_from_the_future" in message
    assert db_path.read_bytes() == before
    assert sorted(p.name for p in db_path.parent.iterdir()) == siblings_before


def test_database_of_the_first_schema_is_backed_up_and_upgraded(tmp_path):
    path = tmp_path / "old.sqlite"
    shutil.copy(FIXTURES / "schema_0001.sqlite", path)
    original = path.read_bytes()

    store = open_store(path)
    try:
        assert store.schema_version() == head_revision()
        with store.session() as s:
            titles = sorted(a.title for a in s.exec(select(m.Article)).all())
            entities = s.exec(select(m.Entity)).all()
        assert titles == ["Charity fronts on trial", "Convoy attack inquiry"]
        assert {e.name for e in entities} == {"Jaish-e-Mohammed", "Masood Azhar"}
        # Articles stored before the full-text index existed are indexed too.
        assert len(search_articles(store, "Bahawalpur")) == 1
    finally:
        store.close()
    backup = tmp_path / "old.sqlite.before-0001.bak"
    assert backup.exists()
    with sqlite3.connect(backup) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    conn.close()
    assert len(original) > 0


def test_a_file_that_is_not_a_database_is_refused_with_its_name(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_bytes(b"these are my notes, not a database" * 100)
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match=r"notes\.sqlite"):
        open_store(path)
    assert path.read_bytes() == before


def test_a_foreign_sqlite_database_is_refused(tmp_path):
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE songs (title TEXT)")
    conn.close()
    with pytest.raises(DatabaseError, match="not a Dossier Desk database"):
        open_store(path)


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(DatabaseError, match="is a folder"):
        open_store(tmp_path)


def test_default_path_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("DOSSIER_DESK_DB", str(tmp_path / "chosen.sqlite"))
    assert default_db_path() == tmp_path / "chosen.sqlite"
    monkeypatch.delenv("DOSSIER_DESK_DB")
    path = default_db_path()
    assert path.name == "library.sqlite"
    assert "dossier-desk" in path.parts


def test_revisions_read_without_alembic_are_alembics() -> None:
    from alembic.script import ScriptDirectory

    from desktop.core.store import _alembic_config

    script = ScriptDirectory.from_config(_alembic_config())
    assert known_revisions() == [r.revision for r in reversed(list(script.walk_revisions()))]
    assert head_revision() == script.get_current_head()


def test_opening_a_current_database_does_not_import_alembic(tmp_path: Path) -> None:
    import subprocess
    import sys

    open_store(tmp_path / "lib.sqlite").close()
    code = (
        "import sys\n"
        "from desktop.core.store import open_store\n"
        f"open_store({str(tmp_path / 'lib.sqlite')!r}).close()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('alembic', 'mako')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
