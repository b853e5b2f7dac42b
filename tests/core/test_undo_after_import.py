"""Undo of a merge after a later import (issue 13): every mention ends where
linking from scratch, without the merge, would put it."""

from __future__ import annotations

from pathlib import Path

from desktop.core.services import extraction, resolve
from desktop.core.services.ingest import import_paths
from desktop.core.store import Store, open_store
from tests.core.resolve_helpers import add_entity

LATER = (
    "Peshawar, March 3: Officials said Tehreek-e-Taliban Pakistan claimed the bombing "
    "of the market. A spokesman for Tehreek-e-Taliban Pakistan said more attacks would follow."
)


def _people(store: Store) -> tuple[int, int]:
    a = add_entity(store, "Pakistani Taliban", "ORG", aliases=("TTP",))
    b = add_entity(
        store, "Tehrik-i-Taliban Pakistan", "ORG", aliases=("Tehreek-e-Taliban Pakistan",)
    )
    return a, b


def _links(store: Store) -> list[tuple[str, int, str | None]]:
    """(text, start, name of the live entity it is linked to) for every mention."""
    from sqlmodel import select

    from desktop.core import models as m

    with store.session() as s:
        names = {e.id: e.name for e in s.exec(select(m.Entity))}
        return sorted(
            (x.text, x.start, names.get(x.entity_id) if x.entity_id else None)
            for x in s.exec(select(m.Mention))
        )


def _import(store: Store, folder: Path) -> None:
    folder.mkdir(exist_ok=True)
    path = folder / "later.txt"
    path.write_text("Bombing claimed\n\n" + LATER + "\n", encoding="utf-8")
    report = import_paths(store, [path])
    assert report.imported, report.failed
    extraction.extract_articles(store, report.imported)


def test_undo_of_a_merge_puts_a_later_articles_mentions_where_a_replay_would(tmp_path):
    replay = open_store(tmp_path / "replay.sqlite")
    _people(replay)
    _import(replay, tmp_path / "r")
    expected = _links(replay)
    replay.close()
    assert [n for t, _, n in expected if "Taliban" in t] == ["Tehrik-i-Taliban Pakistan"] * 2

    store = open_store(tmp_path / "library.sqlite")
    a, b = _people(store)
    merged = resolve.merge(store, [a, b])
    _import(store, tmp_path / "l")
    during = _links(store)
    assert all(n == "Pakistani Taliban" for t, _, n in during if "Taliban" in t)
    resolve.undo(store, merged.history_id)
    assert _links(store) == expected
    # Redo puts them back on the survivor, and undo again is exact.
    resolve.redo(store, merged.history_id)
    assert _links(store) == during
    resolve.undo(store, merged.history_id)
    assert _links(store) == expected
    store.close()
