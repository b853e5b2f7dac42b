from __future__ import annotations

import pytest
from sqlmodel import select

from desktop.core import models as m
from desktop.core.errors import NotFoundError
from desktop.core.resolver import MergeConflictError, ResolveError, UndoError
from desktop.core.services import resolve as svc
from tests.core.resolve_helpers import add_article, add_entity, add_mention, snapshot

pytestmark = pytest.mark.both_backends


@pytest.fixture
def jem(store):
    art = add_article(store, "Jaish-e-Mohammed, also called JeM, claimed it. Army of Muhammad.")
    a = add_entity(store, "Jaish-e-Mohammed", notes="founded 2000")
    b = add_entity(store, "JeM", notes="acronym record")
    c = add_entity(store, "Army of Muhammad")
    ma = add_mention(store, art, a, "Jaish-e-Mohammed")
    mb = add_mention(store, art, b, "JeM")
    mc = add_mention(store, art, c, "Army of Muhammad")
    return store, art, (a, b, c), (ma, mb, mc)


def test_merge_moves_everything_and_keeps_the_row(jem):
    store, art, (a, b, c), (_ma, _mb, _mc) = jem
    with store.session() as s:
        s.add(m.Relation(subject_id=b, predicate="allied with", object_id=c))
        d = m.Dossier(title="d")
        s.add(d)
        s.flush()
        s.add(m.DossierItem(dossier_id=d.id, kind="entity", entity_id=b))
    change = svc.merge(store, [a, b, c], name="Jaish-e-Mohammed")
    assert change.label == "merge of JeM, Army of Muhammad into Jaish-e-Mohammed"
    assert set(change.entity_ids) >= {a, b, c}
    assert change.article_ids == (art,)
    with store.session() as s:
        eb = s.get(m.Entity, b)
        assert eb.merged_into_id == a
        assert {x.entity_id for x in s.exec(select(m.Mention))} == {a}
        names = {x.name for x in s.exec(select(m.Alias).where(m.Alias.entity_id == a))}
        assert {"Jaish-e-Mohammed", "JeM", "Army of Muhammad"} <= names
        rel = s.exec(select(m.Relation)).one()
        assert (rel.subject_id, rel.object_id) == (a, a)
        assert s.exec(select(m.DossierItem)).one().entity_id == a
        assert "acronym record" in s.get(m.Entity, a).notes
        # The merged-away notes are copied, not moved: nothing is lost.
        assert eb.notes == "acronym record"


def test_canonical_name_is_the_callers_choice(jem):
    store, _, (a, b, _c), _ = jem
    svc.merge(store, [b, a], name="Jaish-e-Muhammad")
    with store.session() as s:
        e = s.get(m.Entity, b)
        assert e.name == "Jaish-e-Muhammad"
        names = {x.name for x in s.exec(select(m.Alias).where(m.Alias.entity_id == b))}
        assert {"Jaish-e-Mohammed", "JeM", "Jaish-e-Muhammad"} <= names


def test_undo_and_redo_are_exact(jem):
    store, *_ = jem
    a, b, c = jem[2]
    before = snapshot(store)
    change = svc.merge(store, [a, b, c])
    after = snapshot(store)
    svc.undo(store, change.history_id)
    assert snapshot(store) == before
    svc.redo(store, change.history_id)
    assert snapshot(store) == after
    with pytest.raises(UndoError):
        svc.redo(store, change.history_id)


def test_undo_refuses_when_a_later_change_touched_the_rows(jem):
    store, _, (a, b, _c), _ = jem
    first = svc.merge(store, [a, b])
    svc.rename(store, a, "JeM (Pakistan)")
    with pytest.raises(UndoError, match="undo that one first"):
        svc.undo(store, first.history_id)
    svc.undo(store)  # the rename
    svc.undo(store)  # then the merge
    with store.session() as s:
        assert s.get(m.Entity, b).merged_into_id is None


def test_different_blocks_merge_and_suggestions_until_revoked(store):
    a = add_entity(store, "Jaish-e-Mohammed")
    b = add_entity(store, "Jaish-e-Muhammad")
    assert [(x.a, x.b) for x in svc.suggest(store)] == [(a, b)]
    svc.judge(store, a, b, "different", note="checked with analyst")
    assert svc.suggest(store) == []
    with pytest.raises(MergeConflictError, match="judged different") as info:
        svc.merge(store, [a, b])
    assert info.value.conflicts
    conflicts = svc.merge_conflicts(store, [a, b])
    assert [(c.a_name, c.b_name) for c in conflicts] == [("Jaish-e-Mohammed", "Jaish-e-Muhammad")]
    forced = svc.merge(store, [a, b], force=True)
    assert forced.conflicts
    svc.undo(store)
    with store.session() as s:
        j = s.exec(select(m.Judgement)).one()
        assert j.note == "checked with analyst"
    svc.revoke_judgement(store, j.id)
    assert len(svc.suggest(store)) == 1


def test_different_applies_to_whole_clusters(store):
    a = add_entity(store, "Lashkar-e-Taiba")
    a2 = add_entity(store, "LeT")
    b = add_entity(store, "Lashkar-e-Jhangvi")
    svc.judge(store, a2, b, "different")
    svc.merge(store, [a, a2])
    with pytest.raises(MergeConflictError):
        svc.merge(store, [a, b])


def test_judge_same_merges_in_one_undoable_step(store):
    a = add_entity(store, "Masood Azhar", "PER")
    b = add_entity(store, "Maulana Masood Azhar", "PER")
    before = snapshot(store)
    change = svc.judge(store, a, b, "same")
    with store.session() as s:
        assert s.get(m.Entity, b).merged_into_id == a
    assert len(svc.history(store)) == 1
    svc.undo(store, change.history_id)
    after = snapshot(store)
    # Judgements are append-only: the undone one stays, revoked, with its author.
    assert {k: v for k, v in after.items() if k != "judgement"} == {
        k: v for k, v in before.items() if k != "judgement"
    }
    with store.session() as s:
        (j,) = s.exec(select(m.Judgement)).all()
        assert j.verdict == "same"
        assert j.revoked_at is not None
        assert j.actor
        assert j.revoked_by == j.actor
    svc.redo(store, change.history_id)
    with store.session() as s:
        assert s.get(m.Entity, b).merged_into_id == a
        assert s.exec(select(m.Judgement)).one().revoked_at is None


def test_split_gives_back_mentions(jem):
    store, _art, (a, b, _c), (ma, mb, _mc) = jem
    svc.merge(store, [a, b])
    change = svc.split(store, a, ["JeM"])
    with store.session() as s:
        new = s.exec(select(m.Entity).where(m.Entity.name == "JeM", m.Entity.id != b)).one()
        assert s.get(m.Mention, mb).entity_id == new.id
        assert s.get(m.Mention, ma).entity_id == a
    assert new.id in change.entity_ids
    with pytest.raises(ResolveError, match="has no alias"):
        svc.split(store, a, ["Nope"])


def test_small_operations_are_recorded_and_undoable(jem):
    store, art, (a, _b, _c), (_ma, mb, mc) = jem
    before = snapshot(store)
    svc.rename(store, a, "JeM (organisation)")
    svc.set_type(store, a, "per")
    svc.add_alias(store, a, "Jaish-i-Mohammed")
    svc.remove_alias(store, a, "Jaish-i-Mohammed")
    svc.link_mention(store, mc, a)
    svc.unlink_mention(store, mb)
    ch = svc.mark_not_entity(store, mb)
    assert ch.article_ids == (art,)
    with store.session() as s:
        assert s.exec(select(m.NotEntity)).one().key == "jem"
    labels = [h.label for h in svc.history(store)]
    assert labels[-1] == "rename of Jaish-e-Mohammed to JeM (organisation)"
    for _ in labels:
        svc.undo(store)
    assert snapshot(store) == before
    with pytest.raises(UndoError, match="nothing to undo"):
        svc.undo(store)


def test_errors_are_clear(store):
    a = add_entity(store, "A")
    with pytest.raises(ResolveError, match="at least two"):
        svc.merge(store, [a, a])
    with pytest.raises(NotFoundError, match="no entity with id 99"):
        svc.merge(store, [a, 99])
    with pytest.raises(ResolveError, match="unknown verdict"):
        svc.judge(store, a, a, "maybe")
    b = add_entity(store, "B")
    svc.merge(store, [a, b])
    with pytest.raises(ResolveError, match="was merged into"):
        svc.rename(store, b, "C")


def test_candidate_index_and_profile(jem):
    store, art, (a, b, _c), _ = jem
    from desktop.core.matching import candidates_for_name

    index = svc.candidate_index(store)
    top = candidates_for_name(index, "Jaish-i-Muhammad", "ORG")[0]
    assert top.entity_id == a
    assert top.reason == "same after transliteration"
    assert candidates_for_name(index, "JeM")[0].entity_id == b
    p = svc.entity_profile(store, a)
    assert p.name == "Jaish-e-Mohammed"
    assert p.articles == [(art, p.articles[0][1])]
    assert p.snippets[0].text[p.snippets[0].start : p.snippets[0].end] == "Jaish-e-Mohammed"
    assert {name for _, name, _ in p.co_mentioned} == {"JeM", "Army of Muhammad"}


@pytest.mark.both_backends
def test_split_undo_redo_recreates_the_new_entity(jem):
    store, _art, (a, _b, _c), _mentions = jem
    svc.merge(store, [a, _b])
    before = snapshot(store)
    change = svc.split(store, a, ["JeM"])
    after = snapshot(store)
    svc.undo(store, change.history_id)
    assert snapshot(store) == before
    # The split's new entity does not exist now; redo brings it back as it was.
    svc.redo(store, change.history_id)
    assert snapshot(store) == after
