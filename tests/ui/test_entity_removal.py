"""The sidebar's context menu removes a made-up entity, and a rename that
corrects a wrong name offers to drop it; both undo in one step."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6.QtWidgets")  # the core-only run blocks Qt
from sqlmodel import select

from desktop.core import models as m
from desktop.ui import wiring as wiring_module
from desktop.ui.entity_dialogs import RenameEntityDialog, looks_like_a_correction
from desktop.ui.wiring import install
from tests.core.resolve_helpers import snapshot

pytestmark = pytest.mark.gui


def _sidebar_menu(window, entity_id) -> dict:  # type: ignore[no-untyped-def,type-arg]
    """The sidebar's context menu on ``entity_id``, its actions by text."""
    window.sidebar.set_scope("library")
    index = window.sidebar.model.index_of(entity_id)
    assert index.isValid()
    menu = window.sidebar_menu(index)
    return {a.text(): a for a in menu.actions()}


@pytest.mark.parametrize(
    ("entry", "status"),
    [("Not an entity…", m.MentionStatus.REJECTED), ("Delete entity…", m.MentionStatus.SUGGESTED)],
)
def test_sidebar_menu_removes_an_entity(window, library, monkeypatch, qtbot, entry, status):  # type: ignore[no-untyped-def]
    install(window)
    window.show()
    store, let = library.store, library.entities["let"]
    before = snapshot(store)
    asked = []
    monkeypatch.setattr(
        wiring_module, "confirm_removal", lambda _p, name, flag: asked.append((name, flag)) or True
    )
    actions = _sidebar_menu(window, let)
    actions[entry].trigger()
    assert asked == [("Lashkar-e-Taiba", entry.startswith("Not"))]
    with store.session() as s:
        assert s.get(m.Entity, let) is None
        orphans = s.exec(select(m.Mention).where(m.Mention.text == "LeT")).all()
        assert orphans
        assert {x.status for x in orphans} == {status}
    assert not window.sidebar.model.index_of(let).isValid()
    window.undo_stack.undo()
    box = getattr(window, "last_message", None)
    assert box is None or not box.isVisible(), box.text()
    assert snapshot(store) == before


def test_rename_offers_to_drop_a_wrong_name(window, library, qtbot):  # type: ignore[no-untyped-def]
    wiring = install(window)
    store, jem = library.store, library.entities["jem"]
    dialog = wiring.rename_entity(jem)
    assert isinstance(dialog, RenameEntityDialog)
    assert dialog.keep.isChecked()
    # "Jaish-e-Mohammed" -> "Jaish-e-Mohammed" minus nothing: keep stays on
    # for a real new name...
    dialog.setTextValue("Army of Muhammad")
    assert dialog.keep.isChecked()
    dialog.reject()
    # ...and goes off when the new name is the old one with words cut away.
    with store.session() as s:
        s.get(m.Entity, jem).name = "Inviting Jaish-e-Mohammed"
        s.add(m.Alias(entity_id=jem, name="Inviting Jaish-e-Mohammed", key="x", kind="name"))
    dialog = wiring.rename_entity(jem)
    dialog.setTextValue("Jaish-e-Mohammed")
    assert not dialog.keep.isChecked()
    dialog.accept()
    with store.session() as s:
        names = {a.name for a in s.exec(select(m.Alias).where(m.Alias.entity_id == jem))}
        assert s.get(m.Entity, jem).name == "Jaish-e-Mohammed"
    assert "Inviting Jaish-e-Mohammed" not in names
    assert "dropping" in window.undo_stack.undoText()


def test_correction_heuristic():
    assert looks_like_a_correction("Inviting Hamas", "Hamas")
    assert looks_like_a_correction("the Lashkar-e-Taiba group", "Lashkar-e-Taiba")
    assert not looks_like_a_correction("Hamas", "Harakat al-Muqawama al-Islamiya")
    assert not looks_like_a_correction("Hamas", "Hamas")
    assert not looks_like_a_correction("Masood Azhar", "Azhar Masood")
