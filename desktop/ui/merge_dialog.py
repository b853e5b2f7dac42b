"""Merge several selected entities, choosing the canonical name (Ctrl+M).

The dialog lists every name and alias of the selected entities; the user picks
one (or types another). When a ``different`` judgement separates any two of the
selected clusters, the dialog says which, and merging needs an explicit tick.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.errors import DossierDeskError
from desktop.core.services import library, resolve
from desktop.core.services.resolve import Change
from desktop.core.store import Store
from desktop.ui.plain import plain_label

_Index = QModelIndex | QPersistentModelIndex


class NameChoiceModel(QAbstractListModel):
    """Candidate canonical names: (name, entity id, mentions of that entity)."""

    def __init__(self, rows: list[tuple[str, int, int]], parent: Any = None) -> None:
        super().__init__(parent)
        self._rows = rows

    def name_at(self, row: int) -> str:
        return self._rows[row][0]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        name, eid, mentions = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return name
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"from entity {eid} ({mentions} mention{'s' if mentions != 1 else ''})"
        return None


class MergeDialog(QDialog):
    changed = Signal(object)  # Change

    def __init__(self, store: Store, entity_ids: list[int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Merge entities")
        self.store = store
        self.entity_ids = list(entity_ids)
        self.change: Change | None = None
        entities = {e.id: e for e in library.list_entities(store, self.entity_ids)}
        # Most-mentioned entity first: its name is the likeliest canonical one.
        ordered = sorted(
            (entities[i] for i in self.entity_ids if i in entities), key=lambda e: -e.mentions
        )
        self.entity_ids = [e.id for e in ordered]
        rows: list[tuple[str, int, int]] = []
        seen: set[str] = set()
        for e in ordered:
            for name in [e.name, *(a.name for a in e.aliases)]:
                if name not in seen:
                    seen.add(name)
                    rows.append((name, e.id, e.mentions))
        self.model = NameChoiceModel(rows, self)

        intro = QLabel(
            f"Merge {len(ordered)} entities into one. Every name stays as an alias; "
            "mentions, notes, relations and dossier items move to the merged entity.",
            self,
        )
        intro.setWordWrap(True)
        self.list = QListView(self)
        self.list.setModel(self.model)
        self.custom = QLineEdit(self)
        self.custom.setPlaceholderText("…or type another canonical name")
        self.conflicts = resolve.merge_conflicts(store, self.entity_ids)
        self.warning = plain_label(QLabel(self))  # quotes entity names
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #a40000; font-weight: bold;")
        self.force = QCheckBox("Merge anyway (overrides these judgements)", self)
        if self.conflicts:
            self.warning.setText(
                "Judged different earlier: "
                + "; ".join(
                    f"{c.a_name} ≠ {c.b_name}" + (f" (judged by {c.actor})" if c.actor else "")
                    for c in self.conflicts
                )
            )
        else:
            self.warning.hide()
            self.force.hide()
        self.error = plain_label(QLabel(self))
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Merge")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.force.toggled.connect(self._update)
        self.custom.textChanged.connect(self._update)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(QLabel("Canonical name:", self))
        layout.addWidget(self.list, 1)
        layout.addWidget(self.custom)
        layout.addWidget(self.warning)
        layout.addWidget(self.force)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.list.selectionModel().currentChanged.connect(self._update)
        if self.model.rowCount():
            self.list.selectionModel().setCurrentIndex(
                self.model.index(0, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
        self._update()

    def canonical_name(self) -> str:
        typed = self.custom.text().strip()
        if typed:
            return typed
        row = self.list.currentIndex().row()
        return self.model.name_at(row) if row >= 0 else ""

    def _update(self, *_: object) -> None:
        ok = (
            len(self.entity_ids) >= 2
            and bool(self.canonical_name())
            and (not self.conflicts or self.force.isChecked())
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def accept(self) -> None:
        try:
            self.change = resolve.merge(
                self.store,
                self.entity_ids,
                self.canonical_name(),
                force=self.force.isChecked(),
            )
        except DossierDeskError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.changed.emit(self.change)
        super().accept()
