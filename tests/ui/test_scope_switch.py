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
