"""A team library on a real PostgreSQL server started by the test suite."""

from __future__ import annotations

import json

import pytest

from desktop.cli import run
from desktop.core.errors import SchemaTooNewError, SchemaUpgradeNeededError
from desktop.core.services import library
from desktop.core.services.ingest import import_text
from desktop.core.store import head_revision, open_store


def test_a_client_never_migrates_a_server_it_says_what_to_run(pg_server):
    pg_server.create_database("empty1")
    url = pg_server.url("empty1")
    try:
        with pytest.raises(SchemaUpgradeNeededError) as info:
            open_store(url)
        message = str(info.value)
        assert "no library yet" in message
        assert f"needs schema {head_revision()}" in message
        assert f"dossier-desk --db {url} migrate" in message
        # Nothing was created by the refused open.
        assert pg_server.sql("SELECT to_regclass('alembic_version')", "empty1") == [(None,)]
    finally:
        pg_server.drop_database("empty1")


def test_migrate_creates_the_schema_and_the_library_works(pg_server, capsys):
    pg_server.create_database("empty2")
    url = pg_server.url("empty2")
    try:
        assert run(["--db", url, "migrate", "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["schema_version"] == head_revision()
        store = open_store(url)
        try:
            article_id, created = import_text(
                store, "Imran Khan met Nawaz Sharif in Lahore on Tuesday.", title="Talks"
            )
            assert created
            assert library.search_articles(store, "lahore") == [article_id]
            assert library.search_articles(store, 'nawaz "sharif') == [article_id]
            assert library.search_articles(store, "karachi") == []
            info = library.library_info(store)
            assert info.path == url
            assert info.articles == 1
        finally:
            store.close()
        assert run(["--db", url, "info", "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["articles"] == 1
    finally:
        pg_server.drop_database("empty2")


def test_a_server_with_a_newer_schema_is_refused_untouched(pg_url, pg_server):
    name = pg_url.rsplit("/", 1)[1]
    pg_server.sql("UPDATE alembic_version SET version_num = '9999'", name)
    with pytest.raises(SchemaTooNewError, match="schema 9999, newer than this version"):
        open_store(pg_url, migrate=True)
    assert pg_server.sql("SELECT version_num FROM alembic_version", name) == [("9999",)]


def test_a_database_with_other_tables_is_not_taken_over(pg_server):
    pg_server.create_database("foreign1")
    try:
        pg_server.sql("CREATE TABLE payroll (id int)", "foreign1")
        with pytest.raises(Exception, match="not a Dossier Desk library"):
            open_store(pg_server.url("foreign1"), migrate=True)
    finally:
        pg_server.drop_database("foreign1")


def test_the_readme_set_up_a_non_superuser_owner_and_two_groups(pg_server, capsys):
    """The roles and grants of the README's team section, end to end."""
    pg_server.add_role("desk_admin")
    pg_server.sql("CREATE DATABASE investigation OWNER desk_admin")
    try:
        pg_server.sql("REVOKE ALL ON DATABASE investigation FROM PUBLIC")
        pg_server.sql("GRANT CONNECT ON DATABASE investigation TO dossier_reader, dossier_editor")
        base = pg_server.url("investigation")

        def as_(role: str) -> str:
            return base.replace("dd_super@", f"{role}@", 1)

        # A researcher cannot prepare it; the owner (no superuser) can.
        assert run(["--db", as_("alice"), "info"]) == 1
        assert "An administrator prepares it with" in capsys.readouterr().err
        assert run(["--db", as_("desk_admin"), "migrate"]) == 0
        capsys.readouterr()
        alice = open_store(as_("alice"))
        try:
            article_id, _ = import_text(alice, "Hafiz Saeed spoke in Lahore.", title="Rally")
        finally:
            alice.close()
        assert run(["--db", as_("carol"), "articles", "show", str(article_id)]) == 0
        assert "Hafiz Saeed spoke in Lahore." in capsys.readouterr().out
        assert run(["--db", as_("carol"), "import-entities", "/nonexistent.csv"]) == 1
        assert pg_server.sql("SELECT rolsuper FROM pg_roles WHERE rolname = 'desk_admin'") == [
            (False,)
        ]
    finally:
        pg_server.drop_database("investigation")
