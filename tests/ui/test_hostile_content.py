"""Hostile content is shown literally everywhere in the window: markup in
names, aliases, notes and article text is text, never HTML, and nothing in it
is ever fetched.

Each nasty string carries a marker (N1...). A sweep over every label, text
view, item model (display and tooltip) and widget tooltip of the window finds
where a marker is shown and checks that the whole string is shown there as
typed: Qt would render "<b>x</b>" in a label or a tooltip as a bold x, and
try to load "<img src=...>".
"""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtCore import QModelIndex, Qt, QUrl
from PySide6.QtGui import Qt as QtGuiNs
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)


def _fixture_module(name: str) -> ModuleType:
    """tests/fixtures/<name>.py, the same module object conftest loads."""
    if name not in sys.modules:
        path = Path(__file__).resolve().parents[1] / "fixtures" / f"{name}.py"
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None
        assert spec.loader is not None
        sys.modules[name] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules[name])
    return sys.modules[name]


HOSTILE = _fixture_module("hostile_library")
NASTY = HOSTILE.NASTY
Hostile = HOSTILE.Hostile


def need(marker: str) -> str:
    for mk, s, part in NASTY:
        if mk == marker:
            return part or s
    raise KeyError(marker)


def norm(s: str) -> str:
    return " ".join(s.split())


def rendered(text: str, fmt: Qt.TextFormat = Qt.TextFormat.AutoText) -> str:
    """What Qt shows for ``text`` in a label or a tooltip of format ``fmt``."""
    rich = fmt == Qt.TextFormat.RichText or (
        fmt == Qt.TextFormat.AutoText and QtGuiNs.mightBeRichText(text)
    )
    if not rich:
        return text
    doc = QTextDocument()
    doc.setHtml(text)
    return doc.toPlainText()


@dataclass
class Where:
    what: str
    raw: str
    shown: str


def check(where: list[Where]) -> list[str]:
    problems = []
    for w in where:
        for marker, _, _ in NASTY:
            present = marker in w.raw or marker in w.shown
            if present and norm(need(marker)) not in norm(w.shown):
                problems.append(f"{w.what}: {marker} shown as {w.shown[:120]!r}")
    return problems


def _model_texts(view: QAbstractItemView, name: str) -> list[Where]:
    model = view.model()
    out: list[Where] = []
    if model is None:
        return out

    def walk(parent: QModelIndex, depth: int) -> None:
        try:
            columns = model.columnCount(parent)
        except TypeError:  # a list model: columnCount is private in PySide6
            columns = 1
        for row in range(min(model.rowCount(parent), 200)):
            for col in range(columns):
                index = model.index(row, col, parent)
                display = model.data(index, Qt.ItemDataRole.DisplayRole)
                if isinstance(display, str):
                    out.append(Where(f"{name}[{row},{col}] display", display, display))
                tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
                if isinstance(tip, str):
                    out.append(Where(f"{name}[{row},{col}] tooltip", tip, rendered(tip)))
            first = model.index(row, 0, parent)
            if depth < 3 and first.isValid() and model.rowCount(first) > 0:
                walk(first, depth + 1)

    walk(QModelIndex(), 0)
    return out


def sweep(root: QWidget) -> list[Where]:
    """Everything user-visible under ``root`` that can hold a name or text."""
    out: list[Where] = []
    widgets = [root, *root.findChildren(QWidget)]
    for w in widgets:
        name = w.objectName() or type(w).__name__
        if isinstance(w, QLabel):
            out.append(Where(f"label {name}", w.text(), rendered(w.text(), w.textFormat())))
        elif isinstance(w, QPlainTextEdit | QTextEdit):
            out.append(Where(f"text {name}", w.toPlainText(), w.toPlainText()))
        elif isinstance(w, QAbstractItemView):
            out.extend(_model_texts(w, name))
        if w.toolTip():
            out.append(Where(f"tooltip of {name}", w.toolTip(), rendered(w.toolTip())))
        if w.isWindow() and w.windowTitle():
            out.append(Where(f"title of {name}", w.windowTitle(), w.windowTitle()))
    return out


@pytest.fixture
def hostile(hostile_library):  # type: ignore[no-untyped-def]
    return hostile_library


@pytest.fixture
def wired(qtbot, hostile: Hostile, settings_path):  # type: ignore[no-untyped-def]
    from desktop.ui.application import build_window
    from desktop.ui.settings import Settings
    from desktop.ui.tasks import TaskRunner

    window = build_window(
        hostile.store, settings=Settings(settings_path), runner=TaskRunner(synchronous=True)
    )
    qtbot.addWidget(window)
    window.show()
    yield window
    window.close()


def test_window_shows_every_nasty_string_literally(wired, hostile: Hostile, qtbot):
    window = wired
    problems: list[str] = []
    seen: set[str] = set()

    def look(step: str) -> None:
        found = sweep(window)
        for dock in window.findChildren(QWidget):
            if dock.isWindow() and dock is not window:
                found += sweep(dock)
        seen.update(mk for mk, _, _ in NASTY for w in found if mk in w.shown)
        problems.extend(f"{step}: {p}" for p in check(found))

    window.open_article(hostile.article)
    window.sidebar.set_scope("article")
    look("article open")
    assert window.article.body.toPlainText() == hostile.body
    for mention in window.article._mentions:
        tip = window.article.tooltip(mention)
        problems.extend(check([Where("article tooltip", tip, rendered(tip))]))
    window.sidebar.set_scope("library")
    look("library scope")
    for marker, entity_id in hostile.entities.items():
        window.show_entity(entity_id)
        look(f"profile {marker}")
    wiring = window.wiring  # type: ignore[attr-defined]
    wiring.show_review()
    wiring.dossiers.refresh()
    wiring.dossiers.select_dossier(hostile.dossier)
    look("dossiers")
    # The review queue's side-by-side profiles (HTML in a text browser).
    from desktop.core.services import resolve
    from desktop.ui.review import profile_html

    browser = wiring.review.left
    for marker, entity_id in hostile.entities.items():
        browser.setHtml(profile_html(resolve.entity_profile(hostile.store, entity_id)))
        shown = browser.toPlainText()
        problems.extend(check([Where(f"review profile {marker}", shown, shown)]))
        assert norm(need(marker)) in norm(shown)
    assert browser.refused == []
    # The merge dialog lists every name and warns with them.
    from desktop.ui.merge_dialog import MergeDialog

    dialog = MergeDialog(hostile.store, list(hostile.entities.values()), window)
    problems.extend(f"merge dialog: {p}" for p in check(sweep(dialog)))
    dialog.deleteLater()
    assert problems == [], "\n".join(problems[:60])
    assert seen == {mk for mk, _, _ in NASTY}


def test_text_views_refuse_every_outside_resource(qtbot):
    from desktop.ui.article_view import ArticlePane
    from desktop.ui.offline import OfflineTextBrowser

    browser = OfflineTextBrowser()
    qtbot.addWidget(browser)
    browser.setHtml(
        '<html><head><link rel="stylesheet" href="http://192.0.2.1/s.css"></head><body>'
        '<img src="http://192.0.2.1/a.png"><img src="https://192.0.2.1/b.png">'
        '<img src="file:///etc/hostname"><img src="/etc/hostname">'
        '<table background="http://192.0.2.1/bg.png"><tr><td>x</td></tr></table>'
        '<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlE'
        'QVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==">'
        "</body></html>"
    )
    browser.resize(300, 200)
    browser.show()
    qtbot.waitExposed(browser)
    browser.grab()  # layout and paint: every image is asked for
    refused = set(browser.refused)
    assert {"http://192.0.2.1/a.png", "https://192.0.2.1/b.png", "file:///etc/hostname"} <= refused
    assert not any(u.startswith("data:") for u in refused)
    browser.close()

    pane = ArticlePane()
    qtbot.addWidget(pane)
    body = pane.body.document()
    assert body.loadResource(2, QUrl("http://192.0.2.1/x.png")) is None
    assert body.refused == ["http://192.0.2.1/x.png"]


def test_undo_menu_shows_an_ampersand_in_a_name(wired, hostile: Hostile):
    from desktop.core.services import resolve

    window = wired
    wiring = window.wiring  # type: ignore[attr-defined]
    change = wiring.apply(lambda st: resolve.rename(st, hostile.entities["N1"], "Smith & Sons"))
    assert change is not None
    # "&&" is how a menu shows one "&"; iconText() is the text as shown.
    assert "Smith & Sons" in window.act_undo.iconText()
    assert "Smith && Sons" in window.act_undo.text()


def test_every_dialog_shows_names_literally(wired, hostile: Hostile):
    from sqlmodel import select

    from desktop.core import models as m

    window = wired
    wiring = window.wiring  # type: ignore[attr-defined]
    problems: list[str] = []
    with hostile.store.session() as s:
        mentions = {mention.entity_id: mention.id for mention in s.exec(select(m.Mention)).all()}
    for marker in ("N1", "N2", "N5", "N7"):
        entity_id = hostile.entities[marker]
        name = need(marker)
        window.show_entity(entity_id)
        dialogs = [
            wiring.link_mention(mentions[entity_id]),
            wiring.rename_entity(entity_id),
            wiring.merge_entities([entity_id, hostile.entities["N3"]]),
            wiring.add_alias(entity_id),
            wiring.split_aliases(entity_id, [f"{name} (alias)"]),
            wiring.add_relation(entity_id, mentions[entity_id]),
        ]
        for dialog in dialogs:
            assert dialog is not None
            found = sweep(dialog)
            problems.extend(f"{type(dialog).__name__} {marker}: {p}" for p in check(found))
            assert any(marker in w.shown for w in found), (type(dialog).__name__, marker)
            dialog.close()
    assert problems == [], "\n".join(problems[:40])
