"""The main window: library, article pane and entity sidebar side by side."""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QSplitter,
    QTableView,
    QTextBrowser,
    QTreeWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.core.services import library
from desktop.core.store import Store
from desktop.ui.models import ArticleTableModel


def _titled(title: str, widget: QWidget) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(4, 4, 4, 4)
    label = QLabel(f"<b>{title}</b>")
    layout.addWidget(label)
    layout.addWidget(widget)
    return box


class MainWindow(QMainWindow):
    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.setWindowTitle(f"Dossier Desk — {store.path.name}")
        self.resize(1280, 800)

        self.article_model = ArticleTableModel(self)
        self.library_view = QTableView()
        self.library_view.setModel(self.article_model)
        self.library_view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.library_view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.library_view.verticalHeader().hide()
        header = self.library_view.horizontalHeader()
        header.setSectionResizeMode(0, header.ResizeMode.Stretch)
        header.setSectionResizeMode(1, header.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, header.ResizeMode.ResizeToContents)
        self.library_view.setAccessibleName("Library")
        self.library_view.activated.connect(self._open_index)
        self.library_view.clicked.connect(self._open_index)

        self.article_view = QTextBrowser()
        self.article_view.setAccessibleName("Article")
        self.article_view.setOpenLinks(False)

        self.entity_sidebar = QTreeWidget()
        self.entity_sidebar.setHeaderLabels(["Entity", "Mentions"])
        self.entity_sidebar.setAccessibleName("Entities")

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(_titled("Library", self.library_view))
        splitter.addWidget(_titled("Article", self.article_view))
        splitter.addWidget(_titled("Entities", self.entity_sidebar))
        splitter.setSizes([360, 640, 280])
        self.setCentralWidget(splitter)
        self.refresh()

    def refresh(self) -> None:
        self.article_model.set_articles(library.list_articles(self.store))
        info = library.library_info(self.store)
        self.statusBar().showMessage(
            f"{info.articles} articles · {info.entities} entities · {info.mentions} mentions"
        )
        if self.article_model.rowCount() and not self.article_view.toPlainText():
            self.library_view.selectRow(0)
            self._open_index(self.article_model.index(0, 0))

    def _open_index(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        self.open_article(self.article_model.article_at(index.row()).id)

    def open_article(self, article_id: int) -> None:
        a = library.get_article(self.store, article_id)
        meta = " · ".join(x for x in (a.publication, a.author, a.date or "") if x)
        # Every piece of article text is escaped: names like "<b>" stay literal.
        paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in a.body.split("\n") if p.strip())
        self.article_view.setHtml(
            f"<h2>{html.escape(a.title or '(untitled)')}</h2>"
            f"<p style='color:gray'>{html.escape(meta)}</p>{paragraphs}"
        )
