"""Help > About Dossier Desk: the version, where the data is, the schema
version, and the licence of every component the program ships with."""

from __future__ import annotations

import platformdirs
from PySide6.QtCore import QSettings, Qt, qVersion
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop import __version__
from desktop.core.store import APP_NAME, Store
from desktop.licences import Component, components, licence_text

NO_LICENCE_FILE = (
    "This package ships no licence file. Its licence is {licence}; "
    "the full text is published by the licence's steward (for the GNU licences, "
    "the Free Software Foundation; on Debian also in /usr/share/common-licenses)."
)

OWN_LICENCE = (
    "Dossier Desk is free software, licensed under the GNU General Public License "
    "({licence}): you may use, study, share and change it, and pass on changed "
    "versions under the same licence. It comes with no warranty. The full text is "
    "published by the Free Software Foundation (on Debian also in "
    "/usr/share/common-licenses/GPL-3)."
)


def _selectable(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    return label


class AboutDialog(QDialog):
    """Facts first (version, database, schema), then the components' licences;
    selecting a component shows its licence text below the table."""

    COLUMNS = ("Component", "Version", "Licence", "Used for")

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About Dossier Desk")
        self.setObjectName("aboutDialog")
        self.resize(760, 620)
        self.components = components()

        title = QLabel(f"<h2>Dossier Desk {__version__}</h2>")
        blurb = _selectable(
            "Link the people, organisations and places in your articles to one "
            "record each, and build dossiers. Everything stays on this computer: "
            "Dossier Desk never opens a network connection."
        )

        facts = QFormLayout()
        self.facts: dict[str, str] = {
            "Version": __version__,
            "Database": store.location,
            "Schema version": _schema_version(store),
            "Data folder": str(platformdirs.user_data_path(APP_NAME, appauthor=False)),
            "Settings": QSettings().fileName() or "",
            "Qt": qVersion(),
        }
        for key, value in self.facts.items():
            label = _selectable(value)
            label.setObjectName(f"about_{key.lower().replace(' ', '_')}")
            facts.addRow(f"{key}:", label)

        self.table = QTableWidget(len(self.components), len(self.COLUMNS))
        self.table.setObjectName("licenceTable")
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for row, c in enumerate(self.components):
            for col, text in enumerate((c.name, c.version, c.licence, c.purpose)):
                self.table.setItem(row, col, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        for col in range(3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)

        self.licence_view = QPlainTextEdit()
        self.licence_view.setObjectName("licenceText")
        self.licence_view.setReadOnly(True)
        self.licence_view.setPlaceholderText("Select a component to read its licence.")
        self.table.currentCellChanged.connect(lambda row, *_: self.show_licence(row))

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.licence_view)
        split.setSizes([360, 160])

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(blurb)
        layout.addLayout(facts)
        layout.addWidget(QLabel("<b>Components and their licences</b>"))
        layout.addWidget(split, 1)
        layout.addWidget(buttons)

    def component(self, name: str) -> Component:
        return next(c for c in self.components if c.name == name)

    def show_licence(self, row: int) -> None:
        if not 0 <= row < len(self.components):
            self.licence_view.clear()
            return
        c = self.components[row]
        if c.name == "Dossier Desk":
            text = OWN_LICENCE.format(licence=c.licence)
        else:
            text = licence_text(c) or NO_LICENCE_FILE.format(licence=c.licence)
        self.licence_view.setPlainText(text)


def _schema_version(store: Store) -> str:
    try:
        return store.schema_version() or "(none)"
    except Exception as exc:  # the box must open even on a damaged file
        return f"unreadable ({type(exc).__name__})"
