"""Switching the entity sidebar to the whole library is asynchronous: the
entities load on a worker while the window keeps serving events, with a busy
indicator until they are in."""

from __future__ import annotations

import threading

from desktop.core.services import browse
from desktop.ui.panes import EntitySidebar
from desktop.ui.tasks import TaskRunner

from .conftest import Library


def test_scope_switch_loads_on_a_worker_with_a_busy_indicator(  # type: ignore[no-untyped-def]
    qtbot, library: Library, monkeypatch
) -> None:
    release = threading.Event()
    threads: list[int] = []
    real = browse.library_entities

    def slow_library_entities(store):  # type: ignore[no-untyped-def]
        threads.append(threading.get_ident())
        # Held until the test has seen the window carry on without the result.
        assert release.wait(30)
        return real(store)

    monkeypatch.setattr(browse, "library_entities", slow_library_entities)
    runner = TaskRunner()
    sidebar = EntitySidebar(library.store, runner)
    qtbot.addWidget(sidebar)
    sidebar.show()
    sidebar.set_article(library.articles["a3"])  # Srinagar only: no linked entity
    before = sidebar.model.visible_count()

    sidebar.set_scope("library")  # returns at once: the load waits on the worker
    assert sidebar.loading
    assert sidebar.busy.isVisible()
    assert sidebar.model.visible_count() == before
    qtbot.wait(50)  # the event loop turns meanwhile
    assert sidebar.loading
    with qtbot.waitSignal(sidebar.loaded, timeout=10_000):
        release.set()
    assert threads
    assert threads[0] != threading.get_ident()
    assert not sidebar.loading
    assert not sidebar.busy.isVisible()
    assert sidebar.model.visible_count() == len(real(library.store))
    runner.wait()


def test_a_load_that_arrives_after_the_user_moved_on_is_dropped(  # type: ignore[no-untyped-def]
    qtbot, library: Library, monkeypatch
) -> None:
    release = threading.Event()
    real = browse.library_entities

    def slow_library_entities(store):  # type: ignore[no-untyped-def]
        assert release.wait(30)
        return real(store)

    monkeypatch.setattr(browse, "library_entities", slow_library_entities)
    runner = TaskRunner()
    sidebar = EntitySidebar(library.store, runner)
    qtbot.addWidget(sidebar)
    sidebar.set_article(library.articles["a1"])
    article_ids = sorted(sidebar.model.entity_ids())
    sidebar.set_scope("library")
    sidebar.set_scope("article")  # back before the library arrived
    release.set()
    runner.wait()
    qtbot.wait(50)  # the late result is delivered, and dropped
    assert not sidebar.loading
    assert not sidebar.busy.isVisible()
    assert sorted(sidebar.model.entity_ids()) == article_ids


def test_library_search_runs_on_a_worker_and_shows_the_newest_result(  # type: ignore[no-untyped-def]
    qtbot, library: Library, monkeypatch
) -> None:
    from desktop.ui.panes import LibraryPane

    threads: list[int] = []
    real = browse.search_article_ids

    def search(store, query):  # type: ignore[no-untyped-def]
        threads.append(threading.get_ident())
        return real(store, query)

    monkeypatch.setattr(browse, "search_article_ids", search)
    runner = TaskRunner()
    pane = LibraryPane(library.store, runner)
    qtbot.addWidget(pane)
    pane.refresh()
    assert pane.model.rowCount() == 3
    pane.search.setText("charities")  # only the Lahore article
    qtbot.waitUntil(lambda: pane.model.rowCount() == 1, timeout=5_000)
    assert pane.model.article_at(0).id == library.articles["a2"]
    assert threads
    assert all(t != threading.get_ident() for t in threads)
    assert pane.count.text() == "1 of 3 articles"
    pane.search.setText("")
    qtbot.waitUntil(lambda: pane.model.rowCount() == 3, timeout=5_000)
    runner.wait()
