"""File dialogs that never read the files they list.

Qt's stock dialogs guess each file's type and icon from its contents (the
MIME database reads the first bytes of a file whose name does not settle it,
``library.sqlite-shm`` for one), and a native dialog loads the desktop's
thumbnailers into our process. Opening and closing the open database, or its
``-shm``, in the window's process releases SQLite's POSIX locks on it (see
``desktop.core.live``): a file dialog showing the database's folder was
enough to lose committed work.

So every dialog here is Qt's own widget dialog (never the native one) with an
icon provider that decides icon and type from the name and ``stat`` alone.
Every file dialog of the window goes through these functions
(``tests/ui/test_file_dialogs.py`` checks both: that the window has no other,
and that a dialog showing a live database's folder leaves its locks alone).
"""

from __future__ import annotations

from PySide6.QtCore import QFileInfo
from PySide6.QtGui import QAbstractFileIconProvider, QIcon
from PySide6.QtWidgets import QApplication, QFileDialog, QStyle, QWidget


class NameOnlyIconProvider(QAbstractFileIconProvider):
    """Icons and type names from the file name and kind only.

    Qt calls it from its file-information thread, so the icons are made once,
    here, in the GUI thread."""

    def __init__(self) -> None:
        super().__init__()
        self.setOptions(QAbstractFileIconProvider.Option.DontUseCustomDirectoryIcons)
        style = QApplication.style()
        self._folder = style.standardIcon(QStyle.StandardPixmap.SP_DirIcon)
        self._file = style.standardIcon(QStyle.StandardPixmap.SP_FileIcon)
        self._drive = style.standardIcon(QStyle.StandardPixmap.SP_DriveHDIcon)
        self._computer = style.standardIcon(QStyle.StandardPixmap.SP_ComputerIcon)

    def icon(self, what: object) -> QIcon:  # type: ignore[override]
        kinds = QAbstractFileIconProvider.IconType
        if isinstance(what, QFileInfo):
            if what.isRoot():
                return self._drive
            return self._folder if what.isDir() else self._file
        if what == kinds.Computer:
            return self._computer
        if what == kinds.Drive:
            return self._drive
        if what == kinds.Folder:
            return self._folder
        return self._file

    def type(self, info: QFileInfo) -> str:
        if info.isDir():
            return "Folder"
        suffix = info.suffix()
        return f"{suffix.upper()} file" if suffix else "File"


def make_dialog(
    parent: QWidget | None,
    caption: str,
    directory: str,
    name_filter: str,
    mode: QFileDialog.FileMode,
    *,
    save: bool = False,
) -> QFileDialog:
    """A content-blind file dialog (see the module doc), not yet shown."""
    dialog = QFileDialog(parent, caption, directory, name_filter)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setOption(QFileDialog.Option.DontUseCustomDirectoryIcons, True)
    provider = NameOnlyIconProvider()
    dialog.setIconProvider(provider)
    # The dialog does not own its provider; keep it alive as long as the dialog.
    dialog.name_only_provider = provider  # type: ignore[attr-defined]
    dialog.setFileMode(mode)
    if mode == QFileDialog.FileMode.Directory:
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    if save:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    return dialog


def _run(dialog: QFileDialog) -> list[str]:
    try:
        if dialog.exec() != QFileDialog.DialogCode.Accepted:
            return []
        return list(dialog.selectedFiles())
    finally:
        dialog.deleteLater()


def open_file_name(parent: QWidget | None, caption: str, directory: str, name_filter: str) -> str:
    """The file chosen to open, or '' when cancelled."""
    files = _run(
        make_dialog(parent, caption, directory, name_filter, QFileDialog.FileMode.ExistingFile)
    )
    return files[0] if files else ""


def open_file_names(
    parent: QWidget | None, caption: str, directory: str, name_filter: str
) -> list[str]:
    """The files chosen to open ([] when cancelled)."""
    return _run(
        make_dialog(parent, caption, directory, name_filter, QFileDialog.FileMode.ExistingFiles)
    )


def existing_directory(parent: QWidget | None, caption: str, directory: str) -> str:
    """The folder chosen, or '' when cancelled."""
    files = _run(make_dialog(parent, caption, directory, "", QFileDialog.FileMode.Directory))
    return files[0] if files else ""


def save_file_name(parent: QWidget | None, caption: str, directory: str, name_filter: str) -> str:
    """The file name chosen to write (the dialog asks before replacing one),
    or '' when cancelled."""
    files = _run(
        make_dialog(
            parent, caption, directory, name_filter, QFileDialog.FileMode.AnyFile, save=True
        )
    )
    return files[0] if files else ""
