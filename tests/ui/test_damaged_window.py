"""Issue 19: the window shows a damaged library as the CLI does, and offers
the restore of the newest good backup (at start-up and when switching)."""

from __future__ import annotations

from pathlib import Path

from desktop.core import backup
from desktop.core import models as m
from desktop.core.services.library import library_info
from desktop.core.store import open_store


def _damaged_library(path: Path) -> str:
    """A library with 2000 entities and one good backup, then cut in half.
    Returns the backup's name."""
    store = open_store(path)
    with store.session() as s:
        for i in range(2000):
            s.add(m.Entity(name=f"Person {i:05d} with a long enough name", type="PER"))
    made = backup.back_up(store)
    store.close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return made.name


class Prompts:
    def __init__(self, answer: str) -> None:
        self.answer = answer
        self.reports: list[backup.DamageReport] = []

    def damaged(self, report: backup.DamageReport) -> str:
        self.reports.append(report)
        return self.answer

    def choose_file(self) -> Path | None:
        return None


def test_start_up_offers_the_restore_of_the_newest_good_backup(qapp, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui.application import start_library

    db = tmp_path / "library.sqlite"
    name = _damaged_library(db)
    assert start_library(db, Prompts("quit")) is None
    prompts = Prompts("restore")
    opened = start_library(db, prompts)
    assert opened is not None
    store, _ = opened
    try:
        assert library_info(store).entities == 2000
    finally:
        store.close()
    report = prompts.reports[0]
    assert "truncated" in report.message()
    assert [b.name for b in report.good] == [name]
    assert name in report.command
    assert any(backup.backups_dir(db, backup.DAMAGED).iterdir()), "damaged file kept aside"


def test_switching_to_a_damaged_library_shows_the_dialog_and_restores(
    window, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "other.sqlite"
    _damaged_library(db)
    shown: list[str] = []

    def prompt(parent, report):  # type: ignore[no-untyped-def]
        shown.append(report.message())
        return "restore"

    monkeypatch.setattr(window, "damaged_prompt", prompt)
    assert window.open_database(db)
    assert window.store.path == db
    assert "the database is damaged" in shown[0]


def test_the_damaged_dialog_reads_well(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from desktop.ui.application import ask_damaged

    db = tmp_path / "library.sqlite"
    _damaged_library(db)
    report = backup.damage_report(db, ["the file is cut short (truncated)"])
    seen: dict[str, object] = {}

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen["text"] = box.text() + box.informativeText() + box.detailedText()
        seen["buttons"] = [b.text() for b in box.buttons()]
        shot = tmp_path / "damaged-dialog.png"
        box.grab().save(str(shot))
        seen["shot"] = shot
        next(b for b in box.buttons() if b.text().startswith("Restore")).click()

    QTimer.singleShot(0, answer)
    choice = ask_damaged(None, report)
    assert "Restore newest good backup" in seen["buttons"]
    assert choice == "restore"
    assert "dossier-desk --db" in str(seen["text"])


def test_a_library_on_a_read_only_medium_opens_read_only(qapp, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    import uuid

    import pytest

    from desktop.ui.application import start_library

    mnt = tmp_path / f"ro-{uuid.uuid4().hex[:6]}"
    mnt.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "tmpfs", str(mnt)], capture_output=True).returncode:
        pytest.skip("cannot mount here (needs root)")
    try:
        db = mnt / "library.sqlite"
        store = open_store(db)
        store.close()
        subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)
        opened = start_library(db, Prompts("quit"))
        assert opened is not None
        assert opened[0].read_only
        opened[0].close()
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)
