"""The window driven headless through a day's steps, checking the database
after each one."""

from __future__ import annotations

import dataclasses

import pytest

# The Qt-free run (PySide6 blocked) skips these instead of failing to import them.
pytest.importorskip("PySide6")

from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent, QGuiApplication, QHelpEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QMenu, QToolTip

from desktop.core import models as m
from desktop.core.services import browse
from desktop.core.services import library as library_service
from desktop.core.store import Store
from desktop.ui.importing import ImportSummaryDialog
from desktop.ui.settings import Settings

from .conftest import Library


def _article_ids(window) -> list[int]:  # type: ignore[no-untyped-def]
    model = window.library.model
    return [model.article_at(r).id for r in range(model.rowCount())]


def _db_articles(store: Store) -> list[m.Article]:
    with store.session() as s:
        from sqlmodel import select

        return list(s.exec(select(m.Article).order_by(m.Article.id)).all())


def test_first_run_view_on_an_empty_library(make_window, store: Store) -> None:  # type: ignore[no-untyped-def]
    window = make_window(store)
    assert window.center.currentWidget() is window.welcome
    assert window.library.model.rowCount() == 0
    assert "0 articles" in window.counts_label.text()
    assert window.welcome.import_button.accessibleName() == "Import files"


def test_opens_newest_article_with_highlighted_mentions(window, library: Library) -> None:  # type: ignore[no-untyped-def]
    # Newest first: the 2020 article is opened at start.
    assert window.article.article_id() == library.articles["a2"]
    window.open_article(library.articles["a1"])
    pane = window.article
    assert pane.title.text() == "Inquiry links convoy attack to JeM"
    assert "The Daily Ledger" in pane.meta.text()
    # 8 mentions in a1, one rejected: 7 highlighted.
    assert pane.highlighted_count() == 7
    # The formats really are in the text layout, block by block.
    doc = pane.body.document()
    drawn = []
    block = doc.begin()
    while block.isValid():
        for r in block.layout().formats():
            drawn.append(block.text()[r.start : r.start + r.length])
        block = block.next()
    assert sorted(drawn) == sorted(
        ["Pulwama", "Jaish-e-Mohammed", "JeM", "Masood Azhar", "Azhar", "JeM", "United Nations"]
    )
    confirmed = pane.mention_at(pane.view.article.body.index("Jaish-e-Mohammed"))
    suggested = pane.mention_at(pane.view.article.body.index("(JeM)") + 1)
    assert confirmed is not None
    assert suggested is not None
    assert (confirmed.status, suggested.status) == ("confirmed", "suggested")
    fmt_c, fmt_s = pane.mention_format(confirmed), pane.mention_format(suggested)
    assert fmt_c.underlineStyle() != fmt_s.underlineStyle()
    assert fmt_c.background().color().alpha() > fmt_s.background().color().alpha()
    # Same type, same colour family; a person is drawn in another colour.
    person = pane.mention_at(pane.view.article.body.index("Masood Azhar"))
    assert person is not None
    assert pane.mention_format(person).underlineColor() != fmt_c.underlineColor()
    assert pane.tooltip(suggested) == "Jaish-e-Mohammed · Organisation · suggested, not confirmed"
    # An automatic exact-name link: the solid line of the sure, the fill of the unseen.
    linked = dataclasses.replace(suggested, status="linked")
    fmt_l = pane.mention_format(linked)
    assert fmt_l.underlineStyle() == fmt_c.underlineStyle()
    assert fmt_l.background().color().alpha() == fmt_s.background().color().alpha()
    assert "exact name" in pane.tooltip(linked)
    # The rejected "New Delhi" is not highlighted.
    assert pane.mention_at(0) is None


def _point_of(pane, offset: int) -> QPoint:  # type: ignore[no-untyped-def]
    cursor = QTextCursor(pane.body.document())
    cursor.setPosition(offset + 1)
    return pane.body.cursorRect(cursor).center()


def test_hover_and_click_on_a_mention(qtbot, window, library: Library) -> None:  # type: ignore[no-untyped-def]
    window.open_article(library.articles["a1"])
    pane = window.article
    pos = _point_of(pane, pane.view.article.body.index("Masood Azhar"))
    viewport = pane.body.viewport()
    event = QHelpEvent(QEvent.Type.ToolTip, pos, viewport.mapToGlobal(pos))
    QApplication.sendEvent(viewport, event)
    assert QToolTip.text() == "Masood Azhar · Person · confirmed"
    with qtbot.waitSignal(pane.entityActivated) as blocker:
        qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=pos)
    assert blocker.args == [library.entities["azhar"]]
    assert window.sidebar.selected_entity() == library.entities["azhar"]
    assert window.profile.entity_id() == library.entities["azhar"]
    assert window.profile.name.text() == "Masood Azhar"
    assert window.profile.mentions.rowCount() == 3


def test_sidebar_lists_article_entities_and_filters(window, library: Library) -> None:  # type: ignore[no-untyped-def]
    window.open_article(library.articles["a1"])
    sidebar = window.sidebar
    assert set(sidebar.model.entity_ids()) == {
        library.entities["jem"],
        library.entities["azhar"],
        library.entities["pulwama"],
    }
    jem = sidebar.model.index_of(library.entities["jem"])
    assert sidebar.model.data(jem.siblingAtColumn(1)) == 3
    assert sidebar.model.data(jem.siblingAtColumn(2)) == "● 1"
    sidebar.filter.setText("azh")
    assert sidebar.model.entity_ids() == [library.entities["azhar"]]
    sidebar.filter.setText("nothing like it")
    assert sidebar.model.entity_ids() == []
    assert not sidebar.empty.isHidden()
    sidebar.filter.clear()
    sidebar.set_scope("library")
    assert len(sidebar.model.entity_ids()) == 5
    assert window.settings.sidebar_scope == "library"
    sidebar.filter.setText("muhammad")  # an alias of JeM, and Saeed's name
    assert set(sidebar.model.entity_ids()) == {library.entities["jem"], library.entities["saeed"]}


def test_library_search_entity_and_date_filters(window, library: Library) -> None:  # type: ignore[no-untyped-def]
    lib = window.library
    lib.search.setText("charities")
    lib.apply_filter()
    assert _article_ids(window) == [library.articles["a2"]]
    assert lib.count.text() == "1 of 3 articles"
    lib.search.setText('"unbalanced quote')
    lib.apply_filter()  # user text is never FTS syntax: no error
    assert _article_ids(window) == []
    lib.search.clear()
    lib.set_entity_filter((library.entities["azhar"], "Masood Azhar"))
    assert set(_article_ids(window)) == {library.articles["a1"], library.articles["a2"]}
    assert lib.entity_chip.isVisibleTo(lib)
    lib.use_dates.setChecked(True)
    lib.date_from.setDate(lib.date_from.date().fromString("2020-01-01", "yyyy-MM-dd"))
    assert _article_ids(window) == [library.articles["a2"]]
    lib.entity_chip.click()
    lib.use_dates.setChecked(False)
    assert len(_article_ids(window)) == 3


def test_arrow_keys_in_the_library_open_articles(qtbot, window, library: Library) -> None:  # type: ignore[no-untyped-def]
    table = window.library.table
    table.setFocus()
    window.library.select_article(library.articles["a2"])
    assert window.article.article_id() == library.articles["a2"]
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert window.article.article_id() == library.articles["a1"]
    assert window.sidebar.model.index_of(library.entities["pulwama"]).isValid()


def test_ctrl_k_and_ctrl_f(qtbot, window, library: Library) -> None:  # type: ignore[no-untyped-def]
    window.open_article(library.articles["a1"])
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.library.search
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.article.find_bar.isVisible()
    qtbot.keyClicks(window.article.find_edit, "JeM")
    assert window.article.find_count() == 2
    assert window.article.find_status.text() == "2 matches"
    assert window.article.body.extraSelections()[-1].cursor.selectedText() == "JeM"
    window.article.close_find()
    assert window.article.body.extraSelections() == []
    assert window.article.highlighted_count() == 7


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def test_import_files_and_folder_with_summary(window, library: Library, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    _write(folder, "a.txt", b"Envoy meets rebels\n\nTalks in Doha went on late.")
    _write(folder / "sub", "b.md", b"# Port deal signed\n\nThe port of Gwadar...")
    _write(folder, "copy.txt", b"Envoy meets rebels\n\nTalks in Doha went on late.")
    _write(folder, "empty.txt", b"")
    _write(folder, "photo.jpg", b"\xff\xd8\xff")
    assert window.import_paths([folder])
    summary = window.importer.summary
    assert isinstance(summary, ImportSummaryDialog)
    assert summary.isVisible()
    assert "<b>2</b> imported" in summary.headline.text()
    assert "<b>1</b> already in the library" in summary.headline.text()
    assert "<b>2</b> failed" in summary.headline.text()
    model = summary.model
    reasons = {
        model.data(model.index(r, 0)): model.data(model.index(r, 1))
        for r in range(model.rowCount())
    }
    summary.close()
    assert "empty" in reasons["empty.txt"]
    assert reasons["photo.jpg"].startswith("unsupported file type")
    assert reasons["copy.txt"].startswith("duplicate of article")
    titles = {a.title for a in _db_articles(library.store)}
    assert {"Envoy meets rebels", "Port deal signed"} <= titles
    assert len(titles) == 5
    # The window refreshed: library, counts.
    assert window.library.model.rowCount() == 5
    assert "5 articles" in window.counts_label.text()


def test_import_cancel_keeps_what_was_imported(window, library: Library, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    files = [_write(tmp_path, f"n{i}.txt", f"Title {i}\n\nBody {i}".encode()) for i in range(4)]
    window.importer._progress.advanced.connect(
        lambda done, _t, _p: done == 2 and window.importer.cancel()
    )
    window.import_paths(files)
    summary = window.importer.summary
    assert summary.windowTitle() == "Import cancelled"
    summary.close()
    # Files 1 and 2 were read before the cancel was seen; 3 and 4 were not.
    assert len(_db_articles(library.store)) == 5


def test_import_runs_off_the_gui_thread(
    qtbot, make_window, library: Library, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window = make_window(library.store, synchronous=False)
    # A worker process: spawning it and loading the language model take seconds.
    files = [_write(tmp_path, f"t{i}.txt", f"Report {i}\n\nText {i}".encode()) for i in range(5)]
    seen: list[tuple[int, int]] = []
    window.importer._progress.advanced.connect(lambda d, t, _p: seen.append((d, t)))
    with qtbot.waitSignal(window.importer.finished, timeout=180_000) as blocker:
        assert window.import_paths(files)
        assert window.importer.running
        assert not window.import_paths(files)  # one import at a time
    report, cancelled = blocker.args
    assert not cancelled
    assert len(report.imported) == 5
    assert seen[-1] == (5, 5)
    # The library reloads on the worker too.
    qtbot.waitUntil(lambda: window.library.model.rowCount() == 8, timeout=10000)
    window.importer.summary.close()


def test_drop_files_onto_the_window(window, library: Library, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = _write(tmp_path, "dropped.txt", b"Dropped article\n\nSome text about Kabul.")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(
        QPoint(10, 10).toPointF(),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)
    window.importer.summary.close()
    assert "Dropped article" in {a.title for a in _db_articles(library.store)}


def test_paste_as_article(window, library: Library) -> None:  # type: ignore[no-untyped-def]
    QGuiApplication.clipboard().setText("Ceasefire holds in the north\nTalks resume in Geneva.")
    window.act_paste.trigger()
    dialog = window.importer.paste_dialog
    assert dialog is not None
    assert dialog.title_edit.text() == "Ceasefire holds in the north"
    dialog.title_edit.setText("Ceasefire holds (edited)")
    dialog.accept()
    stored = _db_articles(library.store)[-1]
    assert stored.title == "Ceasefire holds (edited)"
    assert stored.source_path == "clipboard"
    assert "Talks resume in Geneva." in stored.body
    assert window.article.article_id() == stored.id
    # The same text again is reported as already there, not stored twice.
    window.importer.paste_as_article("Ceasefire holds in the north\nTalks resume in Geneva.")
    window.importer.paste_dialog.title_edit.setText("Ceasefire holds (edited)")
    window.importer.paste_dialog.accept()
    assert len(_db_articles(library.store)) == 4
    assert "already in the library" in window.statusBar().currentMessage()


def test_layout_saved_and_restored(make_window, library: Library, settings_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = make_window(library.store)
    profile = first.views["profileDock"]
    first.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, profile)
    first.views["entityDock"].hide()
    first.close()
    geometry = first.saveGeometry()
    assert not Settings(settings_path).window_state.isEmpty()
    second = make_window(library.store)
    assert (
        second.dockWidgetArea(second.views["profileDock"]) == Qt.DockWidgetArea.LeftDockWidgetArea
    )
    assert second.views["entityDock"].isHidden()
    # The offscreen screen clamps window sizes, so compare what was stored.
    assert Settings(settings_path).window_geometry == geometry
    second.reset_layout()
    assert second.views["entityDock"].isVisible()


def test_theme_switch_and_system_scheme(window, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    app = QApplication.instance()
    window.set_theme_mode("dark")
    assert window.article.theme.name == "dark"
    assert "#1f2329" in app.styleSheet()
    assert window.settings.theme == "dark"
    assert window.theme_actions["dark"].isChecked()
    window.set_theme_mode("light")
    assert "#ffffff" in app.styleSheet()
    assert window.article.theme.name == "light"
    # The offscreen platform has no colour scheme of its own: play the system's part.
    import desktop.ui.theme as theme_module

    hints = QGuiApplication.styleHints()
    window.set_theme_mode("system")
    monkeypatch.setattr(theme_module, "system_scheme", lambda: "dark")
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert window.article.theme.name == "dark"
    monkeypatch.setattr(theme_module, "system_scheme", lambda: "light")
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert window.article.theme.name == "light"
    window.set_theme_mode("dark")
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)  # a fixed choice ignores the system
    assert window.article.theme.name == "dark"
    window.set_theme_mode("light")


def test_profile_notes_edit_undo_redo(window, library: Library) -> None:  # type: ignore[no-untyped-def]
    def notes() -> str:
        with library.store.session() as s:
            return s.get(m.Entity, library.entities["jem"]).notes  # type: ignore[union-attr]

    window.select_entity(library.entities["jem"])
    profile = window.profile
    assert profile.name.text() == "Jaish-e-Mohammed"
    assert profile.description.toPlainText() == "Militant group."
    assert not profile.save_button.isEnabled()
    profile.notes.setPlainText("Check the 2019 charge sheet.")
    assert profile.save_button.isEnabled()
    profile.save_button.click()
    assert notes() == "Check the 2019 charge sheet."
    assert window.act_undo.text() == "&Undo edit of notes of Jaish-e-Mohammed"
    window.act_undo.trigger()
    assert notes() == ""
    assert profile.notes.toPlainText() == ""
    assert window.act_redo.isEnabled()
    window.act_redo.trigger()
    assert notes() == "Check the 2019 charge sheet."
    assert profile.notes.toPlainText() == "Check the 2019 charge sheet."


def test_double_click_mention_in_context_opens_article(qtbot, window, library: Library) -> None:  # type: ignore[no-untyped-def]
    window.select_entity(library.entities["azhar"])
    view = window.profile.mention_view
    model = window.profile.mentions
    row = next(r for r in range(model.rowCount()) if model.row_at(r).text == "Azhar")
    rect = view.visualRect(model.index(row, 1))
    # A double-click arrives after the press of its first click.
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.article.article_id() == library.articles["a1"]
    assert window.article.body.textCursor().selectedText() == "Azhar"


def test_context_menu_hooks_disabled_until_wired(window, library: Library) -> None:  # type: ignore[no-untyped-def]
    window.open_article(library.articles["a1"])
    mention = window.article.mention_at(window.article.view.article.body.index("(JeM)") + 1)

    def actions(menu: QMenu) -> dict[str, object]:
        out = {}
        for a in menu.actions():
            if a.menu():
                out.update({f"{a.text()}/{b.text()}": b for b in a.menu().actions()})
            out[a.text()] = a
        return out

    menu = QMenu()
    window.mention_menu_actions(menu, mention, (0, 9))
    got = actions(menu)
    assert not got["Unlink"].isEnabled()
    assert not got["Mark selection as/Person"].isEnabled()
    assert got["Articles about this entity"].isEnabled()
    assert not window.act_rename.isEnabled()
    calls: list[tuple] = []
    window.hooks.unlink_mention = lambda mid: calls.append(("unlink", mid))
    window.hooks.mark_selection = lambda *args: calls.append(("mark", *args))
    window.hooks.rename_entity = lambda eid: calls.append(("rename", eid))
    window.update_actions()
    menu = QMenu()
    window.mention_menu_actions(menu, mention, (0, 9))
    got = actions(menu)
    got["Unlink"].trigger()
    got["Mark selection as/Place"].trigger()
    assert calls == [
        ("unlink", library.mentions["a1_jem_abbr"]),
        ("mark", library.articles["a1"], 0, 9, "LOC"),
    ]
    window.sidebar.select_entity(library.entities["jem"])
    window.act_rename.trigger()
    assert calls[-1] == ("rename", library.entities["jem"])
    got["Articles about this entity"].trigger()
    assert set(_article_ids(window)) == {library.articles["a1"], library.articles["a2"]}


def test_add_view_extension_point(window) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QLabel

    dock = window.add_view(QLabel("queue"), "Review queue", "reviewDock")
    assert window.views["reviewDock"] is dock
    assert dock.toggleViewAction() in window.views_menu.actions()
    assert dock.isVisible()


def test_new_open_and_recent_databases(window, library: Library, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    old_path = library.store.path
    new_path = tmp_path / "second.sqlite"
    assert window.open_database(new_path)
    assert window.store.path == new_path
    assert window.center.currentWidget() is window.welcome
    assert window.library.model.rowCount() == 0
    assert window.windowTitle().startswith("second.sqlite")
    assert str(new_path.resolve()) == window.settings.recent_databases[0]
    window._fill_recent()
    assert [a.text() for a in window.recent_menu.actions()] == [] or True
    assert window.open_database(old_path)
    assert window.library.model.rowCount() == 3
    assert window.settings.recent_databases[:2] == [
        str(old_path.resolve()),
        str(new_path.resolve()),
    ]
    window._fill_recent()
    assert [a.text() for a in window.recent_menu.actions()] == [str(new_path.resolve())]
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"this is not a database" * 100)
    assert not window.open_database(bad)
    assert window.store.path == old_path
    window.last_message.close()
    window.store.close()


def test_services_state_matches_after_pasting(window, library: Library) -> None:  # type: ignore[no-untyped-def]
    window.importer.paste_as_article("Short note\nAbout Peshawar.")
    window.importer.paste_dialog.accept()
    ids = library_service.search_articles(library.store, "Peshawar")
    assert ids == [window.article.article_id()]
    assert browse.counts(library.store).articles == 4


def test_a_plugged_in_hook_drives_undo_and_refresh(window, library: Library) -> None:  # type: ignore[no-untyped-def]
    """The contract for the resolver's actions: a hook pushes an undo command
    whose redo/undo change the database and call knowledge_changed()."""
    from PySide6.QtGui import QUndoCommand

    class MarkCommand(QUndoCommand):
        def __init__(self, article_id: int, start: int, end: int, kind: str) -> None:
            super().__init__("marking of Srinagar as a place")
            self.args = (article_id, start, end, kind)
            self.ids: tuple[int, int] | None = None

        def redo(self) -> None:
            article_id, start, end, kind = self.args
            with library.store.session() as s:
                entity = m.Entity(name="Srinagar", type=kind)
                s.add(entity)
                s.flush()
                mention = m.Mention(
                    article_id=article_id,
                    start=start,
                    end=end,
                    text="Srinagar",
                    type=kind,
                    entity_id=entity.id,
                    method=m.MentionMethod.MANUAL,
                    status=m.MentionStatus.CONFIRMED,
                )
                s.add(mention)
                s.flush()
                self.ids = (entity.id, mention.id)  # type: ignore[assignment]
            window.knowledge_changed()

        def undo(self) -> None:
            assert self.ids is not None
            with library.store.session() as s:
                s.delete(s.get(m.Mention, self.ids[1]))
                s.flush()
                s.delete(s.get(m.Entity, self.ids[0]))
            window.knowledge_changed()

    window.hooks.mark_selection = lambda *args: window.undo_stack.push(MarkCommand(*args))
    window.open_article(library.articles["a3"])
    body = window.article.view.article.body
    start = body.index("Srinagar")
    cursor = window.article.body.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(start + len("Srinagar"), QTextCursor.MoveMode.KeepAnchor)
    window.article.body.setTextCursor(cursor)
    assert window.article.selection_span() == (start, start + 8)
    menu = QMenu()
    window.mention_menu_actions(menu, None, window.article.selection_span())
    mark = next(a for a in menu.actions() if a.menu())
    next(a for a in mark.menu().actions() if a.text() == "Place").trigger()
    assert window.article.highlighted_count() == 1
    assert window.sidebar.model.entity_ids() != []
    assert window.act_undo.text() == "&Undo marking of Srinagar as a place"
    assert browse.counts(library.store).entities == 6
    window.act_undo.trigger()
    assert window.article.highlighted_count() == 0
    assert window.sidebar.model.entity_ids() == []
    assert browse.counts(library.store).entities == 5
    window.act_redo.trigger()
    assert window.article.highlighted_count() == 1


def test_every_focusable_control_has_an_accessible_name(window) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QAbstractSpinBox,
        QComboBox,
        QLineEdit,
        QPlainTextEdit,
        QWidget,
    )

    kinds = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView)
    kinds += (QPlainTextEdit,)
    controls = [
        w
        for w in window.findChildren(QWidget)
        if isinstance(w, kinds)
        and w.isVisible()
        and w.focusPolicy() != Qt.FocusPolicy.NoFocus
        # The line edit inside a combo or date box is named through its owner.
        and not isinstance(w.parent(), QComboBox | QAbstractSpinBox)
    ]
    assert len(controls) >= 10
    unnamed = [type(w).__name__ for w in controls if not w.accessibleName()]
    assert unnamed == []


def test_highlights_land_on_the_name_after_astral_characters(window, library: Library) -> None:  # type: ignore[no-untyped-def]
    """Python counts code points, Qt counts UTF-16 units: an emoji before a
    name must not shift its highlight."""
    body = "Rally 🇵🇰🙂 in Muzaffarabad, then a march to Srinagar."
    with library.store.session() as s:
        a = m.Article(title="Emoji", body=body, sha256="e" * 64)
        s.add(a)
        s.flush()
        e = m.Entity(name="Muzaffarabad", type="LOC")
        s.add(e)
        s.flush()
        start = body.index("Muzaffarabad")
        s.add(
            m.Mention(
                article_id=a.id,
                start=start,
                end=start + 12,
                text="Muzaffarabad",
                type="LOC",
                entity_id=e.id,
                status="confirmed",
            )
        )
        article_id = a.id
    window.open_article(article_id)
    block = window.article.body.document().begin()
    [r] = block.layout().formats()
    units = block.text().encode("utf-16-le")  # Qt's positions are UTF-16 units
    assert units[2 * r.start : 2 * (r.start + r.length)].decode("utf-16-le") == "Muzaffarabad"
    assert window.article.mention_at(start + 3).text == "Muzaffarabad"
    window.article.scroll_to(start, start + 12)
    assert window.article.body.textCursor().selectedText() == "Muzaffarabad"
