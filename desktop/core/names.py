"""Normalisation of names into matching keys. Pure functions, no database.

``alias_key`` is the key stored in ``Alias.key`` and used for exact lookups by
the linker; every part of the app must compute keys through it so that the
stored index and the lookups agree.

The other functions build the looser keys that duplicate detection blocks and
scores on (``desktop.core.matching``):

- :func:`normalise`: NFKC, transliteration to ASCII, casefold, punctuation and
  hyphenated connectors folded to spaces;
- :func:`parse_name`: honorifics/ranks and legal forms split off into their own
  fields (kept, never thrown away);
- :func:`token_skeleton` / :func:`variant_key`: romanisation-variant keys, so that
  Mohammed/Muhammad/Mohamad, Khaled/Khalid, Rehman/Rahman, Qaddafi/Gaddafi/Kadhafi,
  Tayyiba/Taiba and Hussain/Hussein/Husain share a key while Jamaat/Jamiat do not;
- :func:`acronym_keys` / :func:`acronym_of`: initials with and without connectors
  (JeM, LeT, TTP, ISIL, PoK).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from anyascii import anyascii

# Separators: whitespace, hyphens and dashes of every kind, and punctuation.
_PUNCT = re.compile(r"[\s\-‐-―_.,'’‘`´\"“”()\[\]{}/\\:;!?&+*|#@~^=<>%$]+")

# Arabic/Persian/Urdu connectors as they appear in romanised names, glued or
# hyphenated: Jaish-e-Mohammed, Lashkar-i-Taiba, Jamaat-ud-Dawa, al-Qaeda,
# Osama bin Laden. They carry no identity: spellings differ exactly here.
CONNECTORS = frozenset(
    [
        "e",
        "i",
        "ul",
        "ud",
        "ut",
        "us",
        "ur",
        "un",
        "uz",
        "ush",
        "al",
        "el",
        "il",
        "ul",
        "ad",
        "ar",
        "as",
        "at",
        "az",
        # The article as French-style romanisations write it (Deir ez-Zor).
        "ez",
        "es",
        "ash",
        "an",
        "bin",
        "ibn",
        "bint",
        "ben",
        "wa",
        "wal",
    ]
)
# English and French function words, dropped from variant keys (Army of Muhammad),
# but kept by one family of acronym keys.
STOPWORDS = frozenset(
    [
        "in",
        "on",
        "to",
        "of",
        "the",
        "and",
        "for",
        "de",
        "du",
        "des",
        "la",
        "le",
        "les",
        "et",
        "y",
        "da",
        "di",
        "del",
        "van",
        "von",
    ]
)

# Honorifics, religious and military ranks, professional titles: they are
# separated into ParsedName.titles so "Maulana Masood Azhar" matches "Masood
# Azhar" but the title is still shown and kept.
TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "doctor",
        "prof",
        "professor",
        "sir",
        "dame",
        "lord",
        "lady",
        "maulana",
        "mawlana",
        "moulana",
        "molana",
        "maulvi",
        "moulvi",
        "mullah",
        "mulla",
        "mufti",
        "qari",
        "hafiz",
        "hafez",
        "sheikh",
        "shaikh",
        "shaykh",
        "sheik",
        "shaik",
        "syed",
        "sayyid",
        "sayed",
        "sayyed",
        "seyyed",
        "seyed",
        "mohtarma",
        "imam",
        "ayatollah",
        "hojatoleslam",
        "allama",
        "pir",
        "hazrat",
        "haji",
        "hajji",
        "alhaj",
        "alhaji",
        "ustad",
        "ustaz",
        "amir",
        "emir",
        "caliph",
        "khalifa",
        "sahib",
        "sahab",
        "janab",
        "begum",
        "gen",
        "general",
        "lt",
        "col",
        "colonel",
        "maj",
        "major",
        "capt",
        "captain",
        "brig",
        "brigadier",
        "cmdr",
        "commander",
        "adm",
        "admiral",
        "sgt",
        "sergeant",
        "cpl",
        "lieutenant",
        "field",
        "marshal",
        "marshal",
        "air",
        "chief",
        "vice",
        "president",
        "pm",
        "minister",
        "sen",
        "senator",
        "rep",
        "gov",
        "governor",
        "justice",
        "judge",
        "king",
        "queen",
        "prince",
        "princess",
        "emir",
        "sultan",
        "shah",
    ]
)
# A few ranks are multi-word; "field marshal" or "lt gen" are handled because
# each word is itself a title.

# Words that a title may be but that also start ordinary names often enough
# that we only treat them as titles when more words follow.
_AMBIGUOUS_TITLES = frozenset({"shah", "amir", "emir", "khalifa", "pir", "syed", "sayed"})
# Titles that are also common given names (Hafez al-Assad, Amir Khan, Sultan
# Mahmud): a title and a surname written with one of them may be a person.
TITLES_THAT_ARE_NAMES = frozenset(
    {"hafiz", "hafez", "amir", "emir", "shah", "sultan", "khalifa", "pir", "sayed", "syed"}
)

LEGAL_FORMS = frozenset(
    [
        "ltd",
        "limited",
        "llc",
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "co",
        "plc",
        "gmbh",
        "ag",
        "sa",
        "sarl",
        "srl",
        "spa",
        "bv",
        "nv",
        "pvt",
        "private",
        "pte",
        "pty",
        "llp",
        "lp",
        "oy",
        "ab",
        "as",
        "asa",
        "kk",
        "jsc",
        "ojsc",
        "pjsc",
        "ooo",
        "zao",
        "fze",
        "fzco",
        "fzc",
        "llc",
        "company",
        "trust",
        "foundation",
    ]
) - {"company", "trust", "foundation"}


@dataclass(frozen=True)
class ParsedName:
    """A name split into its parts. ``core`` is what identifies the bearer."""

    titles: tuple[str, ...]
    core: tuple[str, ...]
    legal_forms: tuple[str, ...]

    @property
    def core_text(self) -> str:
        return " ".join(self.core)


def ascii_fold(text: str) -> str:
    """Drop diacritics (Kashmīr -> Kashmir). Non-Latin letters are kept as they are."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=200_000)
def alias_key(name: str) -> str:
    """The exact-match key of a name: case, diacritics and punctuation folded.

    Unchanged in meaning since the first schema: no transliteration of non-Latin
    scripts and no dropping of connectors, so that two aliases share a key only
    when a reader would call them the same spelling.

    >>> alias_key("Jaish-e-Mohammed") == alias_key("jaish e  mohammed")
    True
    """
    folded = (
        name.lower()
        if name.isascii()
        else ascii_fold(unicodedata.normalize("NFKC", name)).casefold()
    )
    return " ".join(t for t in _PUNCT.split(folded) if t)


_INNER_APOSTROPHE = re.compile(r"(?<=\w)['`’](?=\w)")


@lru_cache(maxsize=200_000)
def normalise(name: str) -> str:
    """Lower-case ASCII words separated by single spaces.

    NFKC, then transliteration of any script to ASCII (محمد -> mhmd, Кадафи ->
    kadafi), casefold, punctuation and hyphens folded to spaces. Idempotent.
    """
    text = (
        name.lower() if name.isascii() else anyascii(unicodedata.normalize("NFKC", name)).casefold()
    )
    # anyascii writes ayin/hamza as ` and '; inside a word they are not separators
    # (Mas`ud -> masud), so drop them before splitting on punctuation.
    if "'" in text or "`" in text or "’" in text:
        text = _INNER_APOSTROPHE.sub("", text)
    return " ".join(t for t in _PUNCT.split(text) if t)


def tokens(name: str) -> list[str]:
    return normalise(name).split()


def _is_connector(token: str) -> bool:
    return token in CONNECTORS


@lru_cache(maxsize=200_000)
def parse_name(name: str) -> ParsedName:
    """Split leading titles and trailing legal forms off a normalised name.

    At least one core word always remains, so "Hafiz" alone stays a name.
    """
    toks = tokens(name)
    titles: list[str] = []
    i = 0
    while i < len(toks) - 1 and toks[i] in TITLES:
        if toks[i] in _AMBIGUOUS_TITLES and i + 2 > len(toks) - 1:
            # "Shah Mahmood" is a name; "Syed Ali Geelani" has a title.
            break
        titles.append(toks[i])
        i += 1
    rest = toks[i:]
    legal: list[str] = []
    while len(rest) > 1 and rest[-1] in LEGAL_FORMS:
        legal.insert(0, rest.pop())
    return ParsedName(tuple(titles), tuple(rest), tuple(legal))


_ABD = re.compile(r"^abd(?:ul|el|al|ur|ar|us|as|un|ud|ul)?(?P<rest>[a-z]*)$")


@lru_cache(maxsize=200_000)
def content_tokens(name: str) -> tuple[str, ...]:
    """The identifying words: titles, legal forms, connectors and function words
    removed, "Abdul"/"Abdel"/"Abdur" split into "abd" + the rest."""
    out: list[str] = []
    core = parse_name(name).core
    last = len(core) - 1
    for pos, tok in enumerate(core):
        # A connector ends no name: a final "Un" or "Il" is a word (Kim Jong Un).
        if (tok in CONNECTORS and pos < last) or tok in STOPWORDS:
            continue
        m = _ABD.match(tok)
        if m and len(tok) > 3:
            out.append("abd")
            rest = m.group("rest")
            if len(rest) > 2:
                out.append(rest)
            continue
        out.append(tok)
    if not out:
        # A name made only of connectors or stopwords ("The", "Al"): keep it.
        out = list(parse_name(name).core) or tokens(name)
    return tuple(out)


_VOWELS = set("aeiouy")
_DIGRAPHS = (
    ("sch", "S"),
    ("sh", "S"),
    ("ch", "C"),
    ("kh", "k"),
    ("gh", "g"),
    ("th", "t"),
    ("dh", "d"),
    ("zh", "j"),
    ("ph", "f"),
    # Aspirated stops of Indic names are written with or without the h
    # (Prabhakaran/Prabakaran, Gotabhaya/Gotabaya, Jhangvi/Jangvi).
    ("bh", "b"),
    ("jh", "j"),
    ("ck", "k"),
    ("ee", "i"),
    ("oo", "u"),
    ("ou", "u"),
)


@lru_cache(maxsize=200_000)
def token_skeleton(token: str) -> str:
    """A romanisation-insensitive key of one word.

    Consonants are kept (with the usual digraph equivalences q=k, kh, dh=d,
    gh=g, initial g=k); doubled letters collapse; single vowels vanish because
    romanisations disagree on them (Mohammed/Muhammad), but a vowel cluster of
    two different vowels (ai, ei, ia, ayyi) leaves a ``y``, because it marks a
    different word more often than a different spelling (Jamaat != Jamiat,
    while Hussain = Hussein = Husain). A leading vowel is kept as its class
    (a; e/i -> i; o/u -> u), so Omar = Umar but Omar != Amir.
    """
    t = re.sub(r"[^a-z0-9]", "", token.lower())
    if not t:
        return token
    if t.isdigit():
        return t
    # English "qu" before a vowel is a k and a w (Quetta/Kwatah); a word-initial
    # "ye" is how Russian Е is often transliterated (Yevgeny/Evgeny).
    t = re.sub(r"qu(?=[aeio])", "kw", t)
    # Sanskrit shri is written sri as often (Shrinagar/Srinagar).
    if t.startswith("shr"):
        t = t[1:]
    # (Its length is counted with doubled letters collapsed, as below, so that
    # "Yebb" and "Yeb" get one key.)
    if (
        t.startswith("ye")
        and len(re.sub(r"(.)\1+", r"\1", t)) > 3
        and t[2] not in _VOWELS
        and t[2] != "h"
    ):
        t = t[1:]
    for a, b in _DIGRAPHS:
        t = t.replace(a, b)
    t = t.replace("q", "k").replace("c", "k").replace("v", "w").replace("C", "c")
    # Collapse doubled letters (Qaddafi, Tayyiba, Hussain).
    t = re.sub(r"(.)\1+", r"\1", t)
    if t[0] == "g":
        t = "k" + t[1:]
    # A final h after a vowel is silent in romanisations (Abdullah/Abdulla),
    # and so is an h between a vowel and a consonant (Mehsud/Masud,
    # Rehman/Rahman, Shehbaz/Shahbaz).
    if len(t) > 2 and t[-1] == "h" and t[-2] in _VOWELS:
        t = t[:-1]
    t = re.sub(r"(?<=[aeiouy])h(?=[b-df-gj-np-tv-xzSCX])", "", t)
    out: list[str] = []
    i = 0
    n = len(t)
    while i < n:
        ch = t[i]
        if ch in _VOWELS and not (ch == "y" and i == 0):
            j = i
            while j < n and t[j] in _VOWELS:
                j += 1
            group = t[i:j].replace("y", "i")
            if i == 0:
                out.append({"e": "i", "o": "u"}.get(group[0], group[0]))
            if len(set(group)) > 1:
                # Two vowel qualities: glides ending in o/u (au, ou) are kept
                # apart from the others (ai, ei, oi, ua), so Saeed != Saud but
                # Taiba = Toiba.
                out.append("w" if group[-1] in "ou" else "y")
            i = j
            continue
        out.append(ch)
        i += 1
    skel = "".join(out)
    # Glide markers may now be doubled (Sayyid -> s y y d); collapse them, but
    # not consonants that a dropped vowel separated (Chechnya != Chennai).
    return re.sub(r"([yw])\1+", r"\1", skel) or t


def skeleton_tokens(name: str) -> list[str]:
    return [token_skeleton(t) for t in content_tokens(name)]


def variant_key(name: str) -> str:
    """Words in order, each reduced to its skeleton: names that are the same
    after transliteration, connector folding and title removal share it."""
    return " ".join(skeleton_tokens(name))


def sorted_variant_key(name: str) -> str:
    """:func:`variant_key` with the words sorted (Azhar Masood = Masood Azhar).
    Used as a blocking key and as weaker evidence than the ordered key, because
    word order can be significant (Ali Hassan and Hassan Ali are two people)."""
    return " ".join(sorted(skeleton_tokens(name)))


def match_form(name: str) -> str:
    """The text fuzzy scorers compare: normalised content words, connectors,
    titles and legal forms removed. Idempotent on its own output: removing a
    leading connector can expose a title ("e adm a"), so it is applied until
    nothing changes."""
    form = " ".join(content_tokens(name))
    for _ in range(len(form)):
        again = " ".join(content_tokens(form))
        if again == form:
            break
        form = again
    return form


_ACRONYM_SEPARATORS = re.compile(r"[\s.\-&]")
_NOT_ALNUM = re.compile(r"[^a-z0-9]")


def looks_like_acronym(name: str) -> bool:
    """JeM, LeT, TTP, ISIS, U.S., PoK: one short word, mostly capitals."""
    if len(name) > 14 or name.count(" ") > 3:
        return False
    # An ampersand stands for "and" inside acronyms (R&AW, J&K).
    stripped = _ACRONYM_SEPARATORS.sub("", unicodedata.normalize("NFKC", name))
    if not (2 <= len(stripped) <= 7) or not stripped.isalpha():
        return False
    caps = sum(1 for ch in stripped if ch.isupper())
    return caps >= 2 and caps >= len(stripped) - 2 and stripped[0].isupper()


# Cached: suggestion reads the key of each acronym once per long name it is
# paired with (hundreds of thousands of pairs on a big library).
@lru_cache(maxsize=200_000)
def acronym_key(name: str) -> str:
    """The key of an acronym as written: JeM -> jem, U.S. -> us."""
    return _NOT_ALNUM.sub("", normalise(name).replace(" ", ""))


def acronym_keys(name: str) -> set[str]:
    """Possible initials of a multi-word name.

    Initials are taken with and without connectors and with and without
    function words, so Jaish-e-Mohammed gives "jem" and "jm", Tehrik-i-Taliban
    Pakistan gives "titp" and "ttp", Islamic State of Iraq and the Levant gives
    "isil", Pakistan-occupied Kashmir gives "pok". Titles and legal forms are
    left out. Empty for one-word names.
    """
    core = parse_name(name).core
    if len(core) < 2:
        return set()
    keys = set()
    for drop_conn in (False, True):
        for drop_stop in (False, True):
            words = [
                w
                for w in core
                if not (drop_conn and w in CONNECTORS) and not (drop_stop and w in STOPWORDS)
            ]
            if len(words) >= 2:
                keys.add("".join(w[0] for w in words))
    return keys


def acronym_of(short: str, long: str) -> bool:
    """True when ``short`` is written like an acronym and spells the initials of
    ``long``."""
    if not looks_like_acronym(short):
        return False
    return acronym_key(short) in acronym_keys(long)


def acronym_matches(acronym: str, name: str) -> bool:
    """True when the letters of ``acronym`` spell the initials of ``name``.

    Content words must each give their initial, in order. A connector may give
    nothing or its vowel, e and i being one (LeT for Lashkar-i-Taiba too);
    a function word may give its initial or nothing (AQAP for Al-Qaeda in the
    Arabian Peninsula, ISIL for Islamic State of Iraq and the Levant).
    """
    letters = acronym_key(acronym)
    core = parse_name(name).core
    if len(core) < 2 or not letters:
        return False
    unglued, allowed, fewest, most = _fit_bounds(core)
    if not fewest <= len(letters) <= most or not allowed.issuperset(letters):
        # No way to spell it (the common case when a big library pairs every
        # acronym with every long name of the same first and last initials).
        return False
    if _initials_fit(letters, core):
        return True
    return unglued is not None and _initials_fit(letters, unglued)


def acronym_fit_bounds(name: str) -> tuple[frozenset[str], int, int] | None:
    """What the letters of any acronym that :func:`acronym_matches` accepts for
    ``name`` meet: each is in the set, and there are at least and at most the
    two counts of them. None when no acronym matches the name (fewer than two
    core words)."""
    core = parse_name(name).core
    if len(core) < 2:
        return None
    _, allowed, fewest, most = _fit_bounds(core)
    return allowed, fewest, most


@lru_cache(maxsize=200_000)
def _fit_bounds(
    core: tuple[str, ...],
) -> tuple[tuple[str, ...] | None, frozenset[str], int, int]:
    """For :func:`acronym_matches`: the words with glued connectors split off
    (None when there are none), and what the letters of any acronym that
    fits either form must meet: each letter is the initial of a word (or e/i
    for an inner e/i connector), and there are at least as many letters as
    words that must give one and at most as many as words."""
    # A connector written onto the word before it gives its letter too
    # (HuT for Hizbut Tahrir, Hizb-ut-Tahrir).
    split: list[str] = []
    for w in core:
        if len(w) >= 5 and w[-2:] in _GLUED_CONNECTORS:
            split += [w[:-2], w[-2:]]
        else:
            split.append(w)
    unglued = tuple(split) if len(split) > len(core) else None
    allowed: set[str] = set()
    fewest, most = len(core), 0
    for words in (core, unglued):
        if words is None:
            continue
        last = len(words) - 1
        allowed.update(w[0] for w in words)
        if any(w in CONNECTORS and k < last and w[0] in "ei" for k, w in enumerate(words)):
            allowed.update("ei")
        must = sum(
            1 for w in words if not (w in CONNECTORS or w in STOPWORDS or w in OPTIONAL_IN_ACRONYMS)
        )
        fewest, most = min(fewest, must), max(most, len(words))
    return unglued, frozenset(allowed), fewest, most


_GLUED_CONNECTORS = frozenset({"ul", "ud", "ut", "ur", "us", "un", "uz"})
# Words for the kind of body or place that acronyms often leave out (IS-K for
# Islamic State Khorasan Province).
OPTIONAL_IN_ACRONYMS = frozenset({"province", "group", "organisation", "organization"})


@lru_cache(maxsize=200_000)
def _initials_fit(letters: str, words: tuple[str, ...]) -> bool:
    # fit[i][w]: letters[i:] spell words[w:]. Filled backwards in a table (no
    # closure or cache object per call: this runs for hundreds of thousands
    # of acronym/name pairs on a big library).
    n_l, n_w = len(letters), len(words)
    nxt = [i == n_l for i in range(n_l + 1)]  # row w == n_w
    for w in range(n_w - 1, -1, -1):
        word = words[w]
        optional = word in CONNECTORS or word in STOPWORDS or word in OPTIONAL_IN_ACRONYMS
        inner_connector = word in CONNECTORS and w < n_w - 1
        cur = [False] * (n_l + 1)
        for i in range(n_l, -1, -1):
            if optional and nxt[i]:
                cur[i] = True
                continue
            if i >= n_l:
                continue
            ch = letters[i]
            # e and i are one vowel in these connectors (-e-/-i-); others
            # must give their own letter (JuD for Jamaat-ud-Dawa).
            ok = ch == word[0] or (inner_connector and ch in "ei" and word[0] in "ei")
            cur[i] = ok and nxt[i + 1]
        nxt = cur
    return nxt[0]


_PAREN = re.compile(r"^(?P<outer>.+?)\s*\((?P<inner>[^()]+)\)\s*$")


def split_parenthesised_acronym(name: str) -> tuple[str, str]:
    """ "Financial Action Task Force (FATF)" -> ("Financial Action Task Force",
    "FATF"); names without such a suffix come back unchanged with ""."""
    if not name.endswith(")"):
        return name, ""
    m = _PAREN.match(name)
    if (
        m
        and looks_like_acronym(m.group("inner"))
        and acronym_matches(m.group("inner"), m.group("outer"))
    ):
        return m.group("outer"), m.group("inner")
    return name, ""


_DATA = Path(__file__).resolve().parent / "data"


def _place_table(path: Path) -> tuple[tuple[str, ...], ...]:
    """A table of places (or organisations), one's names per line separated
    by ";"."""
    return tuple(
        tuple(name.strip() for name in line.split(";") if name.strip())
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    )


@lru_cache(maxsize=1)
def other_place_names() -> tuple[tuple[str, ...], ...]:
    """The table of well-known other names of places (data/exonyms.txt), one
    place's names per entry: ("Mumbai", "Bombay"), ("Beijing", "Peking", ...)."""
    return _place_table(_DATA / "exonyms.txt")


@lru_cache(maxsize=1)
def known_organisations() -> tuple[tuple[str, ...], ...]:
    """Well-known organisations of the news (data/organisations.txt), one per
    entry with its names and acronyms: ("European Union", "EU"), ..."""
    return _place_table(_DATA / "organisations.txt")


@lru_cache(maxsize=1)
def regions() -> tuple[tuple[str, ...], ...]:
    """Well-known regions that no country, city or subdivision list names
    (data/regions.txt): ("Kashmir", "Kashmir Valley"), ("West Bank",), ..."""
    return _place_table(_DATA / "regions.txt")
