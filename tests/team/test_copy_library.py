"""copy-library: a file library to a team server and back, nothing lost
(history and judgements included), counts checked on both sides."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from sqlmodel import SQLModel

from desktop.cli import run
from desktop.core.errors import DatabaseError
from desktop.core.services import dossiers, extraction
from desktop.core.services import resolve as svc
from desktop.core.services.ingest import import_paths, import_text
from desktop.core.services.library import list_entities, search_articles
from desktop.core.services.transfer import copy_library
from desktop.core.store import Store, open_store
from desktop.resources import samples_dir


def _rows(store: Store) -> dict[str, list[tuple]]:
    out = {}
    with store.session() as s:
        for table in SQLModel.metadata.sorted_tables:
            out[table.name] = [
                tuple(r) for r in s.execute(select(table).order_by(table.c.id)).all()
            ]
    return out


@pytest.fixture
def worked_library(tmp_path):  # type: ignore[no-untyped-def]
    """A file library with extraction, merges, judgements, an undo and a dossier."""
    path = tmp_path / "desk.sqlite"
    store = open_store(path)
    import_paths(store, [samples_dir()])
    extraction.extract_articles(store, list(range(1, 100)))
    people = [e for e in list_entities(store) if e.type == "PER"][:4]
    assert len(people) == 4
    merged = svc.judge(store, people[0].id, people[1].id, "same")
    svc.judge(store, people[0].id, people[2].id, "different", note="not the same man")
    svc.undo(store, merged.history_id)
    svc.judge(store, people[2].id, people[3].id, "unsure")
    d = dossiers.create_dossier(store, "Field notes")
    dossiers.add_entity(store, d.id, people[0].id)
    dossiers.add_note(store, d.id, "Check the dateline.")
    store.close()
    return path


def test_a_file_library_goes_to_a_server_and_comes_back_unchanged(
    worked_library, pg_url, tmp_path, capsys
):
    assert run(["copy-library", str(worked_library), pg_url, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["counts"]["history"] >= 3
    assert report["counts"]["judgement"] == 3  # the undone one is kept, revoked
    back = tmp_path / "snapshot.sqlite"
    assert run(["copy-library", pg_url, str(back)]) == 0
    assert "rows, the same on both sides" in capsys.readouterr().out
    original, server, snapshot = (open_store(x) for x in (worked_library, pg_url, back))
    try:
        want = _rows(original)
        assert sum(len(v) for v in want.values()) > 100
        assert _rows(server) == want
        assert _rows(snapshot) == want
        assert {t: len(v) for t, v in want.items()} == report["counts"]
        # Search indexes were built on both sides, and new rows get new ids.
        hits = search_articles(original, "Pulwama")
        assert hits
        assert search_articles(server, "Pulwama") == search_articles(snapshot, "Pulwama") == hits
        new_id, created = import_text(server, "A new article about Quetta.", title="New")
        assert created
        assert new_id > max(r[0] for r in want["article"])
        # History replays on the copy: undo works there.
        svc.undo(snapshot)
    finally:
        for s in (original, server, snapshot):
            s.close()


def test_a_non_empty_destination_is_refused_and_left_alone(worked_library, pg_url):
    server = open_store(pg_url)
    try:
        import_text(server, "Already here.", title="Mine")
        src = open_store(worked_library)
        try:
            with pytest.raises(DatabaseError, match="is not empty"):
                copy_library(src, server)
        finally:
            src.close()
        assert [r[0] for r in _rows(server)["article"]] == [1]
    finally:
        server.close()
