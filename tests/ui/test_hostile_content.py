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

import datetime as dt
from dataclasses import dataclass

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import Qt as QtGuiNs
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from desktop.core import models as m
from desktop.core.names import alias_key
from desktop.core.store import Store

# (marker, the string, the part that must be shown literally where the marker is)
NASTY = [
    ("N1", "<script>alert('N1')</script>", None),
    ("N2", "<img src=http://192.0.2.1/N2.png onerror=alert(1)>", None),
    ("N3", "&amp;lt;N3&gt; &#x41;", None),
    ("N4", "\u202eN4 reversed\u202c name", None),
    ("N5", '"N5" <b>bold</b> & \'single\'', None),
    ("N6", "N6 " + "very long name " * 40, "N6 very long name very long"),
    ("N7", "<a href='http://192.0.2.1/'>N7</a> <style>*{}</style>", None),
]


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
            if marker in w.raw or marker in w.shown:
                if norm(need(marker)) not in norm(w.shown):
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


@dataclass
class Hostile:
    store: Store
    article: int
    entities: dict[str, int]
    body: str
    title: str


@pytest.fixture
def hostile(store: Store) -> Hostile:
    # Filler keeps each name alone in its mention's context window.
    filler = "The ministry said the inquiry would continue for some weeks yet " * 4
    parts = ["Report from the border."]
    for _, s, _ in NASTY:
        parts.append(f"{filler}Officials named {s} in the filing. {filler}")
    parts.append("Second paragraph <p>with a tag</p> &nbsp; and an &entity;.")
    body = "\n".join(parts)
    title = f"{NASTY[0][1]} title"
    with store.session() as s:
        a = m.Article(
            title=title,
            publication=NASTY[4][1],
            author=NASTY[2][1],
            published=dt.date(2024, 1, 2),
            body=body,
            sha256="f" * 64,
            url="http://192.0.2.1/page",
        )
        s.add(a)
        s.flush()
        ids: dict[str, int] = {}
        for marker, name, _ in NASTY:
            e = m.Entity(
                name=name,
                type="ORG" if marker in ("N1", "N3", "N5", "N7") else "PER",
                description=f"Description of {name}\nsecond line <hr>",
                notes=f"Note {name}",
            )
            s.add(e)
            s.flush()
            ids[marker] = e.id
            s.add(m.Alias(entity_id=e.id, name=name, key=alias_key(name), kind="name"))
            alias = f"{name} (alias)"
            s.add(m.Alias(entity_id=e.id, name=alias, key=alias_key(alias), kind="alias"))
            start = body.index(name)
            s.add(
                m.Mention(
                    article_id=a.id,
                    start=start,
                    end=start + len(name),
                    text=name,
                    type=e.type,
                    entity_id=e.id,
                    method=m.MentionMethod.MANUAL,
                    status=m.MentionStatus.CONFIRMED if marker != "N2" else "suggested",
                )
            )
        s.add(
            m.Relation(
                subject_id=ids["N1"], predicate="<u>funds</u>", object_id=ids["N2"],
                note="<script>alert('N1')</script>",
            )
        )  # fmt: skip
        return Hostile(store, a.id or 0, ids, body, title)


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
    wiring.dossiers.create_dossier(NASTY[1][1])
    look("dossiers")
    assert sorted(set(p.split(": ", 1)[1].split(" shown")[0] for p in problems)) == [], "\n".join(problems[:60])
    assert seen == {mk for mk, _, _ in NASTY}
