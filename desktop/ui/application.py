"""Start-up of the window: QApplication, theme, settings, the database and
first-run samples."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from desktop import __version__
from desktop.core.errors import (
    DamagedDatabaseError,
    DatabaseLockedError,
    DossierDeskError,
    PassphraseRequiredError,
    UnwritableError,
    WrongPassphraseError,
)
from desktop.core.store import Store, default_db_path, open_store, passphrase_from_env
from desktop.resources import samples_dir
from desktop.ui import file_dialogs
from desktop.ui.tasks import keep_out_of_gc

if TYPE_CHECKING:
    from desktop.core.backup import DamageReport
    from desktop.ui.main_window import MainWindow

APP_ID = "io.github.dossierdesk.DossierDesk"
# Set by the smoke test of the frozen app (packaging/smoke.py): the window says
# on stdout when it is up, then closes itself after this many milliseconds.
QUIT_AFTER_ENV = "DOSSIER_DESK_QUIT_AFTER_MS"


def open_library(
    db: str | Path | None, *, passphrase: str | None = None, read_only: bool = False
) -> tuple[Store, bool]:
    """Open the database; on the first run of the default one, load the samples.

    Returns the store and whether samples were loaded.
    """
    path = Path(db).expanduser() if db else default_db_path()
    first_run = db is None and (not path.exists() or path.stat().st_size == 0)
    store = open_store(path, passphrase=passphrase, read_only=read_only)
    loaded = False
    if first_run and samples_dir().is_dir():
        # Imported here: the pipeline pulls in trafilatura and every reader,
        # which only a first run needs.
        from desktop.core.services.pipeline import import_and_extract

        report = import_and_extract(store, [samples_dir()]).report
        loaded = bool(report.imported)
    return store, loaded


class StartupPrompts:
    """The questions asked while opening the first database, before the window
    exists (so blocking dialogs are fine here). Tests pass their own answers."""

    def passphrase(self, path: Path, error: str) -> str | None:
        from desktop.ui.database_dialogs import PassphraseDialog

        dialog = PassphraseDialog(path, error)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        return dialog.passphrase() if accepted else None

    def locked(self, message: str) -> str:
        """'read_only', 'other' (choose another file) or 'quit'."""
        box = QMessageBox(QMessageBox.Icon.Warning, "Database in use", message)
        box.setInformativeText(
            "Open it read-only to look things up while the other window keeps "
            "editing it, or choose another database."
        )
        read_only = box.addButton("Open read-only", QMessageBox.ButtonRole.AcceptRole)
        other = box.addButton("Choose another…", QMessageBox.ButtonRole.ActionRole)
        box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        clicked = box.clickedButton()
        return "read_only" if clicked is read_only else "other" if clicked is other else "quit"

    def damaged(self, report: DamageReport) -> str:
        """'restore' (the newest good backup), 'other' or 'quit'."""
        return ask_damaged(None, report)

    def choose_file(self) -> Path | None:
        path = file_dialogs.open_file_name(
            None, "Open database", "", "Dossier Desk database (*.sqlite *.db);;All files (*)"
        )
        return Path(path) if path else None


def start_library(
    db: str | Path | None, prompts: StartupPrompts | None = None
) -> tuple[Store, bool] | None:
    """:func:`open_library` for start-up: asks the passphrase of an encrypted
    database (again after a wrong one), offers read-only mode or another file
    when another process has it open. None when the user gave up."""
    prompts = prompts or StartupPrompts()
    passphrase = passphrase_from_env()
    read_only = False
    while True:
        try:
            return open_library(db, passphrase=passphrase, read_only=read_only)
        except (PassphraseRequiredError, WrongPassphraseError) as exc:
            path = Path(db).expanduser() if db else default_db_path()
            answer = prompts.passphrase(path, str(exc) if passphrase else "")
            if answer is not None:
                passphrase = answer
                continue
            # Cancelled: maybe the wrong file; offer another one before giving up.
            chosen = prompts.choose_file()
            if chosen is None:
                return None
            db, passphrase, read_only = chosen, passphrase_from_env(), False
        except DamagedDatabaseError as exc:
            from desktop.core import backup

            path = Path(db).expanduser() if db else default_db_path()
            report = backup.damage_report(path, exc.problems or [str(exc)], passphrase)
            choice = prompts.damaged(report)
            if choice == "restore" and report.good:
                backup.restore_unopenable(path, Path(report.good[0].path), passphrase=passphrase)
                continue
            chosen = prompts.choose_file() if choice == "other" else None
            if chosen is None:
                return None
            db, passphrase, read_only = chosen, passphrase_from_env(), False
        except UnwritableError:
            if read_only:
                raise
            # A read-only medium or folder, a full disk: show it read-only
            # (the window's banner says so) rather than not at all.
            read_only = True
            continue
        except DatabaseLockedError as exc:
            choice = prompts.locked(str(exc))
            if choice == "read_only":
                read_only = True
                continue
            chosen = prompts.choose_file() if choice == "other" else None
            if chosen is None:
                return None
            db, passphrase, read_only = chosen, passphrase_from_env(), False


def ask_damaged(parent: QWidget | None, report: DamageReport) -> str:
    """The dialog shown for a damaged library: what is wrong, the good
    backups, and a button restoring the newest one (the damaged file is kept
    aside). Returns 'restore', 'other' or 'quit'."""
    lines = report.message().splitlines()
    box = QMessageBox(QMessageBox.Icon.Critical, "Damaged database", lines[0], parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)  # paths and names are shown as they are
    # The whole report, with the command for the terminal, one click away.
    box.setDetailedText("\n".join(lines))
    restore = None
    if report.good:
        good = "\n".join(f"  #{b.sequence}  {b.created}" for b in report.good[:5])
        box.setInformativeText(
            f"Good backups (each checked just now):\n{good}\n\n"
            f"Restore the newest, {report.good[0].name}? The damaged file is moved "
            "into the backups folder's “damaged” folder, never deleted."
        )
        restore = box.addButton("Restore newest good backup", QMessageBox.ButtonRole.AcceptRole)
    else:
        box.setInformativeText("\n".join(lines[1:]))
    other = box.addButton("Choose another…", QMessageBox.ButtonRole.ActionRole)
    box.addButton("Quit" if parent is None else "Cancel", QMessageBox.ButtonRole.RejectRole)
    if restore is not None:
        box.setDefaultButton(restore)
    box.exec()
    clicked = box.clickedButton()
    if restore is not None and clicked is restore:
        return "restore"
    return "other" if clicked is other else "quit"


GIL_SWITCH_S = 0.0005


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Dossier Desk")
    app.setOrganizationName("Dossier Desk")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    # Worker threads (whole-library loads, re-linking, suggestions) share the
    # interpreter lock with the GUI thread, which needs it for every model
    # call of a repaint; by default a busy worker keeps it 5 ms at a time,
    # and a paint that calls the model a hundred times waited for each turn.
    sys.setswitchinterval(GIL_SWITCH_S)
    return app


def build_window(store: Store, **kwargs: Any) -> MainWindow:
    """The main window with the identity actions, the review queue and the
    dossier workspace plugged in (they follow File > New/Open database through
    ``window.storeChanged``). ``kwargs`` go to :class:`MainWindow`."""
    from desktop.ui.main_window import MainWindow
    from desktop.ui.wiring import install

    window = MainWindow(store, **kwargs)
    install(window)
    return window


def run_window(db: str | Path | None = None, *, debug: bool = False) -> int:
    from desktop.core.logs import setup_logging
    from desktop.ui.settings import Settings

    setup_logging(debug)
    from desktop.ui.theme import ThemeManager

    app = make_application()
    settings = Settings()
    themes = ThemeManager(app, settings.theme)
    themes.apply()
    if db is None and settings.recent_databases:
        # Reopen the database the user had open last, if it is still there.
        last = Path(settings.recent_databases[0])
        if last.exists():
            db = last
    try:
        opened = start_library(db)
    except DossierDeskError as exc:
        QMessageBox.critical(None, "Dossier Desk", f"The database could not be opened.\n\n{exc}")
        return 1
    if opened is None:
        return 1
    store, _ = opened
    if not store.read_only:
        settings.add_recent_database(store.path)
    window = build_window(store, settings=settings, themes=themes)
    install_excepthook(window)
    window.show()
    # Everything made so far (modules, widgets, the library's rows) lives as
    # long as the window: kept out of the garbage collector's full passes,
    # which otherwise walk all of it while holding the GIL (100-200 ms of a
    # frozen window, triggered by whatever a worker happens to allocate).
    QTimer.singleShot(0, keep_out_of_gc)
    window.backup_on_open()
    schedule_quit(window, os.environ.get(QUIT_AFTER_ENV))
    return app.exec()


def schedule_quit(window: QWidget, after_ms: str | None) -> bool:
    """Close ``window`` ``after_ms`` milliseconds after the event loop starts,
    printing ``window shown`` on stdout when it does. Does nothing (and returns
    False) unless ``after_ms`` is a whole number."""
    try:
        delay = int(after_ms or "")
    except ValueError:
        return False

    def shown() -> None:
        print("dossier-desk: window shown", flush=True)
        QTimer.singleShot(max(0, delay), window.close)

    QTimer.singleShot(0, shown)
    return True


def install_excepthook(window: MainWindow) -> None:
    """Log errors that escape a slot (Qt prints them and carries on) and say
    so in the status bar: otherwise the user sees an action do nothing and
    the log, which is what a bug report carries, has no trace of it. The
    previous hook still prints the traceback for developers."""
    from desktop.core.logs import log_exception

    previous = sys.excepthook

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        log_exception(exc_type, exc, tb, where="window")
        # Later, not from inside whatever Qt call the error escaped from.
        QTimer.singleShot(
            0,
            lambda: window.statusBar().showMessage(
                f"Something went wrong ({exc_type.__name__}): that action did not finish. "
                "The log file has the details."
            ),
        )
        previous(exc_type, exc, tb)

    sys.excepthook = hook
