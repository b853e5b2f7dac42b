"""Every item model of the window, checked by Qt's model tester and for the
sorting and filtering the views rely on."""

from __future__ import annotations

import pytest

# The Qt-free run (PySide6 blocked) skips these instead of failing to import them.
pytest.importorskip("PySide6")

import datetime as dt

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from desktop.core.services import browse
from desktop.ui.models import ArticleTableModel, EntityTreeModel, IdRole
from desktop.ui.panes import ProfilePane

from .conftest import Library


def test_article_model(qtmodeltester, library: Library) -> None:  # type: ignore[no-untyped-def]
    model = ArticleTableModel()
    model.set_articles(browse.article_rows(library.store))
    qtmodeltester.check(model)
    assert model.rowCount() == 3
    # Default order: newest first, undated last.
    assert [model.data(model.index(r, 2)) for r in range(3)] == ["2020-06-15", "2019-03-01", ""]
    model.sort(0, Qt.SortOrder.AscendingOrder)
    titles = [model.data(model.index(r, 0)) for r in range(3)]
    assert titles == sorted(titles, key=str.casefold)
    model.sort(3, Qt.SortOrder.DescendingOrder)
    assert [model.data(model.index(r, 3)) for r in range(3)] == [4, 3, 0]
    model.set_filter({library.articles["a1"], library.articles["a3"]})
    assert {model.data(model.index(r, 0), IdRole) for r in range(model.rowCount())} == {
        library.articles["a1"],
        library.articles["a3"],
    }
    model.set_filter(None, dt.date(2020, 1, 1), dt.date(2020, 12, 31))
    assert model.rowCount() == 1
    assert model.article_at(0).id == library.articles["a2"]
    qtmodeltester.check(model)


def test_entity_tree_model(qtmodeltester, library: Library) -> None:  # type: ignore[no-untyped-def]
    model = EntityTreeModel()
    model.set_entities(browse.library_entities(library.store))
    qtmodeltester.check(model)
    groups = [model.data(model.index(r, 0)) for r in range(model.rowCount())]
    assert groups == ["People (2)", "Organisations (2)", "Places (1)"]
    people = model.index(0, 0)
    assert model.rowCount(people) == 2
    child = model.index(0, 0, people)
    assert model.parent(child) == people
    assert model.data(child) == "Masood Azhar"
    assert model.data(model.index(1, 2, people)) == "● 1"  # Saeed: one suggested link
    model.set_filter("let")
    qtmodeltester.check(model)
    assert model.entity_ids() == [library.entities["let"]]
    assert model.index_of(library.entities["let"]).isValid()
    assert not model.index_of(library.entities["jem"]).isValid()
    model.set_filter("zzz")
    assert model.rowCount() == 0
    qtmodeltester.check(model)
    assert model.parent(QModelIndex()) == QModelIndex()


def test_profile_models(qtbot, qtmodeltester, library: Library) -> None:  # type: ignore[no-untyped-def]
    pane = ProfilePane(library.store)
    qtbot.addWidget(pane)
    pane.show_entity(library.entities["jem"])
    for model in (pane.aliases, pane.mentions, pane.co_mentions, pane.relations):
        assert model.rowCount() > 0
        qtmodeltester.check(model)
    pane.co_mentions.sort(2, Qt.SortOrder.DescendingOrder)
    assert pane.co_mentions.data(pane.co_mentions.index(0, 0)) == "Masood Azhar"
    pane.aliases.sort(0, Qt.SortOrder.AscendingOrder)
    names = [pane.aliases.data(pane.aliases.index(r, 0)) for r in range(3)]
    assert names == sorted(names, key=str.casefold)
    qtmodeltester.check(pane.aliases)


def test_entity_tree_caps_each_group_with_a_more_row(qtmodeltester, library: Library) -> None:  # type: ignore[no-untyped-def]
    model = EntityTreeModel(limit_per_group=1)
    model.set_entities(browse.library_entities(library.store))
    qtmodeltester.check(model)
    people = model.index(0, 0)
    assert model.data(people) == "People (2)"
    assert model.rowCount(people) == 2  # one person, then the "more" row
    more = model.index(1, 0, people)
    assert model.data(more) == "… 1 more: type in the filter to narrow"
    assert model.entity_at(more) is None
    assert not (model.flags(more) & Qt.ItemFlag.ItemIsSelectable)
    assert model.visible_count() == 5
    model.set_filter("hafiz")
    assert model.rowCount(model.index(0, 0)) == 1
    model.set_filter("hafiz s")  # narrowing from the previous matches
    assert model.entity_ids() == [library.entities["saeed"]]
    model.set_filter("a")  # widening starts again from every entity
    assert model.visible_count() == 5
    qtmodeltester.check(model)


def test_entity_tree_duplicate_badges(qtmodeltester, library: Library) -> None:  # type: ignore[no-untyped-def]
    model = EntityTreeModel()
    model.set_entities(browse.library_entities(library.store))
    model.set_duplicate_counts({library.entities["saeed"]: 2})
    saeed = model.index_of(library.entities["saeed"]).siblingAtColumn(2)
    assert model.data(saeed) == "● 1  ≈ 2"
    assert "2 possible duplicates" in model.data(saeed, Qt.ItemDataRole.ToolTipRole)
    qtmodeltester.check(model)


def _shown(model: EntityTreeModel) -> list[tuple[str, list[int]]]:
    out = []
    for g in range(model.rowCount()):
        group = model.index(g, 0)
        ids = [model.data(model.index(r, 0, group), IdRole) for r in range(model.rowCount(group))]
        out.append((model.data(group), ids))
    return out


def test_entity_filter_is_a_layout_change_that_keeps_the_selection(  # type: ignore[no-untyped-def]
    qtmodeltester, library: Library
) -> None:
    model = EntityTreeModel()
    model.set_entities(browse.library_entities(library.store))
    # Attached from here on: Qt's tester checks every signal the filter emits.
    qtmodeltester.check(model)
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    selected = QPersistentModelIndex(model.index_of(library.entities["saeed"]))
    people = QPersistentModelIndex(model.index(0, 0))
    for text in ("h", "ha", "haf", "hafiz", "haf", "ha", "h", ""):
        model.set_filter(text)
        assert selected.isValid(), text
        assert model.entity_at(selected).id == library.entities["saeed"]
        assert model.data(people).startswith("People")
    model.set_filter("jaish")  # Saeed and the People group are not listed
    assert not selected.isValid()
    assert not people.isValid()
    assert resets == []


def test_entity_filter_cache_gives_what_a_fresh_filter_gives(library: Library) -> None:
    entities = browse.library_entities(library.store)
    typed = EntityTreeModel()
    typed.set_entities(entities)
    # As the sidebar loads the whole library: first letters computed ahead.
    ahead = EntityTreeModel()
    groups = EntityTreeModel.prepare(entities)
    ahead.set_prepared(groups, EntityTreeModel.first_letters(groups))
    # Narrowing, widening again (from the cache), a word added, every letter removed.
    for text in ("m", "ma", "mas", "ma", "m", "m a", "m az", "m", "a", "az", "", "s", "sa", "S "):
        typed.set_filter(text)
        ahead.set_filter(text)
        fresh = EntityTreeModel()
        fresh.set_entities(entities)
        fresh.set_filter(text)
        assert _shown(typed) == _shown(fresh), text
        assert _shown(ahead) == _shown(fresh), text
        expected = {e.id for e in browse.filter_entities(entities, text)}
        assert {i for _g, ids in _shown(typed) for i in ids} == expected, text


def test_sidebar_filter_keeps_groups_open_and_the_selection(qtbot, library: Library) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui.panes import EntitySidebar

    sidebar = EntitySidebar(library.store)
    qtbot.addWidget(sidebar)
    sidebar.set_scope("library")
    sidebar.show()
    assert sidebar.select_entity(library.entities["azhar"])
    sidebar.filter.setText("zzz")
    assert sidebar.model.rowCount() == 0
    sidebar.filter.setText("a")
    model = sidebar.model
    assert model.rowCount() >= 2
    for row in range(model.rowCount()):
        assert sidebar.tree.isExpanded(model.index(row, 0))
    sidebar.select_entity(library.entities["azhar"])
    sidebar.filter.setText("az")
    assert sidebar.selected_entity() == library.entities["azhar"]
