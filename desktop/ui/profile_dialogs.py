"""Dialogs the entity profile opens: a new alias with its kind, and a
relation to another entity. They only collect the answer; the wiring makes
the change through the resolver (and onto the undo stack).

Both open window-modal with ``open()``; tests fill the fields and call
``accept()``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.core.models import AliasKind
from desktop.core.services.browse import KwicRow
from desktop.core.services.resolve import COMMON_PREDICATES
from desktop.core.store import Store
from desktop.ui.entity_picker import EntityPicker
from desktop.ui.plain import plain_label

ALIAS_KINDS = (
    (AliasKind.ALIAS, "Alias", "Another name the entity is known by"),
    (AliasKind.NAME, "Name", "An official or full name"),
    (AliasKind.PREVIOUS_NAME, "Previous name", "A name it no longer uses"),
    (AliasKind.WEAK_ALIAS, "Weak alias", "An acronym or a surname alone: weak evidence"),
)


class AliasDialog(QDialog):
    """A name and its kind (name / alias / previousName / weakAlias)."""

    def __init__(self, entity_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Add an alias to {entity_name}")
        self.setAccessibleName("Add alias")
        self.setMinimumWidth(380)
        self.name = QLineEdit()
        self.name.setAccessibleName("Alias")
        self.name.setPlaceholderText("e.g. Army of Muhammad")
        self.kind = QComboBox()
        self.kind.setAccessibleName("Kind of name")
        for code, label, tip in ALIAS_KINDS:
            self.kind.addItem(label, str(code))
            self.kind.setItemData(self.kind.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.name.textChanged.connect(self._check)
        form = QFormLayout(self)
        form.addRow("&Name", self.name)
        form.addRow("&Kind", self.kind)
        form.addRow(self.buttons)
        self._check()

    def _check(self) -> None:
        ok = bool(self.name.text().strip())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def alias_kind(self) -> str:
        return str(self.kind.currentData())

    def set_kind(self, kind: str) -> None:
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))

    def accept(self) -> None:
        if self.name.text().strip():
            super().accept()


class RelationDialog(EntityPicker):
    """The other entity (type-ahead over names and aliases), the direction,
    a predicate (common ones offered, any text allowed), the evidence mention
    and a note."""

    def __init__(
        self,
        store: Store,
        entity_id: int,
        entity_name: str,
        parent: QWidget | None = None,
        *,
        mentions: list[KwicRow] | None = None,
        evidence_mention_id: int | None = None,
        evidence_label: str = "",
    ) -> None:
        super().__init__(store, parent, title=f"Add a relation for {entity_name}")
        self.setAccessibleName("Add relation")
        self.entity_id = entity_id
        self.entity_name = entity_name
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add relation")

        self.direction = QComboBox()
        self.direction.setAccessibleName("Direction")
        self.direction.addItem(f"{entity_name} … the other entity", "out")
        self.direction.addItem(f"the other entity … {entity_name}", "in")
        self.predicate = QComboBox()
        self.predicate.setEditable(True)
        self.predicate.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.predicate.setAccessibleName("Predicate")
        self.predicate.addItems(list(COMMON_PREDICATES))
        self.predicate.setCurrentIndex(-1)
        self.predicate.setEditText("")
        self.predicate.lineEdit().setPlaceholderText("e.g. member of (or type your own)")
        self.evidence = QComboBox()
        self.evidence.setAccessibleName("Evidence mention")
        self.evidence.addItem("None", None)
        if evidence_mention_id is not None:
            self.evidence.addItem(
                evidence_label or f"mention {evidence_mention_id}", evidence_mention_id
            )
        for k in mentions or []:
            if k.mention_id == evidence_mention_id:
                continue
            context = f"…{k.left[-30:]}{k.text}{k.right[:30]}…"
            self.evidence.addItem(f"{context} ({k.article_title})", k.mention_id)
        self.evidence.setCurrentIndex(1 if evidence_mention_id is not None else 0)
        self.note = QLineEdit()
        self.note.setAccessibleName("Note")
        self.note.setPlaceholderText("Optional: source, date, confidence…")
        self.preview = plain_label(QLabel())  # entity names and the predicate
        self.preview.setObjectName("muted")
        self.preview.setWordWrap(True)
        self.problem = plain_label(QLabel())
        self.problem.setObjectName("warning")
        self.problem.hide()

        form = QFormLayout()
        form.addRow("&Direction", self.direction)
        form.addRow("&Predicate", self.predicate)
        form.addRow("&Evidence", self.evidence)
        form.addRow("N&ote", self.note)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        other = QLabel("&Other entity (type a name or an alias):")
        other.setBuddy(self.search)
        layout.insertWidget(0, other)
        layout.insertLayout(layout.count() - 1, form)
        layout.insertWidget(layout.count() - 1, self.preview)
        layout.insertWidget(layout.count() - 1, self.problem)
        for signal in (
            self.direction.currentIndexChanged,
            self.predicate.editTextChanged,
            self.table.selectionModel().currentRowChanged,
        ):
            signal.connect(lambda *_: self._update_preview())
        self.model.modelReset.connect(self._update_preview)
        self.resize(600, 520)
        self._update_preview()

    def other_entity_id(self) -> int | None:
        return self.selected_entity_id()

    def predicate_text(self) -> str:
        return " ".join(self.predicate.currentText().split())

    def evidence_mention_id(self) -> int | None:
        data = self.evidence.currentData()
        return int(data) if data is not None else None

    def subject_object(self) -> tuple[int, int] | None:
        other = self.other_entity_id()
        if other is None:
            return None
        if self.direction.currentData() == "in":
            return other, self.entity_id
        return self.entity_id, other

    def _other_name(self) -> str:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()).name if index.isValid() else "…"

    def _update_preview(self) -> None:
        other, me = self._other_name(), self.entity_name
        subject, obj = (other, me) if self.direction.currentData() == "in" else (me, other)
        self.preview.setText(f"{subject} — {self.predicate_text() or '…'} → {obj}")

    def accept(self) -> None:
        if self._timer.isActive():
            self.update_results()
        problem = ""
        if self.other_entity_id() is None:
            problem = "Choose the other entity."
        elif self.other_entity_id() == self.entity_id:
            problem = f"Choose an entity other than {self.entity_name}."
        elif not self.predicate_text():
            problem = "Type or choose a predicate, for example “member of”."
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        if problem:
            return
        QDialog.accept(self)
