"""The dossier workspace: the dossiers, the ordered items of the selected one
(drag and drop to reorder), notes and headings, export and print preview.

Everything goes through ``desktop.core.services.dossiers``; exports run on the
TaskRunner so the window stays responsive while a large PDF is rendered.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QInputDialog,
    QLabel,
    QListView,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.core.dossier import DossierInputError, Options, assemble
from desktop.core.errors import DossierDeskError
from desktop.core.services import dossiers as ds
from desktop.core.store import Store
from desktop.ui.dossier_dialogs import Cover, DossierDetailsDialog, ExportDialog, NoteDialog
from desktop.ui.flow import flow_row
from desktop.ui.plain import as_rich, tip
from desktop.ui.tasks import TaskRunner

ITEM_MIME = "application/x-dossier-desk-item-rows"
KIND_MARKS = {"entity": "◆", "article": "▤", "excerpt": "❝", "note": "✎", "heading": "§"}
Index = QModelIndex | QPersistentModelIndex


class _RowsModel(QAbstractListModel):
    """A list model over rows a service returned; subclasses say how to show one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list = []  # type: ignore[type-arg]

    def set_rows(self, rows: list) -> None:  # type: ignore[type-arg]
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)


class DossierListModel(_RowsModel):
    rows: list[ds.DossierSummary]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        d = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{d.title}  ({d.items})"
        if role == Qt.ItemDataRole.ToolTipRole:
            return tip("\n".join(v for v in (d.title, d.subtitle, d.marking) if v))
        if role == Qt.ItemDataRole.UserRole:
            return d.id
        return None


class DossierItemsModel(_RowsModel):
    """The ordered items of one dossier. A drop calls ``reorder(ids)``; the
    model is refreshed from what the service returns."""

    def __init__(
        self, reorder: Callable[[list[int]], None] | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.rows: list[ds.ItemSummary] = []
        self.reorder = reorder

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        item = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{KIND_MARKS.get(item.kind, '·')}  {item.label}"
        if role == Qt.ItemDataRole.ToolTipRole:
            missing = "\n(no longer in the library)" if item.missing else ""
            return tip(f"{item.kind}: {item.text or item.label}{missing}")
        if role == Qt.ItemDataRole.UserRole:
            return item.id
        if role == Qt.ItemDataRole.ForegroundRole and item.missing:
            return Qt.GlobalColor.darkRed
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsDropEnabled
        if not index.isValid():
            return base
        return (
            base
            | Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | (Qt.ItemFlag.ItemIsDragEnabled)
        )

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [ITEM_MIME]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:
        mime = QMimeData()
        rows = sorted({i.row() for i in indexes if i.isValid()})
        mime.setData(ITEM_MIME, QByteArray(",".join(map(str, rows)).encode()))
        return mime

    def move_rows_to(self, rows: list[int], target: int) -> list[int]:
        """The item ids after moving ``rows`` before row ``target``."""
        ids = [r.id for r in self.rows]
        moving = [ids[r] for r in rows if 0 <= r < len(ids)]
        before = sum(1 for r in rows if r < target)
        rest = [i for i in ids if i not in moving]
        at = max(0, min(len(rest), target - before))
        return rest[:at] + moving + rest[at:]

    def dropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: Index,
    ) -> bool:
        if action != Qt.DropAction.MoveAction or not data.hasFormat(ITEM_MIME):
            return False
        raw = bytes(data.data(ITEM_MIME).data()).decode()
        rows = [int(x) for x in raw.split(",") if x]
        target = row if row != -1 else (parent.row() if parent.isValid() else len(self.rows))
        order = self.move_rows_to(rows, target)
        if self.reorder is not None and order != [r.id for r in self.rows]:
            self.reorder(order)
        # False: the rows were moved by the service and the model refreshed; the
        # view must not remove the dragged rows itself.
        return False


class DossierWorkspace(QWidget):
    exportFinished = Signal(str)
    exportFailed = Signal(str)
    changed = Signal()

    def __init__(self, store: Store, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.runner = runner
        self._last_folder = ""
        self.dossiers = DossierListModel(self)
        self.items = DossierItemsModel(self._reorder, self)

        self.dossier_view = QListView()
        self.dossier_view.setModel(self.dossiers)
        self.dossier_view.selectionModel().currentChanged.connect(lambda *_: self._load_items())
        self.item_view = QListView()
        self.item_view.setModel(self.items)
        self.item_view.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.item_view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.item_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.item_view.setWordWrap(True)
        self.item_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.item_view.doubleClicked.connect(lambda index: self.edit_item_text(index.row()))

        def button(text: str, slot: Callable[[], object]) -> QPushButton:
            b = QPushButton(text)
            b.clicked.connect(lambda: slot())
            return b

        left = QWidget()
        lv = QVBoxLayout(left)
        lv.addWidget(QLabel("<b>Dossiers</b>"))
        lv.addWidget(self.dossier_view)
        # Button rows wrap in a narrow dock (ui/flow.py).
        holder, row = flow_row(left)
        for b in (
            button("New…", self.create_dossier),
            button("Details…", self.rename_dossier),
            button("Delete", self.delete_dossier),
        ):
            row.addWidget(b)
        lv.addWidget(holder)

        right = QWidget()
        rv = QVBoxLayout(right)
        self.title_label = QLabel()
        rv.addWidget(self.title_label)
        rv.addWidget(self.item_view)
        holder, row = flow_row(right)
        for b in (
            button("Add note…", self.add_note),
            button("Add heading…", self.add_heading),
            button("Remove", self.remove_selected),
        ):
            row.addWidget(b)
        self.export_button = button("Export PDF…", self.export_dialog)
        self.preview_button = button("Print preview…", self.print_preview)
        row.addWidget(self.export_button)
        row.addWidget(self.preview_button)
        rv.addWidget(holder)
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)  # messages quote titles
        rv.addWidget(self.status)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.refresh()

    # -- state --------------------------------------------------------------
    def current_dossier_id(self) -> int | None:
        index = self.dossier_view.currentIndex()
        return int(index.data(Qt.ItemDataRole.UserRole)) if index.isValid() else None

    def select_dossier(self, dossier_id: int) -> None:
        for row, d in enumerate(self.dossiers.rows):
            if d.id == dossier_id:
                self.dossier_view.setCurrentIndex(self.dossiers.index(row, 0))
                return

    def refresh(self) -> None:
        current = self.current_dossier_id()
        self.dossiers.set_rows(ds.list_dossiers(self.store))
        if current is not None:
            self.select_dossier(current)
        elif self.dossiers.rows:
            self.select_dossier(self.dossiers.rows[0].id)
        self._load_items()

    def _load_items(self) -> None:
        dossier_id = self.current_dossier_id()
        if dossier_id is None:
            self.items.set_rows([])
            self.title_label.setText("No dossier selected")
            return
        self.items.set_rows(ds.list_items(self.store, dossier_id))
        d = ds.get_dossier(self.store, dossier_id)
        marking = f"  <span style='color:#b91c1c'>[{_esc(d.marking)}]</span>" if d.marking else ""
        self.title_label.setText(f"<b>{_esc(d.title)}</b>{marking}")

    def _guard(self, fn: Callable[[], object]) -> object:
        try:
            result = fn()
        except DossierDeskError as exc:
            self.status.setText(str(exc))
            return None
        self.refresh()
        self.changed.emit()
        return result

    def _ensure_dossier(self) -> int:
        dossier_id = self.current_dossier_id()
        if dossier_id is None:
            d = ds.create_dossier(self.store, "New dossier")
            self.refresh()
            self.select_dossier(d.id)
            dossier_id = d.id
        return dossier_id

    # -- dossiers -----------------------------------------------------------
    def create_dossier(
        self, title: str | None = None, cover: Cover | None = None
    ) -> ds.DossierSummary | None:
        """A new dossier; with neither ``title`` nor ``cover``, asks for its
        title, subtitle, author and marking."""
        if cover is None and title is None:
            dialog = DossierDetailsDialog(self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            cover = dialog.cover()
        cover = cover or Cover(title or "", "", "", "")
        d = self._guard(
            lambda: ds.create_dossier(
                self.store,
                cover.title,
                subtitle=cover.subtitle,
                author=cover.author,
                marking=cover.marking,
            )
        )
        if isinstance(d, ds.DossierSummary):
            self.select_dossier(d.id)
            self._load_items()
            return d
        return None

    def rename_dossier(self, title: str | None = None) -> None:
        dossier_id = self.current_dossier_id()
        if dossier_id is None:
            return
        if title is None:
            old = ds.get_dossier(self.store, dossier_id)
            dialog = DossierDetailsDialog(
                self, Cover(old.title, old.subtitle, old.author, old.marking), new=False
            )
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            cover = dialog.cover()
            self._guard(
                lambda: ds.update_dossier(
                    self.store,
                    dossier_id,
                    title=cover.title,
                    subtitle=cover.subtitle,
                    author=cover.author,
                    marking=cover.marking,
                )
            )
            return
        self._guard(lambda: ds.rename_dossier(self.store, dossier_id, title))

    def delete_dossier(self, confirm: bool = True) -> None:
        dossier_id = self.current_dossier_id()
        if dossier_id is None:
            return
        if confirm:
            d = ds.get_dossier(self.store, dossier_id)
            answer = QMessageBox.question(
                self,
                "Delete dossier",
                as_rich(
                    f"Delete the dossier “{d.title}” and its {d.items} items? "
                    "The entities and articles stay in the library."
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.dossier_view.setCurrentIndex(QModelIndex())
        self._guard(lambda: ds.delete_dossier(self.store, dossier_id))

    # -- items (the main window calls the first three) ------------------------
    def add_entity(self, entity_id: int) -> ds.ItemSummary | None:
        did = self._ensure_dossier()
        return self._guard(lambda: ds.add_entity(self.store, did, entity_id))  # type: ignore[return-value]

    def add_article(self, article_id: int) -> ds.ItemSummary | None:
        did = self._ensure_dossier()
        return self._guard(lambda: ds.add_article(self.store, did, article_id))  # type: ignore[return-value]

    def add_excerpt(self, article_id: int, start: int, end: int) -> ds.ItemSummary | None:
        did = self._ensure_dossier()
        return self._guard(  # type: ignore[return-value]
            lambda: ds.add_excerpt(self.store, did, article_id, start, end)
        )

    def add_note(self, text: str | None = None) -> None:
        if text is None:
            dialog = NoteDialog(self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            text = dialog.text()
        did = self._ensure_dossier()
        self._guard(lambda: ds.add_note(self.store, did, text))

    def add_heading(self, text: str | None = None) -> None:
        if text is None:
            text, ok = QInputDialog.getText(self, "Add heading", "Section heading:")
            if not ok:
                return
        did = self._ensure_dossier()
        self._guard(lambda: ds.add_heading(self.store, did, text))

    def edit_item_text(self, row: int, text: str | None = None) -> None:
        """Edit the note or heading at ``row`` (other kinds are not text)."""
        if not 0 <= row < len(self.items.rows):
            return
        item = self.items.rows[row]
        if item.kind not in ("note", "heading"):
            return
        if text is None:
            if item.kind == "note":
                dialog = NoteDialog(self, "Edit note", item.text)
                ok = dialog.exec() == QDialog.DialogCode.Accepted
                text = dialog.text()
            else:
                text, ok = QInputDialog.getText(self, "Edit heading", "Heading:", text=item.text)
            if not ok:
                return
        self._guard(lambda: ds.update_item_text(self.store, item.id, text))

    def remove_selected(self) -> None:
        ids = [
            int(i.data(Qt.ItemDataRole.UserRole))
            for i in self.item_view.selectionModel().selectedRows()
        ]

        def remove() -> None:
            for item_id in ids:
                ds.remove_item(self.store, item_id)

        if ids:
            self._guard(remove)

    def _reorder(self, ids: list[int]) -> None:
        dossier_id = self.current_dossier_id()
        if dossier_id is not None:
            self._guard(lambda: ds.reorder_items(self.store, dossier_id, ids))

    # -- output ---------------------------------------------------------------
    def export_dialog(self) -> None:
        dossier_id = self.current_dossier_id()
        if dossier_id is None:
            return
        folder = Path(self._last_folder) if self._last_folder else Path.home()
        dialog = ExportDialog(self, folder / self.suggested_file_name(dossier_id))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        target = dialog.target()
        self._last_folder = str(target.parent)
        self.export(target, dialog.options(), dialog.paper_size())

    def suggested_file_name(self, dossier_id: int, suffix: str = ".pdf") -> str:
        """The dossier's title as a safe file name (no folders, no hidden or
        reserved names), offered by the export dialog."""
        from desktop.report.files import safe_file_name

        return safe_file_name(ds.get_dossier(self.store, dossier_id).title, suffix)

    def export(self, path: str | Path, options: Options | None = None, paper: str = "A4") -> None:
        """Export the selected dossier off the GUI thread; the format follows
        the file's extension. Emits exportFinished(path) or exportFailed(msg)."""
        dossier_id = self.current_dossier_id()
        if dossier_id is None:
            self.exportFailed.emit("no dossier selected")
            return
        store, target = self.store, Path(path)
        from desktop.report.pdf import ensure_gui

        # Our fonts are registered here, on the GUI thread, before the export
        # renders on a worker (not when the window starts: the PDF module is
        # a noticeable import).
        ensure_gui()

        def work() -> str:
            from desktop.report import html, text_formats
            from desktop.report.files import check_writable, write_bytes

            check_writable(target)
            data = assemble(store, dossier_id, options)
            suffix = target.suffix.lower()
            if suffix == ".pdf":
                from desktop.report.pdf import write_pdf

                write_pdf(data, target, paper=paper)
            else:
                render = {
                    ".html": html.dossier_html,
                    ".htm": html.dossier_html,
                    ".md": text_formats.dossier_markdown,
                    ".json": text_formats.dossier_json,
                    ".graphml": text_formats.dossier_graphml,
                }.get(suffix)
                if render is None:
                    raise DossierInputError(f"{target}: unknown export format {suffix!r}")
                write_bytes(target, render(data).encode("utf-8"))
            return str(target)

        self.export_button.setEnabled(False)
        self.status.setText(f"Exporting to {target}…")

        def done(result: str) -> None:
            self.export_button.setEnabled(True)
            self.status.setText(f"Exported {result}")
            self.exportFinished.emit(result)

        def failed(exc: BaseException) -> None:
            self.export_button.setEnabled(True)
            self.status.setText(str(exc))
            self.exportFailed.emit(str(exc))

        self.runner.run(work, done, failed)

    def print_preview(self, exec_dialog: bool = True) -> QWidget | None:
        """The exact pages of the PDF in Qt's print preview."""
        from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

        from desktop.report.pdf import ensure_gui, render

        ensure_gui()
        dossier_id = self.current_dossier_id()
        if dossier_id is None:
            return None
        data = assemble(self.store, dossier_id)
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintPreviewDialog(printer, self)
        dialog.setWindowTitle(f"Print preview — {data.title}")
        dialog.paintRequested.connect(lambda p: render(data, p))
        if exec_dialog:
            dialog.exec()
        return dialog


def _esc(text: str) -> str:
    from html import escape

    return escape(text)
