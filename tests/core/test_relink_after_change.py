"""Re-linking after the user teaches the app a name: additive, and undoable on
its own, so the change that caused it can still be undone exactly."""

from __future__ import annotations

import pytest

from desktop.core.services import extraction, library, resolve
from desktop.core.store import Store
from tests.core.resolve_helpers import add_article, snapshot

pytestmark = pytest.mark.both_backends

FIRST = "Police said the raid took place in Kupwara district before dawn on Friday."
SECOND = "Shops stayed shut in Kupwara on Saturday, a day after the raid."


def test_a_marked_name_is_found_in_other_articles_and_each_step_undoes(store: Store) -> None:
    first = add_article(store, FIRST)
    second = add_article(store, SECOND)
    # The second article was imported without extraction (`import --no-extract`):
    # only re-linking can find the name there.
    extraction.extract_articles(store, [first])
    assert library.article_mentions(store, second) == []
    before_mark = snapshot(store)

    start = FIRST.index("Kupwara")
    marked = resolve.mark_mention(store, first, start, start + len("Kupwara"), "LOC")
    entity_id = next(
        x.entity_id for x in library.article_mentions(store, first) if x.text == "Kupwara"
    )
    after_mark = snapshot(store)

    outcome = extraction.relink_after_change(store, marked.entity_ids, label=marked.label)
    assert outcome.change is not None
    assert outcome.change.label.startswith("re-linking of ")
    found = [x for x in library.article_mentions(store, second) if x.text == "Kupwara"]
    assert [x.entity_id for x in found] == [entity_id]
    # Additive: the first article's mentions are untouched.
    assert snapshot(store)["mention"][: len(after_mark["mention"])] == after_mark["mention"]

    resolve.undo(store, outcome.change.history_id)
    assert snapshot(store) == after_mark
    resolve.undo(store, marked.history_id)
    assert snapshot(store) == before_mark


def test_nothing_to_add_records_nothing(store: Store) -> None:
    article = add_article(store, FIRST)
    extraction.extract_articles(store, [article])
    entity_ids = [x.entity_id for x in library.article_mentions(store, article) if x.entity_id]
    history = len(resolve.history(store))
    outcome = extraction.relink_after_change(store, entity_ids, label="a test")
    assert outcome.change is None
    assert len(resolve.history(store)) == history
