"""Importing from the window: files and folders (menu, drag and drop) and
"Paste as article".

The import runs on the TaskRunner's pool. Progress crosses back to the GUI
thread through a Qt signal (queued, because the emitting thread is not the
receiver's); Cancel sets a flag the import polls between files. When the
work ends, a summary lists what was imported, what was already there, and
each failure with its reason.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressDialog,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.errors import DossierDeskError
from desktop.core.store import Store
from desktop.ui.models import Column, RowTableModel
from desktop.ui.tasks import ProgressRelay, TaskRunner, run_in_process

if TYPE_CHECKING:
    # The import pipeline (trafilatura, lxml, pypdf, every reader) is imported
    # by the worker that runs an import, not when the window starts.
    from desktop.core.services.ingest import ImportReport


@dataclass(frozen=True)
class ImportProblem:
    path: str
    result: str


def _reason(path: str, error: str) -> str:
    # The reader's message starts with the path, which the File column shows already.
    return error[len(path) + 2 :] if error.startswith(path + ": ") else error


class ImportSummaryDialog(QDialog):
    """What an import did: counts, then one row per duplicate or failure."""

    def __init__(self, report: ImportReport, cancelled: bool, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import finished" if not cancelled else "Import cancelled")
        self.setAccessibleName("Import summary")
        self.report = report
        n_ok, n_dup, n_bad = len(report.imported), len(report.duplicates), len(report.failed)
        head = QLabel(
            f"<b>{n_ok}</b> imported · <b>{n_dup}</b> already in the library · "
            f"<b>{n_bad}</b> failed" + (" · stopped before the end" if cancelled else "")
        )
        head.setAccessibleName("Import counts")
        self.headline = head
        self.notes = QLabel("\n".join(report.notes))
        self.notes.setWordWrap(True)
        self.notes.setAccessibleName("Import notes")
        self.notes.setVisible(bool(report.notes))
        rows = [
            ImportProblem(str(d["path"]), f"duplicate of article {d['id']}")
            for d in report.duplicates
        ] + [
            ImportProblem(bad["path"], _reason(bad["path"], bad["error"])) for bad in report.failed
        ]
        self.model = RowTableModel[ImportProblem](
            [
                Column("File", lambda r: Path(r.path).name, tooltip=lambda r: r.path),
                Column("Result", lambda r: r.result, tooltip=lambda r: r.result),
            ],
            lambda r: 0,
            self,
        )
        self.model.set_rows(rows)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Files not imported")
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.ResizeToContents
        )
        row = len(rows)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.accept)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(self.notes)
        if row:
            layout.addWidget(self.table, 1)
            # Room for the rows there are, up to a dozen; the list scrolls after.
            height = self.table.verticalHeader().defaultSectionSize()
            self.resize(640, 140 + height * min(row, 12))
        else:
            # One line of counts: a small box, not an empty table's worth.
            self.table.hide()
            layout.addWidget(buttons)
            self.adjustSize()
            self.setFixedHeight(self.sizeHint().height())
            return
        layout.addWidget(buttons)


class PasteDialog(QDialog):
    """Paste as article: the clipboard text, an editable title and source."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Paste as article")
        self.setAccessibleName("Paste as article")
        self.resize(640, 480)
        first = next((line.strip() for line in text.splitlines() if line.strip()), "")
        self.title_edit = QLineEdit(first[:200])
        self.title_edit.setAccessibleName("Article title")
        self.source_edit = QLineEdit("clipboard")
        self.source_edit.setAccessibleName("Source")
        self.source_edit.setToolTip("Where the text came from, e.g. the page address")
        self.body_edit = QPlainTextEdit(text)
        self.body_edit.setAccessibleName("Article text")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.body_edit.textChanged.connect(self._validate)
        form = QFormLayout()
        form.addRow("Title", self.title_edit)
        form.addRow("Source", self.source_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.body_edit, 1)
        layout.addWidget(self.buttons)
        self._validate()

    def _validate(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
            bool(self.body_edit.toPlainText().strip())
        )


class ImportController(QObject):
    """Runs imports for a window and reports back.

    ``finished(report, cancelled)`` is emitted on the GUI thread after the
    library has been written; the window refreshes its views from it.
    """

    finished = Signal(object, bool)
    pasted = Signal(int, bool)  # article id, created
    failed = Signal(str)

    def __init__(self, store: Store, runner: TaskRunner, parent: QWidget) -> None:
        super().__init__(parent)
        self.store = store
        self.runner = runner
        self.window = parent
        self.running = False
        # Imports and pastes run in a worker process (see tasks.run_in_process);
        # with a synchronous runner (tests) they run inline, in this process.
        self.in_process = not runner.synchronous
        self.progress_dialog: QProgressDialog | None = None
        self.summary: ImportSummaryDialog | None = None
        self.paste_dialog: PasteDialog | None = None
        self._cancel = threading.Event()
        self._progress = ProgressRelay(self)
        self._progress.advanced.connect(self._advanced)
        # Tests replace this to answer the paste dialog without a user.
        self.paste_dialog_factory: Callable[[str], PasteDialog] = lambda text: PasteDialog(
            text, self.window
        )

    # -- files and folders ----------------------------------------------------
    def import_paths(self, paths: Sequence[Path | str]) -> bool:
        """Start importing; False when an import is already running."""
        if self.running or not paths:
            return False
        self.running = True
        self._cancel.clear()
        files = [Path(p) for p in paths]
        dialog = QProgressDialog("Preparing import…", "Cancel", 0, 0, self.window)
        dialog.setWindowTitle("Importing")
        dialog.setAccessibleName("Import progress")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(self.cancel)
        self.progress_dialog = dialog
        store, progress, cancel = self.store, self._progress, self._cancel

        # A team library (no file) is imported on a thread: a worker process
        # would have to ask for the server password again.
        in_process = self.in_process and self.store.path is not None

        def work() -> ImportReport:
            # Runs on the pool: no widget access, only the signal and the flag.
            from desktop.core.services import pipeline

            if in_process:
                return run_in_process(
                    pipeline.import_into,
                    store.path,
                    store._passphrase,
                    files,
                    progress=progress.report,
                    should_cancel=cancel.is_set,
                )
            return pipeline.import_and_extract(
                store,
                files,
                progress=progress.report,
                should_cancel=cancel.is_set,
            ).report

        self.runner.run(work, self._done, self._error)
        return True

    def cancel(self) -> None:
        self._cancel.set()
        if self.progress_dialog is not None:
            self.progress_dialog.setLabelText("Stopping after the current file…")

    def _advanced(self, done: int, total: int, message: str) -> None:
        dialog = self.progress_dialog
        if dialog is None:
            return
        dialog.setMaximum(total)
        dialog.setValue(done)
        dialog.setLabelText(message)

    def _close_progress(self) -> None:
        if self.progress_dialog is not None:
            self.progress_dialog.canceled.disconnect(self.cancel)
            self.progress_dialog.close()
            self.progress_dialog.deleteLater()
            self.progress_dialog = None

    def _done(self, report: ImportReport) -> None:
        self.running = False
        cancelled = self._cancel.is_set()
        self._close_progress()
        self.summary = ImportSummaryDialog(report, cancelled, self.window)
        self.summary.open()
        self.finished.emit(report, cancelled)

    def _error(self, exc: BaseException) -> None:
        self.running = False
        self._close_progress()
        message = str(exc) if isinstance(exc, DossierDeskError) else f"Import failed: {exc!r}"
        self.failed.emit(message)

    # -- paste ------------------------------------------------------------------
    def paste_as_article(self, text: str | None = None) -> PasteDialog:
        """Open the paste dialog, prefilled from the clipboard; importing
        happens when the user accepts it."""
        if text is None:
            text = QGuiApplication.clipboard().text()
        dialog = self.paste_dialog_factory(text)
        self.paste_dialog = dialog
        dialog.accepted.connect(lambda: self._paste_accepted(dialog))
        dialog.open()
        return dialog

    def _paste_accepted(self, dialog: PasteDialog) -> None:
        text = dialog.body_edit.toPlainText()
        title = dialog.title_edit.text()
        source = dialog.source_edit.text().strip() or "clipboard"
        store = self.store
        self.paste_dialog = None
        dialog.deleteLater()

        # A team library (no file) is imported on a thread: a worker process
        # would have to ask for the server password again.
        in_process = self.in_process and self.store.path is not None

        def work() -> tuple[int, bool]:
            from desktop.core.services import pipeline

            if in_process:
                return run_in_process(  # type: ignore[no-any-return]
                    pipeline.paste_into, store.path, store._passphrase, text, title, source
                )
            return pipeline.paste_and_extract(store, text, title=title, source=source)

        self.runner.run(
            work,
            lambda result: self.pasted.emit(result[0], result[1]),
            self._error,
        )
