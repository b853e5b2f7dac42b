"""Implied suggestions: a name linked to a second, itself linked to a third,
is offered with the third ("ASG" abbreviates "Abu Sayyaf Group", a spelling of
"Abu Sayaf"), never across a judgement or a sure direct difference."""

from __future__ import annotations

import json
from dataclasses import dataclass

from desktop.cli import run
from desktop.core import matching
from desktop.core.clusters import LINK, implied_pairs
from tests.core.resolve_helpers import add_entity


@dataclass(frozen=True)
class P:
    a: int
    b: int
    score: int


def test_a_chain_implies_its_ends_at_the_weakest_link_discounted():
    out = implied_pairs([P(1, 2, 96), P(2, 3, 90)])
    assert [(p.a, p.b, p.score, p.via, p.steps, p.weakest) for p in out] == [(1, 3, 81, 2, 2, 90)]


def test_the_widest_path_wins_and_direct_pairs_are_kept():
    # 1-4 through 2 (weakest link 70) or through 3 (weakest link 88): 3 is taken.
    pairs = [P(1, 2, 99), P(2, 4, 70), P(1, 3, 88), P(3, 4, 95)]
    out = {(p.a, p.b): p for p in implied_pairs(pairs)}
    assert (out[(1, 4)].score, out[(1, 4)].via, out[(1, 4)].weakest) == (int(88 * 0.9), 3, 88)
    # Scored 95 directly, 1-4 is not implied: a chain never replaces a direct score
    # that is higher.
    out = {(p.a, p.b) for p in implied_pairs([*pairs, P(1, 4, 95)])}
    assert (1, 4) not in out


def test_each_step_of_a_chain_adds_doubt():
    out = {(p.a, p.b): p for p in implied_pairs([P(1, 2, 90), P(2, 3, 90), P(3, 4, 90)])}
    assert out[(1, 3)].score == int(90 * 0.9)
    assert out[(1, 4)].score == int(90 * 0.9 * 0.9)
    assert out[(1, 4)].steps == 3


def test_links_below_the_threshold_carry_nothing():
    assert implied_pairs([P(1, 2, 99), P(2, 3, LINK - 1)]) == []


def test_a_judged_pair_is_never_implied_and_no_path_crosses_it():
    pairs = [P(1, 2, 99), P(2, 3, 95)]
    assert implied_pairs(pairs, apart=[(3, 1)]) == []
    # A different judgement inside the group splits it before any path is
    # read: 1 and 3 sit in separate groups, so 4 reaches only one of them.
    pairs = [P(1, 2, 99), P(2, 3, 97), P(3, 4, 96)]
    implied = {(p.a, p.b) for p in implied_pairs(pairs, apart=[(1, 3)])}
    assert (1, 3) not in implied
    assert (1, 4) not in implied


def test_a_long_chain_of_common_names_is_split_before_implying():
    # 40 names in a line of strong links: no single group holds all of them,
    # so the ends are never implied through 38 steps.
    pairs = [P(i, i + 1, 95) for i in range(40)]
    out = implied_pairs(pairs, max_size=25)
    assert out
    assert all(p.b - p.a < 25 for p in out)


def test_a_group_too_big_to_be_one_thing_implies_nothing():
    # A star of 300 names around one common name: no group of linked names
    # that size is one thing's spellings.
    star = [P(0, i, 95) for i in range(1, 301)]
    assert implied_pairs(star, max_component=200) == []
    assert implied_pairs(star[:50], max_component=200)


def _suggest(
    names: list[tuple[str, str]], settled=frozenset()
) -> dict[frozenset, matching.Suggestion]:
    records = [
        matching.EntityRecord(i, name, type_, (name,)) for i, (name, type_) in enumerate(names)
    ]
    out = matching.suggest_pairs(records, settled, min_score=1)
    return {frozenset((s.a_name, s.b_name)): s for s in out}


def test_an_acronym_reaches_the_other_spellings_of_what_it_abbreviates():
    names = [("Abu Sayyaf Group", "ORG"), ("Abu Sayaf", "ORG"), ("ASG", "ORG")]
    got = _suggest(names)
    pair = got[frozenset(("ASG", "Abu Sayaf"))]
    assert pair.score >= matching.DEFAULT_MIN_SCORE
    assert "'Abu Sayyaf Group'" in pair.reason
    # A judgement that ASG is not Abu Sayyaf Group leaves no path to Abu Sayaf.
    settled = {(0, 2)}
    got = _suggest(names, settled)
    assert frozenset(("ASG", "Abu Sayyaf Group")) not in got
    assert got.get(frozenset(("ASG", "Abu Sayaf")), None) is None or (
        "Abu Sayyaf Group" not in got[frozenset(("ASG", "Abu Sayaf"))].reason
    )


def test_two_names_sure_to_differ_are_not_joined_by_a_shared_acronym():
    names = [
        ("National Investigation Agency", "ORG"),
        ("National Intelligence Agency", "ORG"),
        ("NIA", "ORG"),
    ]
    got = _suggest(names)
    # NIA stands for both ...
    assert got[frozenset(("NIA", "National Investigation Agency"))].score >= LINK
    assert got[frozenset(("NIA", "National Intelligence Agency"))].score >= LINK
    # ... which does not make the two agencies one.
    both = got.get(frozenset(("National Investigation Agency", "National Intelligence Agency")))
    assert both is None or both.score < matching.DEFAULT_MIN_SCORE
    assert both is None or "likely the same" not in both.reason


def test_the_masood_people_stay_apart():
    names = [
        ("Masood Azhar", "PER"),
        ("Maulana Masood Azhar", "PER"),
        ("Masood Ilyas", "PER"),
        ("Masoud Pezeshkian", "PER"),
    ]
    got = _suggest(names)
    for other in ("Masood Ilyas", "Masoud Pezeshkian"):
        for name in ("Masood Azhar", "Maulana Masood Azhar"):
            pair = got.get(frozenset((name, other)))
            assert pair is None or pair.score < matching.DEFAULT_MIN_SCORE


def test_cli_marks_implied_pairs_and_lists_them_after_compared_ones(store, db_path, capsys):
    ids = {
        name: add_entity(store, name, "ORG") for name in ("Abu Sayyaf Group", "Abu Sayaf", "ASG")
    }
    db = ["--db", str(db_path)]
    assert run([*db, "suggest", "--json", "--min-score", "1"]) == 0
    rows = json.loads(capsys.readouterr().out)
    pair = next(r for r in rows if {r["a"], r["b"]} == {ids["ASG"], ids["Abu Sayaf"]})
    assert pair["implied"] is True
    assert not any(r["implied"] for r in rows if pair is not r)
    assert run([*db, "suggest", "--json", "--min-score", "1", "--informative"]) == 0
    ordered = json.loads(capsys.readouterr().out)
    assert [r["implied"] for r in ordered] == sorted(r["implied"] for r in ordered)
    assert ordered[-1]["implied"] is True
