"""Two windows as two researchers on one team library (the issue's "done
when"): an import in one shows in the other's article list within 5 s; a
"different" judgement in one blocks a merge in the other naming who judged;
a stale rename is refused with a reload offered."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from desktop.core.services import resolve as svc
from desktop.core.services.ingest import import_text
from desktop.core.store import open_store
from desktop.ui.wiring import install
from tests.core.resolve_helpers import add_entity

# `DOSSIER_DESK_TEAM_SHOTS=packaging/screenshots` writes the README's pictures.
SHOTS = os.environ.get("DOSSIER_DESK_TEAM_SHOTS")


def _shot(widget, name: str) -> None:  # type: ignore[no-untyped-def]
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(SHOTS) / name))


@pytest.fixture
def two(make_window, pg_url, pg_as):  # type: ignore[no-untyped-def]
    owner = open_store(pg_url)
    import_text(
        owner, "Masood Azhar and Maulana Masood Azhar were named in Bahawalpur.", title="Seed"
    )
    owner.close()
    alice, bob = open_store(pg_as("alice")), open_store(pg_as("bob"))
    wa, wb = make_window(alice, synchronous=True), make_window(bob, synchronous=True)
    install(wa)
    install(wb)
    yield wa, wb
    for w in (wa, wb):
        w.team.detach()
    alice.close()
    bob.close()


def test_bobs_import_shows_in_alices_window_within_5_s(qtbot, two):
    wa, wb = two
    assert wa.team.listening
    assert "postgresql://alice@127.0.0.1" in wa.windowTitle()
    before = wa.library.model.total()
    import_text(wb.store, "Hafiz Saeed addressed a rally in Lahore on Friday.", title="Rally")
    qtbot.waitUntil(lambda: wa.library.model.total() == before + 1, timeout=5000)
    assert not wa.act_backup_now.isEnabled()
    assert "others' changes show up here" in wa.team.label.text()
    wa.resize(1280, 760)
    row = next(
        r
        for r in range(wa.library.model.rowCount())
        if wa.library.model.article_at(r).title == "Rally"
    )
    wa.library.select_article(wa.library.model.article_at(row).id)
    wa.open_article(wa.library.model.article_at(row).id)
    _shot(wa, "team-alice-sees-bobs-import.png")


def test_alices_different_judgement_blocks_bobs_merge_naming_her(qtbot, two):
    wa, wb = two
    a = add_entity(wa.store, "Masood Azhar", "PER")
    b = add_entity(wa.store, "Maulana Masood Azhar", "PER")
    # Bob opens the merge dialog first; Alice judges while it is open.
    dialog = wb.wiring.merge_entities([a, b])
    assert dialog is not None
    svc.judge(wa.store, a, b, "different", note="father and son")
    dialog.accept()
    assert dialog.isVisible()
    assert "by alice" in dialog.error.text()
    assert "judged different" in dialog.error.text()
    _shot(dialog, "team-bob-merge-blocked.png")
    dialog.reject()
    # A new dialog warns before Merge, naming her.
    again = wb.wiring.merge_entities([a, b])
    assert "judged by alice" in again.warning.text()
    again.reject()


def test_a_stale_rename_is_refused_and_a_reload_offered(qtbot, two):
    wa, wb = two
    eid = add_entity(wa.store, "Hafiz Saeed", "PER")
    dialog = wb.wiring.rename_entity(eid)
    assert dialog is not None
    svc.rename(wa.store, eid, "Hafiz Muhammad Saeed")
    dialog.setTextValue("Hafiz Saeed (LeT)")
    dialog.accept()
    box = wb.last_message
    assert isinstance(box, QMessageBox)
    assert "was changed by alice" in box.text()
    assert "reload" in box.text()
    _shot(box, "team-bob-stale-rename.png")
    reload = next(b for b in box.buttons() if b.text() == "Reload")
    reload.click()
    assert svc.history(wb.store)[0].label == "rename of Hafiz Saeed to Hafiz Muhammad Saeed"


def test_a_pair_judged_by_alice_leaves_bobs_review_queue(qtbot, two):
    wa, wb = two
    a = add_entity(wa.store, "Lashkar-e-Taiba", "ORG")
    b = add_entity(wa.store, "Lashkar-e-Tayyiba", "ORG")
    wb.wiring.refresh_suggestions()
    queue = wb.wiring.review.model

    def pairs() -> set[frozenset[int]]:
        return {
            frozenset((s.a, s.b))
            for r in range(queue.rowCount())
            if (s := queue.suggestion_at(r)) is not None
        }

    qtbot.waitUntil(lambda: frozenset((a, b)) in pairs(), timeout=5000)
    svc.judge(wa.store, a, b, "different")
    qtbot.waitUntil(lambda: frozenset((a, b)) not in pairs(), timeout=5000)


def test_a_server_that_does_not_answer_is_reported_and_the_window_stays(qtbot, two):
    import socket

    wa, _wb = two
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    before = wa.store
    assert not wa.open_database(f"postgresql://alice@127.0.0.1:{port}/team")
    assert wa.store is before
    assert "the server is not answering" in wa.last_message.text()
    wa.last_message.close()
