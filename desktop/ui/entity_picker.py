"""A type-ahead dialog to choose an entity by any of its names.

Used by "Link to entity…" (and anything else that needs an entity): the
dialog only chooses; the caller does the linking through the resolver.

    picker = EntityPicker(store, parent=window, text=mention.text)
    picker.accepted.connect(lambda: link(mention.id, picker.selected_entity_id()))
    picker.open()
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.services import browse
from desktop.core.services.browse import SidebarEntity
from desktop.core.store import Store
from desktop.ui.models import Column, RowTableModel
from desktop.ui.theme import TYPE_SINGULAR


def _aliases(e: SidebarEntity) -> str:
    return ", ".join(e.aliases)


class _Search(QLineEdit):
    """Up/Down move in the result list while the focus stays in the box."""

    def __init__(self, table: QTableView) -> None:
        super().__init__()
        self.table = table

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            model = self.table.model()
            if model.rowCount():
                row = self.table.currentIndex().row()
                step = 1 if event.key() == Qt.Key.Key_Down else -1
                row = max(0, min(model.rowCount() - 1, row + step))
                self.table.setCurrentIndex(model.index(row, 0))
            return
        super().keyPressEvent(event)


class EntityPicker(QDialog):
    def __init__(
        self, store: Store, parent: QWidget | None = None, *, text: str = "", title: str = ""
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.setWindowTitle(title or "Link to entity")
        self.setAccessibleName(title or "Link to entity")
        self.resize(560, 420)
        self.model = RowTableModel[SidebarEntity](
            [
                Column("Name", lambda e: e.name),
                Column("Type", lambda e: TYPE_SINGULAR.get(e.type, e.type)),
                Column(
                    "Mentions", lambda e: e.mentions, key=lambda e: e.mentions, align_right=True
                ),
                Column("Also known as", _aliases, tooltip=_aliases),
            ],
            lambda e: e.id,
            self,
        )
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Matching entities")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        header.resizeSection(3, 160)
        self.table.doubleClicked.connect(lambda _i: self.accept())
        self.search = _Search(self.table)
        self.search.setPlaceholderText("Type a name or an alias")
        self.search.setAccessibleName("Entity name")
        self.search.setText(text)
        self.status = QLabel()
        self.status.setObjectName("muted")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(120)
        self._timer.timeout.connect(self.update_results)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Link")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.search.returnPressed.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.update_results()

    def update_results(self) -> None:
        self._timer.stop()
        found = browse.find_entities(self.store, self.search.text())
        self.model.set_rows(found)
        if found:
            self.table.setCurrentIndex(self.model.index(0, 0))
        text = self.search.text().strip()
        self.status.setText(
            "" if not text else f"{len(found)} match" + ("es" if len(found) != 1 else "")
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(found))

    def selected_entity_id(self) -> int | None:
        index: QModelIndex = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.row_at(index.row()).id

    def accept(self) -> None:
        if self._timer.isActive():
            self.update_results()
        if self.selected_entity_id() is None:
            return
        super().accept()
