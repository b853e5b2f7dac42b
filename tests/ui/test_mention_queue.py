"""The queue of suggested links: what the status bar's "N to review" opens;
confirm (the spelling becomes an alias the dossier lists), reject, link
elsewhere, not an entity, all from the keyboard and onto the undo stack."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlmodel import select

from desktop.core import models as m
from desktop.core.dossier import entity_dossier
from desktop.core.services import review
from desktop.ui.mention_queue import MentionQueue, MentionReviewModel
from desktop.ui.tasks import TaskRunner
from desktop.ui.wiring import install
from tests.core.resolve_helpers import add_article, add_entity
from tests.ui.conftest import Library

SHOTS = Path(__file__).resolve().parents[2] / "screenshots-tmp"
BODY = (
    "Police said Jaish-e-Muhammad cadres met in Bahawalpur on Friday. "
    "Azhar was not seen; the group denied any role."
)


def _suggest(store, article: int, surface: str, entity: int | None) -> int:  # type: ignore[no-untyped-def]
    with store.session() as s:
        start = BODY.index(surface)
        x = m.Mention(
            article_id=article,
            start=start,
            end=start + len(surface),
            text=surface,
            type="ORG",
            entity_id=entity,
            status=m.MentionStatus.SUGGESTED,
            reason="close spelling (score 91)" if entity else "",
        )
        s.add(x)
        s.flush()
        return x.id or 0


@pytest.fixture
def suggested(store):
    art = add_article(store, BODY, title="Convoy attack inquiry")
    ids = {
        "jem": add_entity(store, "Jaish-e-Mohammed", aliases=("JeM",)),
        "azhar": add_entity(store, "Masood Azhar", "PER"),
        "bwp": add_entity(store, "Bahawalpur", "LOC"),
    }
    mentions = {
        "jem": _suggest(store, art, "Jaish-e-Muhammad", ids["jem"]),
        "bwp": _suggest(store, art, "Bahawalpur", None),
        "azhar": _suggest(store, art, "Azhar", ids["azhar"]),
    }
    return store, ids, mentions, art


@pytest.fixture
def queue(qtbot, suggested):
    store, ids, mentions, art = suggested
    w = MentionQueue(store, TaskRunner(synchronous=True))
    qtbot.addWidget(w)
    w.resize(1100, 420)
    w.refresh()
    return w, store, ids, mentions, art


def _alias_names(store, entity_id: int) -> set[str]:  # type: ignore[no-untyped-def]
    with store.session() as s:
        return {a.name for a in s.exec(select(m.Alias).where(m.Alias.entity_id == entity_id))}


def test_model_passes_the_model_tester(qtmodeltester, queue):
    w, *_ = queue
    qtmodeltester.check(w.model)
    qtmodeltester.check(MentionReviewModel())


def test_rows_show_each_mention_in_context_with_the_proposal(queue):
    w, _store, _ids, mentions, _art = queue
    assert [w.model.row_at(r).id for r in range(w.model.rowCount())] == [
        mentions["jem"],
        mentions["bwp"],
        mentions["azhar"],
    ]
    cells = [w.model.data(w.model.index(0, c)) for c in range(6)]
    assert cells[:2] == ["Police said", "Jaish-e-Muhammad"]
    assert cells[2].startswith("cadres met in Bahawalpur")
    assert cells[3:] == ["Jaish-e-Mohammed", "close spelling (score 91)", "Convoy attack inquiry"]
    assert w.model.data(w.model.index(1, 3)) == "(not linked)"
    assert "Proposed: <b>Jaish-e-Mohammed</b>" in w.detail.text()
    assert w.status.text() == "3 to review"
    SHOTS.mkdir(exist_ok=True)
    assert w.grab().save(str(SHOTS / "mention_queue.png"))


def test_return_confirms_and_the_spelling_becomes_an_alias_the_dossier_lists(qtbot, queue):
    w, store, ids, mentions, _art = queue
    assert "Jaish-e-Muhammad" not in _alias_names(store, ids["jem"])
    with qtbot.waitSignal(w.changed) as sig:
        qtbot.keyClick(w.table, Qt.Key.Key_Return)
    assert "alias Jaish-e-Muhammad added" in sig.args[0].label
    assert "Jaish-e-Muhammad" in _alias_names(store, ids["jem"])
    listed = {n for g in entity_dossier(store, ids["jem"]).sections[0].aliases for n in g.names}
    assert {"Jaish-e-Mohammed", "Jaish-e-Muhammad", "JeM"} <= listed
    with store.session() as s:
        assert s.get(m.Mention, mentions["jem"]).status == m.MentionStatus.CONFIRMED
    assert w.model.rowCount() == 2
    assert w.current().id == mentions["bwp"]
    assert w.status.text() == "2 to review"
    # Undo takes back the link and the alias together.
    w.undo()
    assert "Jaish-e-Muhammad" not in _alias_names(store, ids["jem"])
    assert w.model.rowCount() == 3


def test_reject_unlinks_and_keeps_the_mention_for_a_decision(qtbot, queue):
    w, store, _ids, mentions, _art = queue
    w._select(2)
    assert w.buttons["confirm"].isEnabled()
    with qtbot.waitSignal(w.changed):
        qtbot.keyClick(w.table, Qt.Key.Key_R)
    with store.session() as s:
        x = s.get(m.Mention, mentions["azhar"])
        assert x.entity_id is None
        assert x.status == m.MentionStatus.SUGGESTED
    assert w.model.rowCount() == 3
    assert w.model.data(w.model.index(2, 3)) == "(not linked)"
    w._select(2)
    assert not w.buttons["confirm"].isEnabled()
    assert not w.buttons["reject"].isEnabled()
    # Not an entity sets it aside for good.
    with qtbot.waitSignal(w.changed):
        qtbot.keyClick(w.table, Qt.Key.Key_X)
    with store.session() as s:
        assert s.get(m.Mention, mentions["azhar"]).status == m.MentionStatus.REJECTED
    assert [x.id for x in review.mentions_to_review(store)] == [mentions["jem"], mentions["bwp"]]


def test_link_elsewhere_picks_another_entity(qtbot, queue):
    w, store, ids, mentions, _art = queue
    w._select(1)
    qtbot.keyClick(w.table, Qt.Key.Key_L)
    picker = w.picker
    assert picker is not None
    row = next(r for r in range(picker.model.rowCount()) if picker.model.row_at(r).id == ids["bwp"])
    picker.table.setCurrentIndex(picker.model.index(row, 0))
    with qtbot.waitSignal(w.changed):
        picker.accept()
    with store.session() as s:
        x = s.get(m.Mention, mentions["bwp"])
        assert (x.entity_id, x.status) == (ids["bwp"], m.MentionStatus.CONFIRMED)
    assert mentions["bwp"] not in {x.id for x in review.mentions_to_review(store)}


def test_n_moves_on_and_o_opens_the_article_at_the_mention(qtbot, queue):
    w, _store, _ids, mentions, art = queue
    qtbot.keyClick(w.table, Qt.Key.Key_N)
    assert w.current().id == mentions["bwp"]
    with qtbot.waitSignal(w.openRequested) as sig:
        qtbot.keyClick(w.table, Qt.Key.Key_O)
    start = BODY.index("Bahawalpur")
    assert sig.args == [art, start, start + len("Bahawalpur")]


def test_status_bar_count_opens_the_queue_and_changes_go_on_the_undo_stack(
    qtbot, window, library: Library
):
    wiring = install(window)
    wiring.relink_after_changes = False
    label = window.review_label
    assert label.isVisible()
    assert "4 to review" in label.text()
    assert not wiring.mention_dock.isVisible() or wiring.mention_queue.model.rowCount() == 0
    label.linkActivated.emit("review")
    assert wiring.mention_dock.isVisible()
    queue = wiring.mention_queue
    assert queue.model.rowCount() == 4
    assert queue.current().text == "JeM"
    # The same from the keyboard: View > Review suggested links.
    assert wiring.act_mentions.shortcut().toString() == "Ctrl+Shift+R"
    assert wiring.act_mentions in window.view_menu.actions()
    with qtbot.waitSignal(queue.changed):
        queue.confirm()
    assert window.undo_stack.undoText().startswith("link of 'JeM'")
    assert "3 to review" in label.text()
    assert queue.model.rowCount() == 3
    window.undo_stack.undo()
    assert "4 to review" in label.text()
    assert queue.model.rowCount() == 4
