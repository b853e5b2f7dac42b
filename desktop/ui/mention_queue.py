"""The queue of mentions the linker only suggested (the status bar's "N to
review").

Each row is one mention in its sentence with the entity proposed for it and
why. Keys: Return or C confirm (the spelling becomes an alias of the entity
when it has none with that key, so confirming "Jaish-e-Muhammad" on
Jaish-e-Mohammed makes the dossier list it), R reject the proposed entity
(the mention is unlinked and stays here until it is linked or set aside), L
link to another entity, X not an entity, O open the article at the mention,
N or Space next, Ctrl+Z undo. Every decision goes through
``desktop.core.services.resolve`` and is emitted as a Change for the window's
undo stack.
"""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.errors import DossierDeskError
from desktop.core.resolver import Change
from desktop.core.services import resolve, review
from desktop.core.services.review import MentionToReview
from desktop.core.store import Store
from desktop.ui.entity_picker import EntityPicker
from desktop.ui.flow import flow_row
from desktop.ui.models import ListTableModel, select_row
from desktop.ui.plain import plain_label, tip
from desktop.ui.tasks import TaskRunner

_Index = QModelIndex | QPersistentModelIndex
# More than anyone reviews in one sitting; the count in the title stays true.
LIMIT = 2000


class MentionReviewModel(ListTableModel[MentionToReview]):
    # Before / Mention / After line the mentions up, as a concordance does.
    COLUMNS = ("Before", "Mention", "After", "Proposed entity", "Why", "Article")

    def set_rows(self, rows: list[MentionToReview]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> MentionToReview | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def replace_row(self, row: int, x: MentionToReview) -> None:
        if 0 <= row < len(self._rows):
            self._rows[row] = x
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.COLUMNS) - 1))

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        x, col = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                x.left.strip(),
                x.text,
                x.right.strip(),
                x.entity_name if x.entity_name is not None else "(not linked)",
                x.reason,
                x.article_title,
            )[col]
        if role == Qt.ItemDataRole.ToolTipRole and col in (0, 2, 4, 5):
            sentence = f"{x.left}{x.text}{x.right}"
            return tip((sentence, "", sentence, "", x.reason, x.article_title)[col])
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and col == 1:
            font = QFont()
            font.setBold(True)
            return font
        return None


class _ElideStart(QStyledItemDelegate):
    """The text before a mention is cut at its start, so it ends at the mention."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: _Index) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideLeft  # type: ignore[attr-defined]


def mention_html(x: MentionToReview) -> str:
    """The current mention in its sentence, the proposal and the reason; all
    user text escaped."""
    e = html.escape
    proposed = (
        f"Proposed: <b>{e(x.entity_name)}</b>"
        if x.entity_name is not None
        else "<i>Not linked to any entity</i>"
    )
    why = f" · {e(x.reason)}" if x.reason else ""
    return (
        f"<p>{e(x.left)}<b><u>{e(x.text)}</u></b>{e(x.right)}</p>"
        f"<p>{proposed}{why}<br><small><i>{e(x.article_title)}</i></small></p>"
    )


class MentionQueue(QWidget):
    """Suggested links, confirmed, rejected or linked elsewhere one by one."""

    changed = Signal(object)  # Change
    loaded = Signal(int)
    openRequested = Signal(int, int, int)  # article id, start, end

    def __init__(self, store: Store, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.runner = runner
        self.model = MentionReviewModel(self)
        self.picker: EntityPicker | None = None
        # Set by the window so Ctrl+Z walks the window's undo stack.
        self.undo_handler: Callable[[], None] | None = None
        self._generation = 0

        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setAccessibleName("Mentions to review")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for col, width in ((1, 150), (3, 180), (4, 160), (5, 160)):
            header.resizeSection(col, width)
        self._elide_start = _ElideStart(self.table)
        self.table.setItemDelegateForColumn(0, self._elide_start)
        self.table.selectionModel().currentRowChanged.connect(self._show_current)
        self.table.doubleClicked.connect(lambda _i: self.open_current())
        # Keys reach the queue, not the table's keyboard search.
        self.table.installEventFilter(self)

        self.detail = QLabel(self)
        self.detail.setTextFormat(Qt.TextFormat.RichText)  # built from escaped text only
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.warning = plain_label(QLabel(self))
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #a40000;")
        self.warning.hide()
        self.status = plain_label(QLabel("Loading…", self))

        self.buttons: dict[str, QPushButton] = {}
        # The buttons wrap onto a second line in a narrow dock (ui/flow.py).
        buttons, bar = flow_row(self)
        for key, text, tip_text in (
            ("confirm", "Confirm (↵)", "Confirm the link; the spelling becomes an alias"),
            ("reject", "Reject (R)", "Not this entity: unlink the mention"),
            ("link", "Link elsewhere… (L)", "Link the mention to another entity"),
            ("not_entity", "Not an entity (X)", "Remembered for every article"),
            ("open", "Open article (O)", "Show the mention in its article"),
            ("skip", "Next (N)", ""),
        ):
            b = QPushButton(text, self)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.setToolTip(tip_text)
            self.buttons[key] = b
            bar.addWidget(b)
        bar.addWidget(self.status)
        self.buttons["confirm"].clicked.connect(self.confirm)
        self.buttons["reject"].clicked.connect(self.reject)
        self.buttons["link"].clicked.connect(lambda: self.link_elsewhere())
        self.buttons["not_entity"].clicked.connect(self.not_an_entity)
        self.buttons["open"].clicked.connect(self.open_current)
        self.buttons["skip"].clicked.connect(self.skip)

        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addWidget(self.warning)
        layout.addWidget(buttons)
        self.setFocusProxy(self.table)

    # ------------------------------------------------------------ keys

    def eventFilter(self, watched: Any, event: Any) -> bool:
        if (
            watched is self.table
            and isinstance(event, QKeyEvent)
            and event.type() == QKeyEvent.Type.KeyPress
            and self._key(event)
        ):
            return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._key(event):
            super().keyPressEvent(event)

    def _key(self, event: QKeyEvent) -> bool:
        key, mods = event.key(), event.modifiers()
        plain = mods in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
        if event.matches(QKeySequence.StandardKey.Undo):
            self.undo()
        elif plain and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_C):
            self.confirm()
        elif plain and key == Qt.Key.Key_R:
            self.reject()
        elif plain and key == Qt.Key.Key_L:
            self.link_elsewhere()
        elif plain and key == Qt.Key.Key_X:
            self.not_an_entity()
        elif plain and key == Qt.Key.Key_O:
            self.open_current()
        elif plain and key in (Qt.Key.Key_N, Qt.Key.Key_Space):
            self.skip()
        else:
            return False
        event.accept()
        return True

    # ------------------------------------------------------------ loading

    def refresh(self) -> None:
        store = self.store
        self._generation += 1
        generation = self._generation
        self.runner.run(
            lambda: review.mentions_to_review(store, limit=LIMIT),
            lambda rows: self._loaded(rows, generation),
            lambda exc: self.status.setText(f"Could not load the mentions to review: {exc}"),
        )

    def _loaded(self, rows: list[MentionToReview], generation: int) -> None:
        if generation != self._generation:
            return
        current = self.current()
        row = self.table.currentIndex().row()
        self.model.set_rows(rows)
        if current is not None:
            # Stay on the mention being looked at, or where it was.
            row = next((i for i, x in enumerate(rows) if x.id == current.id), row)
        self._select(max(row, 0))
        self._say_count()
        self.loaded.emit(len(rows))

    def _say_count(self) -> None:
        n = self.model.rowCount()
        more = "+" if n >= LIMIT else ""
        self.status.setText(f"{n}{more} to review" if n else "Nothing to review")

    def current(self) -> MentionToReview | None:
        return self.model.row_at(self.table.currentIndex().row())

    def _select(self, row: int) -> None:
        if self.model.rowCount() == 0:
            self.detail.setText("No suggested links left to review.")
            self._enable(None)
            return
        select_row(self.table, row)
        self._show_current()

    def _show_current(self, *_: object) -> None:
        x = self.current()
        self.warning.hide()
        self._enable(x)
        if x is not None:
            self.detail.setText(mention_html(x))

    def _enable(self, x: MentionToReview | None) -> None:
        linked = x is not None and x.entity_id is not None
        self.buttons["confirm"].setEnabled(linked)
        self.buttons["reject"].setEnabled(linked)
        for key in ("link", "not_entity", "open", "skip"):
            self.buttons[key].setEnabled(x is not None)

    # ----------------------------------------------------------- deciding

    def _decide(self, fn: Callable[[Store], Change], *, keep_row: bool = False) -> Change | None:
        row = self.table.currentIndex().row()
        try:
            change = fn(self.store)
        except DossierDeskError as exc:
            self.warning.setText(str(exc))
            self.warning.show()
            return None
        if keep_row:
            x = self.model.row_at(row)
            if x is not None:
                # Unlinked now; the next reload says so too.
                self.model.replace_row(
                    row, dataclasses.replace(x, entity_id=None, entity_name=None, reason="")
                )
            self._select(row + 1)
        else:
            self.model.remove_row(row)
            self._select(row)
        self._say_count()
        self.changed.emit(change)
        return change

    def confirm(self) -> Change | None:
        x = self.current()
        if x is None or x.entity_id is None:
            return None
        return self._decide(lambda s: resolve.confirm_mention(s, x.id))

    def reject(self) -> Change | None:
        """The proposed entity is wrong: unlink. The mention stays in the
        queue (unlinked) until it is linked elsewhere or set aside."""
        x = self.current()
        if x is None or x.entity_id is None:
            return None
        return self._decide(lambda s: resolve.unlink_mention(s, x.id), keep_row=True)

    def not_an_entity(self) -> Change | None:
        x = self.current()
        if x is None:
            return None
        return self._decide(lambda s: resolve.mark_not_entity(s, x.id))

    def link_elsewhere(self) -> EntityPicker | None:
        x = self.current()
        if x is None:
            return None
        picker = EntityPicker(
            self.store, self.window(), text=x.text, title=f"Link “{x.text}” to an entity"
        )
        picker.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def chosen() -> None:
            entity_id = picker.selected_entity_id()
            if entity_id is not None and self.current() is not None and self.current().id == x.id:
                self._decide(lambda s: resolve.link_mention(s, x.id, entity_id))

        picker.accepted.connect(chosen)
        self.picker = picker
        picker.open()
        return picker

    def open_current(self) -> None:
        x = self.current()
        if x is not None:
            self.openRequested.emit(x.article_id, x.start, x.end)

    def skip(self) -> None:
        if self.model.rowCount():
            self._select((self.table.currentIndex().row() + 1) % self.model.rowCount())

    def undo(self) -> None:
        if self.undo_handler is not None:
            self.undo_handler()
            return
        try:
            change = resolve.undo(self.store)
        except DossierDeskError as exc:
            self.warning.setText(str(exc))
            self.warning.show()
            return
        self.changed.emit(change)
        self.refresh()
