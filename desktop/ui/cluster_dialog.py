"""Every spelling of one name at once, merged in one step (OpenRefine's
cluster dialog, for entities).

One cluster at a time, with Previous and Skip to walk the others. Each name is
a row with a tick (Space toggles it), its type, mention count, other names and
why it is in the cluster; the canonical name is chosen from the ticked names
(or typed). "Merge selected" (Ctrl+Return) merges the ticked names into the
record whose name is kept, as one undo step; the unticked names are judged
different from the result unless "Judge the unticked names different" is
cleared, in which case they stay unjudged and may be suggested again.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.errors import DossierDeskError
from desktop.core.services import resolve, review
from desktop.core.services.resolve import Change
from desktop.core.services.review import Cluster, ClusterMember
from desktop.core.store import Store
from desktop.ui.models import ListTableModel
from desktop.ui.plain import plain_label, tip

_Index = QModelIndex | QPersistentModelIndex


class ClusterModel(ListTableModel[ClusterMember]):
    """The names of one cluster, each with a tick: ticked names are merged."""

    COLUMNS = ("Merge", "Name", "Type", "Mentions", "Also called", "Why")
    ticksChanged = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._ticked: list[bool] = []
        self._names: dict[int, str] = {}

    def set_cluster(self, cluster: Cluster | None) -> None:
        self.beginResetModel()
        self._rows = list(cluster.members) if cluster else []
        self._ticked = [True] * len(self._rows)
        self._names = {x.id: x.name for x in self._rows}
        self.endResetModel()
        self.ticksChanged.emit()

    def member_at(self, row: int) -> ClusterMember | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def ticked(self) -> list[ClusterMember]:
        return [x for x, t in zip(self._rows, self._ticked, strict=True) if t]

    def unticked(self) -> list[ClusterMember]:
        return [x for x, t in zip(self._rows, self._ticked, strict=True) if not t]

    def set_ticked(self, row: int, ticked: bool) -> None:
        if 0 <= row < len(self._rows) and self._ticked[row] != ticked:
            self._ticked[row] = ticked
            index = self.index(row, 0)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
            self.ticksChanged.emit()

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and index.column() == 0:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    def why(self, x: ClusterMember) -> str:
        if not x.reason:
            return ""
        other = self._names.get(x.linked_to, str(x.linked_to))
        return f"{x.score} with {other}: {x.reason}"

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        x, col = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.CheckStateRole and col == 0:
            return Qt.CheckState.Checked if self._ticked[index.row()] else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                "",
                x.name,
                x.type,
                str(x.mentions),
                ", ".join(x.aliases),
                self.why(x),
            )[col]
        if role == Qt.ItemDataRole.ToolTipRole and col in (4, 5):
            return tip(", ".join(x.aliases) if col == 4 else self.why(x))
        if role == Qt.ItemDataRole.ForegroundRole and not self._ticked[index.row()]:
            # A name left out reads as set aside.
            return QPalette().brush(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if index.isValid() and index.column() == 0 and role == Qt.ItemDataRole.CheckStateRole:
            checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2)
            self.set_ticked(index.row(), checked)
            return True
        return False


class ClusterDialog(QDialog):
    """Review the suggested clusters one by one; merge the ticked names."""

    changed = Signal(object)  # Change

    def __init__(
        self,
        store: Store,
        clusters: list[Cluster],
        start: int = 0,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Review a cluster of names")
        self.store = store
        self.clusters = list(clusters)
        self.position = max(0, min(start, len(self.clusters) - 1))
        self.model = ClusterModel(self)
        self.conflicts: list[resolve.Conflict] = []

        self.title = plain_label(QLabel(self))
        self.title.setStyleSheet("font-size: 110%; font-weight: bold;")
        intro = QLabel(
            "These names look like spellings of one name. Untick any that are not "
            "(Space), choose the name to keep, and merge them at once.",
            self,
        )
        intro.setWordWrap(True)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for c, mode in enumerate(
            (
                QHeaderView.ResizeMode.ResizeToContents,
                QHeaderView.ResizeMode.Interactive,
                QHeaderView.ResizeMode.ResizeToContents,
                QHeaderView.ResizeMode.ResizeToContents,
                QHeaderView.ResizeMode.Interactive,
                QHeaderView.ResizeMode.Stretch,
            )
        ):
            header.setSectionResizeMode(c, mode)
        header.resizeSection(1, 240)
        header.resizeSection(4, 160)

        # The full reason of the current name (the column cuts it short).
        self.detail = plain_label(QLabel(self))
        self.detail.setWordWrap(True)
        self.detail.setMinimumHeight(self.detail.fontMetrics().lineSpacing() * 2)
        self.canonical = QComboBox(self)
        self.canonical.setEditable(True)
        self.canonical.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.canonical.setAccessibleName("Canonical name")
        self.canonical.setMinimumContentsLength(30)
        self.judge_apart = QCheckBox("Judge the unticked names different", self)
        self.judge_apart.setChecked(True)
        self.judge_apart.setToolTip(
            "They will not be suggested with this name again, and the scorer learns from it; "
            "clear this to leave them undecided"
        )
        self.warning = plain_label(QLabel(self))  # quotes entity names
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #a40000; font-weight: bold;")
        self.force = QCheckBox("Merge anyway (overrides these judgements)", self)
        self.error = plain_label(QLabel(self))
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #a40000;")

        self.merge_button = QPushButton("&Merge selected", self)
        self.merge_button.setDefault(True)
        self.merge_button.setToolTip("Ctrl+Return")
        self.previous_button = QPushButton("&Previous", self)
        self.skip_button = QPushButton("&Skip", self)
        self.close_button = QPushButton("Close", self)
        self.merge_button.clicked.connect(self.merge_selected)
        self.previous_button.clicked.connect(lambda: self.show_cluster(self.position - 1))
        self.skip_button.clicked.connect(lambda: self.show_cluster(self.position + 1))
        self.close_button.clicked.connect(self.reject)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.merge_selected)
        QShortcut(QKeySequence("Ctrl+Enter"), self, self.merge_selected)

        name_row = QHBoxLayout()
        name_row.addWidget(QLabel("Keep the name:", self))
        name_row.addWidget(self.canonical, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.previous_button)
        buttons.addWidget(self.skip_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.merge_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addLayout(name_row)
        layout.addWidget(self.judge_apart)
        layout.addWidget(self.warning)
        layout.addWidget(self.force)
        layout.addWidget(self.error)
        layout.addLayout(buttons)

        self.model.ticksChanged.connect(self._ticks_changed)
        self.table.selectionModel().currentRowChanged.connect(self._show_detail)
        self.force.toggled.connect(self._update)
        self.canonical.currentTextChanged.connect(self._update)
        self.resize(960, 460)
        self.show_cluster(self.position)

    # ------------------------------------------------------------ showing

    def cluster(self) -> Cluster | None:
        if 0 <= self.position < len(self.clusters):
            return self.clusters[self.position]
        return None

    def show_cluster(self, position: int) -> None:
        self.position = max(0, min(position, len(self.clusters) - 1))
        c = self.cluster()
        self.error.hide()
        self.model.set_cluster(c)
        if c is None:
            self.title.setText("No clusters left to review.")
        else:
            scores = f"score {c.score}" if c.score == c.weakest else f"scores {c.weakest}–{c.score}"
            self.title.setText(
                f"Cluster {self.position + 1} of {len(self.clusters)}: "
                f"{len(c.members)} names · {scores}"
            )
        self.previous_button.setEnabled(self.position > 0)
        self.skip_button.setEnabled(self.position < len(self.clusters) - 1)
        if self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, 0))
        self.table.setFocus()

    def _show_detail(self, *_: object) -> None:
        x = self.model.member_at(self.table.currentIndex().row())
        self.detail.setText(f"{x.name}: {self.model.why(x)}" if x and x.reason else "")

    def _ticks_changed(self) -> None:
        """The canonical name is offered from the ticked names and their aliases."""
        typed = self.canonical.currentText()
        offered = [self.canonical.itemText(i) for i in range(self.canonical.count())]
        names: list[str] = []
        for x in self.model.ticked():
            for n in (x.name, *x.aliases):
                if n not in names:
                    names.append(n)
        self.canonical.blockSignals(True)
        self.canonical.clear()
        self.canonical.addItems(names)
        # Keep what the user chose or typed, while it is still a ticked name
        # or not one of the offered names at all.
        if typed and (typed in names or typed not in offered):
            self.canonical.setCurrentText(typed)
        elif names:
            self.canonical.setCurrentIndex(0)
        self.canonical.blockSignals(False)
        ids = [x.id for x in self.model.ticked()]
        self.conflicts = resolve.merge_conflicts(self.store, ids) if len(ids) > 1 else []
        if self.conflicts:
            self.warning.setText(
                "Judged different earlier: "
                + "; ".join(
                    f"{c.a_name} ≠ {c.b_name}" + (f" (judged by {c.actor})" if c.actor else "")
                    for c in self.conflicts
                )
            )
        self.warning.setVisible(bool(self.conflicts))
        self.force.setVisible(bool(self.conflicts))
        if not self.conflicts:
            self.force.setChecked(False)
        self._update()

    def canonical_name(self) -> str:
        return self.canonical.currentText().strip()

    def _update(self, *_: object) -> None:
        ticked = len(self.model.ticked())
        apart = self.judge_apart.isChecked() and bool(self.model.unticked())
        ok = (
            (ticked >= 2 or (ticked == 1 and apart))
            and bool(self.canonical_name())
            and (not self.conflicts or self.force.isChecked())
        )
        self.merge_button.setEnabled(ok)
        self.merge_button.setText(f"&Merge {ticked} selected" if ticked >= 2 else "&Keep apart")

    # ------------------------------------------------------------ deciding

    def merge_selected(self) -> Change | None:
        if not self.merge_button.isEnabled():
            return None
        ticked = self.model.ticked()
        name = self.canonical_name()
        # The record whose name is kept survives; otherwise the most mentioned.
        keep = next((x for x in ticked if x.name == name), ticked[0])
        ids = [keep.id, *(x.id for x in ticked if x.id != keep.id)]
        apart = [x.id for x in self.model.unticked()] if self.judge_apart.isChecked() else []
        try:
            change = review.merge_cluster(
                self.store, ids, name, apart=apart, force=self.force.isChecked()
            )
        except DossierDeskError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return None
        self.changed.emit(change)
        del self.clusters[self.position]
        if not self.clusters:
            self.accept()
        else:
            self.show_cluster(self.position)
        return change
