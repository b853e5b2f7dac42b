"""The dossier workspace's dialogs: a dossier's cover (title, subtitle,
author, handling marking), a note, and the export with every choice the CLI's
``dossier create`` and ``export`` verbs offer."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.core.dossier import Options
from desktop.ui import file_dialogs

MARKINGS = ("", "INTERNAL", "CONFIDENTIAL", "RESTRICTED", "SECRET")
FORMATS = {
    "PDF": ".pdf",
    "HTML": ".html",
    "Markdown": ".md",
    "JSON": ".json",
    "GraphML (network)": ".graphml",
}


@dataclass(frozen=True)
class Cover:
    title: str
    subtitle: str
    author: str
    marking: str


class DossierDetailsDialog(QDialog):
    """Title, subtitle, author and marking of a new or existing dossier."""

    def __init__(
        self, parent: QWidget | None = None, cover: Cover | None = None, *, new: bool = True
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("New dossier" if new else "Dossier details")
        cover = cover or Cover("", "", "", "")
        self.title = QLineEdit(cover.title)
        self.title.setPlaceholderText("Shown on the cover and in every page header")
        self.subtitle = QLineEdit(cover.subtitle)
        self.author = QLineEdit(cover.author)
        self.author.setPlaceholderText("Printed as “Prepared by …”")
        self.marking = QComboBox()
        self.marking.setEditable(True)
        self.marking.addItems(list(MARKINGS))
        self.marking.setCurrentText(cover.marking)
        self.marking.setToolTip("Handling marking, printed at the top of every page")
        form = QFormLayout()
        form.addRow("&Title", self.title)
        form.addRow("&Subtitle", self.subtitle)
        form.addRow("&Author", self.author)
        form.addRow("&Marking", self.marking)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.title.textChanged.connect(lambda t: self.ok_button.setEnabled(bool(t.strip())))
        self.ok_button.setEnabled(bool(cover.title.strip()))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def cover(self) -> Cover:
        return Cover(
            self.title.text().strip(),
            self.subtitle.text().strip(),
            self.author.text().strip(),
            self.marking.currentText().strip(),
        )


class NoteDialog(QDialog):
    """A note's text, wrapped at the dialog's width."""

    def __init__(self, parent: QWidget | None = None, title: str = "Add note", text: str = ""):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.edit = QPlainTextEdit(text)
        self.edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.edit.setAccessibleName("Note")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Printed under its own heading, where it sits in the dossier."))
        layout.addWidget(self.edit)
        layout.addWidget(buttons)
        # About 70 characters a line, a few lines high.
        em = self.fontMetrics().horizontalAdvance("M")
        self.resize(max(480, 38 * em), max(260, 14 * self.fontMetrics().height()))

    def text(self) -> str:
        return self.edit.toPlainText()


class ExportDialog(QDialog):
    """Where and how to export: format, paper, contexts, unreviewed
    mentions and redaction (the CLI's ``export`` options)."""

    def __init__(self, parent: QWidget | None, suggested: Path) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export dossier")
        self.path = QLineEdit(str(suggested))
        self.path.setAccessibleName("File")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(browse)
        self.format = QComboBox()
        self.format.addItems(list(FORMATS))
        self.format.currentTextChanged.connect(self._format_changed)
        self.paper = QComboBox()
        self.paper.addItems(["A4", "Letter"])
        self.contexts = QCheckBox("Quote the sentences that mention each entity")
        self.contexts.setChecked(True)
        self.max_contexts = QSpinBox()
        self.max_contexts.setRange(0, 10000)
        self.max_contexts.setSpecialValueText("all")
        self.max_contexts.setSuffix(" per entity")
        self.contexts.toggled.connect(self.max_contexts.setEnabled)
        self.unreviewed = QCheckBox(
            "Include unreviewed mentions (suggested links nobody confirmed), marked apart"
        )
        self.redact = QPlainTextEdit()
        self.redact.setPlaceholderText("One name or phrase a line: blacked out everywhere")
        self.redact.setFixedHeight(self.fontMetrics().height() * 5)
        self.redact_notes = QCheckBox("Black out every note")
        form = QFormLayout()
        form.addRow("&File", where)
        form.addRow("F&ormat", self.format)
        form.addRow("&Paper", self.paper)
        form.addRow("", self.contexts)
        form.addRow("&Quotes", self.max_contexts)
        form.addRow("", self.unreviewed)
        form.addRow("&Redact", self.redact)
        form.addRow("", self.redact_notes)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)
        self.path.textChanged.connect(self._path_changed)
        self._path_changed(self.path.text())

    def _browse(self) -> None:
        name = FORMATS[self.format.currentText()]
        # Content-blind, like every file dialog of ours (see file_dialogs).
        path = file_dialogs.save_file_name(
            self, "Export dossier", self.path.text(), f"{self.format.currentText()} (*{name})"
        )
        if path:
            self.path.setText(path)

    def _format_changed(self, label: str) -> None:
        suffix = FORMATS[label]
        current = Path(self.path.text() or "dossier")
        if current.suffix.lower() != suffix:
            self.path.setText(str(current.with_suffix(suffix)))
        self.paper.setEnabled(suffix == ".pdf")

    def _path_changed(self, text: str) -> None:
        suffix = Path(text).suffix.lower()
        for label, ext in FORMATS.items():
            if ext == suffix and self.format.currentText() != label:
                self.format.blockSignals(True)
                self.format.setCurrentText(label)
                self.format.blockSignals(False)
        self.paper.setEnabled(suffix == ".pdf")

    def target(self) -> Path:
        return Path(self.path.text().strip()).expanduser()

    def paper_size(self) -> str:
        return self.paper.currentText()

    def options(self) -> Options:
        terms = tuple(t.strip() for t in self.redact.toPlainText().splitlines() if t.strip())
        limit = self.max_contexts.value()
        return Options(
            include_contexts=self.contexts.isChecked(),
            max_contexts=limit or None,
            include_unreviewed=self.unreviewed.isChecked(),
            redact=terms,
            redact_notes=self.redact_notes.isChecked(),
        )
