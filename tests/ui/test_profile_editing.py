"""Editing identity from the entity profile: aliases with kinds (add, remove,
split out), the type, and relations (add through the dialog or from a
mention's context menu, remove), each through the resolver and onto the
window's undo stack; the database is checked after every step, and undo/redo
walk back and forth through exactly the same states."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QMenu
from sqlmodel import select

from desktop.core import models as m
from desktop.ui.wiring import install
from tests.core.resolve_helpers import snapshot
from tests.ui.conftest import Library


@pytest.fixture
def wired(window):  # type: ignore[no-untyped-def]
    wiring = install(window)
    # Re-linking after a change is its own undo step with its own tests.
    wiring.relink_after_changes = False
    return window, wiring


def _aliases(store, entity_id: int) -> dict[str, str]:  # type: ignore[no-untyped-def]
    with store.session() as s:
        rows = s.exec(select(m.Alias).where(m.Alias.entity_id == entity_id)).all()
        return {a.name: a.kind for a in rows}


def _relations(store) -> list[tuple]:  # type: ignore[no-untyped-def,type-arg]
    with store.session() as s:
        return [
            (r.subject_id, r.predicate, r.object_id, r.evidence_mention_id, r.note)
            for r in s.exec(select(m.Relation).order_by(m.Relation.id))
        ]


def _select_rows(view, rows: list[int]) -> None:  # type: ignore[no-untyped-def]
    flags = QItemSelectionModel.SelectionFlag
    sel = view.selectionModel()
    sel.clearSelection()
    for n, row in enumerate(rows):
        index = view.model().index(row, 0)
        sel.setCurrentIndex(index, (flags.ClearAndSelect if n == 0 else flags.Select) | flags.Rows)


def _row_of(model, pred) -> int:  # type: ignore[no-untyped-def]
    return next(r for r in range(model.rowCount()) if pred(model.row_at(r)))


def test_profile_edits_go_through_the_undo_stack(qtbot, wired, library: Library) -> None:  # type: ignore[no-untyped-def]
    window, wiring = wired
    store, jem, let, azhar = (
        library.store,
        library.entities["jem"],
        library.entities["let"],
        library.entities["azhar"],
    )
    profile = window.profile
    states = [snapshot(store)]
    labels: list[str] = []

    def step(label: str) -> None:
        assert window.undo_stack.undoText() == label
        labels.append(label)
        states.append(snapshot(store))

    window.select_entity(jem)
    profile.tabs.setCurrentIndex(1)
    assert profile.tabs.tabText(1) == "Aliases"
    assert profile.act_add_alias.isEnabled()
    assert not profile.act_remove_alias.isEnabled()  # nothing selected yet

    # 1. Add an alias with its kind.
    profile.act_add_alias.trigger()
    dialog = wiring.alias_dialog
    assert dialog is not None
    assert dialog.isVisible()
    dialog.name.setText("Army of Muhammad")
    dialog.set_kind("previousName")
    dialog.accept()
    assert _aliases(store, jem)["Army of Muhammad"] == "previousName"
    assert "Army of Muhammad" in [a.name for a in profile.aliases.rows()]
    step("alias Army of Muhammad added to Jaish-e-Mohammed")

    # 2. Remove it with the Delete key in the alias table.
    _select_rows(
        profile.alias_view, [_row_of(profile.aliases, lambda a: a.name == "Army of Muhammad")]
    )
    assert profile.act_remove_alias.isEnabled()
    profile.alias_view.setFocus()
    qtbot.keyClick(profile.alias_view, Qt.Key.Key_Delete)
    assert "Army of Muhammad" not in _aliases(store, jem)
    assert "Army of Muhammad" not in [a.name for a in profile.aliases.rows()]
    step("alias Army of Muhammad removed from Jaish-e-Mohammed")

    # The canonical name cannot be removed or split off from the profile.
    _select_rows(
        profile.alias_view, [_row_of(profile.aliases, lambda a: a.name == "Jaish-e-Mohammed")]
    )
    assert not profile.act_remove_alias.isEnabled()
    assert not profile.act_split.isEnabled()

    # 3. Split out "JeM" (and its mentions) into a new entity.
    _select_rows(profile.alias_view, [_row_of(profile.aliases, lambda a: a.name == "JeM")])
    profile.act_split.trigger()
    split = wiring.split_dialog
    assert split is not None
    assert split.textValue() == "JeM"
    split.setTextValue("JeM (unverified)")
    split.accept()
    with store.session() as s:
        new = s.exec(select(m.Entity).where(m.Entity.name == "JeM (unverified)")).one()
        moved = {x.id for x in s.exec(select(m.Mention).where(m.Mention.entity_id == new.id)).all()}
    assert moved == {library.mentions["a1_jem_abbr"], library.mentions["a1_jem_2"]}
    assert "JeM" not in _aliases(store, jem)
    assert "JeM" in _aliases(store, new.id)
    assert "JeM" not in [a.name for a in profile.aliases.rows()]
    step("split of JeM (unverified) from Jaish-e-Mohammed")

    # 4. Change the type from the profile's type box.
    box = profile.type_combo
    box.setCurrentIndex(box.findData("MISC"))
    box.activated.emit(box.currentIndex())
    with store.session() as s:
        assert s.get(m.Entity, jem).type == "MISC"
    step("type of Jaish-e-Mohammed set to MISC")

    # 5. Add a relation through the dialog: the other entity by type-ahead.
    profile.tabs.setCurrentIndex(4)
    assert profile.tabs.tabText(4) == "Relations"
    assert profile.relations.rowCount() == 1  # Masood Azhar founded it
    profile.act_add_relation.trigger()
    rd = wiring.relation_dialog
    assert rd is not None
    assert rd.isVisible()
    assert rd.evidence_mention_id() is None  # no mention was clicked
    rd.search.setText("Lashkar")
    rd.update_results()
    assert rd.other_entity_id() == let
    rd.accept()  # no predicate yet: refused, with a reason
    assert rd.isVisible()
    assert "predicate" in rd.problem.text()
    assert rd.predicate.findText("allied with") >= 0  # a suggestion
    rd.predicate.setEditText("allied with")
    rd.note.setText("joint training camps")
    assert rd.preview.text() == "Jaish-e-Mohammed — allied with → Lashkar-e-Taiba"
    rd.accept()
    assert _relations(store)[-1] == (jem, "allied with", let, None, "joint training camps")
    assert profile.relations.rowCount() == 2
    step("relation Jaish-e-Mohammed allied with Lashkar-e-Taiba")

    # 6. From a mention's context menu in the article: that mention is the evidence.
    window.open_article(library.articles["a1"])
    body = window.article.view.article.body
    mention = window.article.mention_at(body.index("Masood Azhar") + 1)
    assert mention.id == library.mentions["a1_azhar"]
    menu = QMenu()
    window.mention_menu_actions(menu, mention, None)
    action = next(a for a in menu.actions() if a.text() == "Add relation…")
    action.trigger()
    rd = wiring.relation_dialog
    assert rd.evidence_mention_id() == library.mentions["a1_azhar"]
    rd.search.setText("Jaish-e-Moh")
    rd.update_results()
    assert rd.other_entity_id() == jem
    rd.predicate.setEditText("leader of")
    rd.accept()
    assert _relations(store)[-1] == (azhar, "leader of", jem, library.mentions["a1_azhar"], "")
    step("relation Masood Azhar leader of Jaish-e-Mohammed")

    # The reverse direction: the other entity is the subject.
    window.select_entity(let)
    profile.act_add_relation.trigger()
    rd = wiring.relation_dialog
    rd.search.setText("Hafiz")
    rd.update_results()
    rd.direction.setCurrentIndex(1)
    rd.predicate.setEditText("founder of")
    rd.accept()
    assert _relations(store)[-1] == (library.entities["saeed"], "founder of", let, None, "")
    step("relation Hafiz Muhammad Saeed founder of Lashkar-e-Taiba")

    # 7. Remove a relation (Delete key in the relation table).
    window.select_entity(jem)
    profile.tabs.setCurrentIndex(4)
    row = _row_of(profile.relations, lambda r: r.predicate == "allied with")
    _select_rows(profile.relation_view, [row])
    assert profile.act_remove_relation.isEnabled()
    profile.relation_view.setFocus()
    qtbot.keyClick(profile.relation_view, Qt.Key.Key_Delete)
    assert [r[1] for r in _relations(store)] == ["founded", "leader of", "founder of"]
    assert profile.relations.rowCount() == 2
    step("removal of relation Jaish-e-Mohammed allied with Lashkar-e-Taiba")

    # 8. Undo everything, one step at a time, then redo it all: exact states.
    stack = window.undo_stack
    for n in range(len(labels), 0, -1):
        assert stack.undoText() == labels[n - 1]
        window.act_undo.trigger()
        assert snapshot(store) == states[n - 1], f"undo of {labels[n - 1]}"
    assert _relations(store) == [(azhar, "founded", jem, None, "")]
    for n in range(1, len(labels) + 1):
        window.act_redo.trigger()
        assert snapshot(store) == states[n], f"redo of {labels[n - 1]}"
    # The views follow the database.
    window.select_entity(jem)
    assert [r.predicate for r in profile.relations.rows()] == ["founded", "leader of"]


def test_removing_several_aliases_is_one_undo_step(wired, library: Library) -> None:  # type: ignore[no-untyped-def]
    window, _wiring = wired
    store, jem = library.store, library.entities["jem"]
    before = snapshot(store)
    window.select_entity(jem)
    profile = window.profile
    names = ("JeM", "Jaish-e-Muhammad")
    rows = [_row_of(profile.aliases, lambda a, n=n: a.name == n) for n in names]
    _select_rows(profile.alias_view, rows)
    profile.act_remove_alias.trigger()
    assert set(_aliases(store, jem)) == {"Jaish-e-Mohammed"}
    assert window.undo_stack.count() == 1
    assert window.undo_stack.undoText() == "removal of aliases Jaish-e-Muhammad, JeM"
    window.act_undo.trigger()
    assert snapshot(store) == before


def test_profile_errors_reach_the_user_and_change_nothing(
    wired, library: Library, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    window, wiring = wired
    store, jem = library.store, library.entities["jem"]
    errors: list[str] = []
    monkeypatch.setattr(window, "show_error", errors.append)
    before = snapshot(store)
    window.select_entity(jem)
    window.profile.act_add_alias.trigger()
    wiring.alias_dialog.name.setText("JeM")  # already there
    wiring.alias_dialog.accept()
    window.profile.act_add_relation.trigger()
    rd = wiring.relation_dialog
    rd.search.setText("Masood")
    rd.update_results()
    rd.predicate.setEditText("founded")  # the fixture already has this one
    rd.direction.setCurrentIndex(1)
    rd.accept()
    assert errors[0] == "Jaish-e-Mohammed already has the alias 'JeM'"
    assert "already recorded as founded" in errors[1]
    assert snapshot(store) == before
    assert window.undo_stack.count() == 0


def test_profile_actions_are_disabled_without_an_entity(window) -> None:  # type: ignore[no-untyped-def]
    p = window.profile
    for action in (p.act_add_alias, p.act_remove_alias, p.act_split, p.act_add_relation):
        assert not action.isEnabled()
    assert not p.type_combo.isVisible()


def test_context_menus_offer_the_actions(wired, library: Library) -> None:  # type: ignore[no-untyped-def]
    window, _wiring = wired
    window.select_entity(library.entities["jem"])
    p = window.profile
    _select_rows(p.alias_view, [_row_of(p.aliases, lambda a: a.name == "JeM")])
    menu = p.context_menu("aliases")
    assert [(a.text(), a.isEnabled()) for a in menu.actions()] == [
        ("Add alias…", True),
        ("Remove alias", True),
        ("Split out…", True),
    ]
    menu.actions()[1].trigger()
    assert "JeM" not in _aliases(library.store, library.entities["jem"])
    texts = [a.text() for a in p.context_menu("relations").actions()]
    assert texts == ["Add relation…", "Remove relation"]


def test_unwired_profile_actions_say_so(window, library: Library) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui.hooks import NOT_WIRED

    before = snapshot(library.store)
    window.select_entity(library.entities["jem"])
    window.profile.act_add_relation.trigger()
    assert window.statusBar().currentMessage() == NOT_WIRED
    assert snapshot(library.store) == before
