"""The type-ahead entity picker used by "Link to entity…"."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt

from desktop.ui.entity_picker import EntityPicker

from .conftest import Library


def test_type_ahead_and_choose(qtbot, qtmodeltester, library: Library) -> None:  # type: ignore[no-untyped-def]
    picker = EntityPicker(library.store, text="azh")
    qtbot.addWidget(picker)
    picker.show()
    assert picker.model.rowCount() == 1
    assert picker.selected_entity_id() == library.entities["azhar"]
    qtmodeltester.check(picker.model)
    picker.search.clear()
    qtbot.keyClicks(picker.search, "lashkar")
    picker.update_results()  # what the typing pause triggers
    assert picker.selected_entity_id() == library.entities["let"]
    qtbot.keyClicks(picker.search, "zzz")
    picker.update_results()
    assert picker.selected_entity_id() is None
    assert not picker.buttons.buttons()[0].isEnabled()
    picker.search.setText("a")
    picker.update_results()
    assert picker.model.rowCount() >= 3
    qtbot.keyClick(picker.search, Qt.Key.Key_Down)
    second = picker.selected_entity_id()
    assert second == picker.model.row_at(1).id
    with qtbot.waitSignal(picker.accepted):
        qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    assert picker.selected_entity_id() == second
