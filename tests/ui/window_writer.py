"""The window as a user drives it, in its own process, for the lost-WAL test
(tests/ui/test_file_dialogs.py) and the kill benchmark.

    python tests/ui/window_writer.py DB SETTINGS ARTICLES_DIR

1. imports ``ARTICLES_DIR/first-*.txt`` through the window's importer;
2. File > Open database: the real dialog, in the database's folder, in detail
   view, until the folder is listed; picks the database itself and opens it
   again (the path that sniffs its header);
3. prints ``dialog done`` and waits for a line on stdin (the test runs a CLI
   read verb meanwhile);
4. imports each ``ARTICLES_DIR/later-*.txt`` in turn;
5. prints ``all done`` and waits to be killed.

Each article the window reports as imported is printed as ``confirmed ID
SHA256`` after its import finished, i.e. after its commit.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit

from desktop.core import models as m
from desktop.core.store import open_store
from desktop.ui.application import build_window, make_application
from desktop.ui.settings import Settings


def main() -> None:
    db, settings_path, articles = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    app = make_application()
    store = open_store(db)
    window = build_window(store, settings=Settings(settings_path))
    window.show()
    queue = [sorted(articles.glob("first-*.txt")), "dialog"]
    queue += [[p] for p in sorted(articles.glob("later-*.txt"))]

    def confirm(report, _cancelled) -> None:  # type: ignore[no-untyped-def]
        with window.store.session() as s:
            for article_id in report.imported:
                sha = s.get(m.Article, article_id).sha256  # type: ignore[union-attr]
                print(f"confirmed {article_id} {sha}", flush=True)
        for failed in report.failed:
            print(f"failed {failed}", flush=True)
        QTimer.singleShot(0, step)

    window.importer.finished.connect(confirm)

    def step() -> None:
        for dialog in QApplication.topLevelWidgets():
            # The import summary: dismissed as a user would.
            if dialog.isVisible() and dialog.windowTitle().startswith("Import "):
                dialog.close()
        if not queue:
            print("all done", flush=True)
            return
        item = queue.pop(0)
        if item == "dialog":
            QTimer.singleShot(0, pick_database_in_dialog)
            window.choose_open_database()  # modal: returns once the timer accepted
            print("dialog done", flush=True)
            sys.stdin.readline()
            QTimer.singleShot(0, step)
        else:
            assert window.import_paths(item)

    def pick_database_in_dialog() -> None:
        dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, QFileDialog)]
        visible = [d for d in dialogs if d.isVisible()]
        if not visible:
            QTimer.singleShot(50, pick_database_in_dialog)
            return
        dialog = visible[0]
        dialog.setViewMode(QFileDialog.ViewMode.Detail)
        # Let the dialog list the folder and fetch every icon and type.
        end = time.monotonic() + 2.0
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.02)
        # As typed by the user (selectFile() leaves selectedFiles() empty here).
        dialog.findChild(QLineEdit, "fileNameEdit").setText(db.name)
        dialog.accept()

    QTimer.singleShot(0, step)
    app.exec()


if __name__ == "__main__":
    main()
