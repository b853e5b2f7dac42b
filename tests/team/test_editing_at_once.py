"""Several researchers editing one team library at once: stale edits are
refused naming who, undo is yours and refuses after others' changes, a
"different" judgement is never overridden by a racing merge, and two imports
of one name make one entity."""

from __future__ import annotations

import threading

import pytest
from sqlmodel import col, select

from desktop.core import models as m
from desktop.core.errors import StaleEditError
from desktop.core.linking import Linker
from desktop.core.names import alias_key
from desktop.core.resolver import MergeConflictError, ResolveError, UndoError
from desktop.core.services import browse, extraction
from desktop.core.services import resolve as svc
from desktop.core.services.ingest import import_text
from desktop.core.store import Store, open_store
from tests.core.resolve_helpers import add_entity


@pytest.fixture
def team(pg_url, pg_as):  # type: ignore[no-untyped-def]
    """Alice and Bob, two editors, on one server library."""
    stores = [open_store(pg_as("alice")), open_store(pg_as("bob"))]
    yield stores
    for s in stores:
        s.close()


@pytest.mark.both_backends
def test_an_edit_of_a_stale_view_is_refused(store):
    eid = add_entity(store, "Jaish-e-Mohammed", "ORG")
    seen = browse.entity_profile(store, eid)
    svc.rename(store, eid, "Jaish-e-Muhammad", expected_version=seen.version)
    with pytest.raises(StaleEditError, match=r"was changed .*since you opened it; reload"):
        svc.rename(store, eid, "JeM", expected_version=seen.version)
    with pytest.raises(StaleEditError, match="reload"):
        browse.update_entity_text(store, eid, notes="x", expected_version=seen.version)
    fresh = browse.entity_profile(store, eid)
    assert fresh.name == "Jaish-e-Muhammad"
    assert fresh.version > seen.version
    browse.update_entity_text(store, eid, notes="founded 2000", expected_version=fresh.version)


def test_a_stale_rename_names_who_changed_the_record(team):
    alice, bob = team
    eid = add_entity(alice, "Hafiz Saeed", "PER")
    alices_view = browse.entity_profile(alice, eid)
    svc.rename(bob, eid, "Hafiz Muhammad Saeed", expected_version=alices_view.version)
    with pytest.raises(StaleEditError, match=r"Hafiz Muhammad Saeed was changed by bob at "):
        svc.rename(alice, eid, "Hafiz Saeed (LeT)", expected_version=alices_view.version)
    assert browse.entity_profile(alice, eid).updated_by == "bob"


def test_undo_is_your_own_and_refuses_after_someone_elses_change(team):
    alice, bob = team
    a = add_entity(alice, "Masood Azhar", "PER")
    b = add_entity(alice, "Maulana Masood Azhar", "PER")
    merged = svc.merge(alice, [a, b])
    # Bob has nothing of his own to undo, and may not undo Alice's merge.
    with pytest.raises(UndoError, match="nothing to undo"):
        svc.undo(bob)
    with pytest.raises(UndoError, match="was made by alice; only they can undo it"):
        svc.undo(bob, merged.history_id)
    svc.rename(bob, a, "Mohammed Masood Azhar Alvi")
    with pytest.raises(UndoError, match=r"changed by a later operation \(rename of .* by bob\)"):
        svc.undo(alice)
    svc.undo(bob)
    svc.undo(alice)
    with alice.session() as s:
        assert s.get(m.Entity, b).merged_into_id is None


def _race(*jobs):  # type: ignore[no-untyped-def]
    """Run the jobs in threads released together; their results or errors."""
    barrier = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)

    def run(i, job):  # type: ignore[no-untyped-def]
        barrier.wait()
        try:
            results[i] = job()
        except Exception as exc:
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, j)) for i, j in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def _holds_no_merge_across_a_different_judgement(store: Store) -> None:
    with store.session() as s:
        for j in s.exec(
            select(m.Judgement).where(
                m.Judgement.verdict == "different", col(m.Judgement.revoked_at).is_(None)
            )
        ):
            assert j.b_id is not None
            from desktop.core.resolver import root_id

            assert root_id(s, j.a_id) != root_id(s, j.b_id)


def test_a_racing_merge_never_overrides_a_different_judgement(team):
    alice, bob = team
    for round_ in range(8):
        a = add_entity(alice, f"Commander {round_}", "PER")
        b = add_entity(alice, f"Commander {round_} Khan", "PER")
        judged, merged = _race(
            lambda a=a, b=b: svc.judge(alice, a, b, "different"),
            lambda a=a, b=b: svc.merge(bob, [a, b]),
        )
        # Whoever came second was refused with a reason; nothing was lost.
        outcomes = {type(judged).__name__, type(merged).__name__}
        assert "Change" in outcomes, (judged, merged)
        if isinstance(merged, Exception):
            assert isinstance(merged, MergeConflictError)
            assert "by alice" in str(merged)
        if isinstance(judged, Exception):
            assert isinstance(judged, ResolveError)
            assert "already merged" in str(judged)
        _holds_no_merge_across_a_different_judgement(alice)


def test_two_imports_of_one_name_make_one_entity(team, monkeypatch):
    alice, bob = team
    ids = [
        import_text(store, f"Imran Khan met Nawaz Sharif in Lahore on {day}.", title=day)[0]
        for store, day in ((alice, "Monday"), (bob, "Tuesday"))
    ]
    # Both link with an index loaded before either committed: the race that
    # used to create "Imran Khan" twice.
    barrier = threading.Barrier(2)
    link = Linker.link_article

    def link_together(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        barrier.wait(30)
        return link(self, *args, **kwargs)

    monkeypatch.setattr(Linker, "link_article", link_together)
    results = _race(
        lambda: extraction.extract_articles(alice, [ids[0]]),
        lambda: extraction.extract_articles(bob, [ids[1]]),
    )
    assert not any(isinstance(r, Exception) for r in results), results
    with alice.session() as s:
        live = s.exec(select(m.Entity).where(col(m.Entity.merged_into_id).is_(None))).all()
        keys = [alias_key(e.name) for e in live]
        assert len(live) >= 2
        assert len(set(keys)) == len(keys), keys  # no entity twice
        for e in live:
            linked = {
                x.article_id for x in s.exec(select(m.Mention).where(m.Mention.entity_id == e.id))
            }
            assert linked == set(ids), (e.name, linked)
    # Each name was created by one of the two imports; the other linked to it.
    assert sum(r.new_entities for r in results) == len(live)
