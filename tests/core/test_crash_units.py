"""Crash safety inside one process: each unit of work (a file, an article's
extraction, a re-linking step) commits on its own, what was reported done is
in the database, and running the job again finishes it without duplicates.

A crash is simulated by an exception raised in the middle of a run; the kill
test (tests/core/test_crash_kill.py) does the same with SIGKILL.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from desktop.core import linking
from desktop.core.services import extraction, ingest, library, pipeline, resolve
from desktop.core.store import Store, head_revision, open_store
from desktop.resources import samples_dir
from tests.core.resolve_helpers import add_article, snapshot

_SAMPLES = len(list(samples_dir().iterdir()))


class Crash(Exception):
    """Stands for the process dying at this point."""


def _crash_on_call(monkeypatch: pytest.MonkeyPatch, n: int) -> None:
    """Make the ``n``-th article linked from now on raise half-way (after some
    of its rows were written in its transaction)."""
    real = linking.Linker.link_article
    calls = {"n": 0}

    def link_article(self, article_id, found, **kw):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        result = real(self, article_id, found, **kw)
        if calls["n"] == n:
            self.session.flush()
            raise Crash(f"crash while linking article {article_id}")
        return result

    monkeypatch.setattr(linking.Linker, "link_article", link_article)


def _counts(store: Store) -> tuple[int, int, int, int]:
    info = library.library_info(store)
    return info.articles, info.entities, info.aliases, info.mentions


def _mentions_per_article(db: Path) -> dict[int, int]:
    # A separate connection: sees only what was committed.
    conn = sqlite3.connect(db)
    try:
        return dict(conn.execute("SELECT article_id, count(*) FROM mention GROUP BY article_id"))
    finally:
        conn.close()


def test_extraction_commits_each_article_and_reports_it_after_the_commit(
    samples_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = extraction.all_article_ids(samples_store)
    reported: list[tuple[int, int]] = []

    def on_article(article_id: int, mentions: int) -> None:
        # Committed before it is reported: another connection sees it.
        assert _mentions_per_article(samples_store.path).get(article_id, 0) == mentions
        reported.append((article_id, mentions))

    _crash_on_call(monkeypatch, 4)
    with pytest.raises(Crash):
        extraction.extract_articles(samples_store, ids, on_article=on_article)
    assert [a for a, _ in reported] == ids[:3]
    committed = _mentions_per_article(samples_store.path)
    assert set(committed) == set(ids[:3])
    assert all(committed[a] == n for a, n in reported)


def test_interrupted_import_finishes_on_a_second_run_as_if_never_stopped(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clean = open_store(tmp_path / "clean.sqlite")
    pipeline.import_and_extract(clean, [samples_dir()], processes=1)
    expected = _counts(clean)
    clean.close()

    events: list[dict[str, object]] = []
    with monkeypatch.context() as patch:
        _crash_on_call(patch, 3)
        with pytest.raises(Crash):
            pipeline.import_and_extract(store, [samples_dir()], processes=1, on_event=events.append)
    kinds = [e["event"] for e in events]
    assert kinds == ["imported"] * _SAMPLES + ["extracted"] * 2
    assert len(_mentions_per_article(store.path)) == 2

    again: list[dict[str, object]] = []
    outcome = pipeline.import_and_extract(
        store, [samples_dir()], processes=1, on_event=again.append
    )
    assert outcome.report.imported == []
    assert len(outcome.report.duplicates) == _SAMPLES
    # Only the articles the first run did not reach are extracted now.
    extracted = [e["article_id"] for e in again if e["event"] == "extracted"]
    assert extracted == [e["article_id"] for e in events if e["event"] == "imported"][2:]
    assert _counts(store) == expected
    # A third run has nothing left to do.
    third = pipeline.import_and_extract(store, [samples_dir()], processes=1)
    assert third.extraction is None
    assert _counts(store) == expected


def test_import_events_follow_each_files_commit(store: Store) -> None:
    seen: list[dict[str, object]] = []

    def on_event(event: dict[str, object]) -> None:
        conn = sqlite3.connect(store.path)
        try:
            row = conn.execute(
                "SELECT count(*) FROM article WHERE id = ?", (event["article_id"],)
            ).fetchone()
        finally:
            conn.close()
        assert row == (1,), event
        seen.append(event)

    ingest.import_paths(store, [samples_dir()], on_event=on_event)
    assert [e["event"] for e in seen] == ["imported"] * _SAMPLES
    ingest.import_paths(store, [samples_dir()], on_event=on_event)
    assert [e["event"] for e in seen[_SAMPLES:]] == ["duplicate"] * _SAMPLES


def test_failed_files_are_events_too(store: Store, tmp_path: Path) -> None:
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 nothing else")
    events: list[dict[str, object]] = []
    ingest.import_paths(store, [bad], on_event=events.append)
    assert len(events) == 1
    assert events[0]["event"] == "failed"
    assert str(bad) in str(events[0]["error"])


FIRST = "Police said the raid took place in Kupwara district before dawn on Friday."
OTHERS = [
    "Shops stayed shut in Kupwara on Saturday, a day after the raid.",
    "Teachers in Kupwara said schools would reopen on Monday.",
    "A march from Kupwara to Srinagar was called off by the organisers.",
]


def test_interrupted_relink_after_change_is_recorded_exactly_and_undoes(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = add_article(store, FIRST)
    for body in OTHERS:
        add_article(store, body)
    extraction.extract_articles(store, [first])
    start = FIRST.index("Kupwara")
    marked = resolve.mark_mention(store, first, start, start + len("Kupwara"), "LOC")
    after_mark = snapshot(store)

    # Articles are re-linked in id order: the first, then OTHERS[0], then a crash.
    _crash_on_call(monkeypatch, 3)
    with pytest.raises(Crash):
        extraction.relink_after_change(store, marked.entity_ids, label=marked.label)
    entries = [h for h in resolve.history(store) if h.action == "relink"]
    assert len(entries) == 1
    # The History entry lists what was committed: the second article's new
    # mentions are there and undo removes exactly them.
    assert snapshot(store) != after_mark
    resolve.undo(store, entries[0].id)
    assert snapshot(store) == after_mark
    resolve.undo(store, marked.history_id)


def test_a_cancel_stops_between_two_articles(samples_store: Store) -> None:
    ids = extraction.all_article_ids(samples_store)
    done: list[int] = []
    report = extraction.extract_articles(
        samples_store,
        ids,
        on_article=lambda a, _n: done.append(a),
        should_cancel=lambda: len(done) >= 2,
    )
    assert report.cancelled
    assert report.articles == 2
    assert set(_mentions_per_article(samples_store.path)) == set(ids[:2])


def test_cli_progress_lines_are_json_on_stderr_and_leave_stdout_alone(
    capsys: pytest.CaptureFixture[str], store: Store
) -> None:
    from desktop.cli import run

    db = str(store.path)
    assert run(["--db", db, "import", str(samples_dir()), "--progress", "--json"]) == 0
    out, err = capsys.readouterr()
    events = [json.loads(line) for line in err.splitlines()]
    assert [e["event"] for e in events] == ["imported"] * _SAMPLES + ["extracted"] * _SAMPLES
    assert set(events[0]) == {"event", "path", "article_id"}
    assert set(events[-1]) == {"event", "article_id", "mentions"}
    assert json.loads(out)["imported"] == [e["article_id"] for e in events[:_SAMPLES]]

    assert run(["--db", db, "relink", "--progress", "--jobs", "1"]) == 0
    out, err = capsys.readouterr()
    events = [json.loads(line) for line in err.splitlines()]
    assert [e["event"] for e in events] == ["relinked"] * _SAMPLES
    assert sum(e["mentions"] for e in events) == library.library_info(store).mentions
    assert f"{_SAMPLES} articles" in out


def _crash_in_migration(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the third SQL statement a migration runs through ``op.execute``
    (migration 0002 creates the full-text table, then its triggers)."""
    from alembic.operations import Operations

    real = Operations.execute
    calls = {"n": 0}

    def execute(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 3:
            raise Crash("crash while migrating")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Operations, "execute", execute)


def test_a_crash_while_creating_a_library_leaves_a_file_that_opens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "new.sqlite"
    with monkeypatch.context() as patch:
        _crash_in_migration(patch)
        with pytest.raises(Crash):
            open_store(db)
    # Before: the first migration's tables stayed (the driver committed each
    # CREATE TABLE) without a schema version, and every later open failed
    # with "table article already exists".
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone() == (0,)
    finally:
        conn.close()
    store = open_store(db)
    assert store.schema_version() == head_revision()
    store.close()


def test_a_crash_while_upgrading_a_library_keeps_the_old_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "old.sqlite"
    db.write_bytes((Path(__file__).parent.parent / "fixtures" / "schema_0001.sqlite").read_bytes())
    with monkeypatch.context() as patch:
        _crash_in_migration(patch)
        with pytest.raises(Crash):
            open_store(db)
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
        assert (
            conn.execute("SELECT name FROM sqlite_master WHERE name = 'article_fts'").fetchall()
            == []
        )
    finally:
        conn.close()
    store = open_store(db)
    assert store.schema_version() == head_revision()
    assert library.library_info(store).articles >= 0
    store.close()
