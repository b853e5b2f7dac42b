"""Sizes and reach of the window's parts: dialogs sized to their content,
columns that give names the room, panels that cannot be squeezed, and the
dossier shortcut from any panel."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6.QtWidgets")  # the core-only run blocks Qt
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView

from desktop.core.services.ingest import ImportReport
from desktop.ui.importing import ImportSummaryDialog
from desktop.ui.main_window import SIDE_MIN_WIDTH

pytestmark = pytest.mark.gui


def test_import_summary_of_one_line_is_a_small_box(qtbot):
    dialog = ImportSummaryDialog(ImportReport(imported=[1, 2, 3]), False, None)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.table.isVisible()
    assert dialog.height() < 160
    assert dialog.headline.sizeHint().width() <= dialog.width() < 640


def test_import_summary_with_failures_fits_its_rows(qtbot):
    report = ImportReport(
        imported=[1],
        failed=[{"path": f"/in/f{i}.txt", "error": "empty file"} for i in range(3)],
    )
    dialog = ImportSummaryDialog(report, False, None)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.table.isVisible()
    assert 200 < dialog.height() < 380


def test_sidebar_names_take_the_room(window):  # type: ignore[no-untyped-def]
    header = window.sidebar.tree.header()
    assert header.sectionResizeMode(0) == QHeaderView.ResizeMode.Stretch
    # The counts are as wide as the numbers they show, fixed (measuring
    # their rows on every reset cost the sidebar nine calls in ten).
    cells = window.sidebar.tree.fontMetrics()
    for column, widest in ((1, "99999"), (2, "● 99  ≈ 9")):
        assert header.sectionResizeMode(column) == QHeaderView.ResizeMode.Fixed
        assert cells.horizontalAdvance(widest) < header.sectionSize(column) < 120
    mentions = window.profile.mention_view.horizontalHeader()
    # Before and After share the room; the article gets a fixed share.
    assert mentions.sectionResizeMode(0) == QHeaderView.ResizeMode.Stretch
    assert mentions.sectionResizeMode(2) == QHeaderView.ResizeMode.Stretch
    assert mentions.sectionResizeMode(3) == QHeaderView.ResizeMode.Interactive


def test_a_remembered_narrow_sidebar_is_widened(make_window, library):  # type: ignore[no-untyped-def]
    first = make_window(library.store)
    first.show()
    dock = first.views["entityDock"]
    first.resizeDocks([dock], [40], Qt.Orientation.Horizontal)
    first.save_layout()
    first.close()
    again = make_window(library.store)
    again.show()
    assert again.views["entityDock"].width() >= SIDE_MIN_WIDTH
    assert again.sidebar.width() >= SIDE_MIN_WIDTH


def test_reset_layout_docks_floating_panels_and_fits(window, qtbot):  # type: ignore[no-untyped-def]
    window.show()
    window.resize(3000, 2000)
    window.views["entityDock"].setFloating(True)
    window.reset_layout()
    room = window.screen().availableGeometry()
    assert not window.views["entityDock"].isFloating()
    # (This test's screen is 800 px wide, less than the panels' minimum; the
    # layout test covers real screens.)
    widest = max(room.width(), window.minimumSizeHint().width())
    assert window.width() <= widest
    assert window.frameGeometry().height() <= room.height()


def test_dossier_shortcut_works_from_a_floating_sidebar(window, qtbot):  # type: ignore[no-untyped-def]
    from desktop.ui.wiring import install

    wiring = install(window)
    window.show()
    dossiers = window.views["dossierDock"]
    window.views["profileDock"].raise_()
    assert dossiers.visibleRegion().isEmpty()
    dock = window.views["entityDock"]
    dock.setFloating(True)
    dock.show()
    dock.activateWindow()
    window.sidebar.tree.setFocus()
    assert wiring.act_dossiers.shortcutContext() == Qt.ShortcutContext.ApplicationShortcut
    qtbot.keyClick(
        window.sidebar.tree,
        Qt.Key.Key_D,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: not dossiers.visibleRegion().isEmpty())
    dock.setFloating(False)
