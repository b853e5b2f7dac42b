"""Deleting an entity the extractor made up, marking it "not an entity", and a
rename that drops the wrong old name; each one undo step."""

from __future__ import annotations

import pytest
from sqlmodel import select

from desktop.core import models as m
from desktop.core.errors import NotFoundError
from desktop.core.services import resolve as svc
from tests.core.resolve_helpers import add_article, add_entity, add_mention, snapshot


@pytest.fixture
def made_up(store):  # type: ignore[no-untyped-def]
    art = add_article(store, "Inviting Hamas to the rally, Jaish-e-Mohammed said Hamas would come.")
    wrong = add_entity(store, "Inviting Hamas")
    jem = add_entity(store, "Jaish-e-Mohammed")
    other = add_entity(store, "Inviting")  # merged into the wrong one
    mention = add_mention(store, art, wrong, "Inviting Hamas")
    add_mention(store, art, jem, "Jaish-e-Mohammed")
    with store.session() as s:
        s.add(m.Relation(subject_id=wrong, predicate="allied with", object_id=jem))
        s.add(m.Judgement(a_id=wrong, b_id=jem, verdict="different"))
        s.get(m.Entity, other).merged_into_id = wrong
        d = m.Dossier(title="d")
        s.add(d)
        s.flush()
        s.add(m.DossierItem(dossier_id=d.id, kind="entity", entity_id=wrong))
    return store, wrong, jem, mention


@pytest.mark.parametrize("not_an_entity", [False, True])
def test_delete_entity_and_undo(made_up, not_an_entity):  # type: ignore[no-untyped-def]
    store, wrong, jem, mention = made_up
    before = snapshot(store)
    change = svc.delete_entity(store, wrong, not_an_entity=not_an_entity)
    assert wrong in change.entity_ids
    with store.session() as s:
        assert s.get(m.Entity, wrong) is None
        assert s.exec(select(m.Alias).where(m.Alias.entity_id == wrong)).all() == []
        assert s.exec(select(m.Relation)).all() == []
        assert s.exec(select(m.Judgement)).all() == []
        assert s.exec(select(m.DossierItem)).one().entity_id is None
        row = s.get(m.Mention, mention)
        assert row.entity_id is None
        status = m.MentionStatus.REJECTED if not_an_entity else m.MentionStatus.SUGGESTED
        assert row.status == status
        kept = {n.text for n in s.exec(select(m.NotEntity)).all()}
        assert ("Inviting Hamas" in kept) is not_an_entity
        assert s.get(m.Entity, jem) is not None
    svc.undo(store)
    assert snapshot(store) == before
    svc.redo(store)
    with store.session() as s:
        assert s.get(m.Entity, wrong) is None


def test_rename_can_drop_the_wrong_old_name(made_up):  # type: ignore[no-untyped-def]
    store, wrong, _jem, _mention = made_up
    before = snapshot(store)
    change = svc.rename(store, wrong, "Hamas", keep_old=False)
    assert "dropping Inviting Hamas" in change.label
    with store.session() as s:
        names = {a.name for a in s.exec(select(m.Alias).where(m.Alias.entity_id == wrong))}
    assert "Inviting Hamas" not in names
    assert "Hamas" in names
    svc.undo(store)
    assert snapshot(store) == before
    svc.rename(store, wrong, "Hamas")
    with store.session() as s:
        names = {a.name for a in s.exec(select(m.Alias).where(m.Alias.entity_id == wrong))}
    assert {"Inviting Hamas", "Hamas"} <= names


def test_delete_unknown_entity(store):  # type: ignore[no-untyped-def]
    with pytest.raises(NotFoundError, match="12345"):
        svc.delete_entity(store, 12345)
