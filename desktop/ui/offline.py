"""Text views that load nothing from outside (see desktop.report.offline)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QTextBrowser, QWidget

from desktop.report.offline import allowed


class OfflineTextBrowser(QTextBrowser):
    """A QTextBrowser whose HTML cannot pull in images, stylesheets or fonts
    (the stock one reads local files named by ``src``), and which never
    follows a link by itself."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.refused: list[str] = []
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)

    def loadResource(self, type: int, url: QUrl) -> Any:
        if allowed(url):
            return super().loadResource(type, url)
        self.refused.append(url.toString())
        return None
