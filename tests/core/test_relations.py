"""Relations between entities: add, remove, exact undo/redo, merges, the CLI."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from desktop.cli import run
from desktop.core import models as m
from desktop.core.errors import NotFoundError
from desktop.core.resolver import ResolveError, UndoError
from desktop.core.services import resolve as svc
from tests.core.resolve_helpers import add_article, add_entity, add_mention, snapshot

pytestmark = pytest.mark.both_backends


@pytest.fixture
def people(store):
    art = add_article(store, "Masood Azhar founded Jaish-e-Mohammed in 2000 in Bahawalpur.")
    azhar = add_entity(store, "Masood Azhar", "PER")
    jem = add_entity(store, "Jaish-e-Mohammed", "ORG")
    town = add_entity(store, "Bahawalpur", "LOC")
    mention = add_mention(store, art, azhar, "Masood Azhar")
    return store, azhar, jem, town, mention


def _relations(store):
    with store.session() as s:
        return [
            (r.subject_id, r.predicate, r.object_id, r.evidence_mention_id, r.note)
            for r in s.exec(select(m.Relation).order_by(m.Relation.id))
        ]


def test_add_relation_then_undo_and_redo_exactly(people):
    store, azhar, jem, _town, mention = people
    before = snapshot(store)
    change = svc.add_relation(
        store, azhar, "  founder   of ", jem, evidence_mention_id=mention, note=" 2000 "
    )
    assert change.label == "relation Masood Azhar founder of Jaish-e-Mohammed"
    assert change.entity_ids == tuple(sorted((azhar, jem)))
    assert _relations(store) == [(azhar, "founder of", jem, mention, "2000")]
    after = snapshot(store)
    undone = svc.undo(store, change.history_id)
    assert set(undone.entity_ids) == {azhar, jem}
    assert snapshot(store) == before
    svc.redo(store, change.history_id)
    assert snapshot(store) == after


def test_remove_relation_then_undo_brings_back_the_same_row(people):
    store, _azhar, jem, town, mention = people
    svc.add_relation(store, jem, "based in", town, evidence_mention_id=mention)
    with store.session() as s:
        rel_id = s.exec(select(m.Relation)).one().id
    before = snapshot(store)
    change = svc.remove_relation(store, rel_id)
    assert change.label == "removal of relation Jaish-e-Mohammed based in Bahawalpur"
    assert _relations(store) == []
    after = snapshot(store)
    svc.undo(store, change.history_id)
    assert snapshot(store) == before  # same id, created_at, evidence and note
    svc.redo(store, change.history_id)
    assert snapshot(store) == after


def test_undo_of_add_refuses_after_the_relation_was_moved_by_a_merge(people):
    store, azhar, jem, _town, _mention = people
    other = add_entity(store, "Maulana Masood Azhar", "PER")
    added = svc.add_relation(store, other, "leader of", jem)
    before_merge = snapshot(store)
    merge = svc.merge(store, [azhar, other])
    # Merges move relations to the survivor.
    assert _relations(store) == [(azhar, "leader of", jem, None, "")]
    with pytest.raises(UndoError):
        svc.undo(store, added.history_id)
    svc.undo(store, merge.history_id)
    assert snapshot(store) == before_merge
    svc.undo(store, added.history_id)
    assert _relations(store) == []


def test_bad_relations_are_refused_with_a_clear_message(people):
    store, azhar, jem, _town, _mention = people
    before = snapshot(store)
    with pytest.raises(ResolveError, match="needs a predicate"):
        svc.add_relation(store, azhar, "  ", jem)
    with pytest.raises(ResolveError, match="two different entities"):
        svc.add_relation(store, azhar, "member of", azhar)
    with pytest.raises(NotFoundError, match="no mention with id 999"):
        svc.add_relation(store, azhar, "member of", jem, evidence_mention_id=999)
    with pytest.raises(NotFoundError, match="no entity with id 999"):
        svc.add_relation(store, azhar, "member of", 999)
    with pytest.raises(NotFoundError, match="no relation with id 7"):
        svc.remove_relation(store, 7)
    svc.merge(store, [jem, add_entity(store, "JeM")])
    assert snapshot(store)["relation"] == before["relation"]
    svc.add_relation(store, azhar, "member of", jem)
    with pytest.raises(ResolveError, match="already recorded as member of"):
        svc.add_relation(store, azhar, "member of", jem)


def test_relation_to_a_merged_away_entity_names_the_survivor(people):
    store, azhar, jem, _town, _mention = people
    jem2 = add_entity(store, "JeM")
    svc.merge(store, [jem, jem2])
    with pytest.raises(ResolveError, match=f"use {jem} instead"):
        svc.add_relation(store, azhar, "member of", jem2)


def _json(capsys, argv):
    assert run(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_cli_relate_and_unrelate(people, capsys):
    store, azhar, jem, _town, mention = people
    db = ["--db", store.location]
    entities_before = _json(capsys, [*db, "entities", "--json"])
    out = _json(
        capsys,
        [*db, "relate", str(azhar), "founder of", str(jem), "--evidence", str(mention),
         "--note", "per the charge sheet", "--json"],
    )  # fmt: skip
    assert set(out) == {"history_id", "label", "entity_ids", "article_ids", "conflicts"}
    assert out["label"] == "relation Masood Azhar founder of Jaish-e-Mohammed"
    assert sorted(out["entity_ids"]) == sorted([azhar, jem])
    assert out["conflicts"] == []
    assert _relations(store) == [(azhar, "founder of", jem, mention, "per the charge sheet")]
    # Relations do not change the entity listing's shape or content.
    assert _json(capsys, [*db, "entities", "--json"]) == entities_before
    with store.session() as s:
        rel_id = s.exec(select(m.Relation)).one().id
    assert run([*db, "unrelate", str(rel_id)]) == 0
    assert "removal of relation Masood Azhar founder of" in capsys.readouterr().out
    assert _relations(store) == []
    assert run([*db, "undo"]) == 0
    capsys.readouterr()
    assert len(_relations(store)) == 1
    assert run([*db, "unrelate", "4242", "--json"]) == 1
    assert "no relation with id 4242" in capsys.readouterr().err
    assert run([*db, "relate", str(azhar), "", str(jem)]) == 1
    assert "needs a predicate" in capsys.readouterr().err
