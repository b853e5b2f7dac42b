"""The dossier workspace widget (offscreen)."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest

pytest.importorskip("PySide6.QtWidgets")  # the core-only run blocks Qt
from PySide6.QtCore import QMimeData, QModelIndex, Qt

from desktop.core.services import dossiers as ds
from desktop.ui.dossier_workspace import (
    ITEM_MIME,
    DossierItemsModel,
    DossierWorkspace,
)
from desktop.ui.tasks import TaskRunner


@pytest.fixture
def workspace(qtbot, store, library):  # type: ignore[no-untyped-def]
    runner = TaskRunner(synchronous=True)
    w = DossierWorkspace(store, runner)
    qtbot.addWidget(w)
    w.resize(900, 500)
    return w


def test_models_pass_the_model_tester(qtmodeltester, workspace, library):
    workspace.create_dossier("JeM <draft> & co")
    workspace.add_entity(library.entities["azhar"])
    workspace.add_note("A note")
    qtmodeltester.check(workspace.items)
    qtmodeltester.check(workspace.dossiers)


def test_create_add_rename_remove(workspace, store, library):
    d = workspace.create_dossier("Network")
    assert d is not None
    assert workspace.current_dossier_id() == d.id
    workspace.add_heading("People")
    workspace.add_entity(library.entities["azhar"])
    workspace.add_article(library.articles[0])
    workspace.add_excerpt(library.articles[1], 0, 56)
    assert [r.kind for r in workspace.items.rows] == ["heading", "entity", "article", "excerpt"]
    assert "Masood Azhar" in workspace.items.data(workspace.items.index(1, 0))
    workspace.rename_dossier("Network v2")
    assert ds.get_dossier(store, d.id).title == "Network v2"
    workspace.item_view.setCurrentIndex(workspace.items.index(0, 0))
    workspace.remove_selected()
    assert [r.kind for r in workspace.items.rows] == ["entity", "article", "excerpt"]
    # A bad excerpt is reported in the status line; nothing changes.
    workspace.add_excerpt(library.articles[1], 5, 99999)
    assert "outside article" in workspace.status.text()
    assert len(workspace.items.rows) == 3
    workspace.delete_dossier(confirm=False)
    assert ds.list_dossiers(store) == []


def test_add_entity_without_a_dossier_creates_one(workspace, store, library):
    workspace.add_entity(library.entities["jem"])
    assert [d.title for d in ds.list_dossiers(store)] == ["New dossier"]


def test_drop_reorders_through_the_service(workspace, store, library):
    d = workspace.create_dossier("D")
    for key in ("azhar", "jem", "tehreek"):
        workspace.add_entity(library.entities[key])
    ids = [r.id for r in workspace.items.rows]
    mime = workspace.items.mimeData([workspace.items.index(2, 0)])
    assert mime.hasFormat(ITEM_MIME)
    workspace.items.dropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    assert [r.id for r in workspace.items.rows] == [ids[2], ids[0], ids[1]]
    assert [i.id for i in ds.list_items(store, d.id)] == [ids[2], ids[0], ids[1]]
    # Dropping at the end, and ignoring foreign data.
    mime = workspace.items.mimeData([workspace.items.index(0, 0)])
    workspace.items.dropMimeData(mime, Qt.DropAction.MoveAction, -1, 0, QModelIndex())
    assert [r.id for r in workspace.items.rows] == [ids[0], ids[1], ids[2]]
    assert not workspace.items.dropMimeData(
        QMimeData(), Qt.DropAction.MoveAction, 0, 0, QModelIndex()
    )


def test_move_rows_to():
    model = DossierItemsModel()
    model.rows = [type("R", (), {"id": i})() for i in (10, 11, 12, 13)]  # type: ignore[misc]
    assert model.move_rows_to([0], 3) == [11, 12, 10, 13]
    assert model.move_rows_to([3], 0) == [13, 10, 11, 12]
    assert model.move_rows_to([1, 2], 4) == [10, 13, 11, 12]


def test_export_runs_on_the_runner(qtbot, store, library, tmp_path):
    runner = TaskRunner()  # a real thread pool
    w = DossierWorkspace(store, runner)
    qtbot.addWidget(w)
    w.create_dossier("Threaded")
    w.add_entity(library.entities["azhar"])
    out = tmp_path / "t.pdf"
    with qtbot.waitSignal(w.exportFinished, timeout=20000) as blocker:
        w.export(out)
    assert blocker.args == [str(out)]
    assert len(pypdf.PdfReader(out).pages) >= 3
    with qtbot.waitSignal(w.exportFailed, timeout=20000) as blocker:
        w.export(tmp_path / "missing" / "t.pdf")
    assert "missing" in blocker.args[0]
    runner.wait()


def test_print_preview_and_screenshot(workspace, library, tmp_path):
    workspace.create_dossier("JeM <draft> & co")
    workspace.add_heading("People")
    workspace.add_entity(library.entities["azhar"])
    workspace.add_note("Unverified")
    dialog = workspace.print_preview(exec_dialog=False)
    assert dialog is not None
    dialog.close()
    shot = Path(tmp_path) / "workspace.png"
    assert workspace.grab().save(str(shot))


def test_print_preview_paints_the_same_pages(workspace, library, tmp_path):
    """What the preview's paintRequested draws on a QPrinter is the PDF's
    layout: print it to a file and read it back."""
    from PySide6.QtPrintSupport import QPrinter

    from desktop.core.dossier import assemble
    from desktop.report.pdf import render

    d = workspace.create_dossier("Preview <check>")
    workspace.add_entity(library.entities["tehreek"])
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    pages, toc = render(assemble(workspace.store, d.id), printer)
    assert toc[0] == ("<Tehreek> & Sons", 3)
    assert len(pypdf.PdfReader(out).pages) == pages


def test_edit_note_and_heading_text(workspace, library):
    workspace.create_dossier("D")
    workspace.add_heading("Old heading")
    workspace.add_note("Old note")
    workspace.add_entity(library.entities["jem"])
    workspace.edit_item_text(0, "New heading")
    workspace.edit_item_text(1, "New <note> & more")
    workspace.edit_item_text(2, "ignored: entities have no text")
    assert [r.text for r in workspace.items.rows][:2] == ["New heading", "New <note> & more"]
    assert workspace.items.rows[2].label == "Jaish-e-Mohammed"
    workspace.edit_item_text(1, "   ")
    assert "empty" in workspace.status.text()
