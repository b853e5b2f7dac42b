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
