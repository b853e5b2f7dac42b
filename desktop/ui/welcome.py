"""The first-run view: what the app is for, in three steps."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

STEPS = (
    (
        "Import articles",
        "Add saved web pages, PDFs, Word files, e-mails or text files (Ctrl+O), drop "
        "them onto this window, or paste text from the browser (Ctrl+Shift+V). "
        "Each article keeps its original file for provenance.",
    ),
    (
        "Review the entities",
        "People, organisations and places are highlighted in each article. Confirm "
        "the suggested links, mark names the extractor missed, and merge spelling "
        "variants of the same name into one record.",
    ),
    (
        "Build a dossier",
        "Collect entities, articles and quoted excerpts with their citations into a "
        "dossier, add your notes, and export it as a PDF.",
    ),
)


class WelcomeView(QWidget):
    importRequested = Signal()
    pasteRequested = Signal()
    samplesRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        self.setAccessibleName("Getting started")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        title = QLabel("Welcome to Dossier Desk")
        title.setObjectName("welcomeTitle")
        intro = QLabel(
            "Your library is empty. Dossier Desk works offline: nothing you import "
            "leaves this computer. A day's work has three steps:"
        )
        intro.setWordWrap(True)
        intro.setObjectName("muted")

        steps = QHBoxLayout()
        steps.setSpacing(14)
        for n, (head, text) in enumerate(STEPS, 1):
            box = QFrame()
            box.setObjectName("welcomeStep")
            box.setAccessibleName(f"Step {n}: {head}")
            inner = QVBoxLayout(box)
            inner.setContentsMargins(16, 14, 16, 16)
            number = QLabel(str(n))
            number.setObjectName("stepNumber")
            heading = QLabel(f"<b>{head}</b>")
            body = QLabel(text)
            body.setWordWrap(True)
            body.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            inner.addWidget(number)
            inner.addWidget(heading)
            inner.addWidget(body, 1)
            steps.addWidget(box, 1)

        self.import_button = QPushButton("Import files…")
        self.import_button.setDefault(True)
        self.import_button.setAccessibleName("Import files")
        self.import_button.clicked.connect(self.importRequested)
        self.paste_button = QPushButton("Paste an article…")
        self.paste_button.setAccessibleName("Paste as article")
        self.paste_button.clicked.connect(self.pasteRequested)
        # A new database opened with --db starts empty too: the samples are
        # one click away, not only on the very first run.
        self.samples_button = QPushButton("Load the sample articles")
        self.samples_button.setAccessibleName("Load the sample articles")
        self.samples_button.setToolTip(
            "Eight short news articles about armed groups in South Asia and the Middle "
            "East, in every format the import reads"
        )
        self.samples_button.clicked.connect(self.samplesRequested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.paste_button)
        buttons.addWidget(self.samples_button)
        buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 36, 40, 36)
        layout.setSpacing(14)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addLayout(steps)
        layout.addLayout(buttons)
        layout.addStretch(1)
