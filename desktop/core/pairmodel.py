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
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from rapidfuzz import fuzz
from rapidfuzz.distance import JaroWinkler

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


def _soft_align(xs: Sequence[str], ys: Sequence[str], sim) -> tuple[float, float]:
    """Monge-Elkan both ways: for each word its best match on the other side;
    the mean over both sides, and the worst word of the shorter side."""
    if not xs or not ys:
        return 0.0, 0.0
    best_x = [max(sim(x, y) for y in ys) for x in xs]
    best_y = [max(sim(y, x) for x in xs) for y in ys]
    mean = (sum(best_x) + sum(best_y)) / (len(best_x) + len(best_y))
    worst = min(best_x) if len(xs) <= len(ys) else min(best_y)
    return mean, worst


_jw = JaroWinkler.normalized_similarity


def _ratio01(x: str, y: str) -> float:
    return fuzz.ratio(x, y) / 100


def _initials_share(letters: str, words: Sequence[str]) -> float:
    """Share of an acronym's letters matched in order to initials of words
    (a word may be skipped: IRG / Islamic Revolutionary Guard Corps)."""
    if not letters or not words:
        return 0.0
    # Longest common subsequence of the letters and the initials, plus glued
    # connectors (Jamaatul Ahrar gives j, u, a).
    initials: list[str] = []
    for w in words:
        initials.append(w[0])
        if len(w) >= 5 and w[-2:] in ("ul", "ud", "ut", "ur", "us", "un", "uz"):
            initials.append("u")
    m, n = len(letters), len(initials)
    prev = [0] * (n + 1)
    for i in range(m):
        cur = [0] * (n + 1)
        for j in range(n):
            cur[j + 1] = prev[j] + 1 if letters[i] == initials[j] else max(prev[j + 1], cur[j])
        prev = cur
    return prev[n] / m


def features(
    a: NameInfo, b: NameInfo, kind: str, rule: NameScore, align: tuple | None = None
) -> list[float]:
    """The feature vector of a pair (order of :data:`FEATURE_NAMES`), all in 0-1
    or small counts. ``align`` is matching's word alignment (left, right, how)
    when already computed."""
    if align is None:
        from desktop.core.matching import _align

        align = _align(a, b)
    left, right, _ = align
    fa, fb = folded(a), folded(b)
    ffa, ffb = "".join(sorted(fa)), "".join(sorted(fb))
    na, nb = len(a.skel), len(b.skel)
    acr = a.acronym != b.acronym
    acr_fit = acr_part = 0.0
    if acr:
        short, long = (a, b) if a.acronym else (b, a)
        acr_fit = float(rule.score >= 70 and not rule.conflict)
        letters = short.acr_key
        acr_part = max(
            _initials_share(letters, nm.normalise(long.text).split()),
            _initials_share(letters, long.words),
        )
    short_side = a if len(a.flat) <= len(b.flat) else b
    from desktop.core.matching import COMMON_GIVEN_NAMES

    common = (
        sum(1 for t in short_side.skel if t in COMMON_GIVEN_NAMES) / len(short_side.skel)
        if short_side.skel
        else 0.0
    )
    me_mean, me_min = _soft_align(fa, fb, _jw)
    me_raw = _soft_align(a.words, b.words, _ratio01)[0]
    return [
        rule.score / 100,
        float(rule.conflict),
        fuzz.token_sort_ratio(a.form, b.form) / 100,
        fuzz.token_set_ratio(a.form, b.form) / 100,
        fuzz.ratio(a.norm, b.norm) / 100,
        fuzz.ratio(a.flat, b.flat) / 100,
        fuzz.ratio(ffa, ffb) / 100,
        JaroWinkler.normalized_similarity("".join(fa), "".join(fb)),
        float(ffa == ffb),
        1 - (len(left) + len(right)) / max(1, na + nb),
        float(bool(left) != bool(right) or (not left and not right)),
        float(bool(fa) and bool(fb) and fa[0] == fb[0]),
        float(bool(fa) and bool(fb) and fa[-1] == fb[-1]),
        float(acr),
        acr_fit,
        acr_part,
        float(a.acronym and b.acronym),
        float(kind == "PER"),
        float(kind == "ORG"),
        float(kind == "LOC"),
        float(abs(na - nb)),
        len(short_side.flat) / 10,
        common,
        float(na == 1 or nb == 1),
        me_mean,
        me_min,
        me_raw,
    ]


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

    def _np(self) -> list:
        if self._arrays is None:
            import numpy as np

            self._arrays = [
                (
                    np.asarray(f, dtype=np.int64),
                    np.asarray(th, dtype=np.float64),
                    np.asarray(le, dtype=np.int64),
                    np.asarray(ri, dtype=np.int64),
                    np.asarray(v, dtype=np.float64),
                )
                for f, th, le, ri, v in self.trees
            ]
        return self._arrays

    def log_odds_many(self, rows: Sequence[Sequence[float]]):  # -> numpy array
        """Log-odds of many pairs at once (numpy, tree by tree over all rows)."""
        import numpy as np

        X = np.asarray(rows, dtype=np.float64).reshape(len(rows), len(FEATURE_NAMES))
        total = np.full(len(X), self.base)
        idx = np.arange(len(X))
        for feat, thr, left, right, value in self._np():
            node = np.zeros(len(X), dtype=np.int64)
            while True:
                f = feat[node]
                inner = f >= 0
                if not inner.any():
                    break
                go_left = X[idx, np.where(inner, f, 0)] <= thr[node]
                node = np.where(inner, np.where(go_left, left[node], right[node]), node)
            total += self.rate * value[node]
        return total

    def scores(self, rows: Sequence[Sequence[float]]) -> list[int]:
        """0-100: the probability that each pair is one thing."""
        import numpy as np

        if not len(rows):
            return []
        z = np.clip(self.log_odds_many(rows), -30, 30)
        return [int(v) for v in np.rint(100 / (1 + np.exp(-z)))]

    def contributions(self, x: Sequence[float]) -> list[float]:
        """How much each feature moved this pair's log-odds: the change in node
        value at every split on the pair's path (Saabas), summed per feature."""
        out = [0.0] * len(FEATURE_NAMES)
        for feat, thr, left, right, value in self.trees:
            node = 0
            while feat[node] >= 0:
                f = feat[node]
                child = left[node] if x[f] <= thr[node] else right[node]
                out[f] += self.rate * (value[child] - value[node])
                node = child
        return out

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

    def explain(self, x: Sequence[float], top: int = 2) -> list[str]:
        """Sentences for the features that pushed the score up the most."""
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


def to_score(z: float) -> int:
    z = max(-30.0, min(30.0, z))
    return round(100 / (1.0 + math.exp(-z)))
