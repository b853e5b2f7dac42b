"""Dialogs about database files: the passphrase of an encrypted database, a
new database (optionally encrypted), and restoring a backup.

They are opened window-modal with ``open()`` by the main window, which keeps
the last one (``passphrase_dialog``, ``new_database_dialog``,
``restore_dialog``) so tests can fill and answer them.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.backup import BackupInfo
from desktop.core.store import encryption_available
from desktop.ui import file_dialogs

NO_RECOVERY = (
    "There is no way to recover an encrypted database without its passphrase. "
    "Keep it somewhere safe."
)
DB_FILTER = "Dossier Desk database (*.sqlite *.db);;All files (*)"


def _wrapping_label(text: str = "", *, object_name: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if object_name:
        label.setObjectName(object_name)
    return label


def _error_label() -> QLabel:
    label = _wrapping_label(object_name="dialogError")
    label.setStyleSheet("color: #b3261e; font-weight: 600;")
    label.setAccessibleName("Error")
    label.hide()
    return label


class PassphraseDialog(QDialog):
    """Asks the passphrase of an encrypted database. After a wrong one the
    window opens it again with ``error`` shown, so the user can retry."""

    def __init__(self, path: Path, error: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.setWindowTitle("Encrypted database")
        self.setMinimumWidth(440)
        intro = _wrapping_label(
            f"<b>{html.escape(path.name)}</b> is encrypted. Enter its passphrase to open it."
            f"<br><span style='color: gray'>{path}</span>"
        )
        self.field = QLineEdit()
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setAccessibleName("Passphrase")
        self.field.setPlaceholderText("Passphrase")
        self.error = _error_label()
        if error:
            self.error.setText(error)
            self.error.show()
        self.show_box = QCheckBox("Show the passphrase")
        self.show_box.toggled.connect(
            lambda on: self.field.setEchoMode(
                QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password
            )
        )
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.open_button = buttons.button(QDialogButtonBox.StandardButton.Open)
        self.open_button.setEnabled(False)
        self.field.textChanged.connect(lambda t: self.open_button.setEnabled(bool(t)))

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.field)
        layout.addWidget(self.show_box)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def passphrase(self) -> str:
        return self.field.text()


class NewDatabaseDialog(QDialog):
    """File > New database: where, and whether to encrypt it."""

    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New database")
        self.setMinimumWidth(520)
        self.path_field = QLineEdit(str(folder / "library.sqlite"))
        self.path_field.setAccessibleName("Database file")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_field, 1)
        path_row.addWidget(browse)

        self.encrypt = QCheckBox("Encrypt with a passphrase")
        if not encryption_available():
            self.encrypt.setEnabled(False)
            self.encrypt.setToolTip(
                "Needs the sqlcipher3 module, which is not installed on this computer"
            )
        self.passphrase = QLineEdit()
        self.confirm = QLineEdit()
        for field, name in ((self.passphrase, "Passphrase"), (self.confirm, "Repeat passphrase")):
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.setAccessibleName(name)
        self.warning = _wrapping_label(
            "The whole file is encrypted (SQLCipher), and so are its backups. "
            "You will be asked for the passphrase each time you open it. " + NO_RECOVERY
        )
        self.error = _error_label()

        form = QFormLayout()
        form.addRow("File:", path_row)
        form.addRow("", self.encrypt)
        form.addRow("Passphrase:", self.passphrase)
        form.addRow("Repeat it:", self.confirm)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Create")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.warning)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

        for signal in (
            self.path_field.textChanged,
            self.passphrase.textChanged,
            self.confirm.textChanged,
            self.encrypt.toggled,
        ):
            signal.connect(lambda *_a: self._validate())
        self._validate()

    def _browse(self) -> None:
        path = file_dialogs.save_file_name(self, "New database", self.path_field.text(), DB_FILTER)
        if path:
            self.path_field.setText(path)

    def problem(self) -> str:
        """Why the dialog cannot be accepted yet ('' when it can)."""
        text = self.path_field.text().strip()
        if not text:
            return "Choose a file name."
        path = Path(text).expanduser()
        if path.exists():
            return f"{path.name} exists already; choose a new file name."
        if not path.parent.is_dir():
            return f"The folder {path.parent} does not exist."
        if self.encrypt.isChecked():
            if not self.passphrase.text():
                return "Enter a passphrase."
            if self.passphrase.text() != self.confirm.text():
                return "The two passphrases differ."
        return ""

    def _validate(self) -> None:
        on = self.encrypt.isChecked()
        for w in (self.passphrase, self.confirm, self.warning):
            w.setEnabled(on)
        problem = self.problem()
        self.ok_button.setEnabled(not problem)
        # Say what is missing only once the user has started on it.
        show = bool(problem) and (
            bool(self.passphrase.text() or self.confirm.text()) or "exists" in problem
        )
        self.error.setText(problem)
        self.error.setVisible(show)

    def path(self) -> Path:
        return Path(self.path_field.text().strip()).expanduser()

    def chosen_passphrase(self) -> str | None:
        return self.passphrase.text() if self.encrypt.isChecked() else None


def _size(n: float) -> str:
    for unit in ("bytes", "KB", "MB"):
        if n < 1024:
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GB"


def _local(created: str) -> str:
    when = dt.datetime.fromisoformat(created).astimezone()
    return when.strftime("%Y-%m-%d %H:%M:%S")


class RestoreDialog(QDialog):
    """File > Restore from backup: the backups, newest first, and what a
    restore does. Accepting is the confirmation. It is also where the number
    of backups kept is set, beside the backups that number governs."""

    keepChanged = Signal(int)

    def __init__(
        self,
        db_path: Path,
        backups: list[BackupInfo],
        parent: QWidget | None = None,
        *,
        keep: int = 5,
    ) -> None:
        super().__init__(parent)
        self.backups = backups
        self.setWindowTitle("Restore from backup")
        self.resize(620, 380)
        intro = _wrapping_label(
            f"Replace everything in <b>{html.escape(db_path.name)}</b> with the backup you choose. "
            "The current state is backed up first, so a restore can be undone by "
            "restoring that backup."
        )
        self.table = QTableWidget(len(backups), 3)
        self.table.setAccessibleName("Backups")
        self.table.setHorizontalHeaderLabels(["Made", "Size", "File"])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for row, b in enumerate(backups):
            size = QTableWidgetItem(_size(b.size))
            size.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            for col, item in enumerate((QTableWidgetItem(_local(b.created)), size)):
                self.table.setItem(row, col, item)
            self.table.setItem(row, 2, QTableWidgetItem(b.name))
        self.empty = _wrapping_label(
            "No backups yet. One is made each time the database is opened after a "
            "change, and with File > Back up now."
        )
        self.empty.setVisible(not backups)
        self.table.setVisible(bool(backups))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = buttons.addButton("Restore", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.itemDoubleClicked.connect(lambda _i: self.accept())
        if backups:
            self.table.selectRow(0)
        self._selection_changed()

        self.keep = QSpinBox()
        self.keep.setRange(1, 100)
        self.keep.setValue(max(1, keep))
        self.keep.setAccessibleName("Backups to keep")
        self.keep.valueChanged.connect(self.keepChanged)
        keep_row = QHBoxLayout()
        keep_label = QLabel("&Keep the newest")
        keep_label.setBuddy(self.keep)
        keep_row.addWidget(keep_label)
        keep_row.addWidget(self.keep)
        keep_row.addWidget(QLabel("backups of this database (older ones are deleted)"))
        keep_row.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        if not backups:
            layout.addStretch(1)
            self.resize(520, 190)
        layout.addLayout(keep_row)
        layout.addWidget(buttons)

    def _selection_changed(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)

    def selected(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows else None
