"""The learnt pair model: its shipped trees, its reasons, and what it must keep apart."""

from __future__ import annotations

import math

import numpy as np
import pytest

from desktop.core import matching, pairmodel
from desktop.core.matching import EntityRecord, NameInfo


def _suggested(a: str, b: str, type_: str) -> list[matching.Suggestion]:
    return matching.suggest_pairs(
        [EntityRecord(1, a, type_, (a,)), EntityRecord(2, b, type_, (b,))]
    )


def test_the_package_ships_a_model_over_the_code_features():
    model = pairmodel.load_model()
    assert model is not None
    assert len(model.trees) >= 50
    assert model.meta["held_out_by_cluster"]["dev"]["r_at_p95"] > 0


def test_batch_and_single_pair_evaluation_agree():
    model = pairmodel.load_model()
    assert model is not None
    pairs = [
        ("Gulbuddin Hekhmartyar", "Gulbuddin Khekmatiyar", "PER"),
        ("Masood Azhar", "Masood Ilyas", "PER"),
        ("JeM", "Jaish-e-Mohammed", "ORG"),
        ("Haqqani Network", "Haqqani Group", "ORG"),
    ]
    rows = []
    for a, b, k in pairs:
        ia, ib = NameInfo.of(a), NameInfo.of(b)
        rows.append(pairmodel.features(ia, ib, k, matching.score_names(ia, ib, k)))
    batch = model.scores(rows)
    assert batch == [model.score(x) for x in rows]
    # Contributions add up to the log-odds the batch computes.
    z = model.log_odds_many(rows)
    for x, zi in zip(rows, z, strict=True):
        assert model.log_odds(x) == pytest.approx(zi, abs=1e-9)
        start = model.base + model.rate * sum(t[4][0] for t in model.trees)
        assert start + sum(model.contributions(x)) == pytest.approx(zi, abs=1e-6)


@pytest.mark.parametrize(
    ("a", "b", "type_"),
    [
        # Respellings the issue found never suggested.
        ("Gulbuddin Hekhmartyar", "Gulbuddin Khekmatiyar", "PER"),
        ("Saeed Salih Abd-Rabboh al-Omqi", "Said Salih Abd-Rabbuh al-Omgy", "PER"),
        ("Ansar al Charia Benghazi", "Ansar al-Sharia Benghazi", "ORG"),
        ("Lashkar Jangvi", "Laskar e Jahangvi", "ORG"),
    ],
)
def test_respellings_are_suggested_with_reasons(a, b, type_):
    [s] = _suggested(a, b, type_)
    assert s.score >= matching.DEFAULT_MIN_SCORE
    # The rules' reading, then the strongest evidence in words.
    assert "(" in s.reason
    assert any(phrase in s.reason for phrase in ("alike", "pair up", "agree", "folding"))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Masood Azhar", "Masood Ilyas"),
        ("Masood Azhar", "Masoud Pezeshkian"),
        ("Masood Ilyas", "Masoud Pezeshkian"),
    ],
)
def test_namesakes_stay_apart(a, b):
    assert _suggested(a, b, "PER") == []
    assert _suggested(a, b, "MISC") == []


def test_different_judgement_still_blocks_a_confident_pair():
    recs = [
        EntityRecord(1, "Gulbuddin Hekhmartyar", "PER", ("Gulbuddin Hekhmartyar",)),
        EntityRecord(2, "Gulbuddin Khekmatiyar", "PER", ("Gulbuddin Khekmatiyar",)),
    ]
    assert matching.suggest_pairs(recs)
    assert matching.suggest_pairs(recs, settled={(1, 2)}) == []


def test_fold_token_merges_romanisation_classes_only():
    from desktop.core.names import token_skeleton

    def f(w: str) -> str:
        return pairmodel.fold_token(token_skeleton(w))

    assert f("omqi") == f("omgy")
    assert f("charia") == f("sharia")
    assert f("jangvi") == f("jahangvi")
    assert f("azhar") != f("ilyas")
    assert f("taiba") != f("jhangvi")


def _jamaat_jamiat() -> list[EntityRecord]:
    names = [
        "Jamaat-e-Islami",
        "Jamiat-e-Islami",
        "Jamaat-ul-Ahrar",
        "Jamiat-ul-Ahrar",
        "Jamaat Ulema",
        "Jamiat Ulema",
    ]
    return [EntityRecord(i + 1, n, "ORG", (n,)) for i, n in enumerate(names)]


@pytest.mark.parametrize(("verdict", "moves"), [(0, -1), (1, 1)])
def test_judgements_re_rank_the_pairs_left(verdict, moves):
    recs = _jamaat_jamiat()
    settled = {(1, 2), (5, 6)}

    def third() -> int:
        [s] = [
            s for s in matching.suggest_pairs(recs, settled, 0, None, ex) if (s.a, s.b) == (3, 4)
        ]
        return s.score

    ex: list = []
    cold = third()
    # The user says the two other Jamaat / Jamiat pairs are different (or the same).
    ex = [
        ("Jamaat-e-Islami", "ORG", "Jamiat-e-Islami", "ORG", verdict),
        ("Jamaat Ulema", "ORG", "Jamiat Ulema", "ORG", verdict),
    ]
    taught = third()
    assert (taught - cold) * moves >= 10


def test_no_judgements_change_nothing():
    recs = _jamaat_jamiat()
    assert matching.suggest_pairs(recs, min_score=0, examples=[]) == matching.suggest_pairs(
        recs, min_score=0
    )


_MIXED = [
    ("Gulbuddin Hekhmartyar", "PER"),
    ("Gulbuddin Khekmatiyar", "PER"),
    ("Hekmatyar", "PER"),
    ("Masood Azhar", "PER"),
    ("Maulana Masood Azhar Alvi", "PER"),
    ("JeM", "ORG"),
    ("Jaish-e-Mohammed", "ORG"),
    ("Tahrir al-Sham", "ORG"),
    ("Hay'at Tahrir al-Sham Assembly", "ORG"),
    ("HTS", "ORG"),
    ("Dayr Az-Zawr", "LOC"),
    ("Deir ez-Zor", "LOC"),
    ("Mr.", "PER"),
    ("Abu Bakr al-Baghdadi al-Husseini al-Qurashi bin Awwad", "PER"),
]


def _mixed_rows():
    """The features of every ordered pair of _MIXED, as one batch."""
    infos, pairs, kinds, rules, aligns = _mixed_pairs()
    return pairmodel.FeatureBatch(infos).rows(
        [i for i, _ in pairs], [j for _, j in pairs], kinds, rules, aligns
    )


def _mixed_pairs():
    infos = [NameInfo.of(n) for n, _ in _MIXED]
    pairs = [(i, j) for i in range(len(infos)) for j in range(len(infos)) if i != j]
    kinds = [matching._kind(_MIXED[i][1], _MIXED[j][1]) for i, j in pairs]
    rules = [
        matching.score_names(infos[i], infos[j], k) for (i, j), k in zip(pairs, kinds, strict=True)
    ]
    aligns = [matching._align(infos[i], infos[j]) for i, j in pairs]
    return infos, pairs, kinds, rules, aligns


def test_a_batch_of_many_pairs_gives_each_pair_its_own_features():
    # Names of 0 to 8 words side by side in one batch: every pair's row must be
    # what that pair alone gets (word comparisons are gathered across pairs).
    infos, pairs, kinds, rules, aligns = _mixed_pairs()
    X = pairmodel.FeatureBatch(infos).rows(
        [i for i, _ in pairs], [j for _, j in pairs], kinds, rules, aligns
    )
    for n, (i, j) in enumerate(pairs):
        alone = pairmodel.features(infos[i], infos[j], kinds[n], rules[n], aligns[n])
        assert X[n].tolist() == alone, (_MIXED[i][0], _MIXED[j][0])
    # Symmetric features are symmetric, whatever the batch order.
    fb = pairmodel.FeatureBatch(infos)
    ab = fb.rows([0], [1], ["PER"], [rules[0]], [aligns[0]])[0]
    ba = fb.rows([1], [0], ["PER"], [rules[0]], [aligns[0]])[0]
    assert ab[24] == pytest.approx(ba[24])
    assert ab[26] == pytest.approx(ba[26])


def _walk_contributions(model: pairmodel.PairModel, x: list[float]) -> list[float]:
    out = [0.0] * len(pairmodel.FEATURE_NAMES)
    for feat, thr, left, right, value in model.trees:
        node = 0
        while feat[node] >= 0:
            child = left[node] if x[feat[node]] <= thr[node] else right[node]
            out[feat[node]] += model.rate * (value[child] - value[node])
            node = child
    return out


def test_batched_contributions_and_adjustment_equal_one_pair_at_a_time():
    model = pairmodel.load_model()
    assert model is not None
    X = _mixed_rows()
    many = model.contributions_many(X)
    for row, got in zip(X.tolist(), many.tolist(), strict=True):
        # Summed per leaf first, so equal up to the last bits of a float.
        assert got == pytest.approx(_walk_contributions(model, row), abs=1e-12)
        assert model.log_odds_many([row])[0] == model.log_odds(row)
    adjust = pairmodel.Adjustment(
        [0.3, 9.0] + [0.1 * k for k in range(len(pairmodel.FEATURE_NAMES))]
    )
    z = model.log_odds_many(X)
    batch = adjust.log_odds_many(z, X)
    assert batch.tolist() == [
        adjust.log_odds(zi, x) for zi, x in zip(z.tolist(), X.tolist(), strict=True)
    ]
    assert pairmodel.to_scores(batch) == [pairmodel.to_score(v) for v in batch.tolist()]


def test_acronym_feature_of_a_batch_equals_the_one_pair_function():
    # The acronym's fit to the initials is computed for all acronym pairs of a
    # batch at once (rapidfuzz); each must be what the one-pair function says.
    names = [
        "JeM",
        "LeT",
        "HuT",
        "IRG",
        "ISKP",
        "TTP",
        "Jaish-e-Mohammed",
        "Lashkar-i-Taiba",
        "Hizbut Tahrir",
        "Islamic Revolutionary Guard Corps",
        "Islamic State Khorasan Province",
        "Tehrik-i-Taliban Pakistan",
        "Masood Azhar",
        "Al Qaeda",
    ]
    infos = [NameInfo.of(n) for n in names]
    pairs = [(i, j) for i in range(6) for j in range(6, len(names))]
    pairs += [(j, i) for i, j in pairs[::3]]
    rules = [matching.score_names(infos[i], infos[j], "ORG") for i, j in pairs]
    X = pairmodel.FeatureBatch(infos).rows(
        [i for i, _ in pairs],
        [j for _, j in pairs],
        ["ORG"] * len(pairs),
        rules,
        [matching._align(infos[i], infos[j]) for i, j in pairs],
    )
    col = pairmodel.FEATURE_NAMES.index("acr_part")
    seen = set()
    for n, (i, j) in enumerate(pairs):
        short, long = (infos[i], infos[j]) if infos[i].acronym else (infos[j], infos[i])
        want = pairmodel._acronym_part(short.acr_key, long.text, long.words)
        assert X[n, col] == want, (names[i], names[j])
        seen.add(want)
    assert 1.0 in seen
    assert 0.0 in seen
    assert len(seen) > 2


def test_reason_contributions_are_the_contributions_explain_reads():
    model = pairmodel.load_model()
    assert model is not None
    X = _mixed_rows()
    full = model.contributions_many(X)
    part = model.reason_contributions_many(X)
    for k, name in enumerate(pairmodel.FEATURE_NAMES):
        if name in pairmodel._REASONS:
            assert part[:, k].tolist() == full[:, k].tolist()
        else:
            assert not part[:, k].any()
    one_by_one = []
    for x, a, b in zip(X.tolist(), full.tolist(), part.tolist(), strict=True):
        assert model.explain(x, contrib=b) == model.explain(x, contrib=a)
        one_by_one.append(model.explain(x))
    # The sentences of the whole batch at once are those of each row alone.
    assert model.explain_many(X, part) == one_by_one
    assert sum(1 for why in one_by_one if len(why) == 2) > 3


def test_leaf_tables_reach_the_leaves_a_walk_reaches_at_every_threshold():
    """Rows whose features sit exactly on a split's threshold (which goes left)
    and just above it (right): the batch, read through the leaf tables, gives
    the plain walk's log-odds to the bit."""
    model = pairmodel.load_model()
    assert model is not None
    base = _mixed_rows()[0].tolist()
    rows = []
    for feat, thr, *_ in model.trees[:40]:
        for f, t in zip(feat, thr, strict=True):
            if f >= 0:
                for v in (t, math.nextafter(t, math.inf)):
                    row = list(base)
                    row[f] = v
                    rows.append(row)
    z = model.log_odds_many(rows)
    assert z.tolist() == [model.log_odds(x) for x in rows]


def test_a_tree_too_big_for_a_table_is_walked():
    """A chain of 20 splits (more than a leaf table holds) still scores as the
    plain walk does."""
    names = pairmodel.FEATURE_NAMES
    feat, thr, left, right, value = [], [], [], [], []
    for k in range(20):
        # Node 2k splits on feature k; its left child 2k+1 is a leaf, its right
        # child the next split.
        feat += [k % len(names), -1]
        thr += [0.05 * k, -2.0]
        left += [2 * k + 1, -1]
        right += [2 * k + 2, -1]
        value += [0.0, float(k)]
    feat.append(-1)
    thr.append(-2.0)
    left.append(-1)
    right.append(-1)
    value.append(99.0)
    tree = {"feature": feat, "threshold": thr, "left": left, "right": right, "value": value}
    model = pairmodel.PairModel(
        {"features": list(names), "base": 0.0, "learning_rate": 1.0, "trees": [tree]}
    )
    rows = [[0.05 * k + d] * len(names) for k in range(21) for d in (-0.01, 0.0, 0.01)]
    z = model.log_odds_many(rows)
    assert z.tolist() == [model.log_odds(x) for x in rows]
    # Every leaf is reached, the last one by the rows above every threshold.
    assert sorted(set(z.tolist())) == [*map(float, range(20)), 99.0]


def test_the_words_sorted_column_is_rapidfuzz_token_sort_ratio_of_the_forms():
    """The batch sorts each name's words once; the column must stay the
    token_sort_ratio of the two forms for any names, whatever their script."""
    from rapidfuzz import fuzz

    names = [
        "Gulbuddin Hekmatyar",
        "Hekmatyar Gulbuddin",
        "Abdul Rahman al-Abdul Rahman",
        "Mohammed bin Salman bin Abdulaziz",
        "Ахмад Шах Масуд",
        "محمد نواز شریف",
        "Jaish-e-Mohammed",
        "Lashkar e Taiba",
        "Z Z Top",
        "JeM",
    ]
    infos = [NameInfo.of(n) for n in names]
    fb = pairmodel.FeatureBatch(infos)
    left = [i for i in range(len(infos)) for _ in range(len(infos))]
    right = [j for _ in range(len(infos)) for j in range(len(infos))]
    rule = matching.NameScore(50, "")
    X = fb.rows(left, right, [""] * len(left), [rule] * len(left), [((), (), "")] * len(left))
    want = [
        fuzz.token_sort_ratio(infos[i].form, infos[j].form) / 100
        for i, j in zip(left, right, strict=True)
    ]
    assert X[:, 2].tolist() == want


def test_the_bound_of_the_log_odds_holds_for_every_lower_value():
    # Columns given as upper bounds (the share of words paired, the
    # containment mark) may hold any lower value: the bound is at least the
    # log-odds of each, and with no such column it is the log-odds to the bit.
    model = pairmodel.load_model()
    assert model is not None
    X = _mixed_rows()
    assert model.log_odds_bound_many(X, frozenset()).tolist() == model.log_odds_many(X).tolist()
    upper = frozenset({9, 10})
    bound = model.log_odds_bound_many(X, upper)
    for step in range(11):
        lower = X.copy()
        lower[:, 9] = X[:, 9] * step / 10
        lower[:, 10] = X[:, 10] * (step % 2)
        assert (bound >= model.log_odds_many(lower)).all()
    # Every threshold of those columns, just below and on it.
    thresholds = sorted(
        {t for feat, thr, *_ in model.trees for f, t in zip(feat, thr, strict=True) if f in upper}
    )
    for t in thresholds:
        for value in (t, np.nextafter(t, -1.0)):
            lower = X.copy()
            lower[:, 9] = np.minimum(X[:, 9], value)
            lower[:, 10] = np.minimum(X[:, 10], value)
            assert (bound >= model.log_odds_many(lower)).all()
