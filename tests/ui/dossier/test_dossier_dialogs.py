"""The dossier dialogs: every cover field and every export choice of the CLI
can be set in the window."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6.QtWidgets")  # the core-only run blocks Qt
from PySide6.QtWidgets import QDialog

from desktop.core.services import dossiers as ds
from desktop.ui import dossier_dialogs as dd
from desktop.ui.dossier_workspace import DossierWorkspace
from desktop.ui.tasks import TaskRunner


@pytest.fixture
def workspace(qtbot, store, library):  # type: ignore[no-untyped-def]
    w = DossierWorkspace(store, TaskRunner(synchronous=True))
    qtbot.addWidget(w)
    return w


def _accept_with(monkeypatch, cls, fill):  # type: ignore[no-untyped-def]
    """Stand in for the user: ``fill(dialog)`` then OK."""

    def exec_(dialog):  # type: ignore[no-untyped-def]
        fill(dialog)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(cls, "exec", exec_)


def test_new_dossier_asks_for_the_whole_cover(workspace, store, monkeypatch):
    def fill(d: dd.DossierDetailsDialog) -> None:
        assert not d.ok_button.isEnabled()  # no title yet
        d.title.setText("Kashmir groups")
        d.subtitle.setText("Rawalakot")
        d.author.setText("Desk")
        d.marking.setCurrentText("CONFIDENTIAL")
        assert d.ok_button.isEnabled()

    _accept_with(monkeypatch, dd.DossierDetailsDialog, fill)
    made = workspace.create_dossier()
    assert made is not None
    d = ds.get_dossier(store, made.id)
    assert (d.title, d.subtitle, d.author, d.marking) == (
        "Kashmir groups",
        "Rawalakot",
        "Desk",
        "CONFIDENTIAL",
    )

    def edit(dialog: dd.DossierDetailsDialog) -> None:
        assert dialog.subtitle.text() == "Rawalakot"
        dialog.marking.setCurrentText("INTERNAL")

    _accept_with(monkeypatch, dd.DossierDetailsDialog, edit)
    workspace.rename_dossier()
    assert ds.get_dossier(store, made.id).marking == "INTERNAL"


def test_note_dialog_wraps_and_is_wide(qtbot):
    dialog = dd.NoteDialog(None, text="word " * 200)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.width() >= 480
    assert dialog.edit.lineWrapMode() == dialog.edit.LineWrapMode.WidgetWidth
    assert dialog.edit.horizontalScrollBar().maximum() == 0


def test_export_dialog_sets_every_cli_option(workspace, store, library, monkeypatch, tmp_path):
    d = workspace.create_dossier("JeM")
    workspace.add_entity(library.entities["azhar"])
    target = tmp_path / "out.md"

    def fill(dialog: dd.ExportDialog) -> None:
        assert dialog.target().suffix == ".pdf"
        assert dialog.paper.isEnabled()
        dialog.format.setCurrentText("Markdown")
        assert dialog.target().suffix == ".md"
        assert not dialog.paper.isEnabled()  # paper is for PDF
        dialog.path.setText(str(target))
        dialog.max_contexts.setValue(2)
        dialog.unreviewed.setChecked(True)
        dialog.redact.setPlainText("Bahawalpur\n\n  Masood Ilyas  \n")
        dialog.redact_notes.setChecked(True)

    _accept_with(monkeypatch, dd.ExportDialog, fill)
    seen = {}
    monkeypatch.setattr(
        workspace, "export", lambda path, options, paper: seen.update(p=path, o=options, x=paper)
    )
    workspace.export_dialog()
    assert seen["p"] == target
    options = seen["o"]
    assert options.max_contexts == 2
    assert options.include_unreviewed is True
    assert options.redact == ("Bahawalpur", "Masood Ilyas")
    assert options.redact_notes is True
    assert options.include_contexts is True
    assert d is not None


def test_export_dialog_defaults_leave_unreviewed_out(qtbot, tmp_path):
    dialog = dd.ExportDialog(None, tmp_path / "d.pdf")
    qtbot.addWidget(dialog)
    options = dialog.options()
    assert options.include_unreviewed is False
    assert options.max_contexts is None
    assert dialog.paper_size() == "A4"
    dialog.contexts.setChecked(False)
    assert not dialog.max_contexts.isEnabled()
    assert dialog.options().include_contexts is False
