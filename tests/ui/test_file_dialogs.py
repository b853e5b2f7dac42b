"""File dialogs never read the files they list, so showing the database's
folder cannot release SQLite's locks (issue 13); and the sequence that lost
work in the window (file dialog in the database's folder, a CLI read, more
writes, a kill) now loses nothing."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.core import live
from desktop.core import models as m
from desktop.core.store import open_store

pytestmark = [
    pytest.mark.qt,
    pytest.mark.skipif(
        not sys.platform.startswith("linux"), reason="POSIX locks and /proc are checked on Linux"
    ),
]

REPO = Path(__file__).resolve().parents[2]


def test_every_file_dialog_of_the_window_is_a_content_blind_one() -> None:
    offenders = []
    for path in (REPO / "desktop").rglob("*.py"):
        if path.name == "file_dialogs.py":
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"QFileDialog|QFileIconProvider|QFileSystemModel", text):
            offenders.append(str(path.relative_to(REPO)))
    assert offenders == []


def _show_folder(qtbot, dialog) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QFileDialog

    qtbot.addWidget(dialog)
    dialog.setViewMode(QFileDialog.ViewMode.Detail)
    dialog.show()
    qtbot.waitExposed(dialog)
    # Long enough for the model to list the folder and ask every icon and type.
    qtbot.wait(1500)
    dialog.close()


def _live_store(db: Path):  # type: ignore[no-untyped-def]
    store = open_store(db)
    with store.session() as s:
        s.add(m.Entity(name="Alpha", type="ORG"))
    assert Path(str(db) + "-shm").exists()
    assert store.hold is not None
    assert live.holds_lock(store.hold)
    return store


def test_our_dialog_on_the_databases_folder_keeps_sqlites_locks(qtbot, tmp_path) -> None:
    from PySide6.QtWidgets import QFileDialog

    from desktop.ui.file_dialogs import make_dialog

    db = tmp_path / "library.sqlite"
    store = _live_store(db)
    try:
        dialog = make_dialog(None, "Open", str(tmp_path), "", QFileDialog.FileMode.ExistingFile)
        _show_folder(qtbot, dialog)
        assert live.holds_lock(store.hold)
        assert live.lost_hold(store.hold) is None
    finally:
        store.close()


def test_a_stock_dialog_on_the_databases_folder_drops_them(qtbot, tmp_path) -> None:
    """The control: Qt's own icon provider sniffs the -shm and loses the locks,
    so the test above would fail without our provider."""
    from PySide6.QtWidgets import QFileDialog

    db = tmp_path / "library.sqlite"
    store = _live_store(db)
    try:
        dialog = QFileDialog(None, "Open", str(tmp_path))
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        _show_folder(qtbot, dialog)
        assert not live.holds_lock(store.hold)
        assert live.lost_hold(store.hold) is not None
    finally:
        store.close()


def _articles(folder: Path) -> None:
    folder.mkdir()
    for i in range(2):
        (folder / f"first-{i}.txt").write_text(
            f"First report {i}\n\nThe ministry in Kabul said on Monday that talks {i} went on.\n",
            encoding="utf-8",
        )
    for i in range(4):
        (folder / f"later-{i}.txt").write_text(
            f"Later report {i}\n\nOfficials in Quetta said that convoy {i} was delayed.\n",
            encoding="utf-8",
        )


@pytest.mark.parametrize("via", ["path", "symlink", "hard link"])
def test_dialog_then_cli_read_then_writes_then_kill_loses_nothing(tmp_path, via) -> None:
    """The CLI read goes through the database's own path, a symlink in another
    folder (the same lock: it reads read-only), or a hard link (refused, with
    the reason); either way the window's later imports survive its kill."""
    db = tmp_path / "data" / "library.sqlite"
    db.parent.mkdir()
    open_store(db).close()
    other = tmp_path / "elsewhere" / "library.sqlite"
    other.parent.mkdir()
    articles = tmp_path / "articles"
    _articles(articles)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [
            sys.executable,
            str(REPO / "tests" / "ui" / "window_writer.py"),
            str(db),
            str(tmp_path / "settings.ini"),
            str(articles),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env=env,
    )
    assert proc.stdout is not None
    assert proc.stdin is not None
    confirmed: dict[int, str] = {}
    lines: list[str] = []
    try:
        for line in proc.stdout:
            lines.append(line.strip())
            if line.startswith("confirmed "):
                _, article_id, sha = line.split()
                confirmed[int(article_id)] = sha
            elif line.strip() == "dialog done":
                name = db
                if via == "symlink":
                    other.symlink_to(db)
                    name = other
                elif via == "hard link":
                    os.link(db, other)
                    name = other
                read = subprocess.run(
                    [sys.executable, "-m", "desktop", "--db", str(name), "articles"],
                    capture_output=True,
                    text=True,
                    cwd=REPO,
                    timeout=120,
                    check=False,
                )
                if via == "hard link":
                    assert read.returncode == 1, read.stderr
                    assert "2 hard links" in read.stderr
                    other.unlink()
                else:
                    assert read.returncode == 0, read.stderr
                    assert "read-only" in read.stderr
                proc.stdin.write("go\n")
                proc.stdin.flush()
            elif line.strip() == "all done" or line.startswith("failed"):
                break
    finally:
        proc.send_signal(signal.SIGKILL)
        _, err = proc.communicate(timeout=60)
    assert lines[-1] == "all done", (lines, err[-3000:])
    assert len(confirmed) == 6
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        stored = dict(conn.execute("SELECT id, sha256 FROM article").fetchall())
    finally:
        conn.close()
    assert {k: stored.get(k) for k in confirmed} == confirmed
