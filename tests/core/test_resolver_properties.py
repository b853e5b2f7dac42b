"""Properties of identity operations, on small random libraries."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlmodel import col, select

from desktop.core import models as m
from desktop.core.resolver import ResolveError
from desktop.core.services import resolve as svc
from desktop.core.store import Store, open_store
from tests.core.resolve_helpers import add_article, add_entity, add_mention, snapshot

FEW = settings(max_examples=12, deadline=None)
NAMES = ["Jaish-e-Mohammed", "JeM", "Army of Muhammad", "Masood Azhar", "Lashkar-e-Taiba", "LeT"]


@contextmanager
def fresh_store() -> Iterator[Store]:
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "t.sqlite")
        try:
            yield store
        finally:
            store.close()


def build(store: Store, n: int, mentions: list[int]) -> tuple[list[int], dict[int, list[int]]]:
    """n entities with distinct names, each with its mentions in one article."""
    body = " ".join(NAMES)
    art = add_article(store, body)
    ids = [add_entity(store, NAMES[i], notes=f"note {i}") for i in range(n)]
    by_entity: dict[int, list[int]] = {}
    for i, count in zip(range(n), mentions, strict=False):
        by_entity[ids[i]] = [add_mention(store, art, ids[i], NAMES[i]) for _ in range(count)]
    return ids, by_entity


@FEW
@given(
    n=st.integers(2, 5),
    mentions=st.lists(st.integers(0, 3), min_size=5, max_size=5),
    data=st.data(),
)
def test_merge_then_undo_restores_exactly(n, mentions, data):
    with fresh_store() as store:
        ids, _ = build(store, n, mentions)
        chosen = data.draw(st.lists(st.sampled_from(ids), min_size=2, max_size=n, unique=True))
        name = data.draw(st.sampled_from([None, "Canonical", NAMES[0]]))
        before = snapshot(store)
        change = svc.merge(store, chosen, name)
        assert snapshot(store) != before
        svc.undo(store, change.history_id)
        assert snapshot(store) == before


@FEW
@given(n=st.integers(2, 5), mentions=st.lists(st.integers(1, 3), min_size=5, max_size=5))
def test_split_after_merge_gives_back_the_mentions(n, mentions):
    with fresh_store() as store:
        ids, by_entity = build(store, n, mentions)
        svc.merge(store, ids)
        for i in ids[1:]:
            change = svc.split(store, ids[0], [NAMES[ids.index(i)]])
            new_id = next(e for e in change.entity_ids if e not in ids)
            with store.session() as s:
                got = sorted(
                    x.id for x in s.exec(select(m.Mention).where(m.Mention.entity_id == new_id))
                )
            assert got == sorted(by_entity[i])
        with store.session() as s:
            kept = sorted(
                x.id for x in s.exec(select(m.Mention).where(m.Mention.entity_id == ids[0]))
            )
        assert kept == sorted(by_entity[ids[0]])


OPS = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "merge",
                "judge",
                "split",
                "rename",
                "retype",
                "alias",
                "link",
                "unlink",
                "not_entity",
                "undo",
                "redo",
                "revoke",
            ]
        ),
        st.integers(0, 1000),
        st.integers(0, 1000),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=15, deadline=None)
@given(ops=OPS)
def test_no_operation_deletes_user_data(ops):
    """Mentions, notes and judgements are never deleted; aliases only by an
    explicit remove_alias (not in this list). Undo may remove what an
    operation created, so only rows that existed before a step are checked."""
    with fresh_store() as store:
        ids, by_entity = build(store, 4, [2, 1, 1, 1])
        mention_ids = [x for xs in by_entity.values() for x in xs]
        for op, x, y in ops:
            before = snapshot(store)
            with store.session() as s:
                live = [
                    e.id
                    for e in s.exec(select(m.Entity).where(col(m.Entity.merged_into_id).is_(None)))
                ]
                judgements = [j.id for j in s.exec(select(m.Judgement))]
            a, b = live[x % len(live)], live[y % len(live)]
            try:
                if op == "merge":
                    svc.merge(store, [a, b], force=bool(x % 2))
                elif op == "judge":
                    svc.judge(store, a, b, ["same", "different", "unsure"][x % 3], force=True)
                elif op == "split":
                    svc.split(store, a, [NAMES[y % 4]])
                elif op == "rename":
                    svc.rename(store, a, f"Name {y}")
                elif op == "retype":
                    svc.set_type(store, a, ["PER", "ORG", "LOC"][y % 3])
                elif op == "alias":
                    svc.add_alias(store, a, f"Alias {y}")
                elif op == "link":
                    svc.link_mention(store, mention_ids[y % len(mention_ids)], a)
                elif op == "unlink":
                    svc.unlink_mention(store, mention_ids[y % len(mention_ids)])
                elif op == "not_entity":
                    svc.mark_not_entity(store, mention_ids[y % len(mention_ids)])
                elif op == "undo":
                    svc.undo(store)
                elif op == "redo":
                    svc.redo(store)
                elif op == "revoke" and judgements:
                    svc.revoke_judgement(store, judgements[x % len(judgements)])
            except ResolveError:
                assert snapshot(store) == before  # a refused operation changes nothing
                continue
            after = snapshot(store)
            if op in ("undo", "redo"):
                # Undo/redo may only remove rows created by the step they reverse;
                # the seeded mentions and notes always survive.
                assert {r[0] for r in after["mention"]} >= set(mention_ids)
                continue
            for table in ("mention", "alias", "judgement"):
                assert {r[0] for r in after[table]} >= {r[0] for r in before[table]}, (op, table)
            with store.session() as s:
                for k, eid in enumerate(ids):
                    # A merged-away record keeps its notes; the survivor gets a copy.
                    assert f"note {k}" in s.get(m.Entity, eid).notes
