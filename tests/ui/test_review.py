from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlmodel import select

from desktop.core import models as m
from desktop.core.resolver import Change
from desktop.core.services import resolve
from desktop.ui.merge_dialog import MergeDialog, NameChoiceModel
from desktop.ui.review import ReviewQueue, SuggestionModel
from desktop.ui.tasks import TaskRunner
from tests.core.resolve_helpers import add_article, add_entity, add_mention

SHOTS = Path(__file__).resolve().parents[2] / "screenshots-tmp"


@pytest.fixture
def library(store):
    art = add_article(
        store,
        "Jaish-e-Mohammed (JeM) chief Masood Azhar was named. Police said Jaish-e-Muhammad "
        "cadres met in Bahawalpur. Lashkar-e-Taiba and Lashkar-e-Jhangvi were not involved.",
        title="Convoy attack inquiry",
    )
    art2 = add_article(
        store, "Maulana Masood Azhar spoke in Bahawalpur about Jaish-e-Muhammad.", "Speech"
    )
    ids = {
        "jem": add_entity(store, "Jaish-e-Mohammed", aliases=("JeM",)),
        "jem2": add_entity(store, "Jaish-e-Muhammad"),
        "azhar": add_entity(store, "Masood Azhar", "PER"),
        "azhar2": add_entity(store, "Maulana Masood Azhar", "PER"),
        "let": add_entity(store, "Lashkar-e-Taiba"),
        "lej": add_entity(store, "Lashkar-e-Jhangvi"),
        "bwp": add_entity(store, "Bahawalpur", "LOC"),
    }
    add_mention(store, art, ids["jem"], "Jaish-e-Mohammed")
    add_mention(store, art, ids["jem2"], "Jaish-e-Muhammad")
    add_mention(store, art, ids["azhar"], "Masood Azhar")
    add_mention(store, art, ids["bwp"], "Bahawalpur")
    add_mention(store, art2, ids["azhar2"], "Maulana Masood Azhar")
    add_mention(store, art2, ids["jem2"], "Jaish-e-Muhammad")
    add_mention(store, art2, ids["bwp"], "Bahawalpur")
    return store, ids


@pytest.fixture
def queue(qtbot, library):
    store, ids = library
    runner = TaskRunner(synchronous=True)
    w = ReviewQueue(store, runner)
    qtbot.addWidget(w)
    w.resize(1100, 700)
    w.refresh()
    return w, store, ids


def test_models_pass_the_model_tester(qtmodeltester, queue):
    w, *_ = queue
    qtmodeltester.check(w.model)
    qtmodeltester.check(SuggestionModel())
    qtmodeltester.check(NameChoiceModel([("JeM", 1, 2), ("Jaish-e-Mohammed", 1, 2)]))


def test_queue_shows_pairs_side_by_side(queue):
    w, _store, ids = queue
    pairs = {
        (w.model.suggestion_at(r).a, w.model.suggestion_at(r).b) for r in range(w.model.rowCount())
    }
    assert (ids["jem"], ids["jem2"]) in pairs
    assert (ids["let"], ids["lej"]) not in pairs
    assert "score" in w.verdict_label.text()
    texts = w.left.toPlainText() + w.right.toPlainText()
    assert "Bahawalpur" in texts  # co-mentioned entity or snippet


def test_keys_decide_and_emit_changes(qtbot, queue):
    w, store, _ids = queue
    first = w.current()
    with qtbot.waitSignal(w.changed) as sig:
        qtbot.keyClick(w, Qt.Key.Key_D)
    assert isinstance(sig.args[0], Change)
    assert all((s.a, s.b) != (first.a, first.b) for s in w.model._rows)
    assert resolve.suggest(store) == [] or all(
        {s.a, s.b} != {first.a, first.b} for s in resolve.suggest(store)
    )
    with qtbot.waitSignal(w.changed):
        qtbot.keyClick(w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert any({s.a, s.b} == {first.a, first.b} for s in w.model._rows)
    before = w.model.rowCount()
    qtbot.keyClick(w, Qt.Key.Key_N)
    assert w.model.rowCount() == before
    with qtbot.waitSignal(w.changed) as sig:
        qtbot.keyClick(w, Qt.Key.Key_S)
    assert "same" in sig.args[0].label


def test_same_across_different_warns_then_forces(qtbot, queue):
    w, store, ids = queue
    resolve.judge(store, ids["jem"], ids["jem2"], "different")
    resolve.revoke_judgement(store, 1)
    w.refresh()
    s = w.current()
    resolve.judge(store, s.a, s.b, "different")
    w.decide("same")
    assert not w.warning.isHidden()
    assert "judged different" in w.warning.text()
    with qtbot.waitSignal(w.changed):
        w.decide("same", force=True)


def test_merge_dialog_choice_of_name_and_warning(qtbot, library):
    store, ids = library
    resolve.judge(store, ids["azhar"], ids["azhar2"], "different")
    dlg = MergeDialog(store, [ids["jem"], ids["jem2"]])
    qtbot.addWidget(dlg)
    names = [dlg.model.name_at(r) for r in range(dlg.model.rowCount())]
    assert set(names) == {"Jaish-e-Mohammed", "JeM", "Jaish-e-Muhammad"}
    assert dlg.warning.isHidden()
    dlg.custom.setText("Jaish-e-Mohammed (JeM)")
    with qtbot.waitSignal(dlg.changed):
        dlg.accept()
    with store.session() as s:
        survivor = s.get(m.Entity, dlg.entity_ids[0])
        assert survivor.name == "Jaish-e-Mohammed (JeM)"
        assert s.exec(select(m.Entity).where(m.Entity.merged_into_id == survivor.id)).all()

    dlg2 = MergeDialog(store, [ids["azhar"], ids["azhar2"]])
    qtbot.addWidget(dlg2)
    ok = dlg2.buttons.button(dlg2.buttons.StandardButton.Ok)
    assert not dlg2.warning.isHidden()
    assert not ok.isEnabled()
    dlg2.force.setChecked(True)
    assert ok.isEnabled()
    dlg2.accept()
    assert dlg2.change is not None
    assert dlg2.change.conflicts


def test_screenshot(queue):
    w, *_ = queue
    SHOTS.mkdir(exist_ok=True)
    assert w.grab().save(str(SHOTS / "review_queue.png"))
