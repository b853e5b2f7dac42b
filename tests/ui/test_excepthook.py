"""An error escaping a slot is logged (without the user's words) and shown in
the status bar; the window keeps running."""

from __future__ import annotations

import sys
from pathlib import Path

from desktop.core import logs
from desktop.core.store import Store
from desktop.ui.application import build_window, install_excepthook
from desktop.ui.settings import Settings

SECRET = "Masood Azhar met the informant at the safe house"


def test_escaped_error_is_logged_privately_and_shown(
    store: Store, qtbot, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("DOSSIER_DESK_LOG_DIR", str(tmp_path / "logs"))
    log_path = logs.setup_logging(debug=False)
    printed: list[type[BaseException]] = []
    monkeypatch.setattr(sys, "excepthook", lambda t, e, tb: printed.append(t))
    window = build_window(store, settings=Settings(tmp_path / "s.ini"))
    qtbot.addWidget(window)
    install_excepthook(window)
    try:
        try:
            raise KeyError(SECRET)
        except KeyError:
            sys.excepthook(*sys.exc_info())  # what PySide6 does for a slot
        qtbot.waitUntil(lambda: "KeyError" in window.statusBar().currentMessage())
    finally:
        logs.shutdown_logging()
    text = log_path.read_text(encoding="utf-8")
    assert "unexpected error in window: KeyError (<private:" in text
    assert "test_excepthook.py:" in text  # where it happened
    assert "Masood" not in text
    assert printed == [KeyError]  # the previous hook still runs
    window.close()
