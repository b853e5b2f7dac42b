"""The review queue: suggested duplicate pairs, decided one at a time.

Suggestions are computed by the TaskRunner (off the GUI thread); decisions go
through ``desktop.core.services.resolve`` and each one emits ``changed`` with
the :class:`~desktop.core.resolver.Change`, so the window can push it on its
QUndoStack and refresh its views.

Keys: S same, D different, U unsure, N or Space skip, C the pair's cluster
(every spelling of the name at once, :mod:`desktop.ui.cluster_dialog`),
Ctrl+Z undo. Shift+S merges a pair even across an earlier "different"
judgement (after the queue has warned about it). The order box puts the
pairs the scorer is least sure of first (judging those teaches it most); the
ranking is recomputed with each judgement learnt.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.errors import DossierDeskError
from desktop.core.services import resolve, review
from desktop.core.services.resolve import EntityProfile, MergeConflictError, Suggestion
from desktop.core.services.review import Cluster, ReviewState
from desktop.core.store import Store
from desktop.ui.cluster_dialog import ClusterDialog
from desktop.ui.flow import flow_row
from desktop.ui.models import ListTableModel, select_row
from desktop.ui.offline import OfflineTextBrowser
from desktop.ui.plain import plain_label, tip
from desktop.ui.tasks import TaskRunner

_Index = QModelIndex | QPersistentModelIndex


class SuggestionModel(ListTableModel[Suggestion]):
    """One row per suggested pair, best first."""

    COLUMNS = ("Score", "First", "Second", "Why")
    SuggestionRole = Qt.ItemDataRole.UserRole + 1

    def set_suggestions(self, rows: list[Suggestion]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def suggestion_at(self, row: int) -> Suggestion | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def remove_involving(self, entity_ids: set[int]) -> None:
        """Drop rows that mention any of these entities (they changed)."""
        for row in range(len(self._rows) - 1, -1, -1):
            s = self._rows[row]
            if s.a in entity_ids or s.b in entity_ids:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row]
                self.endRemoveRows()

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        s = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (str(s.score), s.a_name, s.b_name, s.reason)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return tip(s.reason)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == self.SuggestionRole:
            return s
        return None


def profile_html(p: EntityProfile) -> str:
    """One side of the pair as HTML; every piece of user text is escaped."""
    e = html.escape
    parts = [f"<h2>{e(p.name)}</h2>", f"<p><b>{e(p.type)}</b> · entity {p.id}</p>"]
    if p.aliases:
        parts.append("<p><b>Also called:</b> " + ", ".join(e(a) for a in p.aliases) + "</p>")
    parts.append(f"<p><b>Articles ({len(p.articles)}):</b></p><ul>")
    parts += [f"<li>{e(title)}</li>" for _, title in p.articles[:8]]
    parts.append("</ul>")
    if p.snippets:
        parts.append("<p><b>Mentions:</b></p>")
        for s in p.snippets:
            before, hit, after = s.text[: s.start], s.text[s.start : s.end], s.text[s.end :]
            parts.append(
                f"<p style='margin-left:8px'>{e(before)}<b><u>{e(hit)}</u></b>{e(after)}"
                f"<br><small><i>{e(s.article_title)}</i></small></p>"
            )
    if p.co_mentioned:
        parts.append(
            "<p><b>Appears with:</b> "
            + ", ".join(f"{e(name)} ({n})" for _, name, n in p.co_mentioned)
            + "</p>"
        )
    return "".join(parts)


class ReviewQueue(QWidget):
    """Suggested duplicates side by side, with keys to decide quickly."""

    changed = Signal(object)  # desktop.core.resolver.Change
    suggestions_loaded = Signal(int)

    def __init__(self, store: Store, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.runner = runner
        self.model = SuggestionModel(self)
        self._pending_force: tuple[int, int] | None = None
        # Set by the window so Ctrl+Z here walks the window's undo stack
        # instead of undoing behind its back.
        self.undo_handler: Callable[[], None] | None = None
        self._generation = 0
        self.clusters: list[Cluster] = []
        self.cluster_dialog: ClusterDialog | None = None

        self.order = QComboBox(self)
        self.order.addItems(["Least certain first", "Best first"])
        self.order.setAccessibleName("Order of the pairs")
        self.order.setToolTip(
            "Least certain first: the pairs the scorer is least sure of, whose judgement "
            "teaches it most; the rest are ranked again with every judgement"
        )
        self.order.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.order.currentIndexChanged.connect(lambda _i: self.refresh())

        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(1, 220)
        header.resizeSection(2, 220)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.selectionModel().currentRowChanged.connect(self._show_current)

        self.left = OfflineTextBrowser(self)
        self.right = OfflineTextBrowser(self)
        for pane in (self.left, self.right):
            pane.setOpenLinks(False)
            pane.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.verdict_label = QLabel(self)
        self.verdict_label.setWordWrap(True)
        self.verdict_label.setStyleSheet("font-size: 110%; font-weight: bold;")
        self.verdict_label.setTextFormat(Qt.TextFormat.PlainText)
        self.warning = plain_label(QLabel(self))  # messages quote entity names
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #a40000; font-weight: bold;")
        self.warning.hide()
        self.status = plain_label(QLabel("Looking for duplicates…", self))

        self.buttons: dict[str, QPushButton] = {}
        # The buttons wrap onto a second line in a narrow dock (ui/flow.py).
        buttons, bar = flow_row(self)
        for key, text in (
            ("same", "Same (S)"),
            ("different", "Different (D)"),
            ("unsure", "Unsure (U)"),
            ("skip", "Skip (N)"),
            ("cluster", "Cluster… (C)"),
            ("undo", "Undo (Ctrl+Z)"),
        ):
            b = QPushButton(text, self)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.buttons[key] = b
            bar.addWidget(b)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self.order)
        self.buttons["same"].clicked.connect(lambda: self.decide("same"))
        self.buttons["different"].clicked.connect(lambda: self.decide("different"))
        self.buttons["unsure"].clicked.connect(lambda: self.decide("unsure"))
        self.buttons["skip"].clicked.connect(self.skip)
        self.buttons["cluster"].clicked.connect(lambda: self.open_cluster())
        self.buttons["undo"].clicked.connect(self.undo)

        sides = QSplitter(Qt.Orientation.Horizontal, self)
        sides.addWidget(self.left)
        sides.addWidget(self.right)
        outer = QSplitter(Qt.Orientation.Vertical, self)
        outer.addWidget(self.table)
        outer.addWidget(sides)
        # At least four pairs stay in view, however short the dock is.
        rows = self.table.verticalHeader().defaultSectionSize() * 4
        self.table.setMinimumHeight(rows + self.table.horizontalHeader().sizeHint().height() + 4)
        outer.setStretchFactor(0, 2)
        outer.setStretchFactor(1, 3)
        outer.setSizes([160, 480])
        layout = QVBoxLayout(self)
        layout.addWidget(self.verdict_label)
        layout.addWidget(self.warning)
        layout.addWidget(outer, 1)
        layout.addWidget(buttons)
        layout.addLayout(status_row)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, mods = event.key(), event.modifiers()
        plain = mods in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
        if event.matches(QKeySequence.StandardKey.Undo):
            self.undo()
        elif key == Qt.Key.Key_S and mods == Qt.KeyboardModifier.ShiftModifier:
            self.decide("same", force=True)
        elif plain and key == Qt.Key.Key_S:
            self.decide("same")
        elif plain and key == Qt.Key.Key_D:
            self.decide("different")
        elif plain and key == Qt.Key.Key_U:
            self.decide("unsure")
        elif plain and key in (Qt.Key.Key_N, Qt.Key.Key_Space):
            self.skip()
        elif plain and key == Qt.Key.Key_C:
            self.open_cluster()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    # ------------------------------------------------------------ loading

    def refresh(self) -> None:
        """Recompute suggestions in the background."""
        self.status.setText("Looking for duplicates…")
        store = self.store
        self._generation += 1
        generation = self._generation
        informative = self.order.currentIndex() == 0
        self.runner.run(
            lambda: review.review_state(store, limit=500, informative=informative),
            lambda state: self._loaded(state, generation),
            self._failed,
        )

    def _loaded(self, state: ReviewState, generation: int | None = None) -> None:
        if generation is not None and generation != self._generation:
            return  # a newer computation was started after this one
        rows, self.clusters = state.pairs, state.clusters
        self.model.set_suggestions(rows)
        n = len(self.clusters)
        self.status.setText(
            f"{len(rows)} suggestion{'s' if len(rows) != 1 else ''}"
            + (f" in {n} cluster{'s' if n != 1 else ''}" if n else "")
        )
        self._select(0)
        if not rows:
            self.verdict_label.setText("No suggested duplicates: nothing to review.")
        self.suggestions_loaded.emit(len(rows))

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(f"Could not compute suggestions: {exc}")

    def current(self) -> Suggestion | None:
        return self.model.suggestion_at(self.table.currentIndex().row())

    def _select(self, row: int) -> None:
        if self.model.rowCount() == 0:
            self.left.clear()
            self.right.clear()
            self.verdict_label.setText("No more suggestions.")
            return
        select_row(self.table, row)
        self._show_current()

    def _show_current(self, *_: object) -> None:
        s = self.current()
        self.warning.hide()
        self._pending_force = None
        if s is None:
            return
        try:
            self.left.setHtml(profile_html(resolve.entity_profile(self.store, s.a)))
            self.right.setHtml(profile_html(resolve.entity_profile(self.store, s.b)))
        except DossierDeskError as exc:
            self.verdict_label.setText(str(exc))
            return
        self.verdict_label.setText(f"{s.a_name}  ↔  {s.b_name}   ·   score {s.score}: {s.reason}")

    # ----------------------------------------------------------- deciding

    def decide(self, verdict: str, *, force: bool = False) -> None:
        s = self.current()
        if s is None:
            return
        if force and self._pending_force != (s.a, s.b):
            force = False  # Shift+S only after the warning was shown for this pair
        try:
            change = resolve.judge(self.store, s.a, s.b, verdict, force=force)
        except MergeConflictError as exc:
            self._pending_force = (s.a, s.b)
            self.warning.setText(f"{exc}. Press Shift+S to merge anyway.")
            self.warning.show()
            return
        except DossierDeskError as exc:
            self.warning.setText(str(exc))
            self.warning.show()
            return
        row = self.table.currentIndex().row()
        if verdict == "same":
            # Merged: every other pair with either side must be recomputed.
            self.model.remove_involving({s.a, s.b})
        else:
            self.model.remove_row(row)
        self.changed.emit(change)
        self._select(row)
        self.status.setText(f"{change.label} · {self.model.rowCount()} left")

    def open_cluster(self) -> ClusterDialog | None:
        """The cluster of the current pair (or the first), every spelling at once."""
        if not self.clusters:
            self.status.setText("No clusters to review")
            return None
        s = self.current()
        start = 0
        if s is not None:
            start = next((i for i, c in enumerate(self.clusters) if {s.a, s.b} <= set(c.ids)), 0)
        dialog = ClusterDialog(self.store, self.clusters, start, self.window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.changed.connect(self._cluster_decided)
        self.cluster_dialog = dialog
        dialog.open()
        return dialog

    def _cluster_decided(self, change: object) -> None:
        # Every pair touching the cluster's records is stale now.
        ids = set(getattr(change, "entity_ids", ()))
        self.model.remove_involving(ids)
        self.clusters = [c for c in self.clusters if not ids & set(c.ids)]
        self.changed.emit(change)
        self._select(self.table.currentIndex().row())

    def skip(self) -> None:
        row = self.table.currentIndex().row()
        if self.model.rowCount():
            self._select((row + 1) % self.model.rowCount())

    def undo(self) -> None:
        if self.undo_handler is not None:
            self.undo_handler()
            return
        try:
            change = resolve.undo(self.store)
        except DossierDeskError as exc:
            self.status.setText(str(exc))
            return
        self.changed.emit(change)
        self.status.setText(change.label)
        self.refresh()
