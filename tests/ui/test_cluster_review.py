"""The cluster dialog of the review queue: every spelling at once, per-name
exclusion, one merge and one undo; the queue's least-certain order."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop.core.services import library, resolve
from desktop.ui.cluster_dialog import ClusterDialog, ClusterModel
from desktop.ui.review import ReviewQueue
from desktop.ui.tasks import TaskRunner
from tests.core.resolve_helpers import add_article, add_entity, add_mention

SHOTS = Path(__file__).resolve().parents[2] / "screenshots-tmp"


@pytest.fixture
def spellings(store):
    names = {
        "jem": ("Jaish-e-Mohammed", "ORG", ("JeM",)),
        "jem2": ("Jaish-e-Muhammad", "ORG", ()),
        "jem3": ("Jaish e Mohammad", "ORG", ()),
        "jem4": ("Jaish-i-Mohammed", "ORG", ()),
        "azhar": ("Masood Azhar", "PER", ()),
        "azhar2": ("Maulana Masood Azhar", "PER", ()),
        "ilyas": ("Masood Ilyas", "PER", ()),
    }
    ids = {k: add_entity(store, n, t, aliases=a) for k, (n, t, a) in names.items()}
    art = add_article(
        store,
        "Jaish-e-Mohammed and Jaish-e-Mohammed again; Jaish-e-Muhammad; Masood Azhar.",
        title="Convoy attack inquiry",
    )
    add_mention(store, art, ids["jem"], "Jaish-e-Mohammed")
    add_mention(store, art, ids["jem"], "Jaish-e-Mohammed")
    add_mention(store, art, ids["jem2"], "Jaish-e-Muhammad")
    add_mention(store, art, ids["azhar"], "Masood Azhar")
    return store, ids


@pytest.fixture
def queue(qtbot, spellings):
    store, ids = spellings
    w = ReviewQueue(store, TaskRunner(synchronous=True))
    qtbot.addWidget(w)
    w.resize(1100, 700)
    w.refresh()
    return w, store, ids


def _rows(dialog: ClusterDialog) -> dict[str, int]:
    return {dialog.model.member_at(r).name: r for r in range(dialog.model.rowCount())}


def test_cluster_model_passes_the_model_tester(qtmodeltester, queue):
    w, *_ = queue
    model = ClusterModel()
    model.set_cluster(w.clusters[0])
    qtmodeltester.check(model)
    qtmodeltester.check(ClusterModel())


def test_queue_groups_pairs_and_c_opens_the_cluster_of_the_current_pair(qtbot, queue):
    w, _store, ids = queue
    assert "cluster" in w.status.text()
    jem = {ids[k] for k in ("jem", "jem2", "jem3", "jem4")}
    row = next(r for r in range(w.model.rowCount()) if {w.model.suggestion_at(r).a} <= jem)
    w._select(row)
    qtbot.keyClick(w, Qt.Key.Key_C)
    dialog = w.cluster_dialog
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert set(dialog.cluster().ids) == jem
    rows = _rows(dialog)
    first = dialog.model.member_at(0)
    # Most mentioned first, with its type, mention count and other names.
    assert (first.name, first.type, first.mentions, first.aliases) == (
        "Jaish-e-Mohammed",
        "ORG",
        2,
        ("JeM",),
    )
    index = dialog.model.index(rows["Jaish-i-Mohammed"], 5)
    assert dialog.model.data(index).split(":")[0].split(" with ")[1] in {
        "Jaish-e-Mohammed",
        "Jaish-e-Muhammad",
        "Jaish e Mohammad",
    }
    assert dialog.canonical_name() == "Jaish-e-Mohammed"
    assert dialog.merge_button.text() == "&Merge 4 selected"
    assert "Cluster" in dialog.title.text()


def test_merge_selected_with_one_name_left_out_is_one_undo_step(qtbot, queue):
    w, store, ids = queue
    dialog = w.open_cluster()
    qtbot.addWidget(dialog)
    # The cluster of the first pair: show the JeM one whichever comes first.
    while ids["jem"] not in dialog.cluster().ids:
        dialog.show_cluster(dialog.position + 1)
    rows = _rows(dialog)
    # Space on the current row unticks it, as in any checklist.
    dialog.table.setCurrentIndex(dialog.model.index(rows["Jaish-i-Mohammed"], 0))
    qtbot.keyClick(dialog.table, Qt.Key.Key_Space)
    assert [x.name for x in dialog.model.unticked()] == ["Jaish-i-Mohammed"]
    assert dialog.merge_button.text() == "&Merge 3 selected"
    # The name to keep is offered from the ticked names and their aliases.
    offered = [dialog.canonical.itemText(i) for i in range(dialog.canonical.count())]
    assert "Jaish-i-Mohammed" not in offered
    assert "JeM" in offered
    dialog.canonical.setCurrentText("Jaish-e-Muhammad")
    if not SHOTS.exists():
        SHOTS.mkdir()
    assert dialog.grab().save(str(SHOTS / "cluster_dialog.png"))
    history = len(resolve.history(store))
    with qtbot.waitSignal(w.changed) as sig:
        qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    change = sig.args[0]
    assert len(resolve.history(store)) == history + 1
    assert "judged different" in change.label
    live = {e.id: e for e in library.list_entities(store)}
    # The record whose name was chosen is kept.
    assert live[ids["jem2"]].name == "Jaish-e-Muhammad"
    assert ids["jem"] not in live
    assert ids["jem4"] in live
    assert all({s.a, s.b} & {ids["jem"], ids["jem2"], ids["jem3"]} == set() for s in w.model._rows)
    # The next cluster is shown (or the dialog closed when none is left).
    assert ids["jem"] not in (dialog.cluster().ids if dialog.cluster() else [])
    resolve.undo(store)
    assert {ids["jem"], ids["jem2"], ids["jem3"], ids["jem4"]} <= {
        e.id for e in library.list_entities(store)
    }


def test_judging_the_unticked_different_can_be_turned_off(qtbot, queue):
    w, store, ids = queue
    clusters = [c for c in w.clusters if ids["jem"] in c.ids]
    dialog = ClusterDialog(store, clusters)
    qtbot.addWidget(dialog)
    rows = _rows(dialog)
    for name in ("Jaish e Mohammad", "Jaish-i-Mohammed"):
        dialog.model.setData(
            dialog.model.index(rows[name], 0),
            Qt.CheckState.Unchecked,
            Qt.ItemDataRole.CheckStateRole,
        )
    dialog.judge_apart.setChecked(False)
    dialog.merge_selected()
    assert resolve.judgements(store)
    assert all(j.verdict == "same" for j in resolve.judgements(store))
    pairs = {frozenset((s.a, s.b)) for s in resolve.suggest(store, limit=None)}
    assert frozenset((ids["jem3"], ids["jem4"])) in pairs


def test_a_different_judgement_inside_a_cluster_asks_before_merging(qtbot, queue):
    w, store, ids = queue
    clusters = [c for c in w.clusters if ids["jem"] in c.ids]
    resolve.judge(store, ids["jem2"], ids["jem3"], "different")
    dialog = ClusterDialog(store, clusters)
    qtbot.addWidget(dialog)
    assert not dialog.warning.isHidden()
    assert "≠" in dialog.warning.text()
    assert not dialog.merge_button.isEnabled()
    dialog.force.setChecked(True)
    assert dialog.merge_button.isEnabled()
    with qtbot.waitSignal(dialog.changed) as sig:
        dialog.merge_selected()
    assert sig.args[0].conflicts


def test_least_certain_first_orders_by_distance_from_50(queue):
    w, store, _ids = queue
    assert w.order.currentText() == "Least certain first"
    scores = [w.model.suggestion_at(r).score for r in range(w.model.rowCount())]
    assert scores == sorted(scores, key=lambda s: abs(s - 50))
    expected = [(s.a, s.b) for s in resolve.suggest(store, limit=None, informative=True)]
    assert [(s.a, s.b) for s in w.model._rows] == expected


def test_best_first_orders_by_score(queue):
    w, store, _ids = queue
    w.order.setCurrentIndex(1)
    assert w.order.currentText() == "Best first"
    assert [(s.a, s.b) for s in w.model._rows] == [
        (s.a, s.b) for s in resolve.suggest(store, limit=None)
    ]


def test_the_ranking_is_recomputed_after_each_judgement_in_the_window(
    qtbot, make_window, spellings
):
    from desktop.ui.wiring import install

    store, _ids = spellings
    window = make_window(store)
    wiring = install(window)
    wiring.relink_after_changes = False
    wiring.show_review()
    queue = wiring.review
    assert queue.model.rowCount() > 1
    first = queue.current()
    with qtbot.waitSignal(queue.suggestions_loaded, timeout=10000):
        queue.decide("different")
    pairs = [(s.a, s.b, s.score) for s in queue.model._rows]
    assert (first.a, first.b) not in {(a, b) for a, b, _ in pairs}
    # What the core ranks with the new judgement learnt, least certain first.
    expected = resolve.suggest(store, limit=None, informative=True)
    assert pairs == [(s.a, s.b, s.score) for s in expected]
    assert window.undo_stack.undoText().startswith("judgement:")
