from __future__ import annotations

from pathlib import Path

from desktop.core.services import library
from desktop.resources import samples_dir
from desktop.ui.application import open_library
from desktop.ui.main_window import MainWindow
from desktop.ui.models import ArticleTableModel


def test_first_run_of_the_default_database_loads_the_samples_once(tmp_path):
    store, loaded = open_library(None)
    try:
        assert loaded
        count = library.library_info(store).articles
        assert count == len(list(samples_dir().iterdir()))
        assert "dossier-desk" in store.path.parts
    finally:
        store.close()
    store, loaded = open_library(None)
    try:
        assert not loaded
        assert library.library_info(store).articles == count
    finally:
        store.close()


def test_an_explicit_database_gets_no_samples(db_path: Path):
    store, loaded = open_library(db_path)
    try:
        assert not loaded
        assert library.library_info(store).articles == 0
    finally:
        store.close()


def test_window_lists_articles_and_shows_the_first(qtbot, samples_store):
    window = MainWindow(samples_store)
    qtbot.addWidget(window)
    window.show()
    rows = library.list_articles(samples_store)
    assert window.article_model.rowCount() == len(rows)
    assert rows[0].title in window.article_view.toPlainText()
    assert f"{len(rows)} articles" in window.statusBar().currentMessage()

    second = window.article_model.index(1, 0)
    window.library_view.clicked.emit(second)
    assert rows[1].title in window.article_view.toPlainText()


def test_article_model_passes_the_model_tester(qtmodeltester, samples_store):
    model = ArticleTableModel()
    model.set_articles(library.list_articles(samples_store))
    qtmodeltester.check(model)
