"""The article pane: the clean body with its mentions highlighted.

Highlighting is a ``QSyntaxHighlighter`` that gives each text block the formats
of the mentions inside it (found by bisection), so painting costs the same as
for plain text; extra selections, which Qt checks against every painted line,
are kept for the few find-in-article matches. The document itself is never
edited. Colours come from the theme per entity type;
confirmed mentions get a solid underline and a full fill, suggested ones a
dotted underline and a lighter fill, unlinked ones a dashed underline and no
fill. Rejected mentions are not highlighted.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QKeySequence,
    QMouseEvent,
    QShortcut,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextOption,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextDocumentLayout,
    QPlainTextEdit,
    QTextEdit,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from desktop.core.services.browse import ArticleView
from desktop.core.services.library import MentionInfo
from desktop.report.offline import OfflineTextDocument
from desktop.ui.plain import plain_label, tip
from desktop.ui.theme import LIGHT, TYPE_SINGULAR, Theme

# Builds the context menu's extra actions for a mention (or None) and a text
# selection (start, end) or None; see MainWindow.mention_menu_actions.
MenuHook = Callable[[QMenu, MentionInfo | None, tuple[int, int] | None], None]


def _utf16_offsets(text: str) -> list[int] | None:
    """Qt positions count UTF-16 code units; Python counts code points. Only
    text with characters outside the Basic Multilingual Plane differs, so the
    mapping is built only then (None means "identical")."""
    if text.isascii() or len(text.encode("utf-16-le")) == 2 * len(text):
        return None
    out, pos = [], 0
    for c in text:
        out.append(pos)
        pos += 2 if ord(c) >= 0x10000 else 1
    out.append(pos)
    return out


class _MentionHighlighter(QSyntaxHighlighter):
    def __init__(self, pane: ArticlePane) -> None:
        super().__init__(pane.body.document())
        self.pane = pane
        self.formats: dict[tuple[str, str, bool], QTextCharFormat] = {}
        # The mentions drawn since the text was set (a block highlighted
        # again, after a relayout or a theme change, draws the same ones).
        self.applied: set[int] = set()

    def reset(self) -> None:
        self.formats = {}
        self.applied = set()

    def highlightBlock(self, text: str) -> None:
        pane = self.pane
        spans = pane._qt_spans
        if not spans:
            return
        start = self.currentBlock().position()
        end = start + len(text)
        # Mentions are sorted by start; one may begin before this block only if
        # it spans a line break, which the extractor never produces.
        i = bisect.bisect_left(pane._starts, start)
        while i < len(spans) and spans[i][0] < end:
            s, e = spans[i]
            mention = pane._mentions[i]
            key = (mention.type, mention.status, mention.entity_id is None)
            fmt = self.formats.get(key)
            if fmt is None:
                fmt = self.formats[key] = pane.mention_format(mention)
            self.setFormat(s - start, min(e, end) - s, fmt)
            self.applied.add(i)
            i += 1


class _Body(QPlainTextEdit):
    def __init__(self, pane: ArticlePane) -> None:
        super().__init__()
        # The body is plain text, so nothing should ever ask for a resource;
        # if anything does (an input method, a future rich view), it gets none.
        doc = OfflineTextDocument(self)
        doc.setDocumentLayout(QPlainTextDocumentLayout(doc))
        self.setDocument(doc)
        self.pane = pane
        self.setObjectName("articleBody")
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setMouseTracking(True)
        self.viewport().setMouseTracking(True)
        self.setAccessibleName("Article text")
        self._press: QPoint | None = None

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            pos = event.pos()  # type: ignore[attr-defined]
            mention = self.pane.mention_at_qt(self.cursorForPosition(pos).position())
            if mention is not None:
                QToolTip.showText(event.globalPos(), self.pane.tooltip(mention), self)  # type: ignore[attr-defined]
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        pos = event.position().toPoint()
        moved = self._press is not None and (pos - self._press).manhattanLength() > 3
        if event.button() == Qt.MouseButton.LeftButton and not moved:
            mention = self.pane.mention_at_qt(self.cursorForPosition(pos).position())
            if mention is not None:
                self.pane.activate(mention)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.createStandardContextMenu(event.pos())
        mention = self.pane.mention_at_qt(self.cursorForPosition(event.pos()).position())
        self.pane.fill_menu(menu, mention, self.pane.selection_span())
        menu.exec(event.globalPos())
        menu.deleteLater()


class ArticlePane(QWidget):
    """Title, metadata, the highlighted body and a find bar (Ctrl+F)."""

    mentionActivated = Signal(object)  # MentionInfo, on click
    entityActivated = Signal(int)  # entity id of a clicked, linked mention

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Article pane")
        self.theme: Theme = LIGHT
        self.view: ArticleView | None = None
        self.menu_hook: MenuHook | None = None
        self._mentions: list[MentionInfo] = []
        self._starts: list[int] = []  # Qt positions of the shown mentions' starts
        self._qt_spans: list[tuple[int, int]] = []
        self._offsets: list[int] | None = None
        self._find_selections: list[QTextEdit.ExtraSelection] = []

        # Titles and sources are the page's own text: never read as HTML.
        self.title = plain_label(QLabel())
        self.title.setObjectName("articleTitle")
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.title.setAccessibleName("Article title")
        self.meta = plain_label(QLabel())
        self.meta.setObjectName("articleMeta")
        self.meta.setWordWrap(True)
        self.meta.setAccessibleName("Article details")
        self.body = _Body(self)
        self.highlighter = _MentionHighlighter(self)

        self.find_bar = QWidget()
        self.find_bar.setObjectName("findBar")
        bar = QHBoxLayout(self.find_bar)
        bar.setContentsMargins(8, 4, 8, 4)
        self.find_edit = QLineEdit()
        self.find_edit.setPlaceholderText("Find in article")
        self.find_edit.setAccessibleName("Find in article")
        self.find_edit.setClearButtonEnabled(True)
        self.find_status = QLabel()
        self.find_status.setObjectName("muted")
        prev_btn, next_btn, close_btn = QToolButton(), QToolButton(), QToolButton()
        prev_btn.setText("↑")
        prev_btn.setAccessibleName("Previous match")
        next_btn.setText("↓")
        next_btn.setAccessibleName("Next match")
        close_btn.setText("✕")
        close_btn.setAccessibleName("Close find bar")
        bar.addWidget(self.find_edit, 1)
        bar.addWidget(self.find_status)
        bar.addWidget(prev_btn)
        bar.addWidget(next_btn)
        bar.addWidget(close_btn)
        self.find_bar.hide()
        self.find_edit.textChanged.connect(self._find_changed)
        self.find_edit.returnPressed.connect(self.find_next)
        next_btn.clicked.connect(self.find_next)
        prev_btn.clicked.connect(self.find_previous)
        close_btn.clicked.connect(self.close_find)
        esc = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.find_bar)
        esc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        esc.activated.connect(self.close_find)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.title)
        layout.addWidget(self.meta)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.find_bar)

    # -- showing an article ---------------------------------------------------
    def article_id(self) -> int | None:
        return self.view.article.id if self.view else None

    def clear(self) -> None:
        self.view = None
        self.title.clear()
        self.meta.clear()
        self.body.clear()
        self._mentions = []
        self._starts, self._qt_spans = [], []
        self._find_selections = []

    def show_article(self, view: ArticleView) -> None:
        self.view = view
        a = view.article
        self.title.setText(a.title or "(untitled)")
        meta = [x for x in (a.publication, a.author, a.date) if x]
        if a.source:
            meta.append(a.source)
        self.meta.setText(" · ".join(meta))
        # The spans must be ready before the text: setting it runs the highlighter.
        self._offsets = _utf16_offsets(a.body)
        self._mentions = [x for x in view.mentions if x.status != "rejected"]
        self._qt_spans = [(self._qt(x.start), self._qt(x.end)) for x in self._mentions]
        self._starts = [s for s, _ in self._qt_spans]
        self._find_selections = []
        self.body.setExtraSelections([])
        self.highlighter.reset()
        self.body.setPlainText(a.body)
        if self.find_bar.isVisible() and self.find_edit.text():
            self._find_changed(self.find_edit.text())

    def _qt(self, pos: int) -> int:
        if self._offsets is None:
            return pos
        return self._offsets[max(0, min(pos, len(self._offsets) - 1))]

    def _from_qt(self, pos: int) -> int:
        if self._offsets is None:
            return pos
        return max(0, bisect.bisect_right(self._offsets, pos) - 1)

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.rehighlight()

    def mention_format(self, mention: MentionInfo) -> QTextCharFormat:
        strong, fill = self.theme.mention.get(mention.type, self.theme.mention["MISC"])
        fmt = QTextCharFormat()
        fmt.setUnderlineColor(QColor(strong))
        if mention.entity_id is None:
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
        elif mention.status == "confirmed":
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
            fmt.setBackground(QColor(fill))
        elif mention.status == "linked":
            # Linked by an exact name match, not yet seen by the user: as sure as
            # the machine gets, so a solid line, but the fill of the unconfirmed.
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
            light = QColor(fill)
            light.setAlpha(self.theme.suggested_alpha)
            fmt.setBackground(light)
        else:
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
            light = QColor(fill)
            light.setAlpha(self.theme.suggested_alpha)
            fmt.setBackground(light)
        return fmt

    def rehighlight(self) -> None:
        self.highlighter.reset()
        self.highlighter.rehighlight()

    def highlighted_count(self) -> int:
        """How many mention spans the last highlighting pass drew."""
        return len(self.highlighter.applied)

    # -- mentions under the mouse ---------------------------------------------
    def mention_at_qt(self, pos: int) -> MentionInfo | None:
        """The mention covering Qt position ``pos`` (the innermost when nested)."""
        i = bisect.bisect_right(self._starts, pos) - 1
        best = None
        # Overlapping spans are rare and short; look back a few starts.
        for j in range(i, max(-1, i - 8), -1):
            start, end = self._qt_spans[j]
            if start <= pos < end and (best is None or end - start < best[1] - best[0]):
                best = (start, end, j)
        return self._mentions[best[2]] if best else None

    def mention_at(self, offset: int) -> MentionInfo | None:
        """The mention covering a character offset of the body."""
        return self.mention_at_qt(self._qt(offset))

    def tooltip(self, mention: MentionInfo) -> str:
        kind = TYPE_SINGULAR.get(mention.type, mention.type)
        if mention.entity_id is None:
            return tip(f"“{mention.text}” · {kind} · not linked to an entity")
        status = {
            "confirmed": "confirmed",
            "linked": "linked by its exact name, not yet confirmed",
        }.get(mention.status, "suggested, not confirmed")
        return tip(f"{mention.entity_name} · {kind} · {status}")

    def activate(self, mention: MentionInfo) -> None:
        self.mentionActivated.emit(mention)
        if mention.entity_id is not None:
            self.entityActivated.emit(mention.entity_id)

    def selection_span(self) -> tuple[int, int] | None:
        c = self.body.textCursor()
        if not c.hasSelection():
            return None
        return self._from_qt(c.selectionStart()), self._from_qt(c.selectionEnd())

    def fill_menu(
        self, menu: QMenu, mention: MentionInfo | None, span: tuple[int, int] | None
    ) -> None:
        if self.menu_hook is not None and (mention is not None or span is not None):
            menu.addSeparator()
            self.menu_hook(menu, mention, span)

    def scroll_to(self, start: int, end: int) -> None:
        """Select and show the characters [start, end) of the body."""
        cursor = self.body.textCursor()
        cursor.setPosition(self._qt(start))
        cursor.setPosition(self._qt(end), QTextCursor.MoveMode.KeepAnchor)
        self.body.setTextCursor(cursor)
        self.body.centerCursor()

    # -- find in article ------------------------------------------------------
    def open_find(self) -> None:
        self.find_bar.show()
        self.find_edit.setFocus()
        self.find_edit.selectAll()

    def close_find(self) -> None:
        self.find_bar.hide()
        self._find_selections = []
        self.body.setExtraSelections([])
        self.find_status.clear()
        self.body.setFocus()

    def _find_changed(self, text: str) -> None:
        doc = self.body.document()
        fmt = QTextCharFormat()
        fmt.setBackground(QColor(self.theme.find))
        selections = []
        if text:
            cursor = doc.find(text, 0)
            while not cursor.isNull() and len(selections) < 5000:
                sel = QTextEdit.ExtraSelection()
                sel.cursor = cursor  # type: ignore[attr-defined]
                sel.format = fmt  # type: ignore[attr-defined]
                selections.append(sel)
                cursor = doc.find(text, cursor)
        self._find_selections = selections
        self.body.setExtraSelections(selections)
        self.find_status.setText(
            "" if not text else f"{len(selections)} match{'es' if len(selections) != 1 else ''}"
        )
        if selections:
            first = QTextCursor(selections[0].cursor)  # type: ignore[attr-defined]
            self.body.setTextCursor(first)
            self.body.ensureCursorVisible()

    def find_count(self) -> int:
        return len(self._find_selections)

    def find_next(self) -> bool:
        return self._find(QTextDocument.FindFlag(0))

    def find_previous(self) -> bool:
        return self._find(QTextDocument.FindFlag.FindBackward)

    def _find(self, flags: QTextDocument.FindFlag) -> bool:
        text = self.find_edit.text()
        if not text:
            return False
        if self.body.find(text, flags):
            return True
        # Wrap around, as every editor's find does.
        cursor = self.body.textCursor()
        backward = bool(flags & QTextDocument.FindFlag.FindBackward)
        cursor.movePosition(
            QTextCursor.MoveOperation.End if backward else QTextCursor.MoveOperation.Start
        )
        self.body.setTextCursor(cursor)
        return self.body.find(text, flags)


def add_disabled(menu: QMenu, text: str, why: str) -> QAction:
    """A menu entry shown but disabled, with the reason as its tooltip."""
    action = menu.addAction(text)
    action.setEnabled(False)
    action.setToolTip(why)
    action.setStatusTip(why)
    return action
