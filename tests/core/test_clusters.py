"""Clusters of suggested duplicates: grouping, merging a cluster at once with
per-name exclusion, undo, split, and `suggest --clusters`."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from sqlmodel import select

from desktop.cli import run
from desktop.core import models as m
from desktop.core.clusters import cluster_pairs
from desktop.core.services import library, resolve, review
from tests.core.resolve_helpers import add_article, add_entity, add_mention


@dataclass(frozen=True)
class P:
    a: int
    b: int
    score: int


def test_strong_pairs_chain_into_one_cluster():
    assert cluster_pairs([P(1, 2, 99), P(2, 3, 95), P(3, 4, 92)]) == [[1, 2, 3, 4]]


def test_one_weak_pair_does_not_join_two_groups():
    groups = cluster_pairs([P(1, 2, 99), P(3, 4, 98), P(2, 3, 75)])
    assert groups == [[1, 2], [3, 4]]
    # Densely linked, the same weak pairs do join them.
    dense = [P(1, 2, 99), P(3, 4, 98), P(2, 3, 75), P(1, 3, 74), P(1, 4, 73)]
    assert cluster_pairs(dense) == [[1, 2, 3, 4]]


def test_a_weak_chain_stops_at_the_first_name_linked_to_too_few():
    # 1-2 weak joins two singletons; 3 links to 2 only (one of two names: half,
    # enough); 4 links to 3 only (one of three: not enough).
    groups = cluster_pairs([P(1, 2, 78), P(2, 3, 77), P(3, 4, 76)])
    assert groups == [[1, 2, 3]]


def test_different_judgements_and_the_size_limit_split_clusters():
    pairs = [P(1, 2, 99), P(2, 3, 98), P(1, 3, 97)]
    assert cluster_pairs(pairs, apart=[(1, 3)]) == [[1, 2]]
    many = [P(1, k, 99) for k in range(2, 20)]
    groups = cluster_pairs(many, max_size=5)
    assert max(len(g) for g in groups) == 5
    assert groups[0] == [1, 2, 3, 4, 5]


@pytest.fixture
def spellings(store):
    names = {
        "jem": ("Jaish-e-Mohammed", "ORG"),
        "jem2": ("Jaish-e-Muhammad", "ORG"),
        "jem3": ("Jaish e Mohammad", "ORG"),
        "jem4": ("Jaish-i-Mohammed", "ORG"),
        "azhar": ("Masood Azhar", "PER"),
        "ilyas": ("Masood Ilyas", "PER"),
        "pezeshkian": ("Masoud Pezeshkian", "PER"),
        "let": ("Lashkar-e-Taiba", "ORG"),
        "lej": ("Lashkar-e-Jhangvi", "ORG"),
    }
    ids = {k: add_entity(store, n, t) for k, (n, t) in names.items()}
    art = add_article(store, "Jaish-e-Mohammed and Jaish-e-Mohammed again, and Jaish-e-Muhammad.")
    add_mention(store, art, ids["jem"], "Jaish-e-Mohammed")
    add_mention(store, art, ids["jem"], "Jaish-e-Mohammed")
    add_mention(store, art, ids["jem2"], "Jaish-e-Muhammad")
    return ids


def _cluster_with(clusters, entity_id):
    return next(c for c in clusters if entity_id in c.ids)


def test_suggest_clusters_groups_the_spellings_of_one_name(store, spellings):
    ids = spellings
    clusters = review.suggest_clusters(store)
    jem = _cluster_with(clusters, ids["jem"])
    assert set(jem.ids) == {ids["jem"], ids["jem2"], ids["jem3"], ids["jem4"]}
    # Most mentioned first: its name is the default canonical one.
    first = jem.members[0]
    assert (first.id, first.name, first.type, first.mentions) == (
        ids["jem"],
        "Jaish-e-Mohammed",
        "ORG",
        2,
    )
    assert all(x.reason and x.score >= 70 for x in jem.members)
    assert all(x.linked_to in jem.ids and x.linked_to != x.id for x in jem.members)
    # Names that differ in a distinguishing word stay out of every cluster.
    together = [set(c.ids) for c in clusters]
    for a, b in (("azhar", "ilyas"), ("azhar", "pezeshkian"), ("let", "lej")):
        assert not any({ids[a], ids[b]} <= g for g in together)


def test_a_different_judgement_splits_a_cluster(store, spellings):
    ids = spellings
    resolve.judge(store, ids["jem"], ids["jem4"], "different")
    jem = _cluster_with(review.suggest_clusters(store), ids["jem"])
    assert ids["jem4"] not in jem.ids


def test_merge_cluster_is_one_step_and_undo_restores_everything(store, spellings):
    ids = spellings
    before = {e.id: e.name for e in library.list_entities(store)}
    history_before = len(resolve.history(store))
    change = review.merge_cluster(
        store,
        [ids["jem"], ids["jem2"], ids["jem3"]],
        "Jaish-e-Mohammed",
        apart=[ids["jem4"]],
    )
    assert change.label == (
        "merge of Jaish-e-Muhammad, Jaish e Mohammad into Jaish-e-Mohammed "
        "(Jaish-i-Mohammed judged different)"
    )
    assert len(resolve.history(store)) == history_before + 1
    live = {e.id: e for e in library.list_entities(store)}
    assert ids["jem2"] not in live
    assert ids["jem3"] not in live
    assert {"Jaish-e-Muhammad", "Jaish e Mohammad"} <= {a.name for a in live[ids["jem"]].aliases}
    # The left-out name is judged different, so it is never suggested with the rest again.
    verdicts = {(j.a_id, j.b_id, j.verdict) for j in resolve.judgements(store)}
    assert (ids["jem"], ids["jem4"], "different") in verdicts
    assert (ids["jem"], ids["jem2"], "same") in verdicts
    assert all(ids["jem4"] not in (s.a, s.b) for s in resolve.suggest(store, limit=None))
    # The judgements are training examples for the scorer.
    with store.session() as s:
        examples = resolve.judged_examples(s)
    assert ("Jaish-e-Mohammed", "ORG", "Jaish-i-Mohammed", "ORG", 0) in examples

    resolve.undo(store)
    assert {e.id: e.name for e in library.list_entities(store)} == before
    with store.session() as s:
        active = [j for j in s.exec(select(m.Judgement)).all() if j.revoked_at is None]
    assert active == []
    assert {ids["jem2"], ids["jem4"]} <= {x for c in review.suggest_clusters(store) for x in c.ids}

    resolve.redo(store)
    split = resolve.split(store, ids["jem"], ["Jaish-e-Muhammad"])
    assert "split of Jaish-e-Muhammad" in split.label
    assert "Jaish-e-Muhammad" in {e.name for e in library.list_entities(store)}


def test_merge_cluster_refuses_across_a_different_judgement_unless_forced(store, spellings):
    ids = spellings
    resolve.judge(store, ids["jem2"], ids["jem3"], "different")
    with pytest.raises(resolve.MergeConflictError):
        review.merge_cluster(store, [ids["jem"], ids["jem2"], ids["jem3"]])
    assert len(library.list_entities(store)) == 9
    change = review.merge_cluster(store, [ids["jem"], ids["jem2"], ids["jem3"]], force=True)
    assert change.conflicts


def test_merge_cluster_with_every_other_name_left_out_only_judges(store, spellings):
    ids = spellings
    change = review.merge_cluster(store, [ids["jem"]], apart=[ids["jem2"]])
    assert change.label == "review of Jaish-e-Mohammed (Jaish-e-Muhammad judged different)"
    assert len(library.list_entities(store)) == 9
    with pytest.raises(resolve.ResolveError):
        review.merge_cluster(store, [ids["jem"]])


def test_cli_suggest_clusters(store, db_path, capsys, spellings):
    ids = spellings
    db = ["--db", str(db_path)]
    assert run([*db, "suggest", "--clusters", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    jem = next(r for r in rows if ids["jem"] in r["ids"])
    assert sorted(jem["ids"]) == sorted(ids[k] for k in ("jem", "jem2", "jem3", "jem4"))
    assert {x["name"] for x in jem["members"]} >= {"Jaish-e-Mohammed", "Jaish-i-Mohammed"}
    assert jem["members"][0]["mentions"] == 2
    assert run([*db, "suggest", "--clusters"]) == 0
    out = capsys.readouterr().out
    assert "cluster 1: 4 names" in out
    assert "[ORG, 2 mentions]" in out
    with pytest.raises(SystemExit):
        run([*db, "suggest", "--clusters", "--informative"])


def test_cli_merge_cluster_leaves_names_apart(store, db_path, capsys, spellings):
    ids = spellings
    db = ["--db", str(db_path)]
    argv = [*db, "merge-cluster", str(ids["jem"]), str(ids["jem2"]), "--apart", str(ids["jem4"])]
    assert run([*argv, "--json"]) == 0
    change = json.loads(capsys.readouterr().out)
    assert change["label"] == (
        "merge of Jaish-e-Muhammad into Jaish-e-Mohammed (Jaish-i-Mohammed judged different)"
    )
    verdicts = {(j.a_id, j.b_id, j.verdict) for j in resolve.judgements(store)}
    assert verdicts == {(ids["jem"], ids["jem2"], "same"), (ids["jem"], ids["jem4"], "different")}
    assert run([*db, "undo"]) == 0
    assert {ids["jem"], ids["jem2"]} <= {e.id for e in library.list_entities(store)}
    # A missing record is a clear message and exit 1.
    capsys.readouterr()
    assert run([*db, "merge-cluster", str(ids["jem"]), "9999"]) == 1
    assert "9999" in capsys.readouterr().err
