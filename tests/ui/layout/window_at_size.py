"""Run in a subprocess by tests/ui/test_layout.py: open the window on a
library, on an offscreen screen of the size given, reset the layout, and
print what a user would see as JSON (and save a screenshot)."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main() -> int:
    db, settings_file, shot = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    from PySide6.QtWidgets import QApplication

    from desktop.core.store import open_store
    from desktop.ui.application import build_window
    from desktop.ui.settings import Settings

    app = QApplication(["dossier-desk"])
    store = open_store(db)
    # The window as the app builds it, with the review queue, the dossiers and
    # the suggested links tabbed below the article: their minimum sizes count.
    window = build_window(store, settings=Settings(settings_file))
    window.show()
    app.processEvents()
    window.reset_layout()
    for _ in range(5):
        app.processEvents()
    screen = window.screen().availableGeometry()
    docks = {}
    for name, dock in window.views.items():
        if dock.isVisible() and not dock.visibleRegion().isEmpty():
            top_left = dock.mapToGlobal(dock.rect().topLeft())
            docks[name] = [top_left.x(), top_left.y(), dock.width(), dock.height()]
    fm = window.sidebar.tree.fontMetrics()
    columns = {
        "entities": window.sidebar.tree.header().sectionSize(0),
        "library titles": window.library.table.horizontalHeader().sectionSize(0),
    }
    window.grab().save(str(shot))
    print(
        json.dumps(
            {
                "screen": [screen.x(), screen.y(), screen.width(), screen.height()],
                "window": [window.x(), window.y(), window.width(), window.height()],
                "frame": [
                    window.frameGeometry().x(),
                    window.frameGeometry().y(),
                    window.frameGeometry().width(),
                    window.frameGeometry().height(),
                ],
                "docks": docks,
                "columns": columns,
                # "Jaish-e-Mohammed" is 16 characters; the padding of a cell.
                "needed": fm.horizontalAdvance("Jaish-e-Mohammed") + 12,
            }
        )
    )
    window.close()
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
