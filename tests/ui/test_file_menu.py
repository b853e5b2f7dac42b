"""File menu: new (encrypted) databases, the passphrase prompt, read-only mode
when another process holds the database, backups, restore, save a copy."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from sqlmodel import select

from desktop.core import backup
from desktop.core import models as m
from desktop.core.store import is_encrypted, open_store

REPO = Path(__file__).resolve().parents[2]
needs_sqlcipher = pytest.mark.skipif(
    importlib.util.find_spec("sqlcipher3") is None,
    reason="sqlcipher3-binary has wheels for Linux x86-64 only",
)
SECRET = "Pulwama 2019 convoy"


def _entity_names(store) -> set[str]:  # type: ignore[no-untyped-def]
    with store.session() as s:
        return {e.name for e in s.exec(select(m.Entity)).all()}


@pytest.fixture
def encrypted_db(tmp_path: Path) -> Path:
    path = tmp_path / "secret.sqlite"
    store = open_store(path, passphrase=SECRET, encrypt=True)
    with store.session() as s:
        s.add(m.Entity(name="Masood Azhar", type="PER"))
    store.close()
    return path


def test_file_menu_lists_the_database_actions(window) -> None:  # type: ignore[no-untyped-def]
    texts = [a.text() for a in window.file_menu.actions() if not a.isSeparator()]
    for wanted in (
        "&New database…",
        "Open &database…",
        "&Back up now",
        "&Restore from backup…",
        "Save a &copy as…",
    ):
        assert wanted in texts


@needs_sqlcipher
def test_new_database_dialog_creates_an_encrypted_database(window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    window.choose_new_database()
    dialog = window.new_database_dialog
    assert dialog.isVisible()
    target = tmp_path / "encrypted.sqlite"
    dialog.path_field.setText(str(target))
    assert dialog.ok_button.isEnabled(), "a plain database needs no passphrase"
    assert not dialog.passphrase.isEnabled()

    dialog.encrypt.setChecked(True)
    assert not dialog.ok_button.isEnabled()
    dialog.passphrase.setText(SECRET)
    dialog.confirm.setText(SECRET + "x")
    assert not dialog.ok_button.isEnabled()
    assert dialog.error.isVisible()
    assert dialog.error.text() == "The two passphrases differ."
    assert "no way to recover" in dialog.warning.text()
    dialog.confirm.setText(SECRET)
    assert dialog.ok_button.isEnabled()
    assert not dialog.error.isVisible()

    dialog.ok_button.click()
    assert not dialog.isVisible()
    assert window.store.path == target
    assert window.store.encrypted
    assert is_encrypted(target)
    if os.name == "posix":
        assert target.stat().st_mode & 0o777 == 0o600


def test_new_database_dialog_refuses_an_existing_file(window, library) -> None:  # type: ignore[no-untyped-def]
    window.choose_new_database()
    dialog = window.new_database_dialog
    dialog.path_field.setText(str(library.store.path))
    assert not dialog.ok_button.isEnabled()
    assert "exists already" in dialog.error.text()
    dialog.reject()


@needs_sqlcipher
def test_encrypted_database_asks_its_passphrase_until_right_or_cancelled(  # type: ignore[no-untyped-def]
    window, library, encrypted_db
) -> None:
    old = window.store
    assert not window.open_database(encrypted_db)
    dialog = window.passphrase_dialog
    assert dialog.isVisible()
    assert not dialog.error.isVisible(), "no error before a first try"
    assert not dialog.open_button.isEnabled()
    assert dialog.field.echoMode() == dialog.field.EchoMode.Password

    dialog.field.setText("a wrong guess")
    dialog.open_button.click()
    retry = window.passphrase_dialog
    assert retry is not dialog
    assert retry.isVisible()
    assert retry.error.text() == f"{encrypted_db}: wrong passphrase or not a Dossier Desk database"
    assert window.store is old, "the app keeps the database it had"

    retry.reject()
    assert window.store is old

    window.open_database(encrypted_db)
    window.passphrase_dialog.field.setText(SECRET)
    window.passphrase_dialog.open_button.click()
    assert window.store.path == encrypted_db
    assert window.store.encrypted
    assert _entity_names(window.store) == {"Masood Azhar"}

    asked = window.passphrase_dialog
    assert window.open_database(encrypted_db), "reopening the open file needs no passphrase"
    assert window.passphrase_dialog is asked
    assert not asked.isVisible()


HOLDER = textwrap.dedent(
    """
    import sys
    from desktop.core.store import open_store
    store = open_store(sys.argv[1])
    print("ready", flush=True)
    sys.stdin.readline()
    store.close()
    print("closed", flush=True)
    """
)


@pytest.fixture
def held_db(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A database another Dossier Desk process has open."""
    path = tmp_path / "shared.sqlite"
    store = open_store(path)
    with store.session() as s:
        s.add(m.Entity(name="Jaish-e-Mohammed", type="ORG"))
    store.close()
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    yield path, proc
    if proc.poll() is None:
        proc.kill()
    proc.wait(timeout=10)
    for pipe in (proc.stdin, proc.stdout):
        if pipe is not None:
            pipe.close()


def _button(box: QMessageBox, text: str):  # type: ignore[no-untyped-def]
    return next(b for b in box.buttons() if b.text() == text)


def test_database_held_by_another_process_opens_read_only_with_a_banner(  # type: ignore[no-untyped-def]
    window, held_db
) -> None:
    path, proc = held_db
    old = window.store
    assert not window.open_database(path)
    box = window.locked_box
    assert box.isVisible()
    assert f"pid {proc.pid}" in box.text()
    assert "open in another Dossier Desk window" in box.text()
    assert window.store is old
    assert not window.read_only_banner.isVisible()

    _button(box, "Open read-only").click()
    assert window.store.path == path
    assert window.store.read_only
    assert window.read_only_banner.isVisible()
    assert "Read-only" in window.read_only_label.text()
    for action in (window.act_import, window.act_paste, window.act_restore, window.act_backup_now):
        assert not action.isEnabled()
    assert window.act_save_copy.isEnabled(), "a copy only reads"
    assert not window.import_paths([path.parent])
    assert _entity_names(window.store) == {"Jaish-e-Mohammed"}

    # Still held: trying again says so and stays read-only.
    assert not window.reopen_for_editing()
    window.locked_box.reject()
    assert window.store.read_only

    proc.stdin.write("\n")
    proc.stdin.flush()
    assert proc.stdout.readline().strip() == "closed"
    proc.wait(timeout=10)
    assert window.reopen_for_editing()
    assert not window.store.read_only
    assert not window.read_only_banner.isVisible()
    assert window.act_import.isEnabled()


def test_back_up_now_then_restore_from_backup_and_undo_the_restore(window, library) -> None:  # type: ignore[no-untyped-def]
    store = library.store
    window.back_up_now()
    made = backup.list_backups(store.path)
    assert len(made) == 1
    assert "Backed up to" in window.statusBar().currentMessage()
    before = _entity_names(store)
    with store.session() as s:
        s.add(m.Entity(name="Hafiz Saeed (new)", type="PER"))

    window.choose_restore()
    dialog = window.restore_dialog
    assert dialog.isVisible()
    assert dialog.table.rowCount() == 1
    assert dialog.table.item(0, 2).text() == made[0].name
    assert dialog.selected() == made[0]
    dialog.restore_button.click()
    assert window.isEnabled()
    assert _entity_names(window.store) == before
    assert "Restored from" in window.statusBar().currentMessage()
    assert window.sidebar.model.rowCount() >= 0  # views reloaded without error

    # The state before the restore is the newest backup: restoring it undoes.
    window.choose_restore()
    assert window.restore_dialog.table.rowCount() == 2
    window.restore_dialog.restore_button.click()
    assert "Hafiz Saeed (new)" in _entity_names(window.store)


def test_restore_dialog_without_backups_says_so(window) -> None:  # type: ignore[no-untyped-def]
    window.choose_restore()
    dialog = window.restore_dialog
    assert dialog.table.rowCount() == 0
    assert dialog.empty.isVisible()
    assert not dialog.restore_button.isEnabled()
    dialog.reject()


def test_restoring_a_damaged_file_shows_why_and_changes_nothing(window, library, tmp_path) -> None:  # type: ignore[no-untyped-def]
    before = _entity_names(library.store)
    bad = tmp_path / "damaged.sqlite"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 5000)
    window.restore_backup(bad)
    assert window.isEnabled()
    assert "damaged.sqlite" in window.last_message.text()
    window.last_message.close()
    assert _entity_names(library.store) == before
    assert backup.list_backups(library.store.path) == []


def test_save_a_copy_as(window, library, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui import file_dialogs

    target = tmp_path / "copy.sqlite"
    monkeypatch.setattr(file_dialogs, "save_file_name", lambda *a, **k: str(target))
    window.choose_save_copy()
    assert target.exists()
    if os.name == "posix":
        assert target.stat().st_mode & 0o777 == 0o600
    copy = open_store(target, read_only=True)
    try:
        assert _entity_names(copy) == _entity_names(library.store)
    finally:
        copy.close()


def test_opening_a_changed_database_backs_it_up(window, library, tmp_path) -> None:  # type: ignore[no-untyped-def]
    other = tmp_path / "other.sqlite"
    store = open_store(other)
    with store.session() as s:
        s.add(m.Entity(name="Lashkar-e-Taiba", type="ORG"))
    store.close()
    window.settings.backups_keep = 2
    assert window.open_database(other)
    assert len(backup.list_backups(other)) == 1
    assert window.open_database(library.store.path)
    assert window.open_database(other)
    assert len(backup.list_backups(other)) == 1, "unchanged: no second copy"


class FakePrompts:
    def __init__(self, passphrases: list[str | None], locked: list[str]) -> None:
        self.passphrases, self.locked_answers = passphrases, locked
        self.errors: list[str] = []
        self.messages: list[str] = []

    def passphrase(self, path: Path, error: str) -> str | None:
        self.errors.append(error)
        return self.passphrases.pop(0)

    def locked(self, message: str) -> str:
        self.messages.append(message)
        return self.locked_answers.pop(0)

    def choose_file(self) -> Path | None:
        return None


@needs_sqlcipher
def test_start_up_asks_the_passphrase_again_after_a_wrong_one(qapp, encrypted_db) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui.application import start_library

    prompts = FakePrompts(["wrong", SECRET], [])
    opened = start_library(encrypted_db, prompts)
    assert opened is not None
    store, _ = opened
    try:
        assert store.encrypted
    finally:
        store.close()
    wrong = f"{encrypted_db}: wrong passphrase or not a Dossier Desk database"
    assert prompts.errors == ["", wrong]

    assert start_library(encrypted_db, FakePrompts([None], [])) is None

    # Cancelling the passphrase offers another file instead.
    other = encrypted_db.with_name("plain.sqlite")
    prompts = FakePrompts([None], [])
    prompts.choose_file = lambda: other  # type: ignore[method-assign]
    opened = start_library(encrypted_db, prompts)
    assert opened is not None
    assert opened[0].path == other
    opened[0].close()


def test_start_up_offers_read_only_when_another_process_holds_it(qapp, held_db) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui.application import start_library

    path, proc = held_db
    prompts = FakePrompts([], ["read_only"])
    opened = start_library(path, prompts)
    assert opened is not None
    store, _ = opened
    try:
        assert store.read_only
    finally:
        store.close()
    assert f"pid {proc.pid}" in prompts.messages[0]
    assert start_library(path, FakePrompts([], ["quit"])) is None


def test_read_only_mode_refuses_edits_with_a_reason(window, held_db) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMenu

    from desktop.ui.main_window import READ_ONLY_TIP

    path, _proc = held_db
    calls: list[int] = []
    window.hooks.rename_entity = calls.append
    window.hooks.add_alias = calls.append
    window.update_actions()
    assert window.act_rename.isEnabled()

    window.open_database(path)
    _button(window.locked_box, "Open read-only").click()
    assert window.store.read_only
    assert not window.act_rename.isEnabled()
    assert not window.welcome.import_button.isEnabled()

    menu = QMenu(window)
    item = window._hook_action(menu, "Rename…", window.hooks.rename_entity, 1)
    assert not item.isEnabled()
    assert item.toolTip() == READ_ONLY_TIP
    menu.deleteLater()

    window._call_hook("add_alias", 1)
    assert calls == []
    assert window.statusBar().currentMessage() == READ_ONLY_TIP


def test_restore_runs_in_the_background_with_the_window_disabled(  # type: ignore[no-untyped-def]
    make_window, library, qtbot
) -> None:
    window = make_window(library.store, synchronous=False)
    made = backup.back_up(library.store)
    with library.store.session() as s:
        s.add(m.Entity(name="Hafiz Saeed (new)", type="PER"))
    assert window.restore_backup(Path(made.path))
    qtbot.waitUntil(window.isEnabled, timeout=10000)
    assert "Hafiz Saeed (new)" not in _entity_names(window.store)
    assert "Restored from" in window.statusBar().currentMessage()
    window.runner.wait()


def test_number_of_backups_kept_is_set_in_the_restore_dialog(window, library) -> None:  # type: ignore[no-untyped-def]
    store = library.store
    window.choose_restore()
    dialog = window.restore_dialog
    assert dialog.keep.value() == window.settings.backups_keep == 5
    dialog.keep.setValue(2)
    dialog.reject()
    assert window.settings.backups_keep == 2
    for name in ("First", "Second", "Third"):
        with store.session() as s:
            s.add(m.Entity(name=name, type="ORG"))
        backup.back_up(store, keep=window.settings.backups_keep)
    window.back_up_now()
    window.runner.wait()
    assert len(backup.list_backups(store.path)) == 2
