"""A QTextDocument that loads nothing from outside.

Qt's rich-text engine asks ``loadResource`` for every image, stylesheet and
font an HTML document names (``<img src>``, ``<link rel=stylesheet>``,
``background``). The stock implementation reads local files, ``qrc:`` and
``data:`` URLs, and a subclass could be handed a network-aware one. Every
document that renders HTML for a dossier refuses all of them: what it shows
was put in with ``addResource`` (the co-mention figures) or is inline. The
refused URLs are kept so tests can see what was asked for.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument

# Inline data carries its bytes in the URL: nothing is read from anywhere.
ALLOWED_SCHEMES = frozenset({"data"})


def allowed(url: QUrl) -> bool:
    return url.scheme().lower() in ALLOWED_SCHEMES


class OfflineTextDocument(QTextDocument):
    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.refused: list[str] = []

    def loadResource(self, type: int, url: QUrl) -> Any:
        if allowed(url):
            return super().loadResource(type, url)
        self.refused.append(url.toString())
        return None
