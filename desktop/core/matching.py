"""Duplicate candidates: blocking, scoring, and the reason for each pair.

Never all-pairs. Every name is analysed once (:class:`NameInfo`) and filed in
an inverted index under a few keys (see :meth:`NameIndex.keys_for`): its exact
key; its skeleton (transliteration key) with spaces removed, in written and in
sorted word order, and that string with one letter deleted (typos,
SymSpell-style); each rare word. Two asymmetric indexes add names that contain
another name plus a word or two (Masood Azhar / Masood Azhar Alvi) and
acronyms against long names with the same first and last initials. Only names
sharing a key are compared; a key shared by too many names is walked as a
sorted neighbourhood (each name against the next ``window`` names in
transliteration-key order, plus every name with the same transliteration).

Scores are 0-100 and always come with a reason a person can check. A pair whose
names differ in a distinguishing word (Lashkar-e-*Taiba* / Lashkar-e-*Jhangvi*)
is capped below :data:`DEFAULT_MIN_SCORE` whatever the library evidence, so it
is never suggested on strings alone.
"""

from __future__ import annotations

import gc
import heapq
import math
import re
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations
from typing import NamedTuple

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel, LCSseq
from rapidfuzz.utils import default_process

from desktop.core import clusters as clustering
from desktop.core import glossary, pairmodel
from desktop.core import names as nm

DEFAULT_MIN_SCORE = 70
# Scores of pairs with a distinguishing word never reach the default threshold.
CONFLICT_CAP = 45

# Words that add nothing to an organisation's identity when one spelling has
# them and the other does not ("Hizbul Mujahideen" / "Hizbul Mujahideen group").
GENERIC_WORDS = frozenset(
    [
        "group",
        "party",
        "organisation",
        "organization",
        "movement",
        "network",
        "association",
        "society",
        "outfit",
        "faction",
        "wing",
        "tanzeem",
        "tanzim",
        "province",
        "state",
        "district",
        "division",
        "city",
        "town",
        "village",
        "region",
        "county",
        "governorate",
        "oblast",
        "republic",
        "territory",
        "agency",
        "international",
        "corps",
        # Private military company, written before or after the name.
        "pmc",
        "forces",
        "units",
        "brigade",
        "brigades",
    ]
)

# Arabic, Persian and Urdu words for the kind of organisation, which English
# reporting translates (Jabhat al-Nusra = Nusra Front): each maps to the
# English generic word it is rendered by. General vocabulary, not names.
ORG_WORD_TRANSLATIONS = {
    "jabhat": "front",
    "jabha": "front",
    "jebhe": "front",
    "mahaz": "front",
    "harakat": "movement",
    "harakah": "movement",
    "haraka": "movement",
    "tehrik": "movement",
    "tehreek": "movement",
    "tahrik": "movement",
    "hizb": "party",
    "hezb": "party",
    "majlis": "council",
    "tanzeem": "organisation",
    "tanzim": "organisation",
    "munazzamat": "organisation",
    "ittehad": "alliance",
    "ittihad": "union",
}


# Skeletons of name elements that lead a full name and are often left out
# (Muhammad Nawaz Sharif / Nawaz Sharif): Muhammad in all spellings, Mian,
# Sardar, Khwaja, Malik when leading.
NAME_PREFIXES = frozenset(nm.token_skeleton(w) for w in ("muhammad", "mian", "sardar", "khwaja"))

# Given names so common in the region that a name made only of them (Khalid
# Mohammed, Mohammed Hanif, Ahmed Rashid) is shared by many people: that such a
# name is contained in a longer one is weak evidence on its own (a
# term-frequency adjustment, as record-linkage systems weigh common values).
COMMON_GIVEN_NAMES = frozenset(
    nm.token_skeleton(w)
    for w in [
        "muhammad",
        "abd",
        "ahmad",
        "ali",
        "hasan",
        "husain",
        "khalid",
        "umar",
        "uthman",
        "yusuf",
        "ibrahim",
        "ismail",
        "abdullah",
        "rashid",
        "rahman",
        "rahim",
        "karim",
        "hamid",
        "mahmud",
        "mustafa",
        "salim",
        "said",
        "saad",
        "tariq",
        "imran",
        "asif",
        "bilal",
        "hamza",
        "zubair",
        "hanif",
        "latif",
        "aziz",
        "jamil",
        "kamal",
        "nasir",
        "yasin",
        "yasir",
        "ayub",
        "musa",
        "isa",
        "idris",
        "ilyas",
        "jafar",
        "hadi",
        "mahdi",
        "ghulam",
        "fazl",
        "khan",
        "shah",
        "malik",
        "sheikh",
        "mir",
    ]
)

# English derivational endings that leave the word's identity alone in
# names of organisations and places (Muslim Brothers / Brotherhood,
# Palestine / Palestinian Islamic Jihad, Baloch / Balochistan, Houthis).
_SUFFIXES = ("istan", "hood", "ians", "ian", "es", "s", "e")


def _generic(word: str) -> bool:
    return word in GENERIC_WORDS or word in ORG_WORD_TRANSLATIONS


def _stem(word: str) -> str:
    for suf in _SUFFIXES:
        if word.endswith(suf) and len(word) - len(suf) >= 5:
            return word[: -len(suf)]
    return word


# Glued Arabic article, assimilated or not (Elsisi, Alnusra, Assadr).
_ARTICLE = re.compile(r"^(?:al|el|as|ad|ash|an|ar|az|at)(?=[a-z]{3,})")

_ARTICLE_STARTS = frozenset({"al", "el", "as", "ad", "an", "ar", "az", "at"})
_DIPHTHONG = re.compile(r"a[iy](?![aeiou])|e[iy](?![aeiou])|a[uw](?![aeiou])|o[uw](?![aeiou])")


def _monophthong(word: str) -> str:
    """Falling diphthongs written as plain vowels (Javaid/Javed, Shaukat/Shokat);
    rising pairs such as the "ia" of Jamiat stay, since they mark a syllable."""
    return _DIPHTHONG.sub(lambda m: "e" if m.group(0)[1] in "iy" else "o", word)


def _vowel_count(word: str) -> int:
    w = re.sub(r"(.)\1+", r"\1", word)
    return sum(1 for k, ch in enumerate(w) if ch in "aeiou" or (ch == "y" and k > 0))


# Glued "-ud-Din" and "-ul-lah" endings of compound given names: the first
# part alone is a common short form (Sirajuddin / Siraj).
_COMPOUND_END = re.compile(r"^(?P<stem>[a-z]{4,}?)(?:uddin|udin|uddeen|udeen|ullah|ulla)$")


def _ends_in_vowel(word: str) -> bool:
    w = word[:-1] if len(word) > 2 and word[-1] == "h" and word[-2] in "aeiouy" else word
    return w[-1] in "aeiouy"


@dataclass(frozen=True, slots=True)
class NameInfo:
    """Everything matching needs about one name, computed once."""

    text: str
    key: str
    norm: str
    form: str
    words: tuple[str, ...]
    skel: tuple[str, ...]
    vkey: str
    skey: str
    titles: tuple[str, ...]
    acronym: bool
    acr_key: str
    # An acronym written after the name: "Financial Action Task Force (FATF)".
    paren_acr: str
    # First letters of the first and last words, or of the acronym: the block
    # where acronyms meet long names.
    ends: str
    # Entry of the place-name table (data/exonyms.txt) this name is in, or -1.
    place: int = -1
    skset: frozenset[str] = frozenset()
    # The skeleton and the matching form without spaces (word breaks).
    flat: str = ""
    flat_form: str = ""

    # The skeleton glued into one word (see _glued_skeleton).
    glued: str = ""
    # Per word: may a rule join it to a word with another first letter (a
    # glued article, a translated kind word)? See _align.
    special: tuple[bool, ...] = ()
    # Skeletons of the words that end in a vowel.
    vowel_end: frozenset[str] = frozenset()

    @classmethod
    def of(cls, text: str) -> NameInfo:
        return _name_info(text)


class _WordFields(NamedTuple):
    """The part of :class:`NameInfo` that depends on the content words only."""

    form: str
    skel: tuple[str, ...]
    vkey: str
    skey: str
    place: int
    skset: frozenset[str]
    glued: str
    special: tuple[bool, ...]
    flat: str
    flat_form: str
    vowel_end: frozenset[str]


@lru_cache(maxsize=300_000)
def _word_fields(words: tuple[str, ...]) -> _WordFields:
    # Spellings that differ in titles, case or punctuation share their words
    # (Dr. Ahmed Khan, AHMED KHAN), so this is computed once for all of them.
    skel = tuple(map(nm.token_skeleton, words))
    return _WordFields(
        form=" ".join(words),
        skel=skel,
        vkey=" ".join(skel),
        skey=" ".join(sorted(skel)),
        place=_place_of(words, skel),
        skset=frozenset(skel),
        glued=_glued_skeleton(skel),
        special=tuple(w[:2] in _ARTICLE_STARTS or w in ORG_WORD_TRANSLATIONS for w in words),
        flat="".join(skel),
        flat_form="".join(words),
        vowel_end=frozenset(t for w, t in zip(words, skel, strict=True) if _ends_in_vowel(w)),
    )


@lru_cache(maxsize=300_000)
def _name_info(text: str) -> NameInfo:
    analysed, inner = nm.split_parenthesised_acronym(text)
    parsed = nm.parse_name(analysed)
    words = tuple(nm.content_tokens(analysed))
    wf = _word_fields(words)
    acronym = nm.looks_like_acronym(analysed)
    acr_key = nm.acronym_key(analysed) if acronym else ""
    if acronym:
        ends = acr_key[0] + acr_key[-1] if acr_key else ""
    elif len(parsed.core) >= 2:
        ends = parsed.core[0][0] + parsed.core[-1][0]
    else:
        ends = ""
    return NameInfo(
        text=text,
        key=nm.alias_key(analysed),
        norm=nm.normalise(analysed),
        form=wf.form,
        words=words,
        skel=wf.skel,
        vkey=wf.vkey,
        skey=wf.skey,
        titles=parsed.titles,
        acronym=acronym,
        acr_key=acr_key,
        paren_acr=nm.acronym_key(inner) if inner else "",
        ends=ends,
        place=wf.place,
        skset=wf.skset,
        glued=wf.glued,
        special=wf.special,
        flat=wf.flat,
        flat_form=wf.flat_form,
        vowel_end=wf.vowel_end,
    )


@lru_cache(maxsize=1)
def place_names() -> dict[str, int]:
    """Transliteration key -> entry number in the table of well-known other
    names of places (Bombay/Mumbai, Peking/Beijing, Halab/Aleppo)."""
    return {
        nm.variant_key(name): n for n, names in enumerate(nm.other_place_names()) for name in names
    }


def _place_of(words: tuple[str, ...], skel: tuple[str, ...]) -> int:
    table = place_names()
    hit = table.get(" ".join(skel))
    if hit is None and not GENERIC_WORDS.isdisjoint(words):
        # "Mumbai City", "Rakhine State": the generic word is not part of it.
        core = [t for w, t in zip(words, skel, strict=True) if w not in GENERIC_WORDS]
        if core and len(core) < len(skel):
            hit = table.get(" ".join(core))
    return -1 if hit is None else hit


class NameScore(NamedTuple):
    # A named tuple rather than a frozen dataclass: suggestion creates one per
    # compared pair (half a million on 100,000 names) and a tuple is built
    # several times faster.
    score: int
    reason: str
    # True when the names differ in a distinguishing word: never merge on strings.
    conflict: bool = False


_GLUED = tuple(sorted((c for c in nm.CONNECTORS if len(c) == 2 and c[0] == "u"), key=len))


def _unglue(word: str) -> str:
    """Zakiur -> zaki, Hizbul -> hizb: a connector written onto the word before it."""
    if len(word) >= 5 and word.endswith(_GLUED):
        return word[:-2]
    return word


@lru_cache(maxsize=300_000)
def _words_close(wa: str, wb: str, sa: str, sb: str, glued: bool = True) -> bool:
    """Closeness of two words whose skeletons differ: a connector glued on
    (Samiul / Sami-ul; only ``glued`` words, those followed by another word),
    a vowel glide (Javed / Javaid), a glued article (Elsisi / Sisi), an
    English derivational ending (Brothers / Brotherhood), the Hindi honorific
    -ji (Modiji), a translated generic word (Jabhat / Front), or a typo."""
    ta, tb = ORG_WORD_TRANSLATIONS.get(wa, wa), ORG_WORD_TRANSLATIONS.get(wb, wb)
    if ta == tb:
        return True
    # Cheap guards first: most word pairs reaching here are plainly different
    # words, and this runs for hundreds of thousands of pairs.
    for x, y in ((wa, wb), (wb, wa)):
        extra = len(x) - len(y)
        if extra <= 0:
            continue
        if 2 <= extra <= 3 and x[:2] in _ARTICLE_STARTS:
            m = _ARTICLE.match(x)
            if m and nm.token_skeleton(x[m.end() :]) == nm.token_skeleton(y):
                return True
        if extra == 2 and x.endswith("ji") and nm.token_skeleton(x[:-2]) == nm.token_skeleton(y):
            return True
        if extra >= 3 and x.endswith(("din", "deen", "lah", "lla")):
            c = _COMPOUND_END.match(x)
            if c and nm.token_skeleton(c.group("stem")) == nm.token_skeleton(y):
                return True
    if wa[0] != wb[0] and sa[0] != sb[0]:
        return False
    if wa[:5] == wb[:5] and _stem(wa) == _stem(wb):
        return True
    ua, ub = (_unglue(wa), _unglue(wb)) if glued else (wa, wb)
    if (ua != wa or ub != wb) and nm.token_skeleton(ua) == nm.token_skeleton(ub):
        return True
    r = fuzz.ratio(wa, wb)
    if r < 50:
        return False
    oa, ob = _monophthong(wa), _monophthong(wb)
    ma, mb = nm.token_skeleton(oa), nm.token_skeleton(ob)
    if ma != mb and ma.replace("y", "").replace("w", "") == mb.replace("y", "").replace("w", ""):
        # The words differ only by a vowel pair that is not a diphthong. When
        # one side has a vowel more (Jamat / Jamiat) it is another word,
        # however close the letters; the same number of vowels written
        # differently (Kyiv / Kiev) is a spelling.
        if _vowel_count(wa) != _vowel_count(wb):
            return False
        if r >= 70:
            return True
    if ma == mb and fuzz.ratio(oa, ob) >= 70:
        return True
    if min(len(wa), len(wb)) >= 4 and r >= 85:
        return True
    return min(len(sa), len(sb)) >= 4 and r >= 70 and fuzz.ratio(sa, sb) >= 85


def _glued_skeleton(skel: tuple[str, ...]) -> str:
    """The skeleton written as one word: a word's leading vowel is lost when
    it is glued on (Jund Allah / Jundullah, Abdel Fattah / Abdelfattah)."""
    if len(skel) < 2:
        return skel[0] if skel else ""
    return skel[0] + "".join([t.lstrip("aiu") or t for t in skel[1:]])


def _final_vowels_differ(a: NameInfo, b: NameInfo) -> bool:
    """Skeletons drop vowels, so Hasina and Hassan share one; a final vowel
    present on one side only often marks another name (a feminine ending),
    so such a pair counts as a near match, not an exact one. Checked only
    where a pair would otherwise score high."""
    return a.vowel_end != b.vowel_end and bool((a.vowel_end ^ b.vowel_end) & a.skset & b.skset)


def _align(a: NameInfo, b: NameInfo) -> tuple[tuple[int, ...], tuple[int, ...], str]:
    """Match words of a to words of b; return the unmatched indices of each and
    the weakest rule a match needed: "" (skeletons), "typo" or "initial"."""
    if len(a.skel) == 1 or len(b.skel) == 1:
        return _align_one(a, b)
    sa, sb = a.skset, b.skset
    if len(sa) == len(a.skel) and len(sb) == len(b.skel):
        # No repeated word (the usual case): set differences are exact.
        left = [i for i, t in enumerate(a.skel) if t not in sb]
        right = [j for j, t in enumerate(b.skel) if t not in sa]
    else:
        left = list(range(len(a.skel)))
        right = list(range(len(b.skel)))
        for i in list(left):
            for j in right:
                if a.skel[i] == b.skel[j]:
                    left.remove(i)
                    right.remove(j)
                    break
    how = ""
    for i in list(left):
        wa, ta, xa = a.words[i], a.skel[i], a.special[i]
        for j in right:
            wb, tb = b.words[j], b.skel[j]
            # Words with no first letter in common are compared only when a
            # rule could still join them (a glued article, a translated word).
            if not (wa[0] == wb[0] or ta[0] == tb[0] or xa or b.special[j]):
                continue
            # A glued connector ends a word that another word follows.
            glued = i < len(a.words) - 1 and j < len(b.words) - 1
            if _words_close(wa, wb, ta, tb, glued):
                left.remove(i)
                right.remove(j)
                how = how or "typo"
                break
    # An initial stands for a word with that first letter (V. Prabhakaran).
    for i in list(left):
        for j in right:
            wa, wb = a.words[i], b.words[j]
            if (len(wa) == 1 or len(wb) == 1) and wa[0] == wb[0]:
                left.remove(i)
                right.remove(j)
                how = "initial"
                break
    return tuple(left), tuple(right), how


def _align_one(a: NameInfo, b: NameInfo) -> tuple[tuple[int, ...], tuple[int, ...], str]:
    """:func:`_align` when one name is a single word (every acronym, so most
    pairs on a big library): the same matches taken in the same order, with
    no lists to build and shrink. The single word pairs with the first word
    of the other name that has its skeleton, else that is close to it, else
    that it is an initial of (or that is an initial of it)."""
    flip = len(a.skel) != 1
    one, many = (b, a) if flip else (a, b)
    w, t, x = one.words[0], one.skel[0], one.special[0]
    skel, words = many.skel, many.words
    size = len(skel)
    k = -1
    how = ""
    if t in many.skset:
        k = skel.index(t)
    else:
        # (t[:1]: an empty skeleton is read only if the first letters differ.)
        w0, t0 = w[0], t[:1]
        special = many.special
        for j in range(size):
            wj, tj = words[j], skel[j]
            # As in _align: no common first letter, no rule to join them.
            if not (w0 == wj[0] or t0 == tj[0] or x or special[j]):
                continue
            # The argument order and the glued flag (a single word is followed
            # by none) are _align's, so the cached verdicts are shared.
            if _words_close(wj, w, tj, t, False) if flip else _words_close(w, wj, t, tj, False):
                k, how = j, "typo"
                break
        else:
            for j in range(size):
                wj = words[j]
                if (len(w) == 1 or len(wj) == 1) and w0 == wj[0]:
                    k, how = j, "initial"
                    break
    if k < 0:
        rest, own = tuple(range(size)), (0,)
    else:
        rest, own = tuple(j for j in range(size) if j != k), ()
    return (rest, own, how) if flip else (own, rest, how)


# What score_names computes from the two names' words alone: the
# token_sort_ratio of the matching forms and the word alignment.
WordMemo = dict[tuple[str, str], tuple[float, tuple[int, ...], tuple[int, ...], str]]


def score_names(
    a: NameInfo, b: NameInfo, kind: str = "", memo: WordMemo | None = None
) -> NameScore:
    """String evidence that two names denote the same thing.

    ``kind`` is the entity type when both sides share it (PER, ORG, LOC), else
    "": it decides whether an extra word is a middle name (people) or a
    distinguishing word (organisations, places).

    ``memo``, when given, keeps the word alignment of each pair of matching
    forms: names that differ only in titles, case or punctuation share it, so
    a batch of comparisons (:func:`suggest_pairs`) aligns each pair of word
    sequences once.
    """
    ns = _score(a, b, kind, memo, -1)
    assert ns is not None  # nothing scores below -1
    return ns


def _score(
    a: NameInfo, b: NameInfo, kind: str, memo: WordMemo | None, floor: int
) -> NameScore | None:
    """:func:`score_names`, or None for a score known to be below ``floor``
    before its reason is written (a batch drops those pairs anyway).

    None comes only from rules that read the words, the kind and nothing
    else of the two names (not their titles or written form), so for two
    names that are not acronyms it holds for every pair with the same
    matching forms and kind; _suggest_pairs relies on that."""
    if a.key == b.key:
        return NameScore(100, "same name")
    if a.acronym or b.acronym:
        if a.acronym and b.acronym:
            if a.acr_key == b.acr_key:
                return NameScore(95, "same acronym")
            return NameScore(0, "different acronyms", True)
        short, long = (a, b) if a.acronym else (b, a)
        if short.acr_key == long.paren_acr or nm.acronym_matches(short.acr_key, long.norm):
            # Two or three letters fit many names (JI, HM, JUI): weak on their own.
            score = {2: 72, 3: 76}.get(len(short.acr_key), 84)
            return NameScore(score, f"{short.text} is an acronym of {long.text}")
        if len(long.skel) == 1 and short.acr_key == long.norm.replace(" ", ""):
            return NameScore(97, "same name")
        return NameScore(0, "acronym does not match", True)
    if a.norm == b.norm:
        return NameScore(98, "same name apart from punctuation")
    if a.form == b.form:
        extra = sorted(set(a.titles) ^ set(b.titles))
        if extra:
            return NameScore(96, f"same name without the title {', '.join(extra)}")
        return NameScore(96, "same name apart from connectors")
    if a.vkey == b.vkey:
        return NameScore(94, "same after transliteration")
    if a.place >= 0 and a.place == b.place and kind in ("LOC", ""):
        return NameScore(86, "a well-known other name of the same place")
    if a.flat == b.flat or a.flat_form == b.flat_form or a.glued == b.glued:
        return NameScore(90, "same apart from word breaks")
    if memo is None:
        tsr = fuzz.token_sort_ratio(a.form, b.form)
        left, right, how = _align(a, b)
    else:
        words_key = (a.form, b.form)
        hit = memo.get(words_key)
        if hit is None:
            hit = memo[words_key] = (fuzz.token_sort_ratio(a.form, b.form), *_align(a, b))
        tsr, left, right, how = hit
    if kind != "PER" and left and right:
        # "Haqqani Network" / "Haqqani Group": generic words on both sides.
        gl = [i for i in left if not _generic(a.words[i])]
        gr = [j for j in right if not _generic(b.words[j])]
        if not gl and not gr:
            return NameScore(80, "same name apart from generic words")
        if not gl or not gr:
            left, right = gl, gr
    if (
        kind == "PER"
        and len(left) == 1
        and left[0] == 0
        and len(right) == 1
        and right[0] == 0
        and a.skel[0] in NAME_PREFIXES
        and b.skel[0] in NAME_PREFIXES
    ):
        # Muhammad Nawaz Sharif / Mian Nawaz Sharif: two leading honorific
        # name elements, either of which is routinely dropped.
        return NameScore(84, f"same name apart from {a.words[0]!r} / {b.words[0]!r}")
    if kind == "PER" and left and right and (left[0] == 0 or right[0] == 0):
        # A leading Muhammad on one side only does not make the words differ
        # (Muhammad Ajmal Kasab / Ajmal Amir Kasab): what is left decides.
        if left[0] == 0 and a.skel[0] in NAME_PREFIXES and len(a.skel) > 2:
            left = left[1:]
        elif right[0] == 0 and b.skel[0] in NAME_PREFIXES and len(b.skel) > 2:
            right = right[1:]
    if left and right:
        if floor > CONFLICT_CAP or tsr < floor:
            return None
        da = " ".join(a.words[i] for i in left)
        db = " ".join(b.words[j] for j in right)
        return NameScore(min(CONFLICT_CAP, int(tsr)), f"differ in {da!r} / {db!r}", True)
    if not left and not right:
        if not how and _final_vowels_differ(a, b):
            how = "typo"
        if a.skey == b.skey:
            return NameScore(84, "same words in another order")
        ordered = fuzz.ratio(a.form, b.form)
        # Word-by-word close (typos); keep below exact transliteration.
        base = 80 + (max(tsr, ordered) - 80) / 2 if max(tsr, ordered) > 80 else 80
        if how == "initial":
            return NameScore(int(min(84, base)), "same name with initials")
        return NameScore(int(min(92, base)), "close spelling" if how else "same words")
    # One name has every word of the other, plus more.
    short, long, extra_idx = (b, a, left) if left else (a, b, right)
    extra = [long.words[i] for i in extra_idx]
    if kind != "PER" and all(w in GENERIC_WORDS for w in extra):
        if kind == "ORG" and len(short.skel) == 1:
            # A one-word name plus "Organisation" or "Corps" is as often
            # another body (Al-Badr / Badr Organisation) as the same one.
            return NameScore(58, f"{short.text!r} plus {' '.join(extra)!r}")
        return NameScore(82, f"same name plus {' '.join(extra)!r}")
    if len(short.skel) == 1:
        if (
            kind == "PER"
            and short.titles
            and list(extra_idx) == list(range(len(long.words) - 1))
            and how == ""
            and not _final_vowels_differ(a, b)
            # The press form is the title and the name alone, no connector
            # ("Hafez al-Assad" is a given name and a surname).
            and len(short.norm.split()) == len(short.titles) + 1
        ):
            # "Mullah Omar", "General Dostum": a title with the last name is how
            # the press names a known person; still only a suggestion.
            ta = {nm.token_skeleton(t) for t in short.titles}
            same_title = bool(ta & {nm.token_skeleton(t) for t in long.titles})
            # A common surname after the title (Hafiz Saeed) fits too many
            # people to suggest on strings alone unless the title agrees.
            common = short.skel[0] in COMMON_GIVEN_NAMES
            if not same_title and set(short.titles) & nm.TITLES_THAT_ARE_NAMES:
                # "Hafez Assad" is as likely a given name and a surname.
                return NameScore(58, f"{short.text!r} may be another {long.words[-1]!r}")
            return NameScore(
                76 if same_title else (58 if common else 72),
                f"{short.text!r} is a title and the last name of {long.text!r}",
            )
        return NameScore(min(60, int(tsr)), f"{short.text!r} is part of {long.text!r}")
    if kind == "PER":
        # Extra words at the front are more often another person of the same
        # family (Maryam Nawaz Sharif) than extra middle or last names.
        # A word added at the end is as often a relative or a namesake's
        # surname (Mohammed Hanif Atmar) as the same person's full name, so on
        # its own it stays just below the threshold: shared articles or
        # co-mentioned entities are needed for it to be suggested.
        # A leading Muhammad/Mohammed (or Mian, Sardar...) is routinely
        # dropped from South Asian and Arab names: not counted as an extra word.
        extra_idx = [i for i in extra_idx if not (i == 0 and long.skel[0] in NAME_PREFIXES)]
        if not extra_idx:
            return NameScore(86, f"same name without the prefix {long.words[0]!r}")
        if len(short.skel) <= 2 and all(t in COMMON_GIVEN_NAMES for t in short.skel):
            # "Khalid Mohammed" inside "Khalid Sheikh Mohammed": too common a
            # name to suggest on strings alone; library evidence may lift it.
            if floor > 56:
                return None
            return NameScore(
                56, f"{short.text!r} is a common name; all its words are in {long.text!r}"
            )
        extra = [long.words[i] for i in extra_idx]
        front = 0 in extra_idx
        end = len(long.words) - 1 in extra_idx
        base = 84 - 6 * (len(extra) - 1) - (12 if front else 0) - (16 if end else 0)
        if how == "initial":
            base -= 18
        return NameScore(max(60, base), f"all words of {short.text!r} are in {long.text!r}")
    if all(w in GENERIC_WORDS for w in extra):
        return NameScore(82, f"same name plus {' '.join(extra)!r}")
    if floor > CONFLICT_CAP or tsr < floor:
        return None
    return NameScore(min(CONFLICT_CAP, int(tsr)), f"{long.text!r} adds {' '.join(extra)!r}", True)


def pair_features(a: NameInfo, b: NameInfo, kind: str, memo: WordMemo | None = None) -> list[float]:
    """The learnt model's features of a pair (see :mod:`desktop.core.pairmodel`)."""
    rule = _score(a, b, kind, memo, -1)
    assert rule is not None
    return pairmodel.features(a, b, kind, rule, _memo_align(a, b, memo))


def _memo_align(
    a: NameInfo, b: NameInfo, memo: WordMemo | None
) -> tuple[tuple[int, ...], tuple[int, ...], str]:
    if memo is None:
        return _align(a, b)
    hit = memo.get((a.form, b.form))
    if hit is None:
        hit = memo[(a.form, b.form)] = (fuzz.token_sort_ratio(a.form, b.form), *_align(a, b))
    return hit[1], hit[2], hit[3]


def learnt_score(
    a: NameInfo, b: NameInfo, kind: str, rule: NameScore, memo: WordMemo | None = None
) -> NameScore:
    """The final score of a pair that the rules have read: the shipped model's
    probability (times 100) over the rules' verdict and the string features, with
    the rules' reason and the model's strongest features as the explanation.
    Exact same keys stay 100; without a shipped model the rules decide."""
    model = pairmodel.load_model()
    if model is None or a.key == b.key:
        return rule
    x = pairmodel.features(a, b, kind, rule, _memo_align(a, b, memo))
    return _learnt(model, rule, x, model.score(x))


def _learnt(
    model: pairmodel.PairModel,
    rule: NameScore,
    x: list[float],
    score: int,
    contrib: list[float] | None = None,
    explained: list[str] | None = None,
) -> NameScore:
    # Only a pair worth a look gets the model's reasons; the rules say why not.
    # (``explained``: the model's sentences for ``x`` when already written.)
    if score < 50:
        why = []
    elif explained is not None:
        why = explained
    else:
        why = model.explain(x, contrib=contrib)
    reason = rule.reason
    if rule.conflict and score >= DEFAULT_MIN_SCORE:
        reason += ", read as respellings"
    reason += f" ({'; '.join(why)})" if why else ""
    # A distinguishing word still marks the pair unless the model is sure.
    return NameScore(score, reason, rule.conflict and score < DEFAULT_MIN_SCORE)


def pair_score(a: NameInfo, b: NameInfo, kind: str = "") -> NameScore:
    """What suggestion scores a pair of names: the rules, then the model."""
    return learnt_score(a, b, kind, score_names(a, b, kind))


def pair_scores(pairs: list[tuple[NameInfo, NameInfo]], kinds: list[str]) -> list[NameScore]:
    """:func:`pair_score` of many pairs, the model run once over all of them;
    reasons are the rules' (explanations are written for what is shown)."""
    rules = [score_names(a, b, k) for (a, b), k in zip(pairs, kinds, strict=True)]
    model = pairmodel.load_model()
    if model is None:
        return rules
    todo = [n for n, (a, b) in enumerate(pairs) if a.key != b.key]
    out = list(rules)
    if not todo:
        return out
    batch = pairmodel.FeatureBatch([x for n in todo for x in pairs[n]])
    X = batch.rows(
        range(0, 2 * len(todo), 2),
        range(1, 2 * len(todo), 2),
        [kinds[n] for n in todo],
        [rules[n] for n in todo],
        [_align(*pairs[n]) for n in todo],
    )
    for n, score in zip(todo, model.scores(X), strict=True):
        ns = rules[n]
        out[n] = NameScore(score, ns.reason, ns.conflict and score < DEFAULT_MIN_SCORE)
    return out


# ---------------------------------------------------------------- blocking


_gc_lock = threading.Lock()
_gc_pausers = 0
_gc_was_enabled = True


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a batch of comparisons.

    Indexing and suggestion on 100,000 names allocate millions of small
    tuples, lists and strings, none in reference cycles; the collector would
    walk the whole growing heap again and again (a fifth of the run time of
    suggestion, more of indexing) and free nothing.
    Reference counting still frees everything as usual. Nested and concurrent
    users are counted, and the collector's previous state comes back when the
    last one leaves.
    """
    global _gc_pausers, _gc_was_enabled
    with _gc_lock:
        if _gc_pausers == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pausers += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pausers -= 1
            if _gc_pausers == 0 and _gc_was_enabled:
                gc.enable()


@lru_cache(maxsize=300_000)
def _near_keys(flat: str) -> frozenset[str]:
    """``n:`` keys: the string and, from three letters on, each one-letter deletion."""
    if len(flat) < 3:
        return frozenset(("n:" + flat,))
    return frozenset(["n:" + flat] + ["n:" + flat[:i] + flat[i + 1 :] for i in range(len(flat))])


@lru_cache(maxsize=300_000)
def _folded_keys(skel: tuple[str, ...]) -> frozenset[str]:
    flat = "".join(pairmodel.fold_token(t) for t in skel)
    if len(flat) < 4:
        return frozenset(("f:" + flat,))
    return frozenset(["f:" + flat] + ["f:" + flat[:i] + flat[i + 1 :] for i in range(len(flat))])


@dataclass
class NameIndex:
    """An inverted index of names for candidate generation.

    ``owners[i]`` is an arbitrary owner id of name ``i`` (an entity id), so that
    pairs of names with the same owner are never produced.
    """

    infos: list[NameInfo] = field(default_factory=list)
    owners: list[int] = field(default_factory=list)
    blocks: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    token_df: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    rare_limit: int = 30
    # Acronyms meet long names through the first and last letters, checked
    # exactly by the scorer (connectors may or may not give a letter).
    acr_short: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    acr_long: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    # "n:" string of a shorter form -> names that contain it plus a word or two.
    longer: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    # The name's words less one, sorted -> (the word left out, name). Names
    # that differ in one whole word of similar spelling meet here (Kashif Alvi
    # / Asif Alvi, Jamaat al-Badr / Jamiat al-Badr), which no skeleton key
    # catches when the words differ by more than one edit.
    rest: dict[str, list[tuple[str, int]]] = field(default_factory=lambda: defaultdict(list))

    def keys_for(self, info: NameInfo) -> set[str]:
        """Blocking keys of one name.

        - ``k:`` the exact key; ``n:`` the skeleton with its spaces removed,
          and that string with one letter deleted: names within one consonant
          edit of each other meet here (vowel differences are already gone
          from skeletons); also the sorted skeleton, for reordered words;
        - the same string for the name less one word (less two for names of
          four words or more), so that a name meets its longer forms (Masood
          Azhar / Masood Azhar Alvi, Mohammed Hanif / Mohammed Hanif Atmar);
        - ``t:`` each rare word's skeleton (found in at most ``rare_limit``
          names): a surname alone meets the full names that contain it.
        """
        keys = {"k:" + info.key}
        if info.place >= 0:
            keys.add(f"x:{info.place}")
        if info.acronym:
            # R&AW and RAW: one acronym, two exact keys.
            keys.add("a:" + info.acr_key)
            return keys
        # Deletions on the words in written order catch typos and word breaks
        # (Rawalpindi / Rawal Pindi); the sorted string catches reorderings.
        keys.update(_near_keys(info.flat))
        keys.add("n:" + info.skey.replace(" ", ""))
        # The skeleton folded across romanisations (q/k/g, dh/z/d, sh/ch/s,
        # glides and h gone), and that within one deletion: Hekhmartyar /
        # Khekmatiyar, Jangvi / Jahangvi, Omqi / Omgy.
        keys.update(_folded_keys(info.skel))
        token_df, rare_limit = self.token_df, self.rare_limit
        for t in info.skset:
            if len(t) >= 2 and token_df.get(t, 0) <= rare_limit:
                keys.add("t:" + t)
                # Vowel glides come and go (Haibatullah / Hibatullah).
                g = t.replace("y", "").replace("w", "")
                if g != t and len(g) >= 3:
                    keys.add("t:" + g)
        return keys

    @staticmethod
    def shorter_forms(info: NameInfo) -> set[str]:
        """The ``n:`` strings of this name less one word (less two for names of
        four words or more). Matched only against names whose whole string is
        that, never against each other, so "Ahmed Ali Mir" meets "Ahmed Mir"
        but not every other "Ahmed ... Mir"."""
        skel = sorted(info.skel)
        out: set[str] = set()
        if len(skel) < 3 or info.acronym:
            return out
        for i in range(len(skel)):
            rest = skel[:i] + skel[i + 1 :]
            out.add("n:" + "".join(rest))
            if len(skel) >= 4:
                for j in range(i, len(rest)):
                    out.add("n:" + "".join(rest[:j] + rest[j + 1 :]))
        return out


def build_index(
    names: Iterable[tuple[int, str]],
    rare_limit: int = 30,
    people: set[int] | None = None,
) -> NameIndex:
    """Index ``(owner_id, name)`` pairs. Two passes: word frequencies first,
    because only rare words make good blocking keys.

    ``people``, when given, holds the positions of names that may belong to
    people: only those (and names with a generic word such as "Group") are
    filed under their shorter forms, because for organisations and places an
    extra word is a distinguishing word and the pair could never be suggested.
    """
    with _collector_paused():
        return _build_index(names, rare_limit, people)


def _build_index(
    names: Iterable[tuple[int, str]], rare_limit: int, people: set[int] | None
) -> NameIndex:
    index = NameIndex(rare_limit=rare_limit)
    infos, owners, token_df = index.infos, index.owners, index.token_df
    name_info = NameInfo.of
    for owner, text in names:
        info = name_info(text)
        infos.append(info)
        owners.append(owner)
        for t in info.skset:
            token_df[t] += 1
    blocks, longer, rest = index.blocks, index.longer, index.rest
    keys_for, shorter_forms = index.keys_for, index.shorter_forms
    for i, info in enumerate(infos):
        for k in keys_for(info):
            blocks[k].append(i)
        words = info.words
        if info.ends:
            (index.acr_short if info.acronym else index.acr_long)[info.ends].append(i)
            if not info.acronym and len(words) >= 2:
                # Acronyms often stop short of the whole name or skip a word
                # (IRG for Islamic Revolutionary Guard Corps, JAS for Jama'atu
                # Ahlis Sunna Lidda'awati wal-Jihad, IS-K for Islamic State
                # Khorasan Province): the first initial with each later one.
                first = info.ends[0]
                for w in {first + w[0] for w in words[1:]} | {
                    words[0][0] + w[0] for w in words[1:]
                }:
                    if w != info.ends:
                        index.acr_long[w].append(i)
        if (
            len(info.skel) >= 3
            and not info.acronym
            and (people is None or i in people or any(w in GENERIC_WORDS for w in words))
        ):
            for k in shorter_forms(info):
                longer[k].append(i)
        if 2 <= len(words) <= 6 and not info.acronym:
            ordered = sorted(words)
            for x, w in enumerate(ordered):
                if x and ordered[x - 1] == w:
                    continue
                rest[" ".join(ordered[:x] + ordered[x + 1 :])].append((w, i))
    return index


# Names that read alike as plain strings: rapidfuzz's token_sort_ratio (words
# sorted, case and punctuation dropped) at least this. The other blocks read
# the names' matching forms (titles and articles set apart, transliteration
# folded), which miss pairs such as "Haji Muhammad Ali" / "Haji Muhhammad
# Bhaqi" that a plain comparison of all pairs would find.
NEAR_SPELLING_MIN = 85
# Pairs of distinct sorted forms checked per rapidfuzz call, and the size of
# a block compared a band of rows at a time instead.
_NEAR_BATCH = 500_000
_NEAR_BIG_BLOCK = 400


@lru_cache(maxsize=512)
def _pairs_of(size: int) -> tuple[np.ndarray, np.ndarray]:
    """Positions (x < y) of every pair among ``size`` items."""
    return np.triu_indices(size, 1)


def _near_spelling_pairs(index: NameIndex, out: _Codes) -> None:
    """Pairs of names whose plain forms (words sorted, case and punctuation
    dropped) read alike (NEAR_SPELLING_MIN) and differ in about one word, or,
    for one-word names other than acronyms, in about one letter.

    The forms meet in deletion blocks (each form less one of its words, as
    written and as romanisation skeletons; a one-word form as it is and less
    one of its letters), so that two forms far apart are never compared; the
    pairs of a block are checked in rapidfuzz's C loop, a batch at a time."""
    infos, owners = index.infos, index.owners
    n = len(infos)
    by_form: dict[str, list[int]] = defaultdict(list)
    for i, info in enumerate(infos):
        form = " ".join(sorted(default_process(info.text).split()))
        if form:
            by_form[form].append(i)
    forms = list(by_form)
    blocks: dict[str, list[int]] = defaultdict(list)
    for f, form in enumerate(forms):
        words = form.split(" ")
        if len(words) > 1:
            # The words as written, and their romanisation skeletons: two
            # words respelled at once (Mullah Muhammad Rahman / Mullah
            # Mohammad Rahim) still leave one word out in common.
            skel = sorted(map(nm.token_skeleton, words))
            keys = {" ".join(words[:x] + words[x + 1 :]) for x in range(len(words))} | {
                "\t" + " ".join(skel[:x] + skel[x + 1 :]) for x in range(len(skel))
            }
        elif all(infos[i].acronym for i in by_form[form]):
            # Acronyms a letter apart are mostly two groups (ISIS / ISIS-K,
            # TLP / TLYP): the acronym blocks pair them with what they stand for.
            continue
        else:
            keys = {form} | {form[:x] + form[x + 1 :] for x in range(len(form))}
        for k in keys:
            blocks[k].append(f)
    firsts: list[np.ndarray] = []
    seconds: list[np.ndarray] = []
    pending = 0

    def check(a: np.ndarray, b: np.ndarray) -> None:
        # Two forms in several blocks are checked twice: cheaper than sorting
        # the pairs to drop the repeats.
        left = [forms[x] for x in a.tolist()]
        right = [forms[x] for x in b.tolist()]
        score = process.cpdist(
            left,
            right,
            scorer=fuzz.ratio,
            score_cutoff=NEAR_SPELLING_MIN,
            workers=-1,
            dtype=np.uint8,
        )
        keep = np.nonzero(score)[0]
        expand(a[keep], b[keep])

    def expand(a: np.ndarray, b: np.ndarray) -> None:
        """Every pair of names behind the pairs of forms (a, b)."""
        for x, y in zip(a.tolist(), b.tolist(), strict=True):
            for i in by_form[forms[x]]:
                oi = owners[i]
                for j in by_form[forms[y]]:
                    if owners[j] != oi:
                        out.codes.add(i * n + j if i < j else j * n + i)
        out.check()

    for members in blocks.values():
        size = len(members)
        if size < 2:
            continue
        if size > _NEAR_BIG_BLOCK:
            # A word left out of thousands of names: the block's pairs are
            # compared a band of rows at a time, never all held at once.
            texts = [forms[f] for f in members]
            block = np.asarray(members, dtype=np.int32)
            for start in range(0, size, _NEAR_BIG_BLOCK):
                score = process.cdist(
                    texts[start : start + _NEAR_BIG_BLOCK],
                    texts,
                    scorer=fuzz.ratio,
                    score_cutoff=NEAR_SPELLING_MIN,
                    workers=-1,
                    dtype=np.uint8,
                )
                rows, cols = np.nonzero(score)
                rows += start
                keep = rows < cols
                expand(block[rows[keep]], block[cols[keep]])
            continue
        block = np.asarray(members, dtype=np.int32)
        x, y = _pairs_of(size)
        firsts.append(block[x])
        seconds.append(block[y])
        pending += len(x)
        if pending >= _NEAR_BATCH:
            check(np.concatenate(firsts), np.concatenate(seconds))
            firsts, seconds, pending = [], [], 0
    if pending:
        check(np.concatenate(firsts), np.concatenate(seconds))


# Two names that share all words but one are compared when the odd words are
# this close: an Indel distance of at most this share of the two names' length
# (a token_sort_ratio of 90 or more on the whole names allows exactly that).
REST_EDIT_SHARE = 0.1


def _rest_pairs(index: NameIndex, out: _Codes) -> None:
    """Pairs from the ``rest`` blocks: same words but one, the odd words close.

    Each block is reduced to its distinct odd words, compared in rapidfuzz's
    C loop (one call per word), and only close word pairs expand to names.
    """
    n = len(index.infos)
    owners = index.owners
    for rest, entries in index.rest.items():
        out.check()
        if len(entries) < 2:
            continue
        by_word: dict[str, list[int]] = defaultdict(list)
        for w, i in entries:
            by_word[w].append(i)
        if len(by_word) < 2:
            continue
        words = list(by_word)
        base = len(rest) + 1
        lens = [base + len(w) for w in words]
        longest = max(lens)
        cutoff = int(REST_EDIT_SHARE * 2 * longest)
        if cutoff < 1:
            continue
        close: list[tuple[int, int]] = []
        for p in range(len(words) - 1):
            # One C loop per word over the words after it (no numpy needed).
            cut = int(REST_EDIT_SHARE * (lens[p] + longest))
            if cut < 1:
                continue
            for _, d, k in process.extract(
                words[p],
                words[p + 1 :],
                scorer=Indel.distance,
                score_cutoff=cut,
                limit=None,
            ):
                q = p + 1 + k
                if d <= REST_EDIT_SHARE * (lens[p] + lens[q]):
                    close.append((p, q))
        for p, q in close:
            for i in by_word[words[p]]:
                oi = owners[i]
                for j in by_word[words[q]]:
                    if owners[j] != oi:
                        out.codes.add(i * n + j if i < j else j * n + i)


def candidate_pairs(index: NameIndex, block_limit: int = 60, window: int = 12) -> set[int]:
    """Pairs of name indices to compare, encoded as ``i * n + j`` with i < j."""
    return set(candidate_codes(index, block_limit, window).tolist())


def candidate_codes(index: NameIndex, block_limit: int = 60, window: int = 12) -> np.ndarray:
    """:func:`candidate_pairs` as one sorted array of distinct codes. A set of
    Python integers would hold over a gigabyte on 200,000 names; the codes are
    gathered a bounded batch at a time into arrays instead."""
    out = _Codes(len(index.infos))
    with _collector_paused():
        _candidate_pairs(index, block_limit, window, out)
    return out.result()


class _Codes:
    """Pair codes gathered like a set (``codes.add``, ``codes.update``; the
    same pair comes from many blocks), moved to sorted arrays whenever
    ``BATCH`` have gathered (:meth:`check`, called between blocks). The arrays
    are kept in ``BUCKETS`` ranges of codes, each merged on its own as its
    parts pile up, so that no merge ever holds every code twice over."""

    BATCH = 1_000_000
    BUCKETS = 16

    def __init__(self, n: int) -> None:
        self.codes: set[int] = set()
        # Upper bounds of the ranges (codes are below n * n).
        self.bounds = np.asarray(
            [(n * n * (k + 1)) // self.BUCKETS for k in range(self.BUCKETS)], dtype=np.int64
        )
        self.parts: list[list[np.ndarray]] = [[] for _ in range(self.BUCKETS)]

    def check(self) -> None:
        if len(self.codes) >= self.BATCH:
            self._spill()

    def _spill(self) -> None:
        if not self.codes:
            return
        codes = np.fromiter(self.codes, dtype=np.int64, count=len(self.codes))
        # Cleared in place: the callers hold its bound add and update.
        self.codes.clear()
        codes.sort()
        cuts = np.searchsorted(codes, self.bounds)
        start = 0
        for k, stop in enumerate(cuts.tolist()):
            if stop > start:
                parts = self.parts[k]
                parts.append(codes[start:stop].copy())
                if len(parts) >= 4:
                    self.parts[k] = [np.unique(np.concatenate(parts))]
            start = stop

    def result(self) -> np.ndarray:
        self._spill()
        merged = []
        for k, parts in enumerate(self.parts):
            if parts:
                merged.append(np.unique(np.concatenate(parts)) if len(parts) > 1 else parts[0])
            self.parts[k] = []
        if not merged:
            return np.zeros(0, dtype=np.int64)
        # The ranges are in order, each sorted: together, sorted.
        return np.concatenate(merged)


def _candidate_pairs(index: NameIndex, block_limit: int, window: int, out: _Codes) -> None:
    n = len(index.infos)
    owners = index.owners
    infos = index.infos
    # Suggestion indexes each spelling once, under its own owner: then no pair
    # needs the same-owner check.
    distinct = len(set(owners)) == n
    add, update, check = out.codes.add, out.codes.update, out.check
    for members in index.blocks.values():
        check()
        size = len(members)
        if size < 2:
            continue
        if size <= block_limit:
            if distinct:
                update([i * n + j if i < j else j * n + i for i, j in combinations(members, 2)])
            else:
                update(
                    [
                        i * n + j if i < j else j * n + i
                        for i, j in combinations(members, 2)
                        if owners[i] != owners[j]
                    ]
                )
            continue
        ordered = sorted(members, key=lambda i: infos[i].vkey)
        # Names equal after transliteration are all compared, however many.
        start = 0
        for x in range(1, size + 1):
            if x == size or infos[ordered[x]].vkey != infos[ordered[start]].vkey:
                run = ordered[start : min(x, start + 100)]
                for p, i in enumerate(run):
                    for j in run[p + 1 :]:
                        if owners[i] != owners[j]:
                            add(i * n + j if i < j else j * n + i)
                start = x
        for x in range(size):
            i = ordered[x]
            oi = owners[i]
            for j in ordered[x + 1 : x + 1 + window]:
                if owners[j] != oi:
                    add(i * n + j if i < j else j * n + i)
    blocks = index.blocks
    for key, longs in index.longer.items():
        check()
        # A defaultdict, so .get: looking a key up must not file it.
        shorts = blocks.get(key, ())
        if len(shorts) * len(longs) > 20_000:
            longs = longs[:200]
            shorts = shorts[:100]
        for i in shorts:
            if infos[i].skey.replace(" ", "") != key[2:]:
                continue  # a deletion variant, not the name itself
            oi = owners[i]
            for j in longs:
                if owners[j] != oi:
                    add(i * n + j if i < j else j * n + i)
    _rest_pairs(index, out)
    _near_spelling_pairs(index, out)
    initials: dict[int, tuple[str, str, str]] = {}
    for ends, shorts in index.acr_short.items():
        check()
        longs = index.acr_long.get(ends, ())
        if len(shorts) * len(longs) > 200_000:
            # An acronym this ambiguous across this many names is no evidence.
            continue
        if not longs:
            continue
        fits = _acronym_parts_fit(infos, shorts, longs, initials)
        for x, y in zip(*np.nonzero(fits), strict=True):
            i, j = shorts[x], longs[y]
            if owners[i] != owners[j]:
                add(i * n + j if i < j else j * n + i)


# An acronym meets a long name only when at least this share of its letters
# are the name's initials in order (pairmodel's acr_part). The first and last
# letters alone pair every acronym with thousands of names on a big library,
# most of which it cannot stand for (over half of all candidate pairs on
# 50,000 names). The dev clusters' true pairs that fall below this (their
# acronym candidates 0.451 -> 0.420) were all rejected by the scorer anyway.
ACRONYM_PART_MIN = 0.66


_TOKEN = re.compile(r"[^\W_]+")


def _spelled_initials(text: str) -> str:
    """Initials of a name in which a word written as an acronym gives all its
    letters: "ISIL Khorasan" spells ISIL-K, "PFLP - General Command" PFLP-GC."""
    out = []
    for tok in _TOKEN.findall(text):
        low = nm.acronym_key(tok)
        if not low:
            continue
        out.append(low if len(tok) > 1 and tok.isupper() else low[0])
    return "".join(out)


def _acronym_parts_fit(
    infos: list[NameInfo],
    shorts: list[int],
    longs: list[int],
    cache: dict[int, tuple[str, str, str]],
) -> np.ndarray:
    """Which (acronym, long name) pairs of one block reach ACRONYM_PART_MIN:
    pairmodel's acronym part for the whole block in rapidfuzz's C loop."""
    for j in longs:
        if j not in cache:
            cache[j] = (*pairmodel.name_initials(infos[j]), _spelled_initials(infos[j].text))
    letters = [infos[i].acr_key for i in shorts]
    best = process.cdist(letters, [cache[j][0] for j in longs], scorer=LCSseq.similarity)
    for form in (1, 2):
        np.maximum(
            best,
            process.cdist(letters, [cache[j][form] for j in longs], scorer=LCSseq.similarity),
            out=best,
        )
    size = np.asarray([max(1, len(x)) for x in letters], dtype=np.float64)[:, None]
    return best >= ACRONYM_PART_MIN * size - 1e-9


def iter_pairs(index: NameIndex, **kw: int) -> Iterator[tuple[int, int]]:
    n = len(index.infos)
    for code in candidate_pairs(index, **kw):
        yield divmod(code, n)


# ------------------------------------------------------- entity-level use


@dataclass(frozen=True)
class EntityRecord:
    """What suggestion needs to know of one live entity."""

    id: int
    name: str
    type: str
    names: tuple[str, ...]
    weak: frozenset[str] = frozenset()
    articles: frozenset[int] = frozenset()
    neighbours: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Suggestion:
    a: int
    b: int
    a_name: str
    b_name: str
    score: int
    reason: str
    # Offered through a chain of likely links (clusters.implied_pairs), not
    # by comparing the two names.
    implied: bool = False


def informative_order(rows: list[Suggestion]) -> list[Suggestion]:
    """The pairs whose judgement teaches the scorer most first: the compared
    pairs it is least sure of (scores nearest 50), then the implied ones (their
    judgement decides a chain, and their two names compared alone would teach
    the model that unlike names are one)."""
    return sorted(rows, key=lambda r: (r.implied, abs(r.score - 50), -r.score, r.a, r.b))


@dataclass(frozen=True)
class Candidate:
    """An entity that a new name may denote (for the linker)."""

    entity_id: int
    name: str
    matched: str
    score: int
    reason: str


def _kind(ta: str, tb: str) -> str:
    return ta if ta == tb and ta != "MISC" else ""


# The most library evidence can add to a name score (see score_entities).
EVIDENCE_MAX = 12


def score_entities(a: EntityRecord, b: EntityRecord, name_score: NameScore) -> tuple[int, str]:
    """Combine the best name score with library evidence."""
    score = name_score.score
    reasons = [name_score.reason]
    if a.type != b.type and "MISC" not in (a.type, b.type):
        score -= 20
        reasons.append(f"different types ({a.type}/{b.type})")
    if score >= 50:
        shared = len(a.articles & b.articles)
        common = len((a.neighbours & b.neighbours) - {a.id, b.id})
        if shared:
            score += min(6, 2 * shared)
            reasons.append(f"shares {shared} article{'s' if shared > 1 else ''}")
        if common:
            score += min(6, common)
            reasons.append(f"{common} co-mentioned entit{'ies' if common > 1 else 'y'} in common")
    if name_score.conflict:
        # Evidence never lifts a pair with a distinguishing word to a suggestion,
        # nor (with the model) above what its names alone scored.
        score = min(score, max(name_score.score, CONFLICT_CAP + 10), DEFAULT_MIN_SCORE - 1)
    return max(0, min(100, score)), "; ".join(reasons)


# A model's score in the table of best scores: the pair of spellings behind
# it (as explained, see KINDS_MAX), the score (0-100) and the conflict mark.
_PACK_SHIFT = 8


def _packed(score: int, conflict: bool, seen: int) -> int:
    return (seen << _PACK_SHIFT) | (score << 1) | (not conflict)


def _rank(value: NameScore | int) -> tuple[int, bool]:
    """What a better score is: higher, then without a conflict mark."""
    if type(value) is int:
        return (value & 0xFF) >> 1, bool(value & 1)
    return value.score, not value.conflict


def _unpacked(value: NameScore | int) -> NameScore:
    if type(value) is int:
        return NameScore((value & 0xFF) >> 1, "", not value & 1)
    return value


# Two organisations or places whose names read the same in translation
# (glossary.meaning_key): "Sepah-e Pasdaran-e Enghelab-e Eslami" and "Islamic
# Revolutionary Guard Corps". Below the 100 of one written name: a glossary
# word can have more than one sense.
TRANSLATION_SCORE = 85
# A meaning shared by more spellings than this is too generic to vouch for.
TRANSLATION_GROUP_MAX = 30


def _translation_reason(words: tuple[tuple[str, str], ...]) -> str:
    """Why two names read the same: the words translated, or (two English
    names) the words that differ but mean the same (corps = army)."""
    shown = [f"{w} = {m}" for w, m in words if glossary.foreign(w, m)]
    if shown:
        return "the same words in translation (" + ", ".join(dict.fromkeys(shown)) + ")"
    shown = [f"{w} = {m}" for w, m in words if not w.startswith(m)]
    return "the same meaning word for word (" + ", ".join(dict.fromkeys(shown)) + ")"


def _offer_translations(
    texts: list[str],
    group_ranks: list[list[int]],
    types: list[str],
    people: set[int],
    offer: Callable[[int, int, NameScore], None],
) -> None:
    """Offer the records whose names have one meaning key (no person's name
    is translated)."""
    by_meaning: dict[tuple[str, ...], list[int]] = defaultdict(list)
    gloss: dict[int, tuple[tuple[str, str], ...]] = {}
    for g, text in enumerate(texts):
        if g in people:
            continue
        found = glossary.meaning_key(text)
        if found is not None:
            by_meaning[found[0]].append(g)
            gloss[g] = found[1]
    # Each spelling is read once per run: the cache would only hold memory.
    glossary.meaning_key.cache_clear()
    for groups in by_meaning.values():
        if len(groups) < 2 or len(groups) > TRANSLATION_GROUP_MAX:
            continue
        for x, ga in enumerate(groups):
            for gb in groups[x + 1 :]:
                ns = NameScore(TRANSLATION_SCORE, _translation_reason(gloss[ga] + gloss[gb]))
                for ra in group_ranks[ga]:
                    for rb in group_ranks[gb]:
                        if ra != rb and types[ra] == types[rb]:
                            offer(ra, rb, ns)


# Pairs whose features are held in memory at once for the model.
MODEL_CHUNK = 20_000
# Word alignments remembered during one suggestion run, at most.
MEMO_MAX = 300_000
# Kinds (types) a pair remembered for its explanation can have, at most.
KINDS_MAX = 256
# Explanations written while the model scores (see _suggest_pairs), about this
# many at most (checked per chunk): past it the pairs returned have theirs
# written at the end, as with a limit.
EXPLAINED_MAX = 2_000_000

# A judged pair of names: (name, type, other name, other type, 1 same / 0 different).
Example = tuple[str, str, str, str, int]


# An implied pair of two full names is dropped when their own comparison
# finds a distinguishing word and scores below this (the model at least 80%
# sure they differ). Chosen between 10 and 40 on both sets of names: below
# 20, two of our own confusable pairs came back ("Kim Jong Un" / "Kim Jong
# Nam" through "Kim Jongun"); above, the real clusters lose respellings.
IMPLIED_VETO = 20


def _add_implied(
    best: dict[int, NameScore | int],
    replaced: dict[int, int],
    m: int,
    ents: list[EntityRecord],
    settled_codes: set[int],
    floor: int,
    untaught: dict[int, int],
    compare: Callable[[list[tuple[int, int]]], list[NameScore]],
) -> set[int]:
    """Offer the pairs a chain of likely links implies (clusters.implied_pairs):
    an acronym tied to one spelling of a name is offered with its others too.
    ``best`` is keyed by pair code (rank * m + rank); returns the codes of the
    pairs it added or raised."""
    added: set[int] = set()
    # A generator: implied_pairs reads the links once and keeps them flat (a
    # list of millions of tuples would hold gigabytes on a big library).
    links = (
        clustering.Link(*divmod(code, m), min(score, untaught.get(code, score)))
        for code, value in best.items()
        # (_rank's score, inlined: this reads every pair kept.)
        if (score := (value & 0xFF) >> 1 if type(value) is int else value.score) >= clustering.LINK
    )
    apart = [divmod(code, m) for code in settled_codes]
    offered: list[clustering.Implied] = []
    sure: set[int] = set()
    for imp in clustering.implied_pairs(links, apart):
        if imp.score < floor:
            continue
        if ents[imp.a].type != ents[imp.b].type:
            continue
        code = imp.a * m + imp.b
        if code in settled_codes:
            continue
        prev = best.get(code)
        before = -1 if prev is None else _rank(prev)[0]
        if before >= imp.score:
            continue
        offered.append(imp)
        if before >= IMPLIED_VETO:
            # Some spelling of the two already compares above the veto.
            sure.add(len(offered) - 1)
    # Two full names that differ in a distinguishing word ("National
    # Investigation Agency" / "National Intelligence Agency", both called
    # "NIA") are not one thing because a third name resembles both: when the
    # model is sure of the direct comparison (of their names alone), it
    # outweighs the chain.
    doubt = [n for n in range(len(offered)) if n not in sure]
    direct = compare([(offered[n].a, offered[n].b) for n in doubt])
    vetoed = {
        n for n, ns in zip(doubt, direct, strict=True) if ns.conflict and ns.score < IMPLIED_VETO
    }
    for n, imp in enumerate(offered):
        if n in vetoed:
            continue
        via = ents[imp.via].name
        if imp.steps == 2:
            reason = f"both likely the same as {via!r} (weakest link {imp.weakest})"
        else:
            more = imp.steps - 2
            reason = (
                f"linked through {via!r} and {more} more name{'s' if more > 1 else ''}"
                f" (weakest link {imp.weakest})"
            )
        code = imp.a * m + imp.b
        best[code] = NameScore(imp.score, reason)
        replaced.pop(code, None)
        added.add(code)
    return added


# A "same" judgement on two names the model finds unlike (a translation, an
# acronym of another spelling, a pair offered through a chain of implied
# links) still merges the records, but does not teach the spelling model:
# fitted on it, the correction would read "unlike names are one" and lift
# every acronym that does not fit. Log-odds of a probability of 0.2.
UNTEACHABLE_LOG_ODDS = float(np.log(0.2 / 0.8))


def learn_from(examples: list[Example]) -> pairmodel.Adjustment | None:
    """The user's judgements as a correction of the shipped model (None when
    there is no model or nothing judged)."""
    model = pairmodel.load_model()
    if model is None or not examples:
        return None
    infos, kinds, rules = [], [], []
    for na, ta, nb, tb, _ in examples:
        a, b = NameInfo.of(na), NameInfo.of(nb)
        kind = _kind(ta, tb)
        rule = _score(a, b, kind, None, -1)
        assert rule is not None
        infos += [a, b]
        kinds.append(kind)
        rules.append(rule)
    count = len(examples)
    X = pairmodel.FeatureBatch(infos).rows(
        range(0, 2 * count, 2),
        range(1, 2 * count, 2),
        kinds,
        rules,
        [_align(infos[2 * n], infos[2 * n + 1]) for n in range(count)],
    )
    z = model.log_odds_many(X)
    rows = [
        (x, float(zn), ex[4])
        for x, zn, ex in zip(X.tolist(), z.tolist(), examples, strict=True)
        if not (ex[4] and zn < UNTEACHABLE_LOG_ODDS)
    ]
    return pairmodel.Adjustment.fit(rows)


# Pairs the model is sure to score below the floor whatever the rules say of
# them are never read by the rules (see _RuleVerdicts). A switch for the tests,
# which compare the suggestions with and without it.
_PRUNE = True


def _text_ids(*columns: Iterable[str]) -> list[np.ndarray]:
    """Each column of strings as integers, equal for equal strings (across the
    columns given), to compare pairs with numpy. The dictionary of the strings
    is dropped on return: on a big library it would hold hundreds of
    thousands of them."""
    ids: dict[str, int] = {}
    return [np.fromiter((ids.setdefault(t, len(ids)) for t in c), dtype=np.int32) for c in columns]


def _log_odds_below(floor: int) -> float:
    """A log-odds under which the model's score (its probability times 100,
    rounded: PairModel.scores) is below ``floor``, with room for the last
    bits of the exponential."""
    if floor <= 0:
        return -math.inf
    if floor > 100:
        return math.inf
    p = (floor - 0.5) / 100
    z = math.log(p / (1 - p))
    return z - 1e-9 * max(1.0, abs(z))


class _RuleVerdicts:
    """What the rules (_score and _align) are bound to say of a pair, read from
    facts of each name for many pairs at once (numpy), so that the pairs the
    model scores below the floor whatever the rest is are never read by them
    (about two pairs in five on a big library). Two kinds of pairs are known:

    - two full names equal by none of _score's tests, each with a word whose
      first letter (written or of its skeleton) is the first letter of no word
      of the other name and that is no generic word (nor, for people, a
      leading Muhammad): _align matches no word without one of those letters in
      common (or a glued article, a translated word: such pairs are left
      out), so those words stay unmatched and the rules read a distinguishing
      word, min(CONFLICT_CAP, token_sort_ratio) with the conflict mark;
    - an acronym and a name of which one is a single word, whose letters the
      initials of the name cannot spell (a letter no initial, or too few or
      too many letters: what acronym_matches checks first): "acronym does
      not match", 0 with the conflict mark; _align_one pairs the single word
      with one word of the other or none.

    Of the word alignment only an upper bound of the share of words paired
    and of the containment mark is known: the model is bounded over the rest
    (PairModel.log_odds_bound_many)."""

    def __init__(self, infos: Sequence[NameInfo], batch: pairmodel.FeatureBatch) -> None:
        self._bits: dict[str, int] = {}
        self.infos = infos
        n = len(infos)
        self.forms = batch.form
        self.nskel = batch.nskel
        self.acronym = batch.acronym
        self.place = np.asarray([i.place for i in infos], dtype=np.int64)
        # _score's tests of sameness, in its order.
        self.same = [
            _text_ids(getattr(i, f) for i in infos)[0]
            for f in ("key", "norm", "form", "vkey", "flat", "flat_form", "glued")
        ]
        # An acronym is compared with the acronym after a name and with a
        # one-word name's letters: one id for a string in any of the three.
        self.acr_key, self.paren_acr, self.joined = _text_ids(
            (i.acr_key for i in infos),
            (i.paren_acr for i in infos),
            (i.norm.replace(" ", "") for i in infos),
        )
        # Per distinct word (the batch's word ids): its first letters as bits,
        # whether it may pair with a word of any first letter (a glued
        # article, a translated word, no skeleton), whether it is a prefix and
        # a generic word. A word's skeleton and marks are the word's own
        # (_word_fields), so any one occurrence of each is read.
        ptr, tok, vocab = batch.word_ptr, batch.word_tok, batch.word_vocab
        size = len(vocab)
        first = np.zeros(size, dtype=np.int64)
        first[tok] = np.arange(len(tok))
        owner = np.searchsorted(ptr, first, side="right") - 1
        wbit = np.zeros(size, dtype=np.int64)
        tbit = np.zeros(size, dtype=np.int64)
        loose = np.zeros(size, dtype=bool)
        prefix = np.zeros(size, dtype=bool)
        generic = np.zeros(size, dtype=bool)
        for v, (k, at) in enumerate(
            zip(owner.tolist(), (first - ptr[owner]).tolist(), strict=True)
        ):
            info = infos[k]
            w, t = vocab[v], info.skel[at]
            wbit[v] = self._bit(w[0]) if w else 0
            tbit[v] = self._bit(t[0]) if t else 0
            loose[v] = info.special[at] or not t or not w
            prefix[v] = t in NAME_PREFIXES
            generic[v] = _generic(w)
        # The same per word of each name, and per name the union.
        name_of = np.repeat(np.arange(n), np.diff(ptr))
        self.ptr = ptr
        self.wbit = wbit[tok]
        self.tbit = tbit[tok]
        self.word_wild = loose[tok]
        # For people a leading prefix is no distinguishing word, for the rest
        # a generic word.
        self.counts_per = ~(prefix[tok] & (np.arange(len(tok)) == ptr[name_of]))
        self.counts_other = ~generic[tok]
        self.wmask = np.zeros(n, dtype=np.int64)
        self.tmask = np.zeros(n, dtype=np.int64)
        np.bitwise_or.at(self.wmask, name_of, self.wbit)
        np.bitwise_or.at(self.tmask, name_of, self.tbit)
        self.wild = np.bincount(name_of[self.word_wild], minlength=n) > 0
        # The letters of each acronym, and what the letters of an acronym of
        # each other name must meet (acronym_fit_bounds), filled in for the
        # names paired with an acronym.
        self.letters = np.zeros(n, dtype=np.int64)
        self.n_letters = np.zeros(n, dtype=np.int64)
        for k in np.flatnonzero(self.acronym).tolist():
            letters = nm.acronym_key(infos[k].acr_key)
            for ch in letters:
                self.letters[k] |= self._bit(ch)
            self.n_letters[k] = len(letters)
        self.allowed = np.zeros(n, dtype=np.int64)
        self.fewest = np.zeros(n, dtype=np.int64)
        self.most = np.full(n, -1, dtype=np.int64)
        self.fitted = np.zeros(n, dtype=bool)

    def _bit(self, ch: str) -> int:
        # Past 62 letters, the rest share the last bit: two letters then read
        # as alike, which only leaves a pair unsettled.
        b = self._bits.get(ch)
        if b is None:
            b = self._bits[ch] = 1 << min(len(self._bits), 62)
        return b

    def _fit(self, names: np.ndarray) -> None:
        for k in np.unique(names[~self.fitted[names]]).tolist():
            fit = nm.acronym_fit_bounds(self.infos[k].norm)
            if fit is not None:
                for ch in fit[0]:
                    self.allowed[k] |= self._bit(ch)
                self.fewest[k], self.most[k] = fit[1], fit[2]
            self.fitted[k] = True

    def _unmatched(
        self, A: np.ndarray, B: np.ndarray, per: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Per pair, how many words of A no word of B can match, and how many
        of those make a distinguishing word (by the pair's kind)."""
        sizes = self.ptr[A + 1] - self.ptr[A]
        total = int(sizes.sum())
        pid = np.repeat(np.arange(len(A)), sizes)
        word = self.ptr[A][pid] + np.arange(total) - (np.cumsum(sizes) - sizes)[pid]
        other = B[pid]
        maybe = (
            self.word_wild[word]
            | self.wild[other]
            | ((self.wbit[word] & self.wmask[other]) != 0)
            | ((self.tbit[word] & self.tmask[other]) != 0)
        )
        free = ~maybe
        telling = free & np.where(per[pid], self.counts_per[word], self.counts_other[word])
        return (
            np.bincount(pid[free], minlength=len(A)),
            np.bincount(pid[telling], minlength=len(A)),
        )

    def below(
        self,
        X: np.ndarray,
        left: list[int],
        right: list[int],
        kinds: list[str],
        model: pairmodel.PairModel,
        floor: int,
    ) -> np.ndarray:
        """Which pairs (rows of ``X``, from FeatureBatch.name_rows) the model
        scores below ``floor`` whatever the rest of what the rules say is."""
        out = np.zeros(len(left), dtype=bool)
        cut = _log_odds_below(floor)
        if not len(left) or cut == -math.inf:
            return out
        rows, bound = self.known(X, left, right, kinds)
        if len(rows):
            z = model.log_odds_bound_many(bound, frozenset({9, 10}))
            if z is not None:
                out[rows] = z < cut
        return out

    def known(
        self, X: np.ndarray, left: list[int], right: list[int], kinds: list[str]
    ) -> tuple[np.ndarray, np.ndarray]:
        """The pairs (rows of ``X``) whose rules' verdict is known, and their rows
        with it filled in: the rules' columns exact, but for the share of
        words paired (column 9) and the containment mark (10), at most the
        values given."""
        L = np.asarray(left, dtype=np.int64)
        R = np.asarray(right, dtype=np.int64)
        per = np.asarray([k == "PER" for k in kinds], dtype=bool)
        place_kind = np.asarray([k in ("LOC", "") for k in kinds], dtype=bool)
        na, nb = self.nskel[L], self.nskel[R]
        acr_l, acr_r = self.acronym[L], self.acronym[R]
        # Two full names with a distinguishing word on each side.
        full = ~acr_l & ~acr_r
        for ids in self.same:
            full &= ids[L] != ids[R]
        full &= ~((self.place[L] >= 0) & (self.place[L] == self.place[R]) & place_kind)
        rows = np.flatnonzero(full)
        ul, dl = self._unmatched(L[rows], R[rows], per[rows])
        ur, dr = self._unmatched(R[rows], L[rows], per[rows])
        keep = (dl > 0) & (dr > 0)
        full_rows, ul, ur = rows[keep], ul[keep], ur[keep]
        # An acronym whose letters the name's initials cannot spell.
        one = (acr_l != acr_r) & ((na == 1) | (nb == 1))
        rows = np.flatnonzero(one)
        short = np.where(acr_l[rows], L[rows], R[rows])
        long = np.where(acr_l[rows], R[rows], L[rows])
        self._fit(long)
        size = self.n_letters[short]
        spelt = (
            (self.acr_key[short] == self.paren_acr[long])
            | ((self.nskel[long] == 1) & (self.acr_key[short] == self.joined[long]))
            | (
                (size > 0)
                & (self.fewest[long] <= size)
                & (size <= self.most[long])
                & ((self.letters[short] & ~self.allowed[long]) == 0)
            )
        )
        acr_rows = rows[~spelt]
        forms = self.forms
        tsr = process.cpdist(
            [forms[i] for i in L[full_rows].tolist()],
            [forms[j] for j in R[full_rows].tolist()],
            scorer=fuzz.token_sort_ratio,
            dtype=np.float64,
        )
        F = X[full_rows]
        F[:, 0] = np.minimum(CONFLICT_CAP, np.trunc(tsr)) / 100
        F[:, 1] = 1
        F[:, 9] = 1 - (ul + ur) / np.maximum(1, na[full_rows] + nb[full_rows])
        F[:, 10] = 0
        F[:, 14] = 0
        A = X[acr_rows]
        # _align_one leaves every word of the longer name unmatched but one,
        # or all of them and the single word.
        many = np.where(na[acr_rows] != 1, na[acr_rows], nb[acr_rows])
        A[:, 0] = 0
        A[:, 1] = 1
        A[:, 9] = 1 - (many - 1) / np.maximum(1, na[acr_rows] + nb[acr_rows])
        A[:, 10] = 1
        A[:, 14] = 0
        return np.concatenate([full_rows, acr_rows]), np.concatenate([F, A])


def suggest_pairs(
    entities: list[EntityRecord],
    settled: set[tuple[int, int]] = frozenset(),  # type: ignore[assignment]
    min_score: int = DEFAULT_MIN_SCORE,
    limit: int | None = None,
    examples: list[Example] | None = None,
) -> list[Suggestion]:
    """Suggested duplicate pairs among ``entities``, best first.

    ``settled`` holds (small id, large id) pairs that a judgement decided;
    they are never suggested. ``examples`` are judged pairs of names: the
    model's scores of the other pairs are corrected by what they teach.
    """
    with _collector_paused():
        return _suggest_pairs(entities, settled, min_score, limit, learn_from(examples or []))


def _suggest_pairs(
    entities: list[EntityRecord],
    settled: set[tuple[int, int]],
    min_score: int,
    limit: int | None,
    adjust: pairmodel.Adjustment | None = None,
) -> list[Suggestion]:
    by_id = {e.id: e for e in entities}
    # Entities are numbered in id order, and a pair of them is the one integer
    # ra * m + rb (ra < rb): cheaper to hash than a tuple, and sorting the
    # integers sorts the pairs by (id, id).
    ids = sorted(by_id)
    m = len(ids) + 1
    rank = {eid: r for r, eid in enumerate(ids)}
    ents = [by_id[eid] for eid in ids]
    types = [e.type for e in ents]
    settled_codes = set()
    for x, y in settled:
        rx, ry = rank.get(x), rank.get(y)
        if rx is not None and ry is not None:
            settled_codes.add(rx * m + ry if rx < ry else ry * m + rx)
    # Names are grouped by exact key first: records sharing a name are paired
    # without scoring, and each distinct pair of spellings is scored once.
    group_of: dict[str, int] = {}
    texts: list[str] = []
    members: list[list[tuple[int, bool]]] = []
    alias_key = nm.alias_key
    for e in entities:
        r = rank[e.id]
        for name in e.names:
            k = alias_key(name)
            g = group_of.get(k)
            if g is None:
                g = group_of[k] = len(texts)
                texts.append(name)
                members.append([])
            members[g].append((r, name in e.weak))
    floor = min_score - EVIDENCE_MAX
    model = pairmodel.load_model()
    # With a model the rules only read the pair (they prune nothing: a pair they
    # would drop may be lifted), and the model's batch decides at the end.
    rule_floor = -1 if model is not None else floor
    # The pairs for the model (two spellings and their kind), read by the
    # rules a chunk at a time, once the names alone have said which need it.
    pending: list[tuple[int, int, str]] = []
    # The best score of each pair of entities: a NameScore from the rules, or
    # from the model one integer (see _packed) that holds the score, the
    # conflict mark and the pair of spellings behind it, from which the reason
    # is written again for the pairs returned only (a few million pairs above
    # the floor on a big library then hold one integer each, no strings).
    best: dict[int, NameScore | int] = {}

    # Pairs whose model score a rule's score then beat keep the model's pair
    # for their explanation, as they always have (rare: entities with several
    # names).
    replaced: dict[int, int] = {}

    def offer(ra: int, rb: int, ns: NameScore | int) -> None:
        code = ra * m + rb if ra < rb else rb * m + ra
        if code in settled_codes:
            return
        prev = best.get(code)
        if prev is None:
            best[code] = ns
        elif _rank(ns) > _rank(prev):
            best[code] = ns
            if type(prev) is int:
                if type(ns) is int:
                    replaced.pop(code, None)
                else:
                    replaced[code] = prev >> _PACK_SHIFT

    # Per group: its entities, and the one type they all have (None when
    # they differ).
    group_ranks: list[list[int]] = []
    group_type: list[str | None] = []
    people: set[int] = set()
    for g, owners in enumerate(members):
        group_ranks.append([r for r, _ in owners])
        kinds = {types[r] for r, _ in owners}
        group_type.append(next(iter(kinds)) if len(kinds) == 1 else None)
        if "PER" in kinds:
            people.add(g)
        if len(owners) < 2:
            continue
        strong = NameScore(100, "same name")
        weak = NameScore(85, f"both are called {texts[g]!r} (a short form)")
        for x, (ra, wa) in enumerate(owners):
            for rb, wb in owners[x + 1 :]:
                if ra != rb:
                    # Two records sharing a short form (JeM) is weaker evidence.
                    offer(ra, rb, weak if wa or wb else strong)
    _offer_translations(texts, group_ranks, types, people, offer)
    index = build_index(enumerate(texts), people=people)
    infos = index.infos
    n = len(infos)
    batch = pairmodel.FeatureBatch(infos) if model is not None else None
    # A correction fitted on the judgements weighs every feature: no bound.
    prune = batch is not None and adjust is None and _PRUNE
    # Made at the first chunk, once the index is gone (its arrays would add
    # to the peak of memory the blocks make on a big library).
    verdicts: _RuleVerdicts | None = None
    memo: WordMemo = {}

    def offer_per_kind(
        ra: int, rb: int, a: NameInfo, b: NameInfo, kind: str, cache: dict[str, NameScore | None]
    ) -> None:
        """The rules' score of a spelling shared by records of several types,
        read once per kind (``cache``), offered for the records ``ra``, ``rb``."""
        if kind in cache:
            ns = cache[kind]
        else:
            ns = cache[kind] = _score(a, b, kind, memo, rule_floor)
        if ns is not None and ns.score >= floor:
            offer(ra, rb, ns)

    # (form, form, kind) of pairs dropped for their words alone: by the
    # token-set prefilter, or scored below the floor by a rule that reads
    # only the words (score_names returned None). Another pair with the same
    # words and kind, neither an acronym, is dropped without scoring.
    dropped: set[tuple[str, str, str]] = set()
    token_set_ratio = fuzz.token_set_ratio
    # In order, so that among equal scores the same reason wins on every run
    # (set order depends on string hashing, which differs between processes).
    # The pair behind each best score, so that only the suggestions returned
    # have their features computed again for their explanation.
    kind_ids: dict[str, int] = {}
    # The model's score before the judgements' correction raised it: chains of
    # implied pairs are drawn only from links that the names alone make likely
    # (a correction fitted on a few dozen judgements can lift one pair far,
    # and a chain would spread that to a whole cluster).
    untaught: dict[int, int] = {}
    # Without a limit nearly every pair the model scores at least ``min_score``
    # is returned, and its explanation (the rules' reason, the model's
    # strongest features) is written while its features are at hand, keyed by
    # the pair behind it (``seen`` of _packed): the end then reads neither the
    # rules nor the features again. The strings are the suggestions' own, so
    # they cost little memory beyond the list returned; with a limit only a
    # few pairs are explained, at the end.
    explained: dict[int, str] | None = {} if limit is None else None

    def flush(chunk: list[tuple[int, int, str]]) -> None:
        """Read the pairs with the rules and score them with the model, and offer
        them. Called every MODEL_CHUNK pairs: the features of half a million
        pairs held at once would take gigabytes."""
        nonlocal verdicts
        if model is None or not chunk:
            return
        assert batch is not None
        if prune and verdicts is None:
            verdicts = _RuleVerdicts(infos, batch)
        left = [c[0] for c in chunk]
        right = [c[1] for c in chunk]
        kinds = [c[2] for c in chunk]
        rows = batch.name_rows(left, right, kinds)
        read = chunk
        if verdicts is not None:
            # A pair the model scores below the floor whatever the rules say
            # would be dropped below: the rules need not read it.
            keep = np.flatnonzero(~verdicts.below(rows, left, right, kinds, model, floor))
            if len(keep) < len(chunk):
                rows = rows[keep]
                read = [chunk[k] for k in keep.tolist()]
                left = [c[0] for c in read]
                right = [c[1] for c in read]
        rules: list[NameScore] = []
        aligns = []
        for i, j, kind in read:
            a, b = infos[i], infos[j]
            rule = _score(a, b, kind, memo, rule_floor)
            assert rule is not None
            rules.append(rule)
            # The rules read no alignment of an acronym (and the memo's
            # token_sort_ratio would be computed for nothing).
            aligns.append(_align(a, b) if a.acronym or b.acronym else _memo_align(a, b, memo))
        batch.add_rule_columns(rows, left, right, rules, aligns)
        z, leaves = model.log_odds_and_leaves(rows)
        if adjust is None:
            scores = model.scores_of(z)
            plain = scores
        else:
            scores = pairmodel.to_scores(adjust.log_odds_many(z, rows))
            plain = pairmodel.to_scores(z)
        whys: dict[int, list[str]] = {}
        if explained is not None and len(explained) < EXPLAINED_MAX:
            hot = [k for k, score in enumerate(scores) if score >= min_score]
            if hot:
                picked = np.asarray(hot, dtype=np.int64)
                said = model.explain_many(
                    rows[picked], model.reason_contributions_at(leaves, picked)
                )
                whys = dict(zip(hot, said, strict=True))
        del rows, leaves
        for k, ((i, j, kind), ns, score, own) in enumerate(
            zip(read, rules, scores, plain, strict=True)
        ):
            if score < floor:
                continue
            conflict = ns.conflict and score < DEFAULT_MIN_SCORE
            seen = (i * n + j) * KINDS_MAX + kind_ids.setdefault(kind, len(kind_ids))
            why = whys.get(k)
            if why is not None:
                assert explained is not None
                explained[seen] = _learnt(model, ns, [], score, explained=why).reason
            learnt = _packed(score, conflict, seen)
            ti, tj = group_type[i], group_type[j]
            for ra in group_ranks[i]:
                for rb in group_ranks[j]:
                    if ra == rb:
                        continue
                    if (ti is None or tj is None) and _kind(types[ra], types[rb]) != kind:
                        continue
                    offer(ra, rb, learnt)
                    if adjust is not None:
                        code = ra * m + rb if ra < rb else rb * m + ra
                        if best.get(code) == learnt:
                            if own < score:
                                untaught[code] = own
                            else:
                                untaught.pop(code, None)
        chunk.clear()

    # The candidate pairs as one sorted array of integers (a set of Python
    # ints would take ten times the memory on a big library).
    ordered = candidate_codes(index)
    # The blocks have done their work: only the name analyses are read from
    # here on (on 200,000 names the blocks hold hundreds of megabytes, and
    # the caches of each name's keys would keep their strings alive).
    del index
    _near_keys.cache_clear()
    _folded_keys.cache_clear()
    # With a model: what decides a pair's fate before the rules read it, for a
    # block of pairs at once (numpy). Per spelling: its one record (-1 when
    # it has several), the id of its type (len(type_ids) when its records'
    # types differ), and ids of its transliteration key and exact key. The
    # token-set prefilter reads the words alone, so the pairs it drops need no
    # remembering (the rules-only loop's ``dropped``).
    type_ids = {t: k for k, t in enumerate(sorted(set(types)))}
    kind_of = np.asarray([*(t if t != "MISC" else "" for t in type_ids), ""], dtype=object)
    spelling_type = np.asarray(
        [len(type_ids) if t is None else type_ids[t] for t in group_type], dtype=np.int64
    )
    one_record = np.asarray([r[0] if len(r) == 1 else -1 for r in group_ranks], dtype=np.int64)
    (vkeys,) = _text_ids(i.vkey for i in infos)
    (keys,) = _text_ids(i.key for i in infos)
    acronyms = np.asarray([i.acronym for i in infos], dtype=bool)
    forms = np.asarray([i.form for i in infos], dtype=object)

    def push(items: list[tuple[int, int, str]]) -> None:
        """Pairs for the model, in order, flushed every MODEL_CHUNK pairs."""
        k = 0
        while k < len(items):
            room = MODEL_CHUNK - len(pending)
            pending.extend(items[k : k + room])
            k += room
            if len(pending) >= MODEL_CHUNK:
                flush(pending)
                if len(memo) > MEMO_MAX:
                    # Repeats are mostly near each other (pairs in id order).
                    memo.clear()

    for start in range(0, len(ordered) if model is not None else 0, 100_000):
        ia, ja = np.divmod(ordered[start : start + 100_000], n)
        ti, tj = spelling_type[ia], spelling_type[ja]
        # Records of several types share a spelling: scored per kind below.
        mixed = (ti == len(type_ids)) | (tj == len(type_ids))
        # Two spellings of one record, and nothing else, are no pair.
        drop = ~mixed & (one_record[ia] >= 0) & (one_record[ia] == one_record[ja])
        # The token-set prefilter (full names of different transliterations).
        test = np.flatnonzero(~drop & ~acronyms[ia] & ~acronyms[ja] & (vkeys[ia] != vkeys[ja]))
        low = (
            process.cpdist(
                forms[ia[test]], forms[ja[test]], scorer=token_set_ratio, dtype=np.float64
            )
            < 50
        )
        drop[test[low]] = True
        kept = np.flatnonzero(~drop)
        ia, ja, ti, tj = ia[kept], ja[kept], ti[kept], tj[kept]
        # One type on each side (the usual case): one kind for all the pairs.
        kinds = kind_of[np.where(ti == tj, ti, len(type_ids))].tolist()
        # In order, with the pairs of one name (scored by the rules alone)
        # and those scored per kind in their places among those for the model.
        special = np.flatnonzero(mixed[kept] | (keys[ia] == keys[ja])).tolist()
        il, jl = ia.tolist(), ja.tolist()
        done = 0
        for x in [*special, len(il)]:
            if x > done:
                push(list(zip(il[done:x], jl[done:x], kinds[done:x], strict=True)))
            done = x + 1
            if x == len(il):
                break
            i, j = il[x], jl[x]
            a, b = infos[i], infos[j]
            ri, rj = group_ranks[i], group_ranks[j]
            if mixed[kept[x]]:
                cache: dict[str, NameScore | None] = {}
                for ra in ri:
                    for rb in rj:
                        if ra == rb:
                            continue
                        kind = _kind(types[ra], types[rb])
                        if a.key != b.key:
                            push([(i, j, kind)])
                        else:
                            offer_per_kind(ra, rb, a, b, kind, cache)
                continue
            ns = _score(a, b, kinds[x], memo, rule_floor)
            if ns is None or ns.score < floor:
                continue
            for ra in ri:
                for rb in rj:
                    if ra != rb:
                        offer(ra, rb, ns)
    # Without a model the rules decide, pair by pair.
    for code in (
        c
        for start in range(0, len(ordered) if model is None else 0, 100_000)
        for c in ordered[start : start + 100_000].tolist()
    ):
        i, j = divmod(code, n)
        a, b = infos[i], infos[j]
        ri, rj = group_ranks[i], group_ranks[j]
        ti, tj = group_type[i], group_type[j]
        if ti is None or tj is None:
            # Records of several types share a spelling: score per kind.
            if not (a.acronym or b.acronym or a.vkey == b.vkey) and (
                token_set_ratio(a.form, b.form) < 50
            ):
                continue
            cache: dict[str, NameScore | None] = {}
            for ra in ri:
                for rb in rj:
                    if ra == rb:
                        continue
                    offer_per_kind(ra, rb, a, b, _kind(types[ra], types[rb]), cache)
            continue
        # One type on each side (the usual case): one score for all pairs.
        if len(ri) == 1 and len(rj) == 1 and ri[0] == rj[0]:
            continue
        kind = ti if ti == tj and ti != "MISC" else ""
        full = not (a.acronym or b.acronym)
        if full:
            words_kind = (a.form, b.form, kind)
            if words_kind in dropped:
                continue
            if a.vkey != b.vkey and token_set_ratio(a.form, b.form) < 50:
                dropped.add(words_kind)
                continue
        ns = _score(a, b, kind, memo, rule_floor)
        if ns is None:
            if full:
                dropped.add(words_kind)
            continue
        if ns.score < floor:
            continue
        for ra in ri:
            for rb in rj:
                if ra != rb:
                    offer(ra, rb, ns)
    # The model scores every pair the rules read in one batch; the features of
    # the pairs kept are remembered for their explanation.
    flush(pending)
    memo.clear()
    dropped.clear()
    # (pending is empty: flushed)
    del ordered

    def compare(pairs: list[tuple[int, int]]) -> list[NameScore]:
        """The names-alone score of the primary names of pairs of records (by
        rank) when they are two full names with a distinguishing word; any
        other pair is not in doubt (NameScore(100, ""))."""
        out = [NameScore(100, "")] * len(pairs)
        todo: list[tuple[int, int, int, str, NameScore]] = []
        for n, (ra, rb) in enumerate(pairs):
            i, j = primary[ra], primary[rb]
            if i < 0 or j < 0:
                continue
            a, b = infos[i], infos[j]
            if a.acronym or b.acronym:
                continue
            kind = _kind(types[ra], types[rb])
            rule = _score(a, b, kind, memo, -1)
            assert rule is not None
            if rule.conflict:
                todo.append((n, i, j, kind, rule))
        if model is None:
            for n, _, _, _, rule in todo:
                out[n] = rule
            return out
        assert batch is not None
        for start in range(0, len(todo), MODEL_CHUNK):
            part = todo[start : start + MODEL_CHUNK]
            rows = batch.rows(
                [x[1] for x in part],
                [x[2] for x in part],
                [x[3] for x in part],
                [x[4] for x in part],
                [_memo_align(infos[x[1]], infos[x[2]], memo) for x in part],
            )
            for (n, _, _, _, rule), score in zip(part, model.scores(rows), strict=True):
                out[n] = NameScore(score, "", rule.conflict and score < DEFAULT_MIN_SCORE)
        return out

    # Each record's own name among the spellings (a record without names of
    # its own has none, and is never in doubt).
    primary = [
        group_of.get(alias_key(e.name), group_of[alias_key(e.names[0])] if e.names else -1)
        for e in ents
    ]
    implied = _add_implied(best, replaced, m, ents, settled_codes, floor, untaught, compare)
    memo.clear()
    # Library evidence only for pairs that can have some; the reasons are
    # written for the pairs returned.
    articles = [bool(e.articles) for e in ents]
    neighbours = [bool(e.neighbours) for e in ents]
    ranked: list[tuple[int, int]] = []
    if limit is None:
        append = ranked.append
    else:
        # Only the best ``limit`` are kept as they come (a heap whose first
        # item is the worst kept), not a list of millions of pairs.
        keep = max(0, limit)

        def append(item: tuple[int, int]) -> None:
            worst = (-item[0], -item[1])
            if len(ranked) < keep:
                heapq.heappush(ranked, worst)
            elif keep and worst > ranked[0]:
                heapq.heapreplace(ranked, worst)

    for code, value in best.items():
        # (_unpacked's score, without a NameScore for each of a million pairs.)
        score = (value & 0xFF) >> 1 if type(value) is int else value.score
        if score + EVIDENCE_MAX < min_score:
            continue
        ra, rb = divmod(code, m)
        if (
            types[ra] == types[rb]
            and not (articles[ra] and articles[rb])
            and not (neighbours[ra] and neighbours[rb])
        ):
            # No library evidence to add (the common case in a fresh library).
            if score >= min_score:
                append((-score, code))
            continue
        score = score_entities(ents[ra], ents[rb], _unpacked(value))[0]
        if score >= min_score:
            append((-score, code))
    top = sorted(ranked) if limit is None else sorted((-s, -c) for s, c in ranked)
    kind_names = {v: k for k, v in kind_ids.items()}
    out: list[Suggestion] = []
    # The model's reasons for the pairs returned, their features computed and
    # read a chunk at a time (all at once would hold gigabytes of floats for a
    # few hundred thousand suggestions).
    for start in range(0, len(top), MODEL_CHUNK):
        part = top[start : start + MODEL_CHUNK]
        seen = []
        # The rules and the features of a pair read one word alignment.
        shown_memo: WordMemo = {}
        for _, code in part:
            value = best[code]
            x = value >> _PACK_SHIFT if type(value) is int else replaced.get(code)
            if x is not None and type(value) is int and explained:
                # (A replaced pair's reason is of the rules' score: not cached.)
                reason = explained.get(x)
                if reason is not None:
                    seen.append(reason)
                    continue
            if x is not None:
                pair, kid = divmod(x, KINDS_MAX)
                i, j = divmod(pair, n)
                kind = kind_names[kid]
                rule = _score(infos[i], infos[j], kind, shown_memo, -1)
                assert rule is not None
                x = (i, j, kind, rule)
            seen.append(x)
        shown = [x for x in seen if type(x) is tuple]
        if shown:
            assert batch is not None
            assert model is not None
            X = batch.rows(
                [x[0] for x in shown],
                [x[1] for x in shown],
                [x[2] for x in shown],
                [x[3] for x in shown],
                [_memo_align(infos[x[0]], infos[x[1]], shown_memo) for x in shown],
            )
            whys = iter(model.explain_many(X, model.reason_contributions_many(X)))
            del X
        for (neg, code), x in zip(part, seen, strict=True):
            ra, rb = divmod(code, m)
            ea, eb = ents[ra], ents[rb]
            plain = (
                ea.type == eb.type
                and not (ea.articles and eb.articles)
                and not (ea.neighbours and eb.neighbours)
            )
            if plain and type(x) is str:
                # (The usual case without a limit: no NameScore to unpack.)
                out.append(Suggestion(ea.id, eb.id, ea.name, eb.name, -neg, x, code in implied))
                continue
            ns = _unpacked(best[code])
            if type(x) is str:
                ns = NameScore(ns.score, x, ns.conflict)
            elif x is not None:
                assert model is not None
                ns = _learnt(model, x[3], [], ns.score, explained=next(whys))
            reason = ns.reason if plain else score_entities(ea, eb, ns)[1]
            out.append(Suggestion(ea.id, eb.id, ea.name, eb.name, -neg, reason, code in implied))
    return out


class CandidateIndex:
    """Entity names indexed once, queried one new name at a time (the linker)."""

    def __init__(self, entities: Iterable[EntityRecord]) -> None:
        self.entities = {e.id: e for e in entities}
        self.index = build_index((e.id, name) for e in self.entities.values() for name in e.names)

    def lookup(self, name: str, type: str = "", limit: int = 10) -> list[Candidate]:
        info = NameInfo.of(name)
        seen: set[int] = set()
        members: list[int] = []
        ends = info.ends
        acr_blocks = (
            [(self.index.acr_long if info.acronym else self.index.acr_short).get(ends, [])]
            if ends
            else []
        )
        for block in [self.index.blocks.get(k, []) for k in self.index.keys_for(info)] + acr_blocks:
            if len(block) > 500:
                # A key this common says nothing; the other keys will do.
                continue
            for i in block:
                if i not in seen:
                    seen.add(i)
                    members.append(i)
        best: dict[int, Candidate] = {}
        for i in members:
            ent = self.entities[self.index.owners[i]]
            kind = _kind(type, ent.type) if type else ""
            ns = score_names(info, self.index.infos[i], kind)
            score = ns.score
            if type and ent.type != type and "MISC" not in (type, ent.type):
                score -= 20
            if ns.conflict or score <= 0:
                continue
            prev = best.get(ent.id)
            if prev is None or score > prev.score:
                best[ent.id] = Candidate(
                    ent.id, ent.name, self.index.infos[i].text, score, ns.reason
                )
        out = sorted(best.values(), key=lambda c: (-c.score, c.entity_id))
        return out[:limit]


def candidates_for_name(
    index: CandidateIndex, name: str, type: str = "", limit: int = 10
) -> list[Candidate]:
    """Entities that ``name`` may denote, best first, without conflicts.

    Build the :class:`CandidateIndex` once per linking run (for example with
    ``desktop.core.services.resolve.candidate_index(store)``) and call this for
    every new mention.
    """
    return index.lookup(name, type, limit)
