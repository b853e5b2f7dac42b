"""The batched suggest_pairs against the plain loop it replaced.

suggest_pairs scores each pair of spellings once per kind, memoises word
alignments, drops pairs below its floor before writing their reasons and
writes library-evidence reasons only for the pairs it returns. None of that
may change a result: on generated names with every complication (several
names per record, weak names, mixed types, shared articles and co-mentions,
settled pairs, acronyms, well-known place names) it must return exactly what
scoring every candidate pair with score_names and offering it one by one
returns (the model scoring its pairs in one batch included).
"""

from __future__ import annotations

import heapq
import itertools
import random

import pytest

from desktop.core import clusters, glossary, matching, pairmodel
from desktop.core import names as nm
from desktop.core.matching import EntityRecord, NameScore, Suggestion
from tests.benchmarks.realistic_names import Generator
from tests.benchmarks.test_suggest import generate_typed

EXTRA = [
    ("JeM", "ORG"),
    ("Jaish-e-Mohammed", "ORG"),
    ("LeT", "ORG"),
    ("Lashkar-e-Taiba", "ORG"),
    ("TTP", "ORG"),
    ("Tehrik-i-Taliban Pakistan", "ORG"),
    ("IS-K", "ORG"),
    ("Islamic State Khorasan Province", "ORG"),
    ("Financial Action Task Force (FATF)", "ORG"),
    ("FATF", "ORG"),
    ("Bombay", "LOC"),
    ("Mumbai", "LOC"),
    ("Mumbai City", "LOC"),
    ("Mullah Omar", "PER"),
    ("Mohammed Omar", "PER"),
    ("Hafiz Saeed", "PER"),
    ("Hafiz Muhammad Saeed", "PER"),
    ("Khalid Mohammed", "PER"),
    ("Khalid Sheikh Mohammed", "PER"),
    ("Muhammad Nawaz Sharif", "PER"),
    ("Mian Nawaz Sharif", "PER"),
    ("Haqqani Network", "ORG"),
    ("Haqqani Group", "ORG"),
    ("Al-Badr", "ORG"),
    ("Badr Organisation", "ORG"),
    ("V. Prabhakaran", "PER"),
    ("Velupillai Prabhakaran", "PER"),
    ("Jabhat al-Nusra", "ORG"),
    ("Nusra Front", "ORG"),
]


def _records(n_names: int, seed: int) -> tuple[list[EntityRecord], set[tuple[int, int]]]:
    rng = random.Random(seed)
    typed = generate_typed(n_names, seed=seed) + EXTRA
    records: list[EntityRecord] = []
    k = 0
    while k < len(typed):
        chunk = typed[k : k + rng.choice([1, 1, 1, 2, 3])]
        k += len(chunk)
        names = tuple(name for name, _ in chunk)
        type_ = rng.choice([chunk[0][1]] * 6 + ["MISC", "LOC", "ORG", "PER"])
        records.append(
            EntityRecord(
                # Ids neither dense nor in list order.
                id=10_000 - 3 * len(records),
                name=names[0],
                type=type_,
                names=names,
                weak=frozenset(x for x in names[1:] if rng.random() < 0.3),
                articles=frozenset(rng.sample(range(300), rng.choice([0, 0, 1, 3]))),
                neighbours=frozenset(
                    10_000 - 3 * rng.randrange(len(typed)) for _ in range(rng.choice([0, 0, 2, 5]))
                ),
            )
        )
    ids = sorted(e.id for e in records)
    settled = {(ids[x], ids[x + 1]) for x in range(0, len(ids) - 1, 7)}
    return records, settled


def _plain_suggest(
    entities: list[EntityRecord],
    settled: set[tuple[int, int]],
    min_score: int,
    limit: int | None,
) -> list[Suggestion]:
    """suggest_pairs as it was before it was batched: every candidate pair of
    spellings scored one by one (the rules, then the model: pair_score) for
    every pair of their records."""
    by_id = {e.id: e for e in entities}
    types = {e.id: e.type for e in entities}
    group_of: dict[str, int] = {}
    texts: list[str] = []
    members: list[list[tuple[int, bool]]] = []
    for e in entities:
        for name in e.names:
            key = nm.alias_key(name)
            if key not in group_of:
                group_of[key] = len(texts)
                texts.append(name)
                members.append([])
            members[group_of[key]].append((e.id, name in e.weak))
    floor = min_score - matching.EVIDENCE_MAX
    best: dict[tuple[int, int], NameScore] = {}

    def offer(ia: int, ib: int, ns: NameScore) -> None:
        key = (min(ia, ib), max(ia, ib))
        if key in settled:
            return
        prev = best.get(key)
        if prev is None or (ns.score, not ns.conflict) > (prev.score, not prev.conflict):
            best[key] = ns

    for g, owners in enumerate(members):
        for x, (ia, wa) in enumerate(owners):
            for ib, wb in owners[x + 1 :]:
                if ia != ib:
                    offer(
                        ia,
                        ib,
                        NameScore(85, f"both are called {texts[g]!r} (a short form)")
                        if wa or wb
                        else NameScore(100, "same name"),
                    )
    people = {g for g, owners in enumerate(members) if any(types[o] == "PER" for o, _ in owners)}
    # Spellings (not of people) with one meaning key read the same in translation.
    keys = {g: glossary.meaning_key(text) for g, text in enumerate(texts) if g not in people}
    for ga, gb in itertools.combinations(sorted(g for g, k in keys.items() if k), 2):
        (ka, wa), (kb, wb) = keys[ga], keys[gb]
        same = [g for g, k in keys.items() if k and k[0] == ka]
        if ka != kb or len(same) > matching.TRANSLATION_GROUP_MAX:
            continue
        reason = matching._translation_reason(wa + wb)
        for ia, _ in members[ga]:
            for ib, _ in members[gb]:
                if ia != ib and types[ia] == types[ib]:
                    offer(ia, ib, NameScore(matching.TRANSLATION_SCORE, reason))
    index = matching.build_index(enumerate(texts), people=people)
    for i, j in sorted(matching.iter_pairs(index)):
        a, b = index.infos[i], index.infos[j]
        if not (a.acronym or b.acronym or a.vkey == b.vkey) and (
            matching.fuzz.token_set_ratio(a.form, b.form) < 50
        ):
            continue
        for ia, _ in members[i]:
            for ib, _ in members[j]:
                if ia != ib:
                    ns = matching.pair_score(a, b, matching._kind(types[ia], types[ib]))
                    if ns.score >= floor:
                        offer(ia, ib, ns)
    # Implied pairs: every link at or above clusters.LINK, then each implied
    # pair of one type, unless both are full names whose own comparison is a
    # sure difference.
    links = [
        clusters.Link(ia, ib, ns.score)
        for (ia, ib), ns in best.items()
        if ns.score >= clusters.LINK
    ]
    implied = set()
    for imp in clusters.implied_pairs(links, settled):
        ea, eb = by_id[imp.a], by_id[imp.b]
        prev = best.get((imp.a, imp.b))
        if imp.score < floor or ea.type != eb.type or (prev and prev.score >= imp.score):
            continue
        na, nb = matching.NameInfo.of(ea.name), matching.NameInfo.of(eb.name)
        direct = matching.pair_score(na, nb, matching._kind(ea.type, eb.type))
        if (
            not (prev and prev.score >= 20)
            and not (na.acronym or nb.acronym)
            and direct.conflict
            and direct.score < 20
        ):
            continue
        via = by_id[imp.via].name
        more = imp.steps - 2
        reason = (
            f"both likely the same as {via!r} (weakest link {imp.weakest})"
            if more == 0
            else f"linked through {via!r} and {more} more name{'s' if more > 1 else ''}"
            f" (weakest link {imp.weakest})"
        )
        best[(imp.a, imp.b)] = NameScore(imp.score, reason)
        implied.add((imp.a, imp.b))
    ranked = []
    for (ia, ib), ns in best.items():
        score, reason = matching.score_entities(by_id[ia], by_id[ib], ns)
        if score >= min_score:
            ranked.append((-score, ia, ib, reason))
    top = heapq.nsmallest(limit, ranked) if limit is not None else sorted(ranked)
    return [
        Suggestion(ia, ib, by_id[ia].name, by_id[ib].name, -neg, reason, (ia, ib) in implied)
        for neg, ia, ib, reason in top
    ]


@pytest.fixture(scope="module")
def data() -> tuple[list[EntityRecord], set[tuple[int, int]]]:
    return _records(2000, seed=21)


@pytest.mark.parametrize(("min_score", "limit"), [(70, None), (40, None), (70, 50)])
def test_batched_suggestions_equal_the_plain_loop(data, min_score, limit):
    records, settled = data
    batched = matching.suggest_pairs(records, settled, min_score=min_score, limit=limit)
    plain = _plain_suggest(records, settled, min_score, limit)
    assert len(plain) > (40 if limit else 500)
    assert batched == plain
    # The generated data reaches the paths that matter: evidence, acronyms,
    # conflicts (at the low threshold) and settled pairs left out.
    reasons = " ".join(s.reason for s in batched)
    assert "shares" in reasons or limit
    if min_score == 40:
        assert "differ in" in reasons
        assert "acronym of" in reasons
    assert not {(s.a, s.b) for s in batched} & settled


def test_settled_pairs_would_otherwise_be_suggested(data):
    records, settled = data
    free = {(s.a, s.b) for s in matching.suggest_pairs(records, min_score=40)}
    assert free & settled


def test_collector_state_is_restored():
    import gc

    records, _ = _records(50, seed=1)
    assert gc.isenabled()
    matching.suggest_pairs(records)
    assert gc.isenabled()
    gc.disable()
    try:
        matching.suggest_pairs(records)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_scoring_in_small_chunks_changes_nothing(data, monkeypatch):
    records, settled = data
    whole = matching.suggest_pairs(records, settled, min_score=40)
    monkeypatch.setattr(matching, "MODEL_CHUNK", 97)
    assert matching.suggest_pairs(records, settled, min_score=40) == whole


@pytest.fixture(scope="module")
def realistic() -> list[tuple[str, str]]:
    return Generator(seed=11).typed(4000)


def _mixed_records(typed: list[tuple[str, str]], seed: int) -> list[EntityRecord]:
    """Records of one to three of the names, some of another type than their
    names (so that pairs are scored per kind)."""
    rng = random.Random(seed)
    records: list[EntityRecord] = []
    k = 0
    while k < len(typed):
        chunk = typed[k : k + rng.choice([1, 1, 1, 2, 3])]
        k += len(chunk)
        names = tuple(name for name, _ in chunk)
        type_ = rng.choice([chunk[0][1]] * 6 + ["MISC", "LOC", "ORG", "PER"])
        records.append(EntityRecord(len(records), names[0], type_, names))
    return records


@pytest.mark.parametrize("mixed", [False, True])
def test_pairs_left_unread_by_the_rules_change_nothing(realistic, monkeypatch, mixed):
    # The pairs the model scores below the floor whatever the rules say are not
    # read by them: on names shaped like the real lists, the suggestions (their
    # scores, reasons and order) are those of reading every pair.
    if mixed:
        records = _mixed_records(realistic, seed=3)
    else:
        records = [EntityRecord(i, n, t, (n,)) for i, (n, t) in enumerate(realistic)]
    seen = {"pairs": 0, "unread": 0}
    below = matching._RuleVerdicts.below

    def counted(self, X, *args):  # type: ignore[no-untyped-def]
        out = below(self, X, *args)
        seen["pairs"] += len(out)
        seen["unread"] += int(out.sum())
        return out

    monkeypatch.setattr(matching._RuleVerdicts, "below", counted)
    for min_score in (70, 40):
        monkeypatch.setattr(matching, "_PRUNE", True)
        pruned = matching.suggest_pairs(records, min_score=min_score)
        monkeypatch.setattr(matching, "_PRUNE", False)
        assert matching.suggest_pairs(records, min_score=min_score) == pruned
        assert len(pruned) > 1000
    # Most of the work at the default threshold is spared (the lower one
    # spares less), or the test tests nothing.
    assert seen["unread"] > 0.2 * seen["pairs"]


def test_what_the_names_alone_say_of_the_rules_is_what_they_say(realistic):
    # The verdicts read from facts of each name (_RuleVerdicts.known) are the
    # rules' own: the same score, conflict mark and acronym fit, and no more
    # words paired (nor a containment) than the bound given.
    infos = [matching.NameInfo.of(n) for n, _ in realistic]
    types = [t for _, t in realistic]
    index = matching.build_index(enumerate(n for n, _ in realistic))
    pairs = sorted(matching.iter_pairs(index))
    assert index.infos == infos
    left = [i for i, _ in pairs]
    right = [j for _, j in pairs]
    # Every kind, whatever the types (the rules read the kind only).
    kinds = [
        ("PER", "ORG", "LOC", "", types[i] if types[i] == types[j] else "")[(i + j) % 5]
        for i, j in pairs
    ]
    batch = pairmodel.FeatureBatch(infos)
    X = batch.name_rows(left, right, kinds)
    rows, bound = matching._RuleVerdicts(infos, batch).known(X, left, right, kinds)
    assert len(rows) > 0.3 * len(pairs)
    picked = rows.tolist()
    rules = []
    aligns = []
    for n in picked:
        a, b = infos[left[n]], infos[right[n]]
        rules.append(matching.score_names(a, b, kinds[n]))
        aligns.append(matching._align(a, b))
    true = X[rows].copy()
    batch.add_rule_columns(
        true, [left[n] for n in picked], [right[n] for n in picked], rules, aligns
    )
    assert (true[:, [0, 1, 14]] == bound[:, [0, 1, 14]]).all()
    assert (true[:, [9, 10]] <= bound[:, [9, 10]]).all()
    # Both kinds of pairs known are there: two full names, an acronym and a name.
    acronyms = true[:, 13] == 1
    assert acronyms.any()
    assert (~acronyms).any()


@pytest.mark.parametrize("mixed", [False, True])
def test_explanations_written_while_scoring_are_those_written_at_the_end(
    realistic, data, monkeypatch, mixed
):
    # Without a limit the model's explanations are written as it scores, with
    # one the returned pairs' at the end: the same sentences either way,
    # judgements (a correction) and library evidence included.
    if mixed:
        records, settled = data
        records = records + [
            # (Ids above the fixture's.)
            EntityRecord(20_000 + k, n, t, (n,))
            for k, (n, t) in enumerate(realistic[:1500])
        ]
    else:
        records = [EntityRecord(i, n, t, (n,)) for i, (n, t) in enumerate(realistic)]
        settled = set()
    examples = [
        (realistic[k][0], realistic[k][1], realistic[k + 1][0], realistic[k][1], k % 2)
        for k in range(0, 40, 2)
    ]

    def write(**kw):  # type: ignore[no-untyped-def]
        return matching.suggest_pairs(records, settled, limit=None, **kw)

    for kw in ({"min_score": 70}, {"min_score": 40}, {"min_score": 70, "examples": examples}):
        early = write(**kw)
        monkeypatch.setattr(matching, "EXPLAINED_MAX", 0)
        assert write(**kw) == early
        monkeypatch.setattr(matching, "EXPLAINED_MAX", 2_000_000)
        assert len(early) > 500
    # The judgements do correct the model (or the last case tests nothing new).
    assert matching.learn_from(examples) is not None
