"""The learnt part of duplicate scoring: explainable features of a pair of names
and a logistic model over them.

The hand-written rules of :mod:`desktop.core.matching` still read each pair and
say what they see (their score and reason are two of the features); the final
score is the model's probability that the two names denote one thing, times 100.
The weights are fitted by ``python -m desktop.core.fit_pair_model`` (scikit-learn,
an optional extra) on real alias clusters and our own corpus, and shipped as
``data/pair_model.json``: evaluating them needs only plain Python.

Every feature has a sentence, so a suggestion says why from its strongest
features (:func:`explain`).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import JaroWinkler, LCSseq

from desktop.core import names as nm

if TYPE_CHECKING:
    from desktop.core.matching import NameInfo, NameScore

MODEL_PATH = Path(__file__).resolve().parent / "data" / "pair_model.json"

# Consonant classes that Arabic, Persian and Urdu romanisations swap: q/k/g,
# dh/z/d (and the emphatic ḍ, ẓ), sh/ch/s, kh/x. Applied to a skeleton (vowels
# already gone, digraphs folded), after which glides (y, w) and h go too.
_FOLD = str.maketrans({"g": "k", "q": "k", "x": "k", "z": "d", "S": "s", "c": "s", "v": "w"})
_DOUBLE = re.compile(r"(.)\1+")


@lru_cache(maxsize=300_000)
def fold_token(skel: str) -> str:
    """A skeleton folded further, for candidate keys and features only (never an
    exact-match key): consonant classes merged, glides and h dropped, a leading
    vowel reduced to one mark, doubles collapsed (Hekhmartyar, Khekmatiyar ->
    kkmtr, kmtr; Omqi, Omgy -> amk)."""
    if not skel or skel.isdigit():
        return skel
    lead = "a" if skel[0] in "aiu" else ""
    body = skel[1:] if lead else skel
    body = body.translate(_FOLD).replace("y", "").replace("w", "").replace("h", "")
    return _DOUBLE.sub(r"\1", lead + body) or skel


def folded(info: NameInfo) -> tuple[str, ...]:
    return tuple(fold_token(t) for t in info.skel)


FEATURES: tuple[tuple[str, str], ...] = (
    # (name, what a high value means, said to the user)
    ("rule", "the spelling rules score it {v:.0f}"),
    ("conflict", "the rules see a distinguishing word"),
    ("tsr", "the words sorted are {v:.0f}% alike"),
    ("tset", "the shared words cover the shorter name ({v:.0f}%)"),
    ("ratio", "the written names are {v:.0f}% alike"),
    ("skel", "the consonant skeletons are {v:.0f}% alike"),
    ("fold", "the romanisation-folded keys are {v:.0f}% alike"),
    ("fold_jw", "the folded keys start alike (Jaro-Winkler {v:.0f}%)"),
    ("fold_eq", "the same after folding romanisation"),
    ("aligned", "{v:.0f}% of the words pair up"),
    ("contained", "every word of one is in the other"),
    ("first_eq", "the first words agree"),
    ("last_eq", "the last words agree"),
    ("acr", "one is an acronym"),
    ("acr_fit", "the acronym spells the initials"),
    ("acr_part", "{v:.0f}% of the acronym's letters are initials of the name"),
    ("both_acr", "both are acronyms"),
    ("per", "both are people"),
    ("org", "both are organisations"),
    ("loc", "both are places"),
    ("words_diff", "they differ in word count by {v:.0f}"),
    ("short", "the shorter name has {v:.0f} letters"),
    ("common", "{v:.0f}% of the shorter name is very common given names"),
    ("single", "one name is a single word"),
    ("me_mean", "each word has a close spelling on the other side ({v:.0f}% on average)"),
    ("me_min", "the least alike word is still {v:.0f}% alike"),
    ("me_raw", "the written words pair up {v:.0f}% alike"),
)
FEATURE_NAMES = tuple(n for n, _ in FEATURES)
# The columns that the rules' reading of a pair gives (their score, conflict
# mark and acronym verdict, and their word alignment); the others come from
# the two names alone (FeatureBatch.name_rows).
RULE_COLUMNS = (0, 1, 9, 10, 14)
_SAY = dict(FEATURES)
# Features that are evidence of sameness, and so may be given as a reason; the
# others (the rules' score, whose reason is shown anyway, the type, lengths)
# only set the context the evidence is weighed in.
_REASONS = frozenset(
    {
        "tsr",
        "tset",
        "ratio",
        "skel",
        "fold",
        "fold_jw",
        "fold_eq",
        "aligned",
        "contained",
        "first_eq",
        "last_eq",
        "acr_fit",
        "acr_part",
        "me_mean",
        "me_min",
        "me_raw",
    }
)
_REASON_COLUMNS = [i for i, n in enumerate(FEATURE_NAMES) if n in _REASONS]
# Features shown on a 0-100 scale in sentences.
_PERCENT = frozenset(
    {
        "tsr",
        "tset",
        "ratio",
        "skel",
        "fold",
        "fold_jw",
        "aligned",
        "acr_part",
        "me_mean",
        "me_min",
        "me_raw",
    }
)


def _acronym_part(letters: str, text: str, words: tuple[str, ...]) -> float:
    return max(_initials_share(letters, _normal_words(text)), _initials_share(letters, words))


@lru_cache(maxsize=300_000)
def _normal_words(text: str) -> tuple[str, ...]:
    return tuple(nm.normalise(text).split())


@lru_cache(maxsize=300_000)
def _initials(words: tuple[str, ...]) -> str:
    # Glued connectors give a letter too (Jamaatul Ahrar gives j, u, a).
    out: list[str] = []
    for w in words:
        out.append(w[0])
        if len(w) >= 5 and w[-2:] in ("ul", "ud", "ut", "ur", "us", "un", "uz"):
            out.append("u")
    return "".join(out)


def name_initials(info: NameInfo) -> tuple[str, str]:
    """The initials of a name's normalised words and of its content words,
    the two forms an acronym is matched against."""
    return _initials(_normal_words(info.text)), _initials(tuple(info.words))


def _initials_share(letters: str, words: Sequence[str]) -> float:
    """Share of an acronym's letters matched in order to initials of words
    (a word may be skipped: IRG / Islamic Revolutionary Guard Corps): the
    longest common subsequence of the letters and the initials."""
    if not letters or not words:
        return 0.0
    return LCSseq.similarity(letters, _initials(tuple(words))) / len(letters)


def features(
    a: NameInfo, b: NameInfo, kind: str, rule: NameScore, align: tuple | None = None
) -> list[float]:
    """The feature vector of a pair (order of :data:`FEATURE_NAMES`), all in 0-1
    or small counts. ``align`` is matching's word alignment (left, right, how)
    when already computed. Computed as a batch of one (:class:`FeatureBatch`),
    so that a pair scored alone and in a batch get the very same floats."""
    if align is None:
        from desktop.core.matching import _align

        align = _align(a, b)
    return FeatureBatch([a, b]).rows([0], [1], [kind], [rule], [align])[0].tolist()


def _common_share(info: NameInfo) -> float:
    from desktop.core.matching import COMMON_GIVEN_NAMES

    if not info.skel:
        return 0.0
    return sum(1 for t in info.skel if t in COMMON_GIVEN_NAMES) / len(info.skel)


def _token_ids(
    seqs: Sequence[Sequence[str]],
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Sequences of words as one array of word ids with offsets (CSR), and the
    vocabulary the ids index."""
    vocab: dict[str, int] = {}
    ptr = [0]
    tok: list[int] = []
    for seq in seqs:
        for w in seq:
            t = vocab.get(w)
            if t is None:
                t = vocab[w] = len(vocab)
            tok.append(t)
        ptr.append(len(tok))
    return np.asarray(ptr, dtype=np.int64), np.asarray(tok, dtype=np.int64), list(vocab)


def _soft_align_many(
    ptr: np.ndarray,
    tok: np.ndarray,
    vocab: list[str],
    left: np.ndarray,
    right: np.ndarray,
    scorer,
    scale: float,
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_soft_align` of many pairs of word sequences at once: every word
    of one side against every word of the other, each distinct pair of words
    compared once (rapidfuzz ``cpdist``), the best per word and the sums per
    pair taken with numpy. The same sums in the same order as the one-pair
    function, so the same floats."""
    count = len(left)
    mean = np.zeros(count)
    worst = np.zeros(count)
    nx = ptr[left + 1] - ptr[left]
    ny = ptr[right + 1] - ptr[right]
    ok = (nx > 0) & (ny > 0)
    sizes = np.where(ok, nx * ny, 0)
    total = int(sizes.sum())
    if total == 0:
        return mean, worst
    starts = np.cumsum(sizes) - sizes
    pid = np.repeat(np.arange(count), sizes)
    k = np.arange(total) - starts[pid]
    nxp, nyp = nx[pid], ny[pid]
    ix = k // nyp
    iy = k - ix * nyp
    tx = tok[ptr[left][pid] + ix]
    ty = tok[ptr[right][pid] + iy]
    width = len(vocab)
    uniq, inverse = np.unique(tx * width + ty, return_inverse=True)
    ux, uy = np.divmod(uniq, width)
    sims = process.cpdist(
        [vocab[t] for t in ux.tolist()],
        [vocab[t] for t in uy.tolist()],
        scorer=scorer,
        dtype=np.float64,
    )
    if scale != 1:
        sims = sims / scale
    by_row = sims[inverse.reshape(-1)]
    # Row-major (one row per word of the left side), then column-major.
    best_x = np.maximum.reduceat(by_row, np.flatnonzero(iy == 0))
    by_col = np.empty_like(by_row)
    by_col[starts[pid] + iy * nxp + ix] = by_row
    first = ix == 0
    best_y = np.maximum.reduceat(by_col, starts[pid][first] + iy[first] * nxp[first])
    nxo, nyo = nx[ok], ny[ok]
    bx = np.cumsum(nxo) - nxo
    by = np.cumsum(nyo) - nyo
    sum_x = np.add.reduceat(best_x, bx)
    sum_y = np.add.reduceat(best_y, by)
    mean[ok] = (sum_x + sum_y) / (nxo + nyo)
    worst[ok] = np.where(
        nxo <= nyo, np.minimum.reduceat(best_x, bx), np.minimum.reduceat(best_y, by)
    )
    return mean, worst


class FeatureBatch:
    """:func:`features` of many pairs among one list of names, computed column
    by column: the string comparisons by rapidfuzz over arrays of pairs
    (``cpdist``), the rest with numpy. What each name contributes is prepared
    once for all the pairs it is in."""

    def __init__(self, infos: Sequence[NameInfo]) -> None:
        self.infos = infos
        fold = [folded(i) for i in infos]
        self.form = [i.form for i in infos]
        # token_sort_ratio of two forms is the ratio of their words sorted and
        # joined by spaces (forms are ASCII words split by single spaces), so
        # the words are sorted once per name, not once per pair.
        self.form_sorted = [" ".join(sorted(f.split())) for f in self.form]
        self.norm = [i.norm for i in infos]
        self.flat = [i.flat for i in infos]
        self.fold_sorted = ["".join(sorted(f)) for f in fold]
        self.fold_joined = ["".join(f) for f in fold]
        # The compared columns as arrays too: a batch's strings are then
        # gathered by numpy, not a Python loop per pair.
        self._text = {
            k: np.asarray(getattr(self, k), dtype=object)
            for k in ("form_sorted", "form", "norm", "flat", "fold_sorted", "fold_joined")
        }
        ids: dict[str, int] = {}
        self.fold_sorted_id = np.asarray(
            [ids.setdefault(x, len(ids)) for x in self.fold_sorted], dtype=np.int64
        )
        self.fold_ptr, self.fold_tok, self.fold_vocab = _token_ids(fold)
        self.word_ptr, self.word_tok, self.word_vocab = _token_ids([i.words for i in infos])
        # Word id of the first and last folded word of each name (-1: none).
        has = self.fold_ptr[1:] > self.fold_ptr[:-1]
        padded = np.append(self.fold_tok, -1)
        self.first = np.where(has, padded[np.where(has, self.fold_ptr[:-1], -1)], -1)
        self.last = np.where(has, padded[np.where(has, self.fold_ptr[1:] - 1, -1)], -1)
        self.nskel = np.asarray([len(i.skel) for i in infos], dtype=np.int64)
        self.flat_len = np.asarray([len(i.flat) for i in infos], dtype=np.int64)
        self.common = np.asarray([_common_share(i) for i in infos], dtype=np.float64)
        self.acronym = np.asarray([i.acronym for i in infos], dtype=bool)
        # Initials of each name (of its normalised words, of its content
        # words), made when a batch first pairs an acronym with a long name.
        self._initials: tuple[list[str], list[str]] | None = None

    def _acronym_parts(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """:func:`_acronym_part` of pairs of one acronym and one longer name, in
        rapidfuzz's C loop: the longest common subsequence of the letters and
        each form of the initials, the larger over the number of letters (the
        same quotient as the one-pair function)."""
        if self._initials is None:
            forms = [name_initials(i) for i in self.infos]
            self._initials = ([f[0] for f in forms], [f[1] for f in forms])
        by_norm, by_words = self._initials
        short = np.where(self.acronym[left], left, right).tolist()
        long = np.where(self.acronym[left], right, left).tolist()
        letters = [self.infos[i].acr_key for i in short]
        size = np.asarray([len(x) for x in letters], dtype=np.float64)
        best = np.maximum(
            process.cpdist(letters, [by_norm[j] for j in long], scorer=LCSseq.similarity),
            process.cpdist(letters, [by_words[j] for j in long], scorer=LCSseq.similarity),
        )
        out = np.zeros(len(letters))
        np.divide(best, size, out=out, where=size > 0)
        return out

    def _cmp(self, column: str, left: np.ndarray, right: np.ndarray, scorer) -> np.ndarray:
        text = self._text[column]
        return process.cpdist(
            text[left].tolist(), text[right].tolist(), scorer=scorer, dtype=np.float64
        )

    def rows(
        self,
        left: Sequence[int],
        right: Sequence[int],
        kinds: Sequence[str],
        rules: Sequence[NameScore],
        aligns: Sequence[tuple],
    ) -> np.ndarray:
        """The feature matrix (one row per pair, columns as :data:`FEATURE_NAMES`)
        of the pairs ``left[n]``, ``right[n]`` (indices into the names)."""
        X = self.name_rows(left, right, kinds)
        self.add_rule_columns(X, left, right, rules, aligns)
        return X

    def add_rule_columns(
        self,
        X: np.ndarray,
        left: Sequence[int],
        right: Sequence[int],
        rules: Sequence[NameScore],
        aligns: Sequence[tuple],
    ) -> None:
        """Fill in the columns :meth:`name_rows` leaves at 0 (:data:`RULE_COLUMNS`):
        the rules' verdict and the word alignment of each pair."""
        count = len(left)
        if not count:
            return
        L = np.asarray(list(left), dtype=np.int64)
        R = np.asarray(list(right), dtype=np.int64)
        X[:, 0] = np.asarray([r.score for r in rules], dtype=np.float64) / 100
        X[:, 1] = [r.conflict for r in rules]
        na, nb = self.nskel[L], self.nskel[R]
        n_left = np.asarray([len(x[0]) for x in aligns], dtype=np.int64)
        n_right = np.asarray([len(x[1]) for x in aligns], dtype=np.int64)
        X[:, 9] = 1 - (n_left + n_right) / np.maximum(1, na + nb)
        X[:, 10] = ((n_left > 0) != (n_right > 0)) | ((n_left == 0) & (n_right == 0))
        rows = np.flatnonzero(self.acronym[L] != self.acronym[R])
        if len(rows):
            fit = np.asarray([r.score >= 70 and not r.conflict for r in rules], dtype=bool)
            X[rows, 14] = fit[rows]

    def name_rows(
        self, left: Sequence[int], right: Sequence[int], kinds: Sequence[str]
    ) -> np.ndarray:
        """:meth:`rows` without the rules' verdict and the word alignment (the
        columns of :data:`RULE_COLUMNS` left at 0): what the names alone give,
        so that a pair can be judged before the rules read it. Every value is
        of its own pair only, so a row is the same in any batch."""
        count = len(left)
        X = np.zeros((count, len(FEATURE_NAMES)))
        if not count:
            return X
        L = np.asarray(left, dtype=np.int64)
        R = np.asarray(right, dtype=np.int64)
        X[:, 2] = self._cmp("form_sorted", L, R, fuzz.ratio) / 100
        X[:, 3] = self._cmp("form", L, R, fuzz.token_set_ratio) / 100
        X[:, 4] = self._cmp("norm", L, R, fuzz.ratio) / 100
        X[:, 5] = self._cmp("flat", L, R, fuzz.ratio) / 100
        X[:, 6] = self._cmp("fold_sorted", L, R, fuzz.ratio) / 100
        X[:, 7] = self._cmp("fold_joined", L, R, JaroWinkler.normalized_similarity)
        X[:, 8] = self.fold_sorted_id[L] == self.fold_sorted_id[R]
        na, nb = self.nskel[L], self.nskel[R]
        fa, fb = self.first[L], self.first[R]
        X[:, 11] = (fa >= 0) & (fb >= 0) & (fa == fb)
        la, lb = self.last[L], self.last[R]
        X[:, 12] = (la >= 0) & (lb >= 0) & (la == lb)
        acr = self.acronym[L] != self.acronym[R]
        X[:, 13] = acr
        rows = np.flatnonzero(acr)
        if len(rows):
            X[rows, 15] = self._acronym_parts(L[rows], R[rows])
        X[:, 16] = self.acronym[L] & self.acronym[R]
        X[:, 17] = [k == "PER" for k in kinds]
        X[:, 18] = [k == "ORG" for k in kinds]
        X[:, 19] = [k == "LOC" for k in kinds]
        X[:, 20] = np.abs(na - nb)
        a_short = self.flat_len[L] <= self.flat_len[R]
        short = np.where(a_short, L, R)
        X[:, 21] = self.flat_len[short] / 10
        X[:, 22] = self.common[short]
        X[:, 23] = (na == 1) | (nb == 1)
        X[:, 24], X[:, 25] = _soft_align_many(
            self.fold_ptr,
            self.fold_tok,
            self.fold_vocab,
            L,
            R,
            JaroWinkler.normalized_similarity,
            1,
        )
        X[:, 26] = _soft_align_many(
            self.word_ptr, self.word_tok, self.word_vocab, L, R, fuzz.ratio, 100
        )[0]
        return X


class PairModel:
    """Gradient-boosted regression trees over :data:`FEATURE_NAMES` (log-odds),
    as fitted by scikit-learn and written out as plain arrays."""

    def __init__(self, data: dict) -> None:
        if tuple(data["features"]) != FEATURE_NAMES:
            raise ValueError(f"{MODEL_PATH.name}: features differ from the code's")
        self.base = float(data["base"])
        self.rate = float(data["learning_rate"])
        # One tuple of parallel lists per tree: feature (-1 at a leaf),
        # threshold, left child, right child, node value.
        self.trees = [
            (t["feature"], t["threshold"], t["left"], t["right"], t["value"]) for t in data["trees"]
        ]
        self.meta = data.get("meta", {})
        self._arrays: list | None = None
        # Per set of columns given as upper bounds: see _bound_tables.
        self._bounds: dict[frozenset[int], list | None] = {}

    def _np(self) -> list:
        """Per tree: feature, threshold, left, right, value as arrays, with each
        leaf turned into a node that leads to itself (feature 0, threshold
        +inf), so that every row can take the same number of steps; its depth;
        per leaf the contributions of its path (see :meth:`contributions`) of
        the features it splits on, and of those that may be given as a reason;
        and its leaf table (see :meth:`_leaf_table`)."""
        if self._arrays is None:
            arrays = []
            for f, th, le, ri, v in self.trees:
                feat = np.asarray(f, dtype=np.int64)
                leaf = feat < 0
                own = np.arange(len(feat), dtype=np.int64)
                arrays.append(
                    (
                        np.where(leaf, 0, feat),
                        np.where(leaf, np.inf, np.asarray(th, dtype=np.float64)),
                        np.where(leaf, own, np.asarray(le, dtype=np.int64)),
                        np.where(leaf, own, np.asarray(ri, dtype=np.int64)),
                        np.asarray(v, dtype=np.float64),
                        self._depth(f, le, ri),
                        contrib := self._used_columns(self._leaf_contributions(f, le, ri, v)),
                        [(c, values) for c, values in contrib if c in _REASON_COLUMNS],
                        self._leaf_table(f, th, le, ri),
                    )
                )
            self._arrays = arrays
        return self._arrays

    @staticmethod
    def _leaf_table(
        feat: list[int], thr: list[float], left: list[int], right: list[int]
    ) -> tuple[list[tuple[int, float]], np.ndarray] | None:
        """The tree as a table: the (feature, threshold) of its splits in node
        order, and the leaf reached for every combination of their outcomes,
        indexed by the outcomes read as the bits of one integer (the first split
        the highest bit, 1 for "<= threshold"). Every split of every row is
        then one comparison and two operations on a small integer array, and
        the leaf one lookup: a few times faster than walking the nodes, whose
        every step gathers from the rows' columns. None when the tree has too
        many splits for a table (more than 16; the fitted trees have at most
        15)."""
        inner = [k for k, f in enumerate(feat) if f >= 0]
        m = len(inner)
        if m > 16:
            return None
        bit_of = np.zeros(len(feat), dtype=np.int64)
        bit_of[inner] = m - 1 - np.arange(m)
        is_inner = np.asarray(feat) >= 0
        go_left = np.asarray(left, dtype=np.int64)
        go_right = np.asarray(right, dtype=np.int64)
        codes = np.arange(1 << m, dtype=np.int64)
        node = np.zeros(1 << m, dtype=np.int64)
        for _ in range(m):
            bit = (codes >> bit_of[node]) & 1
            node = np.where(is_inner[node], np.where(bit == 1, go_left[node], go_right[node]), node)
        return [(feat[k], thr[k]) for k in inner], node.astype(np.uint8)

    def _leaf_contributions(
        self, feat: list[int], left: list[int], right: list[int], value: list[float]
    ) -> np.ndarray:
        out = np.zeros((len(feat), len(FEATURE_NAMES)))
        todo = [(0, [0.0] * len(FEATURE_NAMES))]
        while todo:
            node, path = todo.pop()
            f = feat[node]
            if f < 0:
                out[node] = path
                continue
            for child in (left[node], right[node]):
                step = list(path)
                step[f] += self.rate * (value[child] - value[node])
                todo.append((child, step))
        return out

    @staticmethod
    def _used_columns(contrib: np.ndarray) -> list[tuple[int, np.ndarray]]:
        """Per feature whose contribution is not 0 at every leaf, that feature's
        contributions (by node). A tree splits on a few features only, and
        adding the others' zeros leaves every sum as it is (the sums start at
        +0.0 and never become -0.0), so they are not added."""
        return [
            (c, np.ascontiguousarray(contrib[:, c]))
            for c in range(contrib.shape[1])
            if np.any(contrib[:, c] != 0)
        ]

    @staticmethod
    def _depth(feat: list[int], left: list[int], right: list[int]) -> int:
        depth, level = 0, [0]
        while any(feat[n] >= 0 for n in level):
            level = [c for n in level if feat[n] >= 0 for c in (left[n], right[n])]
            depth += 1
        return depth

    def _leaves(self, rows: Sequence[Sequence[float]] | np.ndarray) -> Iterator[tuple]:
        """Each tree's arrays (see :meth:`_np`) with the leaf every row reaches
        in it, for all rows at once, tree by tree: through the tree's leaf
        table (the same comparisons as a walk, so the same leaves)."""
        n = len(rows)
        X = np.asarray(rows, dtype=np.float64).reshape(n, len(FEATURE_NAMES))
        # Feature-major, so that each comparison reads one contiguous column.
        cols = np.ascontiguousarray(X.T)
        code = np.empty(n, dtype=np.uint16)
        for tree in self._np():
            table = tree[8]
            if table is None:
                yield tree, self._walk(tree, cols)
                continue
            splits, leaf = table
            code.fill(0)
            for f, t in splits:
                code <<= 1
                code |= cols[f] <= t
            yield tree, leaf[code]

    @staticmethod
    def _walk(tree: tuple, cols: np.ndarray) -> np.ndarray:
        """The leaf of every row, by walking the nodes (trees too big for a table)."""
        feat, thr, left, right, _, depth = tree[:6]
        n = cols.shape[1]
        flat = cols.ravel()
        base = np.arange(n, dtype=np.int64)
        node = np.zeros(n, dtype=np.int64)
        for _ in range(depth):
            go_left = flat[feat[node] * n + base] <= thr[node]
            node = np.where(go_left, left[node], right[node])
        return node

    def log_odds_many(self, rows: Sequence[Sequence[float]] | np.ndarray) -> np.ndarray:
        """Log-odds of many pairs at once (numpy, tree by tree over all rows)."""
        total = np.full(len(rows), self.base)
        for (_, _, _, _, value, *_), node in self._leaves(rows):
            total += self.rate * value[node]
        return total

    def log_odds_bound_many(self, X: np.ndarray, upper: frozenset[int]) -> np.ndarray | None:
        """At least :meth:`log_odds_many` of every row whose true value in each
        column of ``upper`` is at most the one given (any lower value possible),
        the other columns exact: where a split may go either way the larger
        of its sides counts. None for a model it cannot bound (a tree too big
        for a table, a negative learning rate).

        The same comparisons as :meth:`_leaves` and the same additions in the
        same order, each term at least the true one: floating-point rounding
        keeps the order of sums, so the bound holds to the last bit."""
        tables = self._bound_tables(upper)
        if tables is None:
            return None
        n = len(X)
        cols = np.ascontiguousarray(np.asarray(X, dtype=np.float64).reshape(n, -1).T)
        total = np.full(n, self.base)
        code = np.empty(n, dtype=np.uint16)
        for splits, best in tables:
            code.fill(0)
            for f, t in splits:
                code <<= 1
                code |= cols[f] <= t
            total += self.rate * best[code]
        return total

    def _bound_tables(self, upper: frozenset[int]) -> list | None:
        """Per tree, its splits (as in its leaf table) and for every outcome of
        them the largest value reachable: a split on a column of ``upper``
        whose bound is above the threshold may lead either way."""
        if upper not in self._bounds:
            tables = [self._bound_table(*tree, upper) for tree in self.trees]
            ok = self.rate >= 0 and all(t is not None for t in tables)
            self._bounds[upper] = tables if ok else None
        return self._bounds[upper]

    @staticmethod
    def _bound_table(
        feat: list[int],
        thr: list[float],
        left: list[int],
        right: list[int],
        value: list[float],
        upper: frozenset[int],
    ) -> tuple[list[tuple[int, float]], np.ndarray] | None:
        inner = [k for k, f in enumerate(feat) if f >= 0]
        m = len(inner)
        if m > 16:
            return None
        bit = {k: m - 1 - p for p, k in enumerate(inner)}
        codes = np.arange(1 << m, dtype=np.int64)

        def best(node: int) -> np.ndarray:
            if feat[node] < 0:
                return np.full(len(codes), value[node], dtype=np.float64)
            go_left = ((codes >> bit[node]) & 1) == 1
            lo, hi = best(left[node]), best(right[node])
            if feat[node] in upper:
                return np.where(go_left, lo, np.maximum(lo, hi))
            return np.where(go_left, lo, hi)

        return [(feat[k], thr[k]) for k in inner], best(0)

    def scores(self, rows: Sequence[Sequence[float]]) -> list[int]:
        """0-100: the probability that each pair is one thing."""
        if not len(rows):
            return []
        return self.scores_of(self.log_odds_many(rows))

    @staticmethod
    def scores_of(z: np.ndarray) -> list[int]:
        """:meth:`scores` of rows whose log-odds are ``z``."""
        z = np.clip(z, -30, 30)
        return [int(v) for v in np.rint(100 / (1 + np.exp(-z)))]

    def log_odds_and_leaves(self, rows: np.ndarray) -> tuple[np.ndarray, list[tuple]]:
        """:meth:`log_odds_many`, and the leaf each row reaches in each tree, for
        :meth:`reason_contributions_at`: the rows whose score calls for an
        explanation then need no second walk of the trees (the leaves of a
        batch of 20,000 rows take a few megabytes)."""
        leaves = list(self._leaves(rows))
        total = np.full(len(rows), self.base)
        for (_, _, _, _, value, *_), node in leaves:
            total += self.rate * value[node]
        return total, leaves

    def reason_contributions_at(self, leaves: list[tuple], picked: np.ndarray) -> np.ndarray:
        """:meth:`reason_contributions_many` of the rows ``picked`` of a batch whose
        ``leaves`` :meth:`log_odds_and_leaves` gave: the same sums in the same
        order."""
        out = np.zeros((len(FEATURE_NAMES), len(picked)))
        if not len(picked):
            return out.T
        for tree, node in leaves:
            at = node[picked]
            for c, values in tree[7]:
                out[c] += values[at]
        return np.ascontiguousarray(out.T)

    def contributions(self, x: Sequence[float]) -> list[float]:
        """How much each feature moved this pair's log-odds: the change in node
        value at every split on the pair's path (Saabas), summed per feature."""
        return self.contributions_many(np.asarray([x], dtype=np.float64))[0].tolist()

    def contributions_many(self, X: np.ndarray) -> np.ndarray:
        """:meth:`contributions` of many pairs (rows of ``X``): the trees walked
        as :meth:`log_odds_many` walks them, then each row's leaf contributions
        added tree after tree (per leaf the path's changes are summed first, so
        equal to walking one pair up to the last bits of a float)."""
        return self._contribution_sums(X, 6)

    def reason_contributions_many(self, X: np.ndarray) -> np.ndarray:
        """:meth:`contributions_many` of the features that may be given as a
        reason (the others left at 0): all that :meth:`explain` reads, the
        same sums in the same order, in less work."""
        return self._contribution_sums(X, 7)

    def _contribution_sums(self, X: np.ndarray, which: int) -> np.ndarray:
        # Feature-major while summing: each tree adds one column per feature
        # it splits on (see _used_columns), a gather from its few leaves.
        out = np.zeros((len(FEATURE_NAMES), len(X)))
        if not len(X):
            return out.T
        for tree, node in self._leaves(X):
            for c, values in tree[which]:
                out[c] += values[node]
        return np.ascontiguousarray(out.T)

    def log_odds(self, x: Sequence[float]) -> float:
        """One pair's log-odds in plain Python, summed in the batch's order."""
        total = self.base
        rate = self.rate
        for feat, thr, left, right, value in self.trees:
            node = 0
            f = feat[0]
            while f >= 0:
                node = left[node] if x[f] <= thr[node] else right[node]
                f = feat[node]
            total += rate * value[node]
        return total

    def probability(self, x: Sequence[float]) -> float:
        z = max(-30.0, min(30.0, self.log_odds(x)))
        return 1.0 / (1.0 + math.exp(-z))

    def score(self, x: Sequence[float]) -> int:
        return round(100 * self.probability(x))

    def explain_many(self, X: np.ndarray, contrib: np.ndarray, top: int = 2) -> list[list[str]]:
        """:meth:`explain` of many rows (``contrib``: their contributions, of the
        reason features at least): the strongest features found with numpy
        (a stable sort, so ties go to the earlier feature as in the one-row
        sort), only their sentences written in Python."""
        if not len(X):
            return []
        cols = np.asarray(_REASON_COLUMNS)
        part = np.asarray(contrib)[:, cols]
        order = np.argsort(-part, axis=1, kind="stable")[:, :top]
        strength = np.take_along_axis(part, order, axis=1)
        picked = cols[order]
        values = np.take_along_axis(np.asarray(X), picked, axis=1)
        out: list[list[str]] = []
        for feats, vals, strong in zip(
            picked.tolist(), values.tolist(), (strength > 0.1).tolist(), strict=True
        ):
            why = []
            for f, v, ok in zip(feats, vals, strong, strict=True):
                if not ok:
                    break
                name = FEATURE_NAMES[f]
                why.append(_SAY[name].format(v=v * 100 if name in _PERCENT else v))
            out.append(why)
        return out

    def explain(
        self, x: Sequence[float], top: int = 2, contrib: Sequence[float] | None = None
    ) -> list[str]:
        """Sentences for the features that pushed the score up the most
        (``contrib``: :meth:`contributions` of ``x`` when already computed)."""
        if contrib is None:
            contrib = self.contributions(x)
        order = sorted(
            (i for i, n in enumerate(FEATURE_NAMES) if n in _REASONS), key=lambda i: -contrib[i]
        )
        out: list[str] = []
        for i in order[:top]:
            if contrib[i] <= 0.1:
                break
            name = FEATURE_NAMES[i]
            v = x[i] * 100 if name in _PERCENT else x[i]
            out.append(_SAY[name].format(v=v))
        return out


@lru_cache(maxsize=1)
def load_model() -> PairModel | None:
    """The shipped model, or None when the package has none (then the rules alone
    decide, as before the model existed)."""
    if not MODEL_PATH.exists():
        return None
    return PairModel(json.loads(MODEL_PATH.read_text(encoding="utf-8")))


class Adjustment:
    """What the user's judgements teach: a logistic layer over the shipped
    model's log-odds and the features, fitted on the judged pairs and pulled
    towards "no change" (weight 1 on the log-odds, 0 elsewhere), so that a few
    judgements move the ranking a little and many move it more."""

    def __init__(self, theta: list[float]) -> None:
        self.theta = theta

    @staticmethod
    def _inputs(z: float, x: Sequence[float]) -> list[float]:
        return [1.0, z, *x]

    @classmethod
    def fit(
        cls,
        examples: Sequence[tuple[Sequence[float], float, int]],
        strength: float = 10.0,
        steps: int = 300,
        rate: float = 0.2,
    ) -> Adjustment:
        """``examples``: (features, the model's log-odds, 1 same / 0 different)."""
        dim = 2 + len(FEATURE_NAMES)
        prior = [0.0, 1.0] + [0.0] * len(FEATURE_NAMES)
        theta = list(prior)
        if not examples:
            return cls(theta)
        rows = [(cls._inputs(max(-30.0, min(30.0, z)) / 10, x), y) for x, z, y in examples]
        # The log-odds enter scaled by 1/10 (so their weight is comparable to
        # the 0-1 features); the prior weight is 10 to mean "unchanged".
        prior[1] = theta[1] = 10.0
        # The prior counts as ``strength`` pseudo-examples; dividing by the
        # total keeps each step bounded whatever the number of judgements.
        total = len(rows) + strength
        for _ in range(steps):
            grad = [strength * (t - p) for t, p in zip(theta, prior, strict=True)]
            for u, y in rows:
                z = sum(t * v for t, v in zip(theta, u, strict=True))
                g = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))) - y
                for k in range(dim):
                    grad[k] += g * u[k]
            theta = [t - rate * g / total for t, g in zip(theta, grad, strict=True)]
        return cls(theta)

    def log_odds(self, z: float, x: Sequence[float]) -> float:
        u = self._inputs(max(-30.0, min(30.0, z)) / 10, x)
        return sum(t * v for t, v in zip(self.theta, u, strict=True))

    def log_odds_many(self, z: np.ndarray, X: np.ndarray) -> np.ndarray:
        """:meth:`log_odds` of many rows: the same products added in the same
        order (column by column), so the same floats."""
        theta = self.theta
        total = 0 + theta[0] * np.ones(len(X))
        total = total + theta[1] * (np.clip(z, -30.0, 30.0) / 10)
        for k in range(len(FEATURE_NAMES)):
            total = total + theta[2 + k] * X[:, k]
        return total


def to_scores(z: np.ndarray) -> list[int]:
    """:func:`to_score` of many log-odds."""
    z = np.clip(z, -30.0, 30.0)
    return [round(100 / (1.0 + math.exp(-v))) for v in z.tolist()]


def to_score(z: float) -> int:
    z = max(-30.0, min(30.0, z))
    return round(100 / (1.0 + math.exp(-z)))
