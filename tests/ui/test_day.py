"""A researcher's day through the wired window, headless, with the real
services: import files, open an article, see its entities, mark a missed
name, merge two variants from the sidebar, undo and redo it, judge
suggestions in the review queue, search the library; the database is checked
after each step."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QMenu, QTabBar
from sqlmodel import select

from desktop.core import models as m
from desktop.core.names import alias_key
from desktop.core.services import dossiers as dossier_service
from desktop.core.services import library as library_service
from desktop.core.services import pipeline, resolve
from desktop.core.services.extraction import ExtractorStatus, ExtractReport
from desktop.core.store import Store
from desktop.ui.wiring import Wiring, install
from tests.core.resolve_helpers import snapshot

ARTICLES = {
    "pulwama.txt": (
        "Inquiry links convoy attack to Jaish-e-Mohammed\n\n"
        "Investigators in Srinagar tied the convoy attack near Pulwama to "
        "Jaish-e-Mohammed. A later statement by Jaish-e-Muhammad denied it. "
        "Masood Azhar was named in the charge sheet."
    ),
    "lahore.txt": (
        "Court hears evidence on charity fronts\n\n"
        "A court in Lahore heard that Lashkar-e-Taiba raised funds through charities. "
        "Maulana Masood Azhar was not mentioned; Lashkar-e-Tayyiba was."
    ),
    "quiet.txt": "A quiet week\n\nNo arrests were reported by the police in Kupwara.",
}

ENTITIES = (
    ("Jaish-e-Mohammed", "ORG"),
    ("Jaish-e-Muhammad", "ORG"),
    ("Masood Azhar", "PER"),
    ("Lashkar-e-Taiba", "ORG"),
    ("Maulana Masood Azhar", "PER"),
    ("Lashkar-e-Tayyiba", "ORG"),
)


def _rows(store: Store, model: type, *where) -> list:  # type: ignore[no-untyped-def,type-arg]
    with store.session() as s:
        rows = list(s.exec(select(model).where(*where)).all() if where else s.exec(select(model)))
        for r in rows:
            s.expunge(r)
        return rows


def _entity(store: Store, name: str) -> m.Entity:
    return _rows(store, m.Entity, m.Entity.name == name)[0]


def _extract(store: Store) -> dict[str, int]:
    """A fixed stand-in for entity extraction, so that each step of the day
    knows exactly which records exist: one entity per name and a suggested
    mention wherever the name occurs. The real extraction has its own tests
    (tests/core, tests/eval/extract, tests/cli/test_import_links_entities.py)."""
    ids: dict[str, int] = {}
    with store.session() as s:
        for name, kind in ENTITIES:
            e = m.Entity(name=name, type=kind)
            s.add(e)
            s.flush()
            assert e.id is not None
            ids[name] = e.id
            s.add(m.Alias(entity_id=e.id, name=name, key=alias_key(name), kind="name"))
        for article in s.exec(select(m.Article)).all():
            taken: list[tuple[int, int]] = []
            for name, kind in sorted(ENTITIES, key=lambda t: -len(t[0])):
                start = article.body.find(name)
                while start >= 0:
                    end = start + len(name)
                    if not any(a < end and start < b for a, b in taken):
                        taken.append((start, end))
                        s.add(
                            m.Mention(
                                article_id=article.id or 0,
                                start=start,
                                end=end,
                                text=name,
                                type=kind,
                                entity_id=ids[name],
                                method=m.MentionMethod.GAZETTEER,
                                status=m.MentionStatus.SUGGESTED,
                            )
                        )
                    start = article.body.find(name, end)
    return ids


def _select_text(window, text: str) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    body = window.article.view.article.body
    start = body.index(text)
    cursor = window.article.body.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(start + len(text), QTextCursor.MoveMode.KeepAnchor)
    window.article.body.setTextCursor(cursor)
    return start, start + len(text)


def _menu_actions(window, mention=None) -> dict:  # type: ignore[no-untyped-def,type-arg]
    menu = QMenu(window)
    window.mention_menu_actions(menu, mention, window.article.selection_span())
    out = {}
    for a in menu.actions():
        if a.menu():
            out.update({f"{a.text()}/{b.text()}": b for b in a.menu().actions()})
        out[a.text()] = a
    return out


def _select_in_sidebar(window, entity_ids: list[int]) -> None:  # type: ignore[no-untyped-def]
    """Click the first entity, Ctrl+click the others."""
    tree, model = window.sidebar.tree, window.sidebar.model
    flags = QItemSelectionModel.SelectionFlag
    for n, eid in enumerate(entity_ids):
        index = model.index_of(eid)
        assert index.isValid(), f"entity {eid} is not in the sidebar"
        tree.selectionModel().setCurrentIndex(
            index, (flags.ClearAndSelect if n == 0 else flags.Select) | flags.Rows
        )


@pytest.fixture
def wired(make_window, store: Store):  # type: ignore[no-untyped-def]
    window = make_window(store)
    wiring = install(window)
    # The day runs on the fixed stand-in extractor below; re-linking with the
    # real one after each change has its own test (test_relink_after_change).
    wiring.relink_after_changes = False
    return window, wiring


def test_a_day_through_the_window(qtbot, wired, store: Store, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window, wiring = wired
    ids: dict[str, int] = {}
    extracted: list[list[int]] = []

    def extract_new(store_: Store, article_ids: list[int], *_a, **_k) -> ExtractReport:  # type: ignore[no-untyped-def]
        extracted.append(sorted(article_ids))
        ids.update(_extract(store_))
        return ExtractReport(articles=len(article_ids))

    monkeypatch.setattr(pipeline, "extract_new", extract_new)
    assert isinstance(wiring, Wiring)
    assert window.hooks.missing() == []
    assert window.center.currentWidget() is window.welcome

    # 1. Import files.
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    assert window.import_paths([folder])
    window.importer.summary.close()
    articles = {Path(a.source_path).name: a.id for a in _rows(store, m.Article)}
    assert sorted(articles) == sorted(ARTICLES)
    assert window.library.model.rowCount() == 3
    # The import went on to find the entities of exactly the new articles.
    assert extracted == [sorted(articles.values())]
    window.knowledge_changed()
    wiring.refresh_suggestions()

    # 2. Open an article and see its entities.
    window.library.articleActivated.emit(articles["pulwama.txt"])
    assert window.article.article_id() == articles["pulwama.txt"]
    # The headline is the body's first line: its Jaish-e-Mohammed is the fourth.
    assert window.article.highlighted_count() == 4
    assert set(window.sidebar.model.entity_ids()) == {
        ids["Jaish-e-Mohammed"],
        ids["Jaish-e-Muhammad"],
        ids["Masood Azhar"],
    }
    # The suggested duplicates show as badges in the sidebar.
    assert window.sidebar.model._duplicates[ids["Jaish-e-Mohammed"]] == 1

    # 3. Mark a missed name: "Pulwama" as a place.
    span = _select_text(window, "Pulwama")
    _menu_actions(window)["Mark selection as/Place"].trigger()
    mark = _rows(store, m.Mention, m.Mention.method == "manual")
    assert [(x.start, x.end, x.text, x.status) for x in mark] == [(*span, "Pulwama", "confirmed")]
    pulwama = _entity(store, "Pulwama")
    assert (pulwama.type, mark[0].entity_id) == ("LOC", pulwama.id)
    assert window.article.highlighted_count() == 5
    assert pulwama.id in window.sidebar.model.entity_ids()
    assert window.act_undo.text() == "&Undo marking of Pulwama as a place"

    # Confirm a suggested link from the article's context menu.
    azhar_mention = window.article.mention_at(window.article.view.article.body.index("Masood"))
    assert azhar_mention.status == "suggested"
    _menu_actions(window, azhar_mention)["Confirm link"].trigger()
    assert _rows(store, m.Mention, m.Mention.id == azhar_mention.id)[0].status == "confirmed"

    # 4. Merge two variants from the sidebar (Ctrl+M, the merge dialog).
    before_merge = snapshot(store)
    _select_in_sidebar(window, [ids["Jaish-e-Mohammed"], ids["Jaish-e-Muhammad"]])
    assert sorted(window._selected_entity_ids()) == sorted(
        [ids["Jaish-e-Mohammed"], ids["Jaish-e-Muhammad"]]
    )
    window.act_merge.trigger()
    dialog = wiring.merge_dialog
    assert dialog is not None
    assert dialog.isVisible()
    assert not dialog.warning.isVisible()
    assert dialog.canonical_name() == "Jaish-e-Mohammed"  # the most mentioned
    dialog.accept()
    variant = _entity(store, "Jaish-e-Muhammad")
    assert variant.merged_into_id == ids["Jaish-e-Mohammed"]
    moved = _rows(store, m.Mention, m.Mention.text == "Jaish-e-Muhammad")
    assert {x.entity_id for x in moved} == {ids["Jaish-e-Mohammed"]}
    assert "Jaish-e-Muhammad" in [
        a.name for a in _rows(store, m.Alias, m.Alias.entity_id == ids["Jaish-e-Mohammed"])
    ]
    assert ids["Jaish-e-Muhammad"] not in window.sidebar.model.entity_ids()
    assert window.act_undo.text() == "&Undo merge of Jaish-e-Muhammad into Jaish-e-Mohammed"
    after_merge = snapshot(store)

    # 5. Undo and redo it: the rows come back exactly.
    window.act_undo.trigger()
    assert snapshot(store) == before_merge
    assert ids["Jaish-e-Muhammad"] in window.sidebar.model.entity_ids()
    assert window.act_redo.text() == "&Redo merge of Jaish-e-Muhammad into Jaish-e-Mohammed"
    window.act_redo.trigger()
    assert snapshot(store) == after_merge
    assert ids["Jaish-e-Muhammad"] not in window.sidebar.model.entity_ids()

    # 6. Judge suggestions in the review queue (Ctrl+R, then S / D / Ctrl+Z).
    wiring.refresh_suggestions()  # the refresh after a change is debounced
    wiring.act_review.trigger()
    assert wiring.review_dock.isVisible()
    queue = wiring.review
    pairs = [
        {queue.model.suggestion_at(r).a_name, queue.model.suggestion_at(r).b_name}
        for r in range(queue.model.rowCount())
    ]
    assert pairs == [
        {"Lashkar-e-Taiba", "Lashkar-e-Tayyiba"},  # they share an article
        {"Masood Azhar", "Maulana Masood Azhar"},
    ]
    qtbot.keyClick(queue, Qt.Key.Key_S)
    judged = _rows(store, m.Judgement)
    assert [(j.verdict, {j.a_id, j.b_id}) for j in judged] == [
        ("same", {ids["Lashkar-e-Taiba"], ids["Lashkar-e-Tayyiba"]})
    ]
    assert _entity(store, "Lashkar-e-Tayyiba").merged_into_id == ids["Lashkar-e-Taiba"]
    assert window.act_undo.text() == "&Undo judgement: Lashkar-e-Taiba same Lashkar-e-Tayyiba"
    assert queue.model.rowCount() == 1
    qtbot.keyClick(queue, Qt.Key.Key_D)
    assert [j.verdict for j in _rows(store, m.Judgement)] == ["same", "different"]
    assert queue.model.rowCount() == 0
    # Ctrl+Z in the queue walks the window's stack: the "different" goes.
    before_undo = window.undo_stack.index()
    qtbot.keyClick(queue, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.undo_stack.index() == before_undo - 1
    # Judgements are append-only: the undone "different" stays, revoked.
    assert [j.verdict for j in _rows(store, m.Judgement) if j.revoked_at is None] == ["same"]
    wiring.refresh_suggestions()
    assert queue.model.rowCount() == 1
    qtbot.keyClick(queue, Qt.Key.Key_S)
    assert _entity(store, "Maulana Masood Azhar").merged_into_id == ids["Masood Azhar"]
    assert window.sidebar.model._duplicates == {}

    # 7. Rename with F2 and collect the entity in a dossier.
    window.sidebar.select_entity(ids["Jaish-e-Mohammed"])
    window.act_rename.trigger()
    wiring.rename_dialog.setTextValue("Jaish-e-Mohammed (JeM)")
    wiring.rename_dialog.accept()
    assert _entity(store, "Jaish-e-Mohammed (JeM)").id == ids["Jaish-e-Mohammed"]
    window.hooks.add_to_dossier(ids["Jaish-e-Mohammed"], None)
    _select_text(window, "convoy attack near Pulwama")
    _menu_actions(window)["Add excerpt to dossier"].trigger()
    _menu_actions(window)["Add article to dossier"].trigger()
    (dossier,) = dossier_service.list_dossiers(store)
    items = dossier_service.list_items(store, dossier.id)
    assert [i.kind for i in items] == ["entity", "excerpt", "article"]
    assert [i.article_id for i in items[1:]] == [articles["pulwama.txt"]] * 2
    assert wiring.dossier_dock.isVisible()

    # 8. Search the library (Ctrl+K).
    window.act_search.trigger()
    window.library.search.setText("Lashkar")
    window.library.apply_filter()
    shown = [window.library.model.article_at(r).id for r in range(window.library.model.rowCount())]
    assert shown == library_service.search_articles(store, "Lashkar") == [articles["lahore.txt"]]

    # Every step is one entry in History, none left undone.
    history = resolve.history(store)
    assert [h.action for h in reversed(history)] == [
        "mark",
        "link",
        "merge",
        "judge",
        "judge",
        "judge",
        "rename",
    ]
    assert [h.undone for h in reversed(history)] == [False, False, False, False, True, False, False]


def test_link_unlink_and_not_an_entity_from_the_article(wired, store: Store) -> None:  # type: ignore[no-untyped-def]
    window, wiring = wired
    with store.session() as s:
        a = m.Article(
            title="t", body="Hafiz Saeed spoke. Hafiz Saeed left. Sunday.", sha256="a" * 64
        )
        e = m.Entity(name="Hafiz Muhammad Saeed", type="PER")
        s.add_all([a, e])
        s.flush()
        s.add(m.Alias(entity_id=e.id, name=e.name, key=alias_key(e.name), kind="name"))
        for start, text in ((0, "Hafiz Saeed"), (19, "Hafiz Saeed"), (37, "Sunday")):
            s.add(m.Mention(article_id=a.id, start=start, end=start + len(text), text=text))
        article_id, entity_id = a.id, e.id
    window.knowledge_changed()
    window.open_article(article_id)
    first, second, sunday = window.article.view.mentions

    _menu_actions(window, first)["Link to entity…"].trigger()
    picker = wiring.picker
    picker.search.setText("saeed")
    picker.update_results()
    assert picker.selected_entity_id() == entity_id
    picker.accept()
    x = _rows(store, m.Mention, m.Mention.id == first.id)[0]
    assert (x.entity_id, x.status) == (entity_id, "confirmed")
    assert window.act_undo.text() == "&Undo link of 'Hafiz Saeed' to Hafiz Muhammad Saeed"

    window.hooks.unlink_mention(first.id)
    assert _rows(store, m.Mention, m.Mention.id == first.id)[0].entity_id is None
    window.hooks.not_an_entity(sunday.id)
    assert _rows(store, m.Mention, m.Mention.id == sunday.id)[0].status == "rejected"
    assert [n.text for n in _rows(store, m.NotEntity)] == ["Sunday"]
    window.act_undo.trigger()
    window.act_undo.trigger()
    assert _rows(store, m.NotEntity) == []
    x = _rows(store, m.Mention, m.Mention.id == first.id)[0]
    assert (x.entity_id, x.status) == (entity_id, "confirmed")
    # An error from the service is shown, and nothing lands on the stack.
    count = window.undo_stack.count()
    window.hooks.confirm_mention(second.id)
    assert window.undo_stack.count() == count
    assert "not linked" in window.last_message.text()
    window.last_message.close()
    # Suggestions are computed only once the review queue has been opened...
    assert not wiring._suggest_timer.isActive()
    wiring.show_review()
    assert wiring.suggestions_active
    window.hooks.not_an_entity(sunday.id)
    assert wiring._suggest_timer.isActive()  # ...then they follow the changes...
    window.close()
    assert not wiring._suggest_timer.isActive()  # ...but never outlive the window


def test_merge_across_a_different_judgement_warns(wired, store: Store) -> None:  # type: ignore[no-untyped-def]
    window, wiring = wired
    with store.session() as s:
        a = m.Entity(name="Masood Azhar", type="PER")
        b = m.Entity(name="Masood Ilyas", type="PER")
        s.add_all([a, b])
        s.flush()
        a_id, b_id = a.id, b.id
    resolve.judge(store, a_id, b_id, "different")
    window.sidebar.set_scope("library")
    before = snapshot(store)
    _select_in_sidebar(window, [a_id, b_id])
    window.act_merge.trigger()
    dialog = wiring.merge_dialog
    assert dialog.warning.isVisible()
    assert "Masood Azhar ≠ Masood Ilyas" in dialog.warning.text()
    ok = dialog.buttons.buttons()[0]
    assert not ok.isEnabled()
    dialog.force.setChecked(True)
    assert ok.isEnabled()
    dialog.accept()
    assert _entity(store, "Masood Ilyas").merged_into_id is not None
    assert "overriding" in window.statusBar().currentMessage()
    window.act_undo.trigger()
    assert snapshot(store) == before


def test_undo_refused_by_the_resolver_is_shown_not_raised(wired, store: Store) -> None:  # type: ignore[no-untyped-def]
    window, wiring = wired
    with store.session() as s:
        art = m.Article(title="t", body="JeM and Jaish-e-Mohammed.", sha256="b" * 64)
        a = m.Entity(name="Jaish-e-Mohammed", type="ORG")
        b = m.Entity(name="JeM", type="ORG")
        s.add_all([art, a, b])
        s.flush()
        x = m.Mention(article_id=art.id, start=0, end=3, text="JeM", entity_id=b.id)
        s.add(x)
        s.flush()
        a_id, b_id, x_id = a.id, b.id, x.id
    wiring.apply(lambda st: resolve.merge(st, [a_id, b_id]))
    # A change behind the window's back (the CLI, say) touches the same mention.
    resolve.unlink_mention(store, x_id)
    after = snapshot(store)
    window.act_undo.trigger()
    assert snapshot(store) == after
    box = window.last_message
    assert box.isVisible()
    assert "Could not undo the merge of JeM into Jaish-e-Mohammed" in box.text()
    assert "was changed by a later operation" in box.text()
    box.close()
    assert window.undo_stack.count() == 0  # the stale command is dropped


def test_new_database_rewires_the_views(wired, store: Store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window, wiring = wired
    assert window.open_database(tmp_path / "other.sqlite")
    other = window.store
    assert wiring.review.store is other
    assert wiring.dossiers.store is other
    with other.session() as s:
        art = m.Article(title="t", body="Kupwara was quiet.", sha256="c" * 64)
        s.add(art)
        s.flush()
        art_id = art.id
    window.knowledge_changed()
    window.hooks.mark_selection(art_id, 0, 7, "LOC")
    assert [e.name for e in _rows(other, m.Entity)] == ["Kupwara"]
    assert _rows(store, m.Entity) == []
    other.close()


def test_views_have_free_shortcuts_and_menu_entries(qtbot, wired) -> None:  # type: ignore[no-untyped-def]
    window, wiring = wired
    qtbot.wait(20)
    taken: dict[str, str] = {}
    for action in window.actions():
        for key in action.shortcuts():
            text = key.toString()
            assert text not in taken, f"{text} is used by {taken[text]} and {action.text()}"
            taken[text] = action.text()
    assert taken["Ctrl+R"] == "Review &duplicates"
    assert taken["Ctrl+Shift+D"] == "&Dossiers"
    assert wiring.act_review in window.view_menu.actions()
    assert wiring.review_dock.toggleViewAction() in window.views_menu.actions()
    # Tabbed below the article with the profile, which stays in front.
    assert set(window.tabifiedDockWidgets(window.views["profileDock"])) == {
        wiring.review_dock,
        wiring.dossier_dock,
    }
    (bar,) = [
        b for b in window.findChildren(QTabBar) if b.count() and b.tabText(0) == "Entity profile"
    ]
    assert [bar.tabText(i) for i in range(bar.count())] == [
        "Entity profile",
        "Review queue",
        "Dossiers",
    ]
    assert bar.currentIndex() == 0
    wiring.act_review.trigger()
    assert bar.tabText(bar.currentIndex()) == "Review queue"
    assert window.act_rename.isEnabled()
    assert window.act_merge.isEnabled()


def test_suggestions_run_off_the_gui_thread_and_follow_changes(  # type: ignore[no-untyped-def]
    qtbot, make_window, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    ids = {}
    with store.session() as s:
        for name in ("Lashkar-e-Taiba", "Lashkar-e-Tayyiba", "Masood Azhar", "Masood Ilyas"):
            e = m.Entity(name=name, type="ORG" if "Lashkar" in name else "PER")
            s.add(e)
            s.flush()
            s.add(m.Alias(entity_id=e.id, name=name, key=alias_key(name), kind="name"))
            ids[name] = e.id
    threads: list[bool] = []
    real_suggest = resolve.suggest

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread() is threading.main_thread())
        return real_suggest(*args, **kwargs)

    monkeypatch.setattr(resolve, "suggest", spy)
    window = make_window(store, synchronous=False)
    wiring = install(window)
    window.sidebar.set_scope("library")
    assert threads == []  # nothing computed until the user opens the queue
    wiring.show_review()
    qtbot.waitUntil(lambda: wiring.review.model.rowCount() == 1, timeout=5000)
    assert threads == [False]
    qtbot.waitUntil(lambda: bool(window.sidebar.model._duplicates), timeout=5000)
    assert window.sidebar.model._duplicates == {
        ids["Lashkar-e-Taiba"]: 1,
        ids["Lashkar-e-Tayyiba"]: 1,
    }
    # A merge elsewhere (Ctrl+M) makes the pair go away after the debounce.
    wiring.apply(lambda st: resolve.merge(st, [ids["Lashkar-e-Taiba"], ids["Lashkar-e-Tayyiba"]]))
    qtbot.waitUntil(lambda: len(threads) == 2, timeout=5000)
    qtbot.waitUntil(lambda: wiring.review.model.rowCount() == 0, timeout=5000)
    assert window.sidebar.model._duplicates == {}
    # Undo brings it back.
    window.act_undo.trigger()
    qtbot.waitUntil(lambda: wiring.review.model.rowCount() == 1, timeout=5000)
    window.runner.wait()


def test_the_application_window_comes_wired(qtbot, store: Store, settings_path: Path) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui.application import build_window
    from desktop.ui.settings import Settings
    from desktop.ui.tasks import TaskRunner

    window = build_window(
        store, settings=Settings(settings_path), runner=TaskRunner(synchronous=True)
    )
    qtbot.addWidget(window)
    assert window.hooks.missing() == []
    assert {"reviewDock", "dossierDock"} <= set(window.views)
    assert window.act_merge.isEnabled()
    assert window.act_rename.isEnabled()


def test_relink_after_change(make_window, store: Store) -> None:  # type: ignore[no-untyped-def]
    """Marking a name finds it in the other articles, as its own undo step,
    undone before the marking itself."""
    first = "Police said the raid took place in Kupwara district before dawn."
    second = "Shops stayed shut in Kupwara on Saturday, a day after the raid."
    with store.session() as s:
        for body in (first, second):
            s.add(m.Article(title=body[:20], body=body, sha256=str(hash(body))))
    ids = {a.body: a.id for a in _rows(store, m.Article)}
    window = make_window(store)
    wiring = install(window)
    progress: list[tuple[int, int]] = []
    wiring.relink_progress.advanced.connect(lambda done, total, _m: progress.append((done, total)))
    before = snapshot(store)

    start = first.index("Kupwara")
    window.hooks.mark_selection(ids[first], start, start + len("Kupwara"), "LOC")
    stack = window.undo_stack
    assert stack.count() == 2
    assert stack.text(0).startswith("marking of Kupwara")
    assert stack.text(1).startswith("re-linking of 2 articles after marking of Kupwara")
    mentions = library_service.article_mentions(store, ids[second])
    assert "Kupwara" in [x.text for x in mentions]
    assert progress
    assert progress[-1] == (2, 2)

    stack.undo()
    assert all(x.text != "Kupwara" for x in library_service.article_mentions(store, ids[second]))
    stack.undo()
    assert snapshot(store) == before


def test_the_window_says_when_typing_is_degraded(make_window, store: Store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    message = "The spaCy model could not be loaded; names are found by rules only."
    import desktop.core.extract

    monkeypatch.setattr(
        desktop.core.extract,
        "extractor_installed",
        lambda: ExtractorStatus(ner_available=False, degraded=True, message=message),
    )
    window = make_window(store)
    wiring = install(window)
    wiring.check_extractor()  # the window does this a few seconds after start
    assert wiring.typing_warning.isVisibleTo(window)
    assert "degraded" in wiring.typing_warning.text()
    assert wiring.typing_warning.toolTip() == message


def test_no_warning_when_the_model_loads(make_window, store: Store) -> None:  # type: ignore[no-untyped-def]
    window = make_window(store)
    wiring = install(window)
    wiring.check_extractor()
    assert not wiring.typing_warning.isVisibleTo(window)


def test_a_late_model_check_is_dropped(make_window, store: Store) -> None:  # type: ignore[no-untyped-def]
    # The check runs on a worker; the window (and its status bar) may be gone
    # by the time it answers, and the answer must not raise into another window.
    import shiboken6

    window = make_window(store)
    wiring = install(window)
    shiboken6.delete(window.statusBar())
    assert not shiboken6.isValid(wiring.typing_warning)
    wiring._show_extractor_status(ExtractorStatus(ner_available=True, degraded=False, message=""))
