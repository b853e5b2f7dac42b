"""User text in places where Qt would otherwise read it as HTML.

Qt guesses: a label, a tooltip or a message box whose text looks like markup
(``Qt::mightBeRichText``: a tag before the first line break) is rendered as
rich text. An entity called ``<b>Front</b>`` would show as a bold "Front", and
``<img src="http://...">`` would show as a broken image (Qt's text engine
does not fetch remote URLs, but the name is gone either way). Labels that show
user data are set to plain text; tooltips, which have no format setting, go
through :func:`tip`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as QtGuiNamespace
from PySide6.QtWidgets import QLabel, QMessageBox


def tip(text: str) -> str:
    """A tooltip that shows ``text`` literally. Text Qt would take for markup
    is escaped into a paragraph (which also wraps a very long name); other
    text is returned unchanged."""
    if text and QtGuiNamespace.mightBeRichText(text):
        return QtGuiNamespace.convertFromPlainText(text, Qt.WhiteSpaceMode.WhiteSpaceNormal)
    return text


def plain_label(label: QLabel) -> QLabel:
    """Make ``label`` show its text as typed, whatever it looks like."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def plain_box(box: QMessageBox) -> QMessageBox:
    box.setTextFormat(Qt.TextFormat.PlainText)
    return box


def as_rich(text: str) -> str:
    """``text`` as escaped rich text, for APIs with no format setting that
    guess (``QMessageBox.question``): shown literally either way."""
    return QtGuiNamespace.convertFromPlainText(text, Qt.WhiteSpaceMode.WhiteSpaceNormal)


def menu_text(text: str) -> str:
    """``text`` for a menu entry or a button: a single ``&`` would become a
    keyboard mnemonic (and vanish), so it is doubled."""
    return text.replace("&", "&&")
