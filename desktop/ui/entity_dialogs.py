"""Dialogs for changing an entity's identity from the sidebar: a rename that
can drop a wrong old name, and removing an entity the extractor made up."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.plain import as_rich, menu_text


def looks_like_a_correction(old: str, new: str) -> bool:
    """True when the new name is the old one with words cut away ("Inviting
    Hamas" -> "Hamas"): the old name was the extractor's mistake, not an
    alias anyone uses."""
    old_words, new_words = old.casefold().split(), new.casefold().split()
    if not new_words or old_words == new_words:
        return False
    n = len(new_words)
    return any(old_words[i : i + n] == new_words for i in range(len(old_words) - n + 1))


class RenameEntityDialog(QDialog):
    """The new name, and whether the old one stays as an alias."""

    renamed = Signal(str, bool)  # new name, keep the old name as an alias

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Rename entity")
        self.old = name
        label = QLabel(as_rich(f"New name for “{name}”:"))
        label.setWordWrap(True)
        self.edit = QLineEdit(name)
        self.edit.setAccessibleName("New name")
        self.keep = QCheckBox(menu_text(f"Keep “{name}” as an alias"))
        self.keep.setChecked(True)
        self.keep.setToolTip(
            "Untick when the old name was wrong (a word too many, a misspelling): "
            "it is then dropped and no longer matched in articles."
        )
        self._touched = False
        self.keep.clicked.connect(lambda: setattr(self, "_touched", True))
        self.edit.textChanged.connect(self._name_changed)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.edit)
        layout.addWidget(self.keep)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    def _name_changed(self, text: str) -> None:
        if not self._touched:
            self.keep.setChecked(not looks_like_a_correction(self.old, text.strip()))

    # The QInputDialog interface the tests and callers used before.
    def setTextValue(self, text: str) -> None:
        self.edit.setText(text)

    def textValue(self) -> str:
        return self.edit.text()

    def accept(self) -> None:
        name = self.edit.text().strip()
        if name and name != self.old:
            self.renamed.emit(name, self.keep.isChecked())
        super().accept()


def confirm_removal(parent: QWidget | None, name: str, not_an_entity: bool) -> bool:
    """Ask before removing ``name``; says what happens to its mentions."""
    if not_an_entity:
        text = f"Mark “{name}” as not an entity?"
        detail = (
            "Its mentions are rejected and its names are remembered, so that no "
            "article links them again. Undo (Ctrl+Z) brings it back."
        )
    else:
        text = f"Delete the entity “{name}”?"
        detail = (
            "Its mentions stay in the articles, unlinked, for you to review; its "
            "aliases and relations go with it. Undo (Ctrl+Z) brings it back."
        )
    box = QMessageBox(QMessageBox.Icon.Question, "Remove entity", as_rich(text), parent=parent)
    box.setInformativeText(detail)
    box.setStandardButtons(QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel)
    return box.exec() == QMessageBox.StandardButton.Ok
