"""Marking a missed name in an article and confirming a suggested link,
through the resolver with History (undo restores the rows exactly)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from desktop.core import models as m
from desktop.core.errors import NotFoundError
from desktop.core.resolver import ResolveError
from desktop.core.services import resolve as svc
from tests.core.resolve_helpers import add_article, add_entity, add_mention, snapshot

pytestmark = pytest.mark.both_backends

BODY = "Police in Srinagar said the Jaish-e-Muhammad cell met Masood Azhar twice."


def _mention(store, mention_id: int) -> m.Mention:  # type: ignore[no-untyped-def]
    with store.session() as s:
        x = s.get(m.Mention, mention_id)
        assert x is not None
        s.expunge(x)
        return x


def _span(word: str) -> tuple[int, int]:
    start = BODY.index(word)
    return start, start + len(word)


def test_mark_links_to_the_entity_with_the_same_alias_key(store) -> None:  # type: ignore[no-untyped-def]
    art = add_article(store, BODY)
    jem = add_entity(store, "Jaish-e-Mohammed", aliases=("Jaish-e-Muhammad",))
    before = snapshot(store)
    # The selection caught the space before the name: it is trimmed.
    start, end = _span("Jaish-e-Muhammad")
    change = svc.mark_mention(store, art, start - 1, end, "ORG")
    assert change.label == "marking of Jaish-e-Muhammad as an organisation"
    assert change.entity_ids == (jem,)
    assert change.article_ids == (art,)
    with store.session() as s:
        x = s.exec(select(m.Mention).where(m.Mention.article_id == art)).one()
        assert (x.start, x.end, x.text) == (start, end, "Jaish-e-Muhammad")
        assert x.entity_id == jem
        assert (x.method, x.status, x.type) == ("manual", "confirmed", "ORG")
        assert len(s.exec(select(m.Entity)).all()) == 1
    after = snapshot(store)
    svc.undo(store, change.history_id)
    assert snapshot(store) == before
    svc.redo(store, change.history_id)
    assert snapshot(store) == after


def test_mark_makes_a_new_entity_when_no_alias_matches(store) -> None:  # type: ignore[no-untyped-def]
    art = add_article(store, BODY)
    before = snapshot(store)
    change = svc.mark_mention(store, art, *_span("Srinagar"), "LOC")
    with store.session() as s:
        e = s.exec(select(m.Entity)).one()
        assert (e.name, e.type) == ("Srinagar", "LOC")
        alias = s.exec(select(m.Alias)).one()
        assert (alias.name, alias.kind, alias.entity_id) == ("Srinagar", "name", e.id)
        assert change.entity_ids == (e.id,)
    svc.undo(store, change.history_id)
    assert snapshot(store) == before  # the new entity and its alias are gone again


def test_mark_prefers_an_entity_of_the_same_type_and_follows_merges(store) -> None:  # type: ignore[no-untyped-def]
    art = add_article(store, BODY)
    place = add_entity(store, "Azhar", type="LOC")
    person = add_entity(store, "Masood Azhar", type="PER", aliases=("Azhar",))
    other = add_entity(store, "M. Azhar", type="PER")
    svc.merge(store, [other, person])
    start = BODY.index("Azhar")
    change = svc.mark_mention(store, art, start, start + 5, "PER")
    assert change.entity_ids == (other,)  # the merged cluster, not the place
    change = svc.mark_mention(store, art, start, start + 5, "LOC", entity_id=place)
    with store.session() as s:
        x = s.exec(select(m.Mention)).one()  # same span: the mention is updated
        assert (x.entity_id, x.type) == (place, "LOC")


def test_mark_replaces_overlapping_suggestions_but_not_confirmed_links(store) -> None:  # type: ignore[no-untyped-def]
    art = add_article(store, BODY)
    azhar = add_entity(store, "Masood Azhar", type="PER")
    short = add_mention(store, art, azhar, "Azhar")  # suggested, too short
    before = snapshot(store)
    change = svc.mark_mention(store, art, *_span("Masood Azhar"), "PER")
    assert _mention(store, short).status == "rejected"
    with store.session() as s:
        kept = s.exec(select(m.Mention).where(m.Mention.status == "confirmed")).one()
        assert (kept.text, kept.entity_id) == ("Masood Azhar", azhar)
    svc.undo(store, change.history_id)
    assert snapshot(store) == before
    svc.confirm_mention(store, short)
    with pytest.raises(ResolveError, match="overlaps the confirmed mention 'Azhar'"):
        svc.mark_mention(store, art, *_span("Masood Azhar"), "PER")


def test_mark_refuses_bad_spans_and_types(store) -> None:  # type: ignore[no-untyped-def]
    art = add_article(store, BODY)
    with pytest.raises(ResolveError, match="outside the text"):
        svc.mark_mention(store, art, 5, 500, "PER")
    with pytest.raises(ResolveError, match="holds no name"):
        svc.mark_mention(store, art, 6, 7, "PER")
    with pytest.raises(ResolveError, match="unknown type"):
        svc.mark_mention(store, art, *_span("Srinagar"), "CITY")
    with pytest.raises(NotFoundError):
        svc.mark_mention(store, 999, 0, 3, "PER")
    assert snapshot(store)["mention"] == []


def test_confirm_mention_confirms_the_current_link(store) -> None:  # type: ignore[no-untyped-def]
    art = add_article(store, BODY)
    azhar = add_entity(store, "Masood Azhar", type="PER")
    x = add_mention(store, art, azhar, "Masood Azhar")
    unlinked = add_mention(store, art, None, "Srinagar")
    before = snapshot(store)
    change = svc.confirm_mention(store, x)
    assert _mention(store, x).status == "confirmed"
    assert _mention(store, x).entity_id == azhar
    svc.undo(store, change.history_id)
    assert snapshot(store) == before
    with pytest.raises(ResolveError, match="not linked"):
        svc.confirm_mention(store, unlinked)


def test_mark_reuses_a_mention_marked_not_an_entity(store) -> None:  # type: ignore[no-untyped-def]
    art = add_article(store, BODY)
    x = add_mention(store, art, None, "Srinagar")
    svc.mark_not_entity(store, x)
    before = snapshot(store)
    change = svc.mark_mention(store, art, *_span("Srinagar"), "LOC")
    with store.session() as s:
        (only,) = s.exec(select(m.Mention)).all()
        assert (only.id, only.status, only.method) == (x, "confirmed", "manual")
    svc.undo(store, change.history_id)
    assert snapshot(store) == before
