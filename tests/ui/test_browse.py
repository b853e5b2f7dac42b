"""The read services behind the window (no Qt needed, but they use the
window's fixture library)."""

from __future__ import annotations

import pytest

from desktop.core import models as m
from desktop.core.errors import NotFoundError
from desktop.core.services import browse

from .conftest import BODY_1, Library

pytestmark = pytest.mark.both_backends


def test_article_rows_count_distinct_entities_and_unconfirmed(library: Library) -> None:
    rows = {r.id: r for r in browse.article_rows(library.store)}
    a1 = rows[library.articles["a1"]]
    # Pulwama, JeM, Azhar (the unlinked and the rejected mention do not count as entities)
    assert a1.entities == 3
    # JeM (suggested), Azhar short (suggested), United Nations (suggested, unlinked)
    assert a1.unconfirmed == 3
    assert a1.date == "2019-03-01"
    assert rows[library.articles["a3"]].entities == 0
    assert rows[library.articles["a3"]].date is None


def test_article_entities_grouped_counts(library: Library) -> None:
    got = {e.name: e for e in browse.article_entities(library.store, library.articles["a1"])}
    assert set(got) == {"Jaish-e-Mohammed", "Masood Azhar", "Pulwama"}
    assert got["Jaish-e-Mohammed"].mentions == 3
    assert got["Jaish-e-Mohammed"].unconfirmed == 1
    assert got["Masood Azhar"].mentions == 2


def test_library_entities_skip_merged_and_keep_unmentioned(library: Library) -> None:
    names = [e.name for e in browse.library_entities(library.store)]
    assert "JEM (old record)" not in names
    assert names[0] == "Jaish-e-Mohammed"  # 4 mentions, the most
    assert len(names) == 5


def test_filter_matches_aliases_and_all_words(library: Library) -> None:
    entities = browse.library_entities(library.store)
    assert [e.name for e in browse.filter_entities(entities, "jem")] == ["Jaish-e-Mohammed"]
    assert [e.name for e in browse.filter_entities(entities, "muhammad")] == [
        "Jaish-e-Mohammed",  # through its alias Jaish-e-Muhammad
        "Hafiz Muhammad Saeed",
    ]
    assert [e.name for e in browse.filter_entities(entities, "hafiz saeed")] == [
        "Hafiz Muhammad Saeed"
    ]
    assert browse.filter_entities(entities, "") == entities
    # The separator between names cannot be matched across two aliases.
    assert browse.filter_entities(entities, "mohammedjem") == []


def test_profile_has_kwic_aliases_co_mentions_relations(library: Library) -> None:
    p = browse.entity_profile(library.store, library.entities["jem"])
    assert p.name == "Jaish-e-Mohammed"
    assert {a.name for a in p.aliases} == {"Jaish-e-Mohammed", "JeM", "Jaish-e-Muhammad"}
    assert p.aliases[0].kind == "name"
    assert len(p.mentions) == 4
    for k in p.mentions:
        if k.article_id == library.articles["a1"]:
            assert BODY_1[k.start : k.end] == k.text
            assert " ".join(BODY_1[: k.start].split("\n")).endswith(k.left)
    # Left context is the text just before the mention (whitespace folded).
    first = next(k for k in p.mentions if k.text == "Jaish-e-Mohammed")
    assert first.left.endswith("attack near Pulwama to ")
    assert first.right.startswith(" (JeM).")
    co = {c.name: c.articles for c in p.co_mentions}
    assert co == {"Masood Azhar": 2, "Pulwama": 1, "Lashkar-e-Taiba": 1, "Hafiz Muhammad Saeed": 1}
    assert [(r.subject, r.predicate, r.object) for r in p.relations] == [
        ("Masood Azhar", "founded", "Jaish-e-Mohammed")
    ]


def test_profile_of_merged_record_shows_the_survivor(library: Library) -> None:
    p = browse.entity_profile(library.store, library.entities["old"])
    assert p.id == library.entities["jem"]


def test_profile_of_missing_entity_is_a_clear_error(library: Library) -> None:
    with pytest.raises(NotFoundError, match="no entity with id 999"):
        browse.entity_profile(library.store, 999)


def test_update_entity_text_returns_previous_values(library: Library) -> None:
    eid = library.entities["jem"]
    before = browse.update_entity_text(library.store, eid, notes="check the 2019 sheet")
    assert before.description == "Militant group."
    assert before.notes == ""
    with library.store.session() as s:
        e = s.get(m.Entity, eid)
        assert e is not None
        assert e.notes == "check the 2019 sheet"
        assert e.description == "Militant group."


def test_counts_and_articles_mentioning(library: Library) -> None:
    c = browse.counts(library.store)
    assert (c.articles, c.entities, c.mentions, c.unconfirmed) == (3, 5, 12, 4)
    assert browse.articles_mentioning(library.store, library.entities["azhar"]) == {
        library.articles["a1"],
        library.articles["a2"],
    }


def test_find_entities_type_ahead(library: Library) -> None:
    found = browse.find_entities(library.store, "jem")
    assert [e.name for e in found] == ["Jaish-e-Mohammed"]  # through the alias JeM
    found = browse.find_entities(library.store, "mas")
    assert found[0].name == "Masood Azhar"  # starts with the text
    assert browse.find_entities(library.store, "") == []
    assert browse.find_entities(library.store, "100%_") == []  # LIKE wildcards are literal
    assert [e.name for e in browse.find_entities(library.store, "hafiz saeed")] == [
        "Hafiz Muhammad Saeed"
    ]
    # The merged-away record is never offered.
    assert all(e.id != library.entities["old"] for e in browse.find_entities(library.store, "j"))
