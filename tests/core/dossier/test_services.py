"""Dossier services: each call one transaction, plain data back, errors named."""

from __future__ import annotations

import pytest
from sqlmodel import select

from desktop.core import models as m
from desktop.core.dossier import DossierInputError
from desktop.core.errors import NotFoundError
from desktop.core.services import dossiers as ds

pytestmark = pytest.mark.both_backends


def test_create_rename_list_delete(store, library):
    a = ds.create_dossier(store, "  Jaish   network ", subtitle="Draft", marking="CONFIDENTIAL")
    assert a.title == "Jaish network"
    assert a.items == 0
    b = ds.create_dossier(store, "<Tehreek> & Sons")
    assert {d.id for d in ds.list_dossiers(store)} == {a.id, b.id}
    renamed = ds.rename_dossier(store, a.id, "JeM network")
    assert renamed.title == "JeM network"
    assert renamed.marking == "CONFIDENTIAL"
    ds.add_entity(store, b.id, library.entities["tehreek"])
    gone = ds.delete_dossier(store, b.id)
    assert gone.items == 1
    assert [d.id for d in ds.list_dossiers(store)] == [a.id]
    with store.session() as s:
        assert s.exec(select(m.DossierItem)).all() == []
        # The entity itself is never deleted with a dossier.
        assert s.get(m.Entity, library.entities["tehreek"]) is not None


def test_find_dossier_by_id_or_title(store):
    d = ds.create_dossier(store, "Pulwama")
    assert ds.find_dossier(store, str(d.id)).id == d.id
    assert ds.find_dossier(store, "pulwama").id == d.id
    with pytest.raises(NotFoundError, match="Srinagar"):
        ds.find_dossier(store, "Srinagar")
    ds.create_dossier(store, "Pulwama")
    with pytest.raises(DossierInputError, match="several"):
        ds.find_dossier(store, "Pulwama")


def test_items_added_in_order_reordered_and_removed(store, library):
    d = ds.create_dossier(store, "D")
    h = ds.add_heading(store, d.id, "  People \n of interest ")
    e1 = ds.add_entity(store, d.id, library.entities["azhar"])
    e2 = ds.add_entity(store, d.id, library.entities["jem"])
    x = ds.add_excerpt(store, d.id, library.articles[0], 0, 10)
    art = ds.add_article(store, d.id, library.articles[1])
    n = ds.add_note(store, d.id, "Check <b>this</b> & that", position=0)
    assert h.text == "People of interest"
    assert x.text == "ISLAMABAD:"
    assert art.label == "Pulwama attack: what we know"
    items = ds.list_items(store, d.id)
    assert [i.id for i in items] == [n.id, h.id, e1.id, e2.id, x.id, art.id]
    assert [i.position for i in items] == list(range(6))
    assert items[2].label == "Masood Azhar"

    order = [art.id, e2.id, e1.id, h.id, n.id, x.id]
    assert [i.id for i in ds.reorder_items(store, d.id, order)] == order
    assert [i.id for i in ds.move_item(store, x.id, 0)] == [x.id, *order[:-1]]
    ds.remove_item(store, e2.id)
    items = ds.list_items(store, d.id)
    assert [i.position for i in items] == list(range(5))
    assert e2.id not in [i.id for i in items]
    assert ds.get_dossier(store, d.id).items == 5


def test_bad_input_is_refused_with_a_clear_message(store, library):
    d = ds.create_dossier(store, "D")
    with pytest.raises(DossierInputError, match="title"):
        ds.create_dossier(store, "   ")
    with pytest.raises(NotFoundError, match="entity with id 999"):
        ds.add_entity(store, d.id, 999)
    with pytest.raises(NotFoundError, match="article with id 999"):
        ds.add_article(store, d.id, 999)
    with pytest.raises(NotFoundError, match="dossier with id 999"):
        ds.add_note(store, 999, "x")
    with pytest.raises(DossierInputError, match="outside article"):
        ds.add_excerpt(store, d.id, library.articles[0], 50, 10_000)
    with pytest.raises(DossierInputError, match="outside article"):
        ds.add_excerpt(store, d.id, library.articles[0], 20, 20)
    with pytest.raises(DossierInputError, match="empty"):
        ds.add_note(store, d.id, " \n ")
    a = ds.add_note(store, d.id, "a")
    with pytest.raises(DossierInputError, match="exactly once"):
        ds.reorder_items(store, d.id, [a.id, a.id])
    assert [i.id for i in ds.list_items(store, d.id)] == [a.id]


def test_items_of_deleted_records_are_flagged_not_lost(store, library):
    d = ds.create_dossier(store, "D")
    art = ds.add_article(store, d.id, library.articles[2])
    x = ds.add_excerpt(store, d.id, library.articles[2], 0, 20)
    with store.session() as s:
        s.delete(s.get(m.Article, library.articles[2]))
    items = {i.id: i for i in ds.list_items(store, d.id)}
    assert items[art.id].missing
    assert "deleted" in items[art.id].label
    assert items[x.id].missing
    assert items[x.id].text == x.text


def test_update_item_text(store, library):
    d = ds.create_dossier(store, "D")
    note = ds.add_note(store, d.id, "first")
    entity = ds.add_entity(store, d.id, library.entities["jem"])
    assert ds.update_item_text(store, note.id, " second ").text == "second"
    with pytest.raises(DossierInputError, match="only notes and headings"):
        ds.update_item_text(store, entity.id, "x")
    with pytest.raises(NotFoundError):
        ds.update_item_text(store, 999, "x")
