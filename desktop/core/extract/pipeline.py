"""Merging the recognisers' spans into typed, clustered mentions of one text.

Order of work for one article:
1. candidates: gazetteer hits, abbreviation definitions and their later uses,
   spaCy entities, and runs of capitalised words (with connectors) found by rule;
2. repair: snap every span to whole words (joins "Jaish" + "-e-Mohammed"),
   strip possessives and a leading "the", move honorifics into ``title``;
3. merge: higher priority first, then longer, no overlaps;
4. reject page furniture, common words at the start of a sentence, and runs too
   long to be a name;
5. cluster: same matching key, abbreviation pairs, then short forms ("Zaheer",
   "Lashkar") to the one longer name they belong to;
6. type each cluster by votes over all its mentions, so an entity has one type
   in one article.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from desktop.core.extract import lexicon as lx
from desktop.core.extract import typer
from desktop.core.extract.abbreviations import find_definitions, find_uses
from desktop.core.extract.gazetteer import Gazetteer
from desktop.core.extract.lexicon import stop_words
from desktop.core.extract.ner import NerSpan
from desktop.core.extract.places import is_place, major_place_keys
from desktop.core.names import alias_key as _alias_key
from desktop.core.names import known_organisations, other_place_names, regions

# Names repeat within an article; their keys are computed once.
alias_key = functools.lru_cache(maxsize=65536)(_alias_key)

_WORD = re.compile(r"[^\W_]+(?:[-‐‑'’][^\W_]+)*")
_POSSESSIVE = re.compile(r"['’]s$")
_DIRECTION_OF = re.compile(r"(?:(?:North|South)(?:-?[Ee]ast|-?[Ww]est)?|East|West) of (?=[A-Z])")
_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th)")
_NOT_AFTER_ORDINAL = lx.NOT_NAMES | {"century", "centuries", "millennium"}
_INITIALISM_END = re.compile(r"(?:(?<![^\W\d_])(?:[^\W\d_]\.){2,}|\b(?:Inc|Ltd|Corp|Co|Jr|Sr)\.)$")
# Eras after a year: "500 BC", "AD 79" are dates, not organisations.
_ERA = re.compile(r"^(?:BCE?|AD|CE)$")
# Longest run of capitalised words the rule accepts as one name.
MAX_NAME_WORDS = 6
# Hard cap on candidates per article, so pathological input stays bounded.
MAX_CANDIDATES = 20_000

PLACE_VOTE = 1.5  # a name in the offline place list
# Weights of the typing evidence, per mention; the cluster's type is the best
# sum over its mentions.
VOTES = {
    "model": 1.0,  # the statistical model's label on these words
    "org_word": 2.5,  # "Council", "Front", "Ministry" in the name
    "place_word": 2.0,  # "Province", "Valley" as the name's last word
    # "Museum", "Base", "Jail" as the name's head: a weaker cue than a place
    # word, as some such places are also run as organisations (the typer,
    # not this vote alone, decides).
    "facility": 1.0,
    "title": 3.0,  # an honorific before a person's name
    "acronym": 0.3,  # bare acronyms are mostly organisations
    "dateline": 3.0,
    "locative": 0.5,  # after "in", "near", "outside"...
    "near": 1.0,  # ... more after "near", "outside", "into"
    "place_after": 1.5,  # before "district", "jail", "camp"...
    "org_prefix": 2.0,  # opens with an organisation's whole name
    "demonym": 3.0,  # "Kashmiris": a people (MISC), whatever the model says
    "misc_word": 3.0,  # "Nobel Prize", "Cyclone Phailin": an event, a work, a law
    "members_after": 1.5,  # before "leader", "fighters", "spokesman"...
    # "Nvidia's shares", "a stake in Vodafone": only a company has them; worth
    # the model's label on two other mentions.
    "company": 5.0,
    # "X, a human rights group", "X is a town": what the text says the name is.
    "defined_as": 5.0,
    "byline": 3.0,  # "By Farid Ahmadzai" on a line of its own: the writer
    "credit": 3.0,  # "SANAA, Jan. 14 (Gulf Wire) —": the agency after a dateline
    "qualified_place": 3.0,  # "Kashmir" where "Pakistan-administered Kashmir" is written
}
# MISC: a name the model knows is none of the other three (a work, an event, a law).
TYPES = ("PER", "ORG", "LOC", "MISC")
PRIORITY = {"gazetteer": 4, "abbreviation": 3, "ner": 2, "rule": 2}
CONFIDENCE = {"gazetteer": 1.0, "abbreviation": 0.95, "ner": 0.85, "rule": 0.7, "coref": 0.8}


@dataclass
class Found:
    """One mention proposed for a text, before linking."""

    start: int
    end: int
    text: str
    type: str
    method: str
    confidence: float
    cluster: int
    title: str = ""
    entity_id: int | None = None
    # Acronyms and short forms: linked, but weak evidence for matching.
    weak: bool = False
    ambiguous: bool = False
    reason: str = ""


@dataclass
class _Cand:
    start: int
    end: int
    source: str
    votes: Counter[str] = field(default_factory=Counter)
    entity_id: int | None = None
    group: int | None = None  # abbreviation definition id
    short: bool = False  # abbreviation short form
    title: str = ""
    single_rule: bool = False  # one capitalised word found only by rule
    locative: bool = False  # written after "in", "near", "outside"...
    norp: bool = False  # looks like a nationality word
    model_norp: bool = False  # the model called these words a nationality or a group
    model: bool = False  # the statistical model found a name on these words
    # The model's labels on these words (PER, ORG, LOC, MISC, AUTHOR): evidence
    # for the entity-level type decision (typer.py).
    model_labels: set[str] = field(default_factory=set)


# E-mail and web addresses are written in lower case whatever names are in
# them: "claire.bailey-ross@durham.ac.uk" says nothing about "Claire".
_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b(?:https?://|www\.)\S+")


def _lower_words(text: str) -> set[str]:
    """Words written in lower case somewhere outside an address: "police"
    makes "Police" at a sentence start a common word."""
    if "@" in text or "www." in text or "://" in text:
        text = _ADDRESS.sub(lambda m: " " * len(m.group()), text)
    return {m.group() for m in _WORD.finditer(text) if m.group()[0].islower()}


class _Words:
    def __init__(self, text: str) -> None:
        self.text = text
        self.spans = [(m.start(), m.end()) for m in _WORD.finditer(text)]
        self.starts = [s for s, _ in self.spans]
        self.lower_words = _lower_words(text)
        self._mid: set[str] | None = None

    def mid_sentence_capitals(self) -> set[str]:
        """Capitalised words written somewhere other than a sentence start."""
        if self._mid is None:
            self._mid = {
                self.text[s:e]
                for s, e in self.spans
                if self.text[s].isupper() and not _sentence_initial(self.text, s)
            }
        return self._mid

    def index_at(self, pos: int) -> int | None:
        i = bisect.bisect_right(self.starts, pos) - 1
        if i >= 0 and self.spans[i][0] <= pos < self.spans[i][1]:
            return i
        return None

    def snap(self, start: int, end: int) -> tuple[int, int]:
        i = self.index_at(start)
        if i is not None:
            start = self.spans[i][0]
        j = self.index_at(max(start, end - 1))
        if j is not None:
            end = self.spans[j][1]
        return start, end

    def inside(self, start: int, end: int) -> list[tuple[int, int]]:
        i = bisect.bisect_left(self.starts, start)
        out = []
        while i < len(self.spans) and self.spans[i][0] < end:
            out.append(self.spans[i])
            i += 1
        return out


def _low(word: str) -> str:
    return word.lower().rstrip(".")


# An elided article before a capital: "d'Ivoire", "d'Estaing", "d'Alembert".
_ELIDED = re.compile(r"^[dl]['’](?=[^\W\d_])")


# "I'm", "We've", "Don't", "It's": a pronoun or a verb with its clitic, never
# a name word ("Pakistan's" is a name's possessive).
_CLITIC = re.compile(r"^(?:\w+['’](?:m|ve|ll|re)|\w+n['’]t|(\w+)['’][sd])$", re.IGNORECASE)


def _clitic(word: str) -> bool:
    m = _CLITIC.match(word)
    if not m:
        return False
    stem = m.group(1)
    return stem is None or stem.lower() in lx.NOT_NAMES or stem.lower() in stop_words()


def _is_name_word(word: str) -> bool:
    if ("'" in word or "’" in word) and _clitic(word):
        return False
    return (
        word[:1].isupper()
        or bool(lx.PREFIXED_WORD.match(word))
        or (bool(_ELIDED.match(word)) and word[2:3].isupper())
    )


def _sentence_initial(text: str, pos: int) -> bool:
    i = pos - 1
    while i >= 0 and text[i] in " \t\"“‘'(":
        i -= 1
    return i < 0 or text[i] in ".!?\n:;—–-" or (text[i] == "\r")


def _strip_edges(text: str, start: int, end: int) -> tuple[int, int]:
    """Possessive, leading article and stray punctuation off a span."""
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    if text.endswith("(s", start, end):
        end -= 2  # "Virginia Governor(s)"
    if _INITIALISM_END.search(text, start, end + 1):
        end += 1  # "U.S.", "Washington D.C." keep their last full stop
    m = _POSSESSIVE.search(text, start, end)
    if m and end - start > 3:
        end = m.start()
    # Names start and end with a name word: "Kashmir valley" -> "Kashmir";
    # an ordinal before a capital is a name's ("10th Street", "2nd Earl").
    while True:
        m = _WORD.search(text, start, end)
        if m is None or _is_name_word(m.group()) or m.end() >= end:
            break
        if _ORDINAL.fullmatch(m.group()):
            nxt = _WORD.match(text, m.end() + 1, end)
            # Not a date's ("3rd March") nor a period's ("21st Century").
            if nxt and nxt.group()[0].isupper() and _low(nxt.group()) not in _NOT_AFTER_ORDINAL:
                break
        start = m.end()
        while start < end and not text[start].isalnum():
            start += 1
    while True:
        k = text.rfind(" ", start, end)
        if k < 0 or _is_name_word(text[k + 1 : end].removeprefix("[")):
            break
        end = k
        while end > start and not text[end - 1].isalnum():
            end -= 1
    # "Northeast of Temescal is Rockridge": a direction opening the sentence.
    m = _DIRECTION_OF.match(text, start, end)
    if m and _sentence_initial(text, start):
        start = m.end()
    # A bracket of an editor's completion stays: "[George W.] Bush", "Jeff [Drake]".
    inside = text[start:end]
    if start and text[start - 1] == "[" and "]" in inside and "[" not in inside:
        start -= 1
    if text[end : end + 1] == "]" and "[" in inside and "]" not in inside:
        end += 1
    low = text[start:end].lower()
    for art in ("the ", "a ", "an "):
        if low.startswith(art) and end - start > len(art) + 1:
            start += len(art)
            break
    return start, end


def _title_word(w: str) -> bool:
    """An honorific, or one joined by hyphens to its rank ("Major-General",
    "Lieutenant-Colonel")."""
    if w in lx.HONORIFICS:
        return True
    if len(w) > 4 and w.endswith("s") and w[:-1] in lx.HONORIFICS:
        return True  # "Justices Clarence Thomas and Samuel Alito"
    parts = w.split("-")
    return (
        len(parts) > 1
        and parts[-1] in lx.HONORIFICS
        and all(p in lx.HONORIFICS or p in lx.TITLE_MODIFIERS for p in parts[:-1])
    )


# Buildings and sites the word lists leave out (as "house" is also a chamber).
_BUILDING_WORDS = frozenset(["house", "hotel", "park", "chowk", "gate", "market"])


def _generic_head(word: str) -> bool:
    return (
        word in lx.ORG_WORDS
        or word in lx.PLACE_WORDS
        or word in lx.FACILITY_WORDS
        or word in _BUILDING_WORDS
    )


def _split_title(text: str, words: _Words, start: int, end: int) -> tuple[int, str]:
    """New start after honorifics inside the span, and the title text."""
    inner = words.inside(start, end)
    k = 0
    last_hon = -1
    while k < len(inner) - 1:
        w = _low(text[inner[k][0] : inner[k][1]])
        if _title_word(w):
            last_hon = k
        elif w not in lx.TITLE_MODIFIERS:
            break
        k += 1
    if last_hon < 0:
        return start, ""
    after = inner[last_hon + 1]
    if _generic_head(_low(text[inner[-1][0] : inner[-1][1]])) and last_hon + 1 < len(inner):
        # "Governor House", "General Hospital", "King Street", "General
        # Assembly", "Imam Khomeini Airport", "King Abdulaziz University": a
        # title and a name ending in a generic noun name a place or a body.
        return start, ""
    if text[after[0] : after[1]] == "of":
        portfolio = last_hon + 2
        if (
            portfolio + 1 < len(inner)
            and _low(text[inner[portfolio][0] : inner[portfolio][1]]) in lx.PORTFOLIOS
        ):
            # "Secretary of State Antony Blinken": the office is the title.
            return inner[portfolio + 1][0], text[start : inner[portfolio][1]]
        # "King of Spain", "Emir of Qatar": an office held over the place or
        # body named after it; that name bears no title.
        return after[0], ""
    if (
        last_hon + 3 < len(inner)
        and not text[inner[last_hon][1] : inner[last_hon + 1][0]].strip()
        and is_place(text[inner[last_hon + 1][0] : inner[last_hon + 1][1]])
        and _low(text[inner[last_hon + 2][0] : inner[last_hon + 2][1]]) not in lx.ORG_WORDS
    ):
        # "Advocate General Sindh Hassan Akbar", "Inspector General Punjab
        # Usman Anwar": the office is of the province named after it.
        last_hon += 1
    title_end = inner[last_hon][1]
    if title_end < len(text) and text[title_end] == ".":
        title_end += 1
    return inner[last_hon + 1][0], text[start:title_end]


_PREV_CAPITAL = re.compile(r"\b([A-Z][\w-]*) $")
_OFFICE_OF = re.compile(r"([A-Z][\w-]*) (of|for) $")


def _after_portfolio(text: str, words: _Words, start: int, end: int) -> tuple[int, str]:
    """The start of "Antony Blinken" in a run "State Antony Blinken" written
    after "Secretary of ", and the office as the title."""
    inner = words.inside(start, end)
    if len(inner) < 2:
        return start, ""
    first = text[inner[0][0] : inner[0][1]]
    # "Attorney General for Pakistan Mansoor Usman Awan", "Prime Minister of
    # Pakistan Shehbaz Sharif": the office's country, then a full name.
    of_place = len(inner) >= 3 and is_place(first)
    # "Chief of Army Staff Asim Munir", "Chief of Naval Staff Naveed Ashraf".
    staff = len(inner) >= 4 and _low(text[inner[1][0] : inner[1][1]]) == "staff"
    if _low(first) not in lx.PORTFOLIOS and not of_place and not staff:
        return start, ""
    office = _OFFICE_OF.search(text, max(0, start - 30), start)
    if office is None or not _title_word(_low(office.group(1))):
        return start, ""
    last = inner[1] if staff else inner[0]
    at = office.start()
    # "Attorney General", "Inspector General": the office is both words.
    before = _PREV_CAPITAL.search(text, max(0, at - 20), at)
    if before and _low(office.group(1)) == "general":
        at = before.start(1)
    return inner[inner.index(last) + 1][0], text[at : last[1]]


def _title_before(text: str, words: _Words, start: int) -> str:
    """Honorifics written just before a span ("Gen. Asim Munir" when the model
    took only the name)."""
    i = bisect.bisect_left(words.starts, start) - 1
    first = None
    saw_honorific = False
    while i >= 0:
        ws, we = words.spans[i]
        gap = text[we : (words.spans[i + 1][0] if i + 1 < len(words.spans) else start)]
        if gap.strip(". ") or len(gap) > 3:
            break
        w = _low(text[ws:we])
        if _title_word(w) and text[ws].isupper():
            saw_honorific = True
            first = ws
        elif w in lx.TITLE_MODIFIERS and text[ws].isupper() and saw_honorific:
            first = ws
        else:
            break
        i -= 1
    if first is None:
        return ""
    return text[first:start].strip()


# Transliterated articles that are also English words, and written as a word
# of their own are the English ones: "the Long Room at Auckland Castle",
# "Bush as President"; "at-Tawhid", "as-Sahab" keep their hyphen.
_ENGLISH_PARTICLES = frozenset(["at", "as"])


_AMPERSANDS = frozenset([" & ", "&"])
# Words an acronym leaves out: "KWSC" of "Karachi Water and Sewerage Corporation".
_NO_INITIAL = frozenset(["of", "and", "for", "the"])
_FIRM = re.compile(r"[^\W\d_][\w'’-]* & [^\W\d_][\w'’-]*")
# "(Green & Bavelier, 2003)": two authors cited, not a firm.
_CITED_YEAR = re.compile(r",?\s*\(?\d{4}\b|\s+et al\b")

_POSSESSORS = frozenset(["people", "peoples", "women", "men", "children", "workers", "martyrs"])


def _common_possessor(word: str, after: str) -> bool:
    """Whether a possessive word is a common noun inside a name ("People's
    Liberation Army", "Prime Minister's Office"), not a name owning the next."""
    stem = _POSSESSIVE.sub("", word).lower()
    return stem in _POSSESSORS or (stem in lx.HONORIFICS and _generic_head(after))


# Bodies named for what they deliberate on.
_ON_BODIES = frozenset(["council", "committee", "commission", "conference", "panel", "forum"])


def _name_words(text: str, inner: Sequence[tuple[int, int]]) -> int:
    """The capitalised words of a run: its particles ("for the") make no
    name longer than it reads."""
    return sum(1 for a, _ in inner if not text[a].islower())


# The quotes around a nickname, opening and closing.
_NICK_OPEN = {' "': '" ', " “": "” ", " '": "' ", " ‘": "’ "}


def _capitalised_runs(text: str, words: _Words) -> list[tuple[int, int]]:
    """Runs of name words joined by single spaces or connector particles."""
    runs: list[tuple[int, int]] = []
    spans = words.spans
    n = len(spans)
    i = 0
    while i < n:
        w = text[spans[i][0] : spans[i][1]]
        if not _is_name_word(w) or _low(w) in lx.NOT_NAMES:
            i += 1
            continue
        j = i
        while j + 1 < n:
            if _POSSESSIVE.search(text[spans[j][0] : spans[j][1]]) and not (
                j + 1 < n
                and _common_possessor(
                    text[spans[j][0] : spans[j][1]], _low(text[spans[j + 1][0] : spans[j + 1][1]])
                )
            ):
                # "Iraq's Kurdistan Region": two names; but "Prime Minister's
                # Office" and "People's Liberation Army" are one.
                break
            gap = text[spans[j][1] : spans[j + 1][0]]
            nxt = text[spans[j + 1][0] : spans[j + 1][1]]
            if (
                gap in _AMPERSANDS
                and _is_name_word(nxt)
                and not _CITED_YEAR.match(text, spans[j + 1][1])
            ):
                j += 1  # "Ernst & Young", "Procter & Gamble": one firm
                continue
            if (
                gap in _NICK_OPEN
                and j + 2 < n
                and text[spans[j + 1][1] : spans[j + 2][0]] == _NICK_OPEN[gap]
                and nxt[:1].isupper()
                and _is_name_word(text[spans[j + 2][0] : spans[j + 2][1]])
                and _is_name_word(text[spans[j][0] : spans[j][1]])
            ):
                j += 2  # a nickname inside a name: Julia "Butterfly" Hill
                continue
            if (
                (
                    # "[Phil] Gramm", "Jeff [Drake]": a name completed in brackets
                    # by whoever wrote the transcript down.
                    (gap == "] " and text[spans[i][0] - 1 : spans[i][0]] == "[")
                    # Not an acronym defined in brackets: "Korean People's Army [KPA]".
                    or (
                        gap == " ["
                        and text[spans[j + 1][1] : spans[j + 1][1] + 1] == "]"
                        and not nxt.isupper()
                    )
                )
                and _is_name_word(nxt)
            ):
                j += 1
                continue
            if gap != " ":
                break
            if _is_name_word(nxt) and _low(nxt) not in lx.NOT_NAMES:
                j += 1
                continue
            # A particle inside a name: "Osama bin Laden", "Line of Control".
            if j + 2 < n and text[spans[j + 1][1] : spans[j + 2][0]] == " ":
                after = text[spans[j + 2][0] : spans[j + 2][1]]
                prev = _low(text[spans[j][0] : spans[j][1]])
                particle = nxt.lower()
                body = prev in lx.ORG_WORDS
                # "Foundation for the Visual Arts", "Bank of the Philippine
                # Islands": a body's word, a particle and "the".
                if (
                    body
                    and (particle in ("of", "for") or (particle == "on" and prev in _ON_BODIES))
                    and after == "the"
                    and j + 3 < n
                    and text[spans[j + 2][1] : spans[j + 3][0]] == " "
                ):
                    last = text[spans[j + 3][0] : spans[j + 3][1]]
                    if _is_name_word(last) and _low(last) not in lx.NOT_NAMES:
                        j += 3
                        continue
                ok = (
                    (particle in lx.CONNECTOR_WORDS and particle not in _ENGLISH_PARTICLES)
                    or (particle == "of" and (body or prev in lx.PLACE_WORDS))
                    # "Society for General Systems Research", "Council on
                    # Foreign Relations"; not "Kennedy Space Center on STS-1".
                    or (particle == "for" and body)
                    or (particle == "on" and prev in _ON_BODIES)
                    # "Azad Jammu and Kashmir", only when the whole is a known place.
                    or (particle == "and" and is_place(text[spans[i][0] : spans[j + 2][1]]))
                )
                if ok and _is_name_word(after) and _low(after) not in lx.NOT_NAMES:
                    j += 2
                    continue
            break
        runs.append((spans[i][0], spans[j][1]))
        i = j + 1
    return runs


# "the village of Seleki", "the former region of Casamance": a place's kind
# before "of" names the place after it.
_KIND_OF_PLACE = (
    r"\b(?:city|town|village|region|province|district|county|island|kingdom|emirate)\s+of\s+$"
)
_PLACE_OF_KIND = re.compile(_KIND_OF_PLACE)
_LOCATIVE = re.compile(
    r"(?:(?:(?:\A|[.!?\n]\s*)(?:North|South|East|West)|\b(?:north|south|east|west))"
    r"(?:-?[Ee]ast|-?[Ww]est)?\s+of\s+$)|"
    r"(?:" + _KIND_OF_PLACE + ")|"
    r"(?:\b(?:in|near|outside|around|across|into|to|at|from)\s+"
    r"(?:(?:the\s+)?(?:north|south|east|west|northern|southern|eastern|western|central|"
    r"north-western|south-western|north-eastern|south-eastern|neighbouring|neighboring)\s+)?)$"
)
# "Tulsa lies in northeastern Oklahoma", "Coron is in the province of
# Palawan", "Isfahan, located on the Zayandeh": where a place is. A plain "X
# is in Paris" is not enough (a person can be there too), nor "lies in state".
_LOCATED_AFTER = re.compile(
    r"(?:\s*,)?\s+(?:(?:is|are|was|were)\s+)?(?:located|situated)\s+(?:in|on|near|at|along)\b|"
    # "lies in" a direction or a name: "Trump lies in interviews" is no place.
    r"\s+(?:lies|lay)\s+(?:in|on|near|at|along|between)\s+(?:the\s+)?"
    r"(?:(?:north|south|east|west|central|heart\b)|[A-Z])|"
    # "is in the province of": not "is in the south of France" (a person on
    # holiday is too).
    r"\s+(?:is|was)\s+in\s+the\s+(?:(?:far\s+)?(?:north|south|east|west)\w*\s+)?"
    r"(?:province|state|region|district|county)\s+of\b"
)
_PARTY_AFTER = re.compile(r" part(?:y|ies)\b(?![-‐])")
# The last word of a party's name before a lower-case "party": a political
# adjective ("Republican", "Labour", "Communist"), not "Christmas" or "tea".
_POLITICAL = re.compile(
    r"(?:ans?|ists?|ic|ive|al|our|or)$|^(?:Green|Whig|Baath|Awami|Congress|Janata|Likud|Pirate)$"
)
# "Barracuda and Kayangan lakes", "the Indus and Jhelum rivers": names listed
# before the plural of a kind of place.
_KINDS_OF_PLACE = (
    r"(?:lakes|rivers|islands|provinces|districts|villages|towns|cities|mountains|valleys|"
    r"regions|states|countries|counties|camps|beaches|bays|peninsulas)\b"
)
_PLURAL_PLACE = re.compile(r"\s+" + _KINDS_OF_PLACE)
_PLACES_LAST = re.compile(r"[A-Z][\w'’-]*,?\s+(?:and|&)\s+$")
_PLACES_AFTER = re.compile(
    r"(?:,\s*[A-Z][\w'’-]*)*,?\s+(?:and|&)\s+[A-Z][\w'’-]*\s+" + _KINDS_OF_PLACE
)
# A case cited by its parties: "in Lynch v. Overholser", "at Green versus
# United States". "in" before it, so that a fixture ("Arsenal v Chelsea") is
# not read as a lawsuit.
_CASE_FIRST_BEFORE = re.compile(r"\b(?:[Ii]n|[Aa]t|[Oo]f|[Uu]nder)\s+$")
_CASE_FIRST_AFTER = re.compile(r"\s+(?:v\.?|vs\.?|versus)\s+(?:the\s+)?[A-Z]")
_CASE_SECOND_BEFORE = re.compile(
    r"\b(?:[Ii]n|[Aa]t|[Oo]f|[Uu]nder)\s+[A-Z][\w'’-]*\s+(?:v\.?|vs\.?|versus)\s+$"
)
_LEGAL_WORDS = re.compile(
    r"\b(?:[Cc]ourts?|case|ruling|judg(?:e?ment|es?)|precedent|[Jj]ustices?|appeal|"
    r"plaintiffs?|defendants?|petitioners?|respondents?|counsel)\b"
)
# Words that put a place, hardly ever a person or an organisation, after them.
_NEAR = re.compile(r"\b(?:near|outside|towards?|into)\s+(?:the\s+)?(?:\w+\s+)?$")
_PLACE_AFTER = re.compile(
    r"^\s+(?:jail|prison|district|province|valley|camp|city|town|village|region|"
    r"area|border|airbase|air base|refugee camp|governorate|crossing)\b"
)
# "the space shuttle Challenger", "the tanker Stena Impero": a craft's name,
# not a person's.
_CRAFT_BEFORE = re.compile(
    r"\b(?:shuttle|spacecraft|ship|vessel|tanker|freighter|cargo ship|aircraft carrier|"
    r"carrier|destroyer|frigate|corvette|submarine|warship|gunboat|yacht|ferry|trawler|"
    r"dhow|rover|probe|lander|orbiter|satellite|telescope)\s+$"
)
# "the ISKP leader", "Hizballah fighters": people of an organisation.
_MEMBERS_AFTER = re.compile(
    r"^\s+(?:leaders?|leadership|chief|commanders?|spokes(?:man|men|person|woman)|fighters|"
    r"militants|operatives|cadres?|members|founder|affiliates?)\b"
)
# "Nvidia's shares", "Huawei's CEO", "a stake in Vodafone": what only a
# company has. Not "chief executive": Hong Kong's is an office of the place.
_COMPANY_AFTER = re.compile(
    r"^(?:['’]s)?\s+(?:ceo|cfo|shares|shareholders|stock|board of directors|subsidiary|"
    r"subsidiaries|parent company|quarterly|earnings|chief executive|chairman|chairwoman|"
    r"co-?founder|founder|manager|head coach)\b",
    re.IGNORECASE,
)
# "the ruling Kenya Kwanza coalition", "the Apple Daily newspaper", "the
# Wagner group".
_BLOC_AFTER = re.compile(
    r"^\s+(?:coalition|alliance|bloc|party|newspaper|tabloid|broadcaster|company|firm|group)\b"
)
_COMPANY_BEFORE = re.compile(
    r"\b(?:shares (?:of|in)|stake in|subsidiary of|merger with|takeover of|"
    r"chief executive of)\s+$",
    re.IGNORECASE,
)
# ... and "the Islamic State group", "the Haqqani network": what it is.
_ORG_CONTEXT_AFTER = re.compile(
    r"^\s+(?:staff|officials?|officers|personnel|mission|forces|troops|spokes\w+|chief|"
    r"head|director|leaders?|members|fighters|militants|operatives|report|statement|"
    r"said|says|claimed|denied|announced|group|movement|network|outfit|faction|"
    r"organi[sz]ation)\b"
)
# A place name that is a region and its qualifier: a compass point or an
# administration ("North Waziristan", "Indian-administered Kashmir").
_QUALIFIED_PLACE = re.compile(
    r"(?:(?:North|South|East|West|Northern|Southern|Eastern|Western|Upper|Lower)[ -]"
    r"|[A-Z][a-z]+-(?:administered|held|occupied|controlled|ruled) )+"
    r"([A-Z][^\W\d_]{2,})"
)
# Words that say the next name is another name of the one before:
# "also known as", "known by his nom de guerre", "alias", "a.k.a.".
# Searched up to a name, so anchored at its end.
_ALIAS_CUE = re.compile(
    r"(?:(?:(?:also|better|otherwise|commonly|widely)\s+)?(?:known|called|referred\s+to)\s+"
    r"(?:(?:by|under)\s+(?:his|her|its|their|the|a)\s+(?:nom\s+de\s+guerre|alias|pseudonym|"
    r"kunya|nickname|name)\s+|as\s+)"
    r"|\b(?:aka|a\.k\.a\.|alias)\s+"
    r"|\b(?:whose|with\s+the)\s+(?:nom\s+de\s+guerre|alias|kunya)\s+(?:is\s+)?)$"
)
# Between a name and that cue: a comma or a bracket, and at most a short
# description ("Sanaullah Ghafari, the ISKP leader known by...").
_ALIAS_BETWEEN = re.compile(r"\s*(?:,\s*(?:(?:the|a|an)\s+[^,.;:()\n]{0,50}?\s+)?|\(\s*)")
_DEMONYM = re.compile(r"(?:ian|ican|ese|ish|eli|aqi|stani)$")
_PERSON_PRONOUN = re.compile(r"[^.!?\n]*?\b(?:he|she|his|her|him|himself|herself)\b")


_AUTHOR = "AUTHOR"  # a span label: one author of a citation
# A span label: a piece of a model's span that the model's label was not
# given to ("Rahmat Gul" of "AP Photo/Rahmat Gul"). The model backs it as a
# name; its type is left to the other evidence.
_UNLABELLED = "UNLABELLED"
_AUTHOR_SEP = re.compile(r",\s+&\s+|\s+&\s+|,\s+and\s+|\s+and\s+|,\s+")
_IN_AUTHOR_LIST = re.compile(r"^(?:,?\s+&\s|,?\s*\(?(?:1[5-9]|20)\d\d\b|\s+et\s+al\b)")
# What follows the authors of a citation: a year or a reference number.
_CITATION_AFTER = re.compile(r"^(?:,?\s*\(?(?:1[5-9]|20)\d\d\b|\s*\[\d+\]|['’]s\s)")


def _joined_place(text: str, inner: list[tuple[int, int]]) -> bool:
    """Whether the words ``inner`` open with a known place joined by "and"
    ("Newfoundland and Labrador", "Trinidad and Tobago")."""
    for k in range(1, len(inner) - 1):
        if text[inner[k][0] : inner[k][1]] == "and" and is_place(
            text[inner[0][0] : inner[k + 1][1]]
        ):
            return True
    return False


def _author_list(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The people of a citation's author list ("Marsden & Mackey, 2014",
    "Dye, Green, & Bavelier (2010)"), which the model takes for one name."""
    if "&" not in text[start:end] and " and " not in text[start:end]:
        return []
    if not _CITATION_AFTER.match(text[end : end + 12]):
        return []
    out: list[tuple[int, int]] = []
    pos = start
    for m in [*_AUTHOR_SEP.finditer(text, start, end), None]:
        a, b = pos, (m.start() if m else end)
        if b <= a or not text[a].isupper() or len(text[a:b].split()) > 2:
            return []
        out.append((a, b))
        pos = m.end() if m else end
    return out if len(out) > 1 else []


def _whole_name_elsewhere(text: str, start: int, end: int) -> bool:
    """Whether a name that opens a sentence is a name with its first word:
    a known place ("New Delhi: Videos...", though "what is new" is in the
    text), or the same words written mid-sentence elsewhere in the text."""
    name = text[start:end]
    if is_place(name):
        return True
    return any(pos != start and not _sentence_initial(text, pos) for pos in _find_all(text, name))


def _capitalised_by_position(w0: str, words: _Words) -> bool:
    """Whether ``w0``, the first word of a sentence followed by a name, is a
    common word ("Later", "Inviting", "Officials") rather than part of it."""
    low = w0.lower()
    if low in words.lower_words or low.endswith("ly"):
        return True
    if low in stop_words() and _low(w0) not in lx.HONORIFICS:
        return True
    # A gerund opening the sentence ("Inviting Hamas was..."), unless the word
    # is a name elsewhere in the text (written capitalised mid-sentence:
    # "Reading", "Harding") or a place ("Beijing").
    return (
        low.endswith("ing")
        and len(low) >= 6
        and w0 not in words.mid_sentence_capitals()
        and not is_place(w0)
    )


_WIRE_CREDIT = re.compile(r" \([A-Z][^()\n]{0,30}\)[ \t]*[-–—:]")


_LABEL = re.compile(r"^([A-Z][\w.'’-]*(?:[ \t][A-Z][\w.'’-]*){0,3}):[ \t]", re.MULTILINE)


@functools.lru_cache(maxsize=8)
def _speakers(text: str) -> frozenset[str]:
    """Names that open two or more lines before a colon: the speakers of a
    transcript ("Jane Doe: I grew up...", "Doe: He has..."), not datelines.
    A full name's surname opening a line counts for the full name."""
    labels = Counter(m.group(1) for m in _LABEL.finditer(text))
    uses = Counter(labels)
    for label, n in labels.items():
        if " " in label:
            surname = label.rsplit(" ", 1)[1]
            uses[label] += labels.get(surname, 0)
            if surname in labels:
                uses[surname] += n
    return frozenset(k for k, v in uses.items() if v >= 2)


def _speaker(text: str, start: int, end: int) -> bool:
    """Whether a mention is a transcript's speaker label ("Jane Doe: ...")."""
    return (
        (start == 0 or text[start - 1] == "\n")
        and text[end : end + 1] == ":"
        and text[start:end] in _speakers(text)
    )


def _dateline(text: str, start: int, end: int) -> bool:
    """ "Quetta: ..." at the start of the text or of a line: a news dateline."""
    if not (start == 0 or text[start - 1] == "\n"):
        return False
    if _speaker(text, start, end):
        return False
    if text[end : end + 2] in (": ", ":\n", " -", " —"):
        return True
    # "WASHINGTON (AP) —", "KYIV, Ukraine (AP) —": the agency's credit, or the
    # country, between a place in capitals and the dash.
    return text[start:end].isupper() and bool(
        _WIRE_CREDIT.match(text, end) or _COUNTRY_DASH.match(text, end)
    )


_COUNTRY_DASH = re.compile(
    r",[ \t]+[A-Z][\w.'’-]*(?:[ \t][A-Z][\w.'’-]*){0,2}(?:[ \t]\([A-Z][^()\n]{0,30}\))?[ \t]*[-–—]"
)


# After the place of a dateline: "PESHAWAR: ", "LAHORE, March 3 —".
_DATELINE_AFTER = re.compile(
    r"(?::\s|\s[-—–]|,\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}\b)"
)


def _in_prose(text: str, start: int, end: int) -> bool:
    """Whether the words around a span on its line are mostly lower case."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    around = text[line_start:start] + " " + text[end : line_end if line_end >= 0 else len(text)]
    words = re.findall(r"[^\W\d_]+", around)
    return len(words) >= 6 and sum(w.islower() for w in words) >= 0.6 * len(words)


def _city_of_place(name: str) -> bool:
    """ "GAZA CITY" in a dateline: GeoNames files the city as "Gaza". Only
    there, where no football club stands ("Manchester City")."""
    return name.lower().endswith(" city") and is_place(name[:-5])


def _dateline_place(text: str, start: int, end: int, name: str, lower_words: set[str]) -> bool:
    """A known place opening the text or a line as a dateline: the model may
    pass over it in capitals ("PESHAWAR:"). Not words the text also writes in
    lower case (``lower_words``): "READING:" heads a section."""
    return (
        (start == 0 or text[start - 1] == "\n")
        and bool(_DATELINE_AFTER.match(text, end) or _dateline(text, start, end))
        and (is_place(name) or _city_of_place(name))
        and not all(w.lower() in lower_words for w in name.split())
    )


# The line before a writer's name in a byline: "By ", "By Ana Ruiz and ".
_BYLINE_BEFORE = re.compile(r"[ \t]*(?:BY|By)[ \t]+(?:[^\n.;:()]{1,60}?(?:,|\band\b|&)[ \t]+)?$")
# A dateline up to the agency's opening bracket: a place in capitals
# ("WASHINGTON (", "SANAA, Jan. 14 (") or a place and a date ("Srinagar, Nov. 11 (").
_CREDIT_BEFORE = re.compile(
    r"[ \t]*(?:[A-Z][A-Z.'’ -]{1,30}(?:,[^()\n]{1,30})?"
    r"|[A-Z][^\W\d_]+(?:[ -][A-Z][^\W\d_]+){0,2},[^()\n\d]{0,20}\d[^()\n]{0,12})[ \t]*\($"
)
_CREDIT_AFTER = re.compile(r"\)[ \t]*(?:[-–—:]|\n)")


def _line_before(text: str, start: int) -> str:
    return text[text.rfind("\n", max(0, start - 120), start) + 1 : start]


def _byline(text: str, start: int, end: int) -> bool:
    """A writer's name in a byline: a short line that opens with "By", with
    nothing after the names."""
    line_end = text.find("\n", end)
    rest = text[end : line_end if line_end >= 0 else len(text)]
    return (
        len(rest) <= 60
        and not re.search(r"[.!?]\s", rest + " ")
        and _BYLINE_BEFORE.fullmatch(_line_before(text, start)) is not None
    )


def _credit(text: str, start: int, end: int) -> bool:
    """A news agency credited in brackets after a dateline, as wire copy
    opens: "SANAA, Jan. 14 (Gulf Wire) — ...", "WASHINGTON (AP) - ..."."""
    return (
        _CREDIT_AFTER.match(text, end) is not None
        and _CREDIT_BEFORE.fullmatch(_line_before(text, start)) is not None
    )


def _context_votes(text: str, start: int, end: int) -> Counter[str]:
    votes: Counter[str] = Counter()
    if _dateline(text, start, end):
        votes["LOC"] += VOTES["dateline"]
    if _byline(text, start, end):
        votes["PER"] += VOTES["byline"]
    elif _credit(text, start, end):
        votes["ORG"] += VOTES["credit"]
    before = text[max(0, start - 40) : start]
    if _LOCATIVE.search(before):
        votes["LOC"] += VOTES["locative"]
        if _NEAR.search(before):
            votes["LOC"] += VOTES["near"]
    if _PLACE_AFTER.match(text[end : end + 20]):
        votes["LOC"] += VOTES["place_after"]
    if _places_listed(text, start, end):
        votes["LOC"] += VOTES["defined_as"]  # as said: "Barracuda and Kayangan lakes"
    if _PLACE_OF_KIND.search(before):
        votes["LOC"] += VOTES["defined_as"]  # as said: "the village of Seleki"
    if _located(text, start, end):
        votes["LOC"] += VOTES["defined_as"]
    if (_office_after(text, end) and is_place(text[start:end])) or _government_of(
        text, start, end
    ) == "LOC":
        votes["LOC"] += VOTES["defined_as"]  # "Punjab Chief Minister", "the Punjab government"
    office = _OFFICE_OF.search(before)
    if office and _title_word(_low(office.group(1))) and is_place(text[start:end]):
        votes["LOC"] += VOTES["defined_as"]  # "Governor of Washington"
    if _person_of_party(text, start, end):
        votes["PER"] += VOTES["title"]
    if _role_word_before(text, start) and _titled_full_name(text[start:end]):
        votes["PER"] += VOTES["title"]  # "head coach Aaqib Javed"
    if (
        _case_party(text, start, end)
        or (_speaker(text, start, end) and " " in text[start:end])
        or _government_of(text, start, end) == "PER"
        or _who_after(text, start, end)
    ):
        votes["PER"] += VOTES["title"]
    if _SELF_NAMED.search(before):
        votes["PER"] += VOTES["title"]  # "I'm Isabel Ruiz", "my name is John"
    if _MEMBERS_AFTER.match(text[end : end + 20]):
        votes["ORG"] += VOTES["members_after"]
    if _CRAFT_BEFORE.search(before):
        votes["MISC"] += VOTES["misc_word"]
    if (
        _COMPANY_AFTER.match(text[end : end + 30])
        or _COMPANY_BEFORE.search(before)
        or _BLOC_AFTER.match(text[end : end + 14])
    ) and not is_place(text[start:end]):  # "Pakistan's founder Jinnah"
        votes["ORG"] += VOTES["company"]
    # "Safeguard Defenders, a human rights group based in Madrid": what the
    # text says the name is.
    noun = _defined_as(text, start, end)[0]
    said = _noun_class(noun)
    if said and noun not in _SAID_AMBIGUOUS:
        votes[_SAID_TYPE[said]] += VOTES["defined_as"]
    return votes


_SAID_TYPE = {"org": "ORG", "place": "LOC", "person": "PER", "kin": "PER"}
# Nouns of a body that also name other things: "the first space shuttle
# mission", "a shopping center", "a unit of measure".
_SAID_AMBIGUOUS = frozenset(["mission", "center", "centre", "unit", "wing", "branch", "cell"])


# Place words that end the names of organisations and states of mind too.
_WEAK_PLACE_WORDS = frozenset(["state", "line", "bank"])


_VOWELS = re.compile(r"[aeiouy]+")


def _consonants(word: str) -> str:
    """ "hizballah", "hezbollah" -> "hzblh": spellings of one transliteration."""
    return re.sub(r"(.)\1+", r"\1", word[:1] + _VOWELS.sub("", word[1:]))


def _in_order(short: list[str], long: list[str]) -> bool:
    """Whether the words of ``short`` appear in ``long`` in the same order."""
    it = iter(long)
    return all(w in it for w in short)


def _people_of_a_place(key: str) -> bool:
    """ "Kashmiris", "Pakistanis", "Americans": a people, not a person."""
    if len(key) < 5 or not key.endswith("s") or key.endswith("ss"):
        return False
    stem = key[:-1]
    if stem in lx.DEMONYMS or _DEMONYM.search(stem):
        return True
    return stem[-1] in "in" and is_place(stem[:-1])


def _word_tokens(name: str) -> list[str]:
    return alias_key(name).split()


def _head(toks: list[str]) -> str:
    """The word a name is built on: its last, or the one before "of"
    ("Museum of Flight", "Line of Control")."""
    return toks[toks.index("of", 1) - 1] if "of" in toks[1:-1] else toks[-1]


def _facility(toks: list[str]) -> bool:
    """A building's or a site's name ("Johnson Space Center", "Museum of Flight")."""
    if len(toks) < 2:
        return False
    if toks[-1] in _CENTRES:
        # "Kennedy Space Center", "World Trade Center", but not "Pew Research
        # Center" nor "Center for Advanced Study": a body of study or advice.
        return toks[-2] not in _BODY_CENTRES
    return _head(toks) in lx.FACILITY_WORDS


_CENTRES = frozenset(["center", "centre"])
_BODY_CENTRES = frozenset(
    ["research", "policy", "studies", "study", "data", "information", "resource", "resources",
     "law", "rights", "justice", "counterterrorism", "strategic", "legal", "documentation",
     "analysis", "monitoring", "media", "press", "coordination", "operations", "command",
     "terrorism", "intelligence", "security", "cybersecurity", "fusion"]
)  # fmt: skip


_PATRONYMIC = frozenset(["bin", "ibn", "bint"])
_PATRONYMIC_BEFORE = re.compile(r"\b(?:bin|ibn|bint)\s+$", re.IGNORECASE)
_PLACE_WORDS_FIRST = frozenset(["mount", "mt", "lake", "cape", "fort", "isle"])


def _place_word_head(toks: list[str]) -> bool:
    """A place named for its kind: "Swat Valley", "Borno State", "Gulf of Aden",
    "Line of Control". Not "Islamic State" (the rest is no place), nor "State
    of ..." or "Bank of ..." (a government, a bank)."""
    if len(toks) < 2:
        return False
    if toks[0] in _PLACE_WORDS_FIRST and toks[1] != "of":
        return True  # "Mount Hood", "Lake Merritt", "Fort Pillow", "Cape Canaveral"
    if "of" in toks[1:-1]:
        head = _head(toks)
        return head in lx.PLACE_WORDS and head not in ("state", "bank")
    return toks[-1] in lx.PLACE_WORDS and (
        toks[-1] not in _WEAK_PLACE_WORDS or is_place(" ".join(toks[:-1]))
    )


def _org_word_tokens(toks: list[str]) -> list[str]:
    """The words of a name that can make it an organisation: none in a
    building's name ("Bagram Air Base", "National Museum of the Air Force")."""
    return [] if _facility(toks) else toks


def _press(toks: list[str]) -> bool:
    """A newspaper's or an agency's name: "Toronto Star", "Associated Press"."""
    return len(toks) > 1 and _head(toks) in lx.PRESS_WORDS


def _shape_votes(text: str, name: str, title: str) -> Counter[str]:
    """Votes from the words of the name itself."""
    votes: Counter[str] = Counter()
    toks = _word_tokens(name)
    if not toks:
        return votes
    raw_words = name.split()
    if (
        any(t in lx.ORG_WORDS for t in _org_word_tokens(toks))
        and not (len(toks) == 1 and toks[0] in lx.ENGLISH_GENERIC)
        # "Soviet Union" is on the place list: its "union" is no body's.
        and not (len(toks) > 1 and is_place(name))
    ) or _press(toks):
        votes["ORG"] += VOTES["org_word"]
    if len(toks) > 1 and toks[0] in lx.TRANSLIT_ORG_WORDS:
        votes["ORG"] += VOTES["org_word"]
    if known_organisation(name):
        votes["ORG"] += VOTES["org_word"]
    elif _FIRM.fullmatch(name) and not _generic_head(toks[-1]) and not is_place(name):
        # "Ernst & Young", "Marks & Spencer": two names joined by "&" are a
        # firm ("Jammu & Kashmir" is on the place list; "Evergreen Aviation &
        # Space Museum" is named by its head).
        votes["ORG"] += VOTES["company"]
    if _place_word_head(toks):
        votes["LOC"] += VOTES["place_word"]
    elif _facility(toks):
        votes["LOC"] += VOTES["facility"]
    if is_place(name):
        votes["LOC"] += PLACE_VOTE
    if title or (
        _MIDDLE_INITIALS.fullmatch(name.replace("[", "").replace("]", ""))
        and not votes["ORG"]
        and not votes["LOC"]
    ):
        votes["PER"] += VOTES["title"]
    if len(toks) == 1 and _people_of_a_place(toks[0]):
        votes["MISC"] += VOTES["demonym"]
    if len(toks) > 1 and (toks[0] in lx.MISC_FIRST or _misc_head(toks)):
        votes["MISC"] += VOTES["misc_word"]
    if len(raw_words) == 1 and name.isupper() and len(name) >= 2:
        votes["ORG"] += VOTES["acronym"]
    return votes


_ROMAN = re.compile(r"^(?:[ivx]+|\d+)$")
# "George W. Bush", "Steven F. Udvar-Hazy": a given name, initials of middle
# names and a surname are how people, not bodies or places, are written.
_MIDDLE_INITIALS = re.compile(r"[A-Z][a-z]+(?:\s+[A-Z]\.)+\s+[A-Z][a-z][\w'’-]*")


def _misc_head(toks: list[str]) -> bool:
    """The name ends in a word for an event, a work or a law ("World War",
    "Nobel Prize"), or in such a word and a number ("World War II")."""
    if toks[-1] in lx.MISC_HEADS:
        return True
    return len(toks) > 2 and _ROMAN.match(toks[-1]) is not None and toks[-2] in lx.MISC_HEADS


def _top(votes: Counter[str]) -> str | None:
    if not votes:
        return None
    best = max(TYPES, key=lambda t: (votes.get(t, 0), t == "PER"))
    return best if votes.get(best, 0) > 0 else None


class FoundList(list[Found]):
    """The mentions of one text; ``capped`` when the text held more candidate
    names than :data:`MAX_CANDIDATES` and only the first ones were kept (the
    user is told, see ``ExtractReport.capped``)."""

    capped: bool = False


# A longer text is analysed one window of about this many characters at a
# time (cut at a paragraph end), so that memory stays bounded and the work
# stops once the candidate cap is reached. Articles are far shorter.
WINDOW_CHARS = 1_000_000


def _windows(text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + WINDOW_CHARS)
        if end < len(text):
            cut = text.rfind("\n", start + WINDOW_CHARS // 2, end)
            end = cut + 1 if cut >= 0 else end
        out.append((start, end))
        start = end
    return out


def analyse(
    text: str,
    ner_spans: Sequence[NerSpan],
    gazetteer: Gazetteer | None = None,
    *,
    backed_only: bool = False,
    features: dict[int, dict[str, float]] | None = None,
) -> FoundList:
    """The mentions in ``text``; ``ner_spans`` from :func:`ner.recognise_many`.

    ``backed_only`` (with the fitted model): rule runs only shape and type
    names; a cluster needs the model, the gazetteer or an abbreviation
    definition behind one of its mentions. ``features`` (for refitting the
    typer offline) receives each entity's evidence, by its cluster number."""
    if len(text) <= WINDOW_CHARS:
        kept, capped = _kept_candidates(text, ner_spans, gazetteer, MAX_CANDIDATES)
    else:
        kept, capped = [], False
        budget = MAX_CANDIDATES
        for start, end in _windows(text):
            spans = [
                NerSpan(sp.start - start, sp.end - start, sp.label)
                for sp in ner_spans
                if start <= sp.start and sp.end <= end
            ]
            part, capped = _kept_candidates(text[start:end], spans, gazetteer, budget)
            for c in part:
                c.start, c.end = c.start + start, c.end + start
                if c.group is not None:
                    # Abbreviation groups are numbered per window.
                    c.group += start
            kept += part
            budget -= len(part)
            if capped or budget <= 0:
                capped = True
                break
    found = FoundList(_cluster(text, kept, backed_only, features))
    found.capped = capped
    return found


def _kept_candidates(
    text: str, ner_spans: Sequence[NerSpan], gazetteer: Gazetteer | None, budget: int
) -> tuple[list[_Cand], bool]:
    """The plausible candidate names of ``text`` (at most ``budget`` proposed),
    and whether the budget cut some off."""
    words = _Words(text)
    cands: list[_Cand] = []

    if gazetteer is not None:
        for h in gazetteer.find(text):
            c = _Cand(h.start, h.end, "gazetteer", entity_id=h.entity_id)
            c.votes[h.type] += 5
            cands.append(c)

    # One group per short form: a text that defines "LeT" twice means one entity,
    # and its later uses are searched for once.
    group_of: dict[str, int] = {}
    for d in find_definitions(text):
        gid = group_of.setdefault(d.short, len(group_of))
        ls, le = _strip_edges(text, *words.snap(d.long_start, d.long_end))
        cands.append(_Cand(ls, le, "abbreviation", group=gid))
        cands.append(_Cand(d.short_start, d.short_end, "abbreviation", group=gid, short=True))
    first_def = {}
    for c in cands:
        if c.short and c.group is not None:
            first_def.setdefault(c.group, c.end)
    for short, gid in group_of.items():
        defined_at = {c.start for c in cands if c.short and c.group == gid}
        for us, ue in find_uses(text, short, first_def[gid]):
            if us not in defined_at:
                cands.append(_Cand(us, ue, "abbreviation", group=gid, short=True))

    ner_by_start: list[tuple[int, int, str]] = []
    norp: set[str] = set()
    for sp in ner_spans:
        if sp.label == "NORP":
            norp.add(alias_key(text[sp.start : sp.end]))
        s, e = words.snap(sp.start, sp.end)
        # A name never runs across a line break (headline, then dateline), nor
        # across a spaced slash ("Newsmax / Zogby" are two).
        for stop in ("\n", " / "):
            cut = text.find(stop, s, e)
            if cut >= 0:
                e = cut
        parts = [
            piece
            for whole in _slash_parts(text, s, _before_credit(text, s, e), sp.label)
            for piece in _credit_parts(text, *whole)
        ]
        for ps0, pe0, span_label in parts:
            s, e = _strip_edges(text, ps0, pe0)
            inner = words.inside(s, e)
            # The model too takes a sentence's first word into a name
            # ("Inviting Hamas was meant to...").
            if (
                len(inner) > 1
                and _sentence_initial(text, s)
                and _capitalised_by_position(text[inner[0][0] : inner[0][1]], words)
                and not _whole_name_elsewhere(text, s, e)
            ):
                s = inner[1][0]
            if e <= s:
                continue
            authors = _author_list(text, s, e)
            if authors:
                ner_by_start += [(a, b, _AUTHOR) for a, b in authors]
                continue
            for ps, pe, label in _split_model_span(text, words, s, e, span_label):
                if label == "PER" and _IN_AUTHOR_LIST.match(text[pe : pe + 12]):
                    label = _AUTHOR  # "Dye, Green, & Bavelier, 2010": Green is a person
                ner_by_start.append((_initials_before(text, ps), pe, label))
    ner_by_start.sort()

    runs = _capitalised_runs(text, words)
    ner_starts = [n[0] for n in ner_by_start]
    for rs, re_ in runs:
        rs, re_ = _strip_edges(text, _initials_before(text, rs), re_)
        if re_ <= rs:
            continue
        inner = words.inside(rs, re_)
        # Too long for one name, unless an office splits it in two
        # ("Khyber Pakhtunkhwa Chief Minister Ali Amin Gandapur").
        if not inner or (
            _name_words(text, inner) > MAX_NAME_WORDS and not _title_inside(text, inner)
        ):
            continue
        if len(inner) > 1 and _sentence_initial(text, rs):
            # "Later Zaheer said": the first word is capitalised by position.
            w0 = text[inner[0][0] : inner[0][1]]
            nk = bisect.bisect_left(ner_starts, rs)
            model_skips = nk < len(ner_starts) and ner_starts[nk] == inner[1][0]
            joined = text[inner[0][1] : inner[1][0]] in _AMPERSANDS
            if (
                _capitalised_by_position(w0, words)
                or (model_skips and _low(w0) not in lx.HONORIFICS)
            ) and not (joined or _whole_name_elsewhere(text, rs, re_)):
                rs = inner[1][0]
                inner = inner[1:]
        re_ = _before_credit(text, rs, re_)
        inner = words.inside(rs, re_)
        k = bisect.bisect_left(ner_starts, rs)
        contained = []
        while k < len(ner_by_start) and ner_by_start[k][0] < re_:
            if ner_by_start[k][1] <= re_:
                contained.append(ner_by_start[k])
            k += 1
        last = _low(text[inner[-1][0] : inner[-1][1]])
        first_toks = alias_key(text[inner[0][0] : inner[0][1]]).split()
        org_compound = len(first_toks) > 1 and first_toks[0] in lx.TRANSLIT_ORG_WORDS
        if (
            len(contained) > 1
            and len({lab for _, _, lab in contained}) > 1
            and last not in lx.ORG_WORDS
            and last not in lx.PLACE_WORDS
            and last not in lx.FACILITY_WORDS
            and not org_compound  # "Tehreek-e-Taliban Pakistan"
            and "&" not in text[rs:re_]  # "Marks & Spencer"
            # "Newfoundland and Labrador Court of Appeal": the run was joined
            # at "and" because the words around it are one known place, and
            # the model split that place.
            and not (" and " in text[rs:re_] and _joined_place(text, inner))
            # "Andy Warhol Foundation for the Visual Arts", "Center for
            # Advanced Study in the Behavioral Sciences": a body's word, then
            # what it is for, is one name.
            and not _body_for(text, contained[0][1])
            # "Supreme Leader Ayatollah Ali Khamenei": the model took a word
            # of the title for a name of its own.
            and _split_title(text, words, rs, re_)[0]
            != _split_title(text, words, contained[-1][0], contained[-1][1])[0]
            # "Secretary of State Marco Rubio": "State" ends the office.
            and _after_portfolio(text, words, rs, re_)[0] != contained[-1][0]
        ):
            continue  # two names side by side: trust the model's split
        # A title in the middle splits the run: "Pakistan Army Chief Asim Munir".
        mid = _title_inside(text, inner)
        if mid:
            pieces = [(rs, inner[mid - 1][1]), (inner[mid][0], re_)]
        else:
            pieces = [(a, b) for a, b, _ in _credit_parts(text, rs, re_, "")]
        for ps, pe in pieces:
            piece = words.inside(ps, pe)
            n_words = len(piece)
            if _name_words(text, piece) > MAX_NAME_WORDS:
                continue
            if _PARTY_AFTER.match(text, pe) and _POLITICAL.search(
                text[piece[-1][0] : piece[-1][1]]
            ):
                n_words += 1  # the repair below takes "party" in
            c = _Cand(ps, pe, "rule")
            if n_words == 1 and "-" not in text[ps:pe]:
                c.single_rule = True
                c.locative = _dateline(text, ps, pe) or (
                    not _sentence_initial(text, ps)
                    and bool(_LOCATIVE.search(text[max(0, ps - 40) : ps]))
                )
            cands.append(c)

    for s, e, lab in ner_by_start:
        if lab == "NORP":
            # Nationalities are not entities; a NORP inside a connector name
            # ("Jaish" of Jaish-e-Mohammed) is covered by the rule run.
            continue
        c = _Cand(s, e, "ner", model=True, model_labels=set() if lab == _UNLABELLED else {lab})
        if lab == _AUTHOR:
            c.votes["PER"] += VOTES["title"]  # a citation names people
        elif lab != _UNLABELLED:
            c.votes[lab] += VOTES["model"]
        cands.append(c)

    capped = len(cands) > budget
    if capped:
        cands = cands[:budget]

    # Merge: priority, then length, then position; a rule run and a model span
    # on the same words agree, so the model's vote joins the run.
    cands.sort(key=lambda c: (-PRIORITY[c.source], -(c.end - c.start), c.start))
    taken: list[_Cand] = []
    owner = array("i", [-1]) * (len(text) + 1)
    for c in cands:
        clash = next((owner[p] for p in range(c.start, c.end) if owner[p] >= 0), None)
        if clash is not None:
            other = taken[clash]
            if (
                c.source == "ner"
                and other.source in ("rule", "abbreviation")
                and other.start <= c.start
                and c.end <= other.end
            ):
                other.votes.update(c.votes)
                other.model_labels |= c.model_labels
                other.single_rule = False  # the model found it too
            continue
        for p in range(c.start, c.end):
            owner[p] = len(taken)
        taken.append(c)

    # A run the model also saw a name in, if with other edges ("Masood Azhar
    # of Jaish-e-Mohammed"), is backed by the model.
    for c in taken:
        k = bisect.bisect_left(ner_starts, c.start)
        c.model = c.model or (k < len(ner_starts) and ner_starts[k] < c.end)
        c.model = c.model or (k > 0 and ner_by_start[k - 1][1] > c.start)

    # Repair and reject.
    kept: list[_Cand] = []
    for c in taken:
        if c.source != "gazetteer" and not c.short:
            s, title = _split_title(text, words, c.start, c.end)
            if not title:
                s0 = s
                s, title = _after_portfolio(text, words, s, c.end)
                place = words.inside(s0, s)
                if title and len(place) == 1 and is_place(text[place[0][0] : place[0][1]]):
                    # "Governor of Washington Chris Gregoire": the office's
                    # country or state is a place of the article too.
                    kept.append(_Cand(place[0][0], place[0][1], c.source, model=c.model))
            if not title:
                title = _title_before(text, words, c.start)
            c.start, c.title = s, title
            c.start, c.end = _strip_edges(text, c.start, _trim_participle(text, c.start, c.end))
            c.end = _trim_trailing_title(text, words, c.start, c.end)
            c.end = _regnal_end(text, c.start, c.end)
            party = _PARTY_AFTER.match(text, c.end)
            if party and _POLITICAL.search(text[c.start : c.end]):
                # "the Labour party", "the Republican party": the party's name
                # in the papers that write "party" in lower case.
                c.end = party.end()
        if c.end <= c.start:
            continue
        surface = text[c.start : c.end]
        if not _plausible(text, c, surface, norp, words.lower_words):
            continue
        c.model_norp = alias_key(surface) in norp
        kept.append(c)
    kept.sort(key=lambda c: c.start)
    return kept, capped


# Lower-case words that may stand inside a name ("Bank of England", "Doctors
# for Peace", "Osama bin Laden", "Council on Foreign Relations", "Action
# against Hunger", "Students for a Democratic Society"). Any other lower-case
# stop word inside a model's span (a pronoun, a determiner, a verb) means it
# ran past the name ("Overholser this Court").
_NAME_INSIDE = frozenset(
    ["of", "the", "and", "for", "on", "in", "at", "to", "upon", "under", "into", "by",
     "with", "without", "against", "from", "over", "through", "between", "among", "a",
     "an", "&", "de", "du", "des", "da", "das", "do", "dos", "del", "della", "di", "van",
     "von", "der", "den", "la", "le", "les", "y", "e", "et", "al", "el", "bin", "ibn",
     "bint", "ul", "ud", "ur"]
)  # fmt: skip
# Two parties of a case or a match: "Lynch v. Overholser", "Eton v Harrow".
_VERSUS = frozenset(["v", "vs", "versus"])
# Between a person's name and the body they speak for ("Isabel Ruiz of Heaven
# Sent Gaming"): never inside a person's own name, except "of" after a single
# word or a regnal number ("Catherine of Aragon", "Napoleon III of France").
_AFTER_PERSON = frozenset(["for", "of", "at", "from", "with"])
_REGNAL = re.compile(r"^(?:[IVXL]+|\d+(?:st|nd|rd|th))$")


_CREDIT_WORDS = frozenset(["photo", "photos", "file"])
_CAPTION_CREDITS = frozenset(["image", "images", "photo", "photos", "video", "audio", "credit"])
# A regnal number after a name is part of it ("Norton I, Emperor of the United
# States", "Henry VIII"); a lone "I" only before a comma, a bracket or "of"
# ("Charles I of England"), where it cannot be the pronoun starting a clause.
_REGNAL_AFTER = re.compile(r" (?:(?=[IVX]{2})X{0,3}(?:IX|IV|V?I{0,3})|I(?=[,;)]| of\b))(?![\w'’-])")


_REGNAL_KEY = re.compile(r"\w \b(?=[ivx])x{0,3}(?:ix|iv|v?i{0,3})$")


def _regnal_end(text: str, start: int, end: int) -> int:
    last = text[start:end].rsplit(" ", 1)[-1]
    if not last[:1].isupper() or _title_word(last):
        return end
    m = _REGNAL_AFTER.match(text, end)
    return m.end() if m else end


# "Image: NASA Bill Ingalls": a credit names the agency, then the photographer.
_CREDIT_LABEL = re.compile(r"(?i:image|photo|photograph|picture|credit)s?:\s*$")
_AGENCY_THEN_NAME = re.compile(r"[A-Z]{2,6}(?= [A-Z][a-z]+ [A-Z])")


def _credit_parts(text: str, start: int, end: int, label: str) -> list[tuple[int, int, str]]:
    m = _AGENCY_THEN_NAME.match(text, start, end)
    if m is None or not _CREDIT_LABEL.search(_line_before(text, start)):
        return [(start, end, label)]
    return [(start, m.end(), _UNLABELLED), (m.end() + 1, end, label)]


def _slash_parts(text: str, start: int, end: int, label: str) -> list[tuple[int, int, str]]:
    """A model's span split at a slash with a name of several words on one
    side: a picture credit, "AP Photo/Rahmat Gul", names an agency and a
    person. "AC/DC" and "Seleki/Sállagi" (one name written two ways) stay
    whole. What follows the slash is left to the typer (the model's label is
    of the whole); a credit word after the agency ("Photo") is not its name."""
    cut = text.find("/", start, end)
    if cut <= start or cut + 1 >= end or not (" " in text[start:cut] or " " in text[cut + 1 : end]):
        return [(start, end, label)]
    return [(start, _before_credit(text, start, cut), label), (cut + 1, end, _UNLABELLED)]


def _before_credit(text: str, start: int, end: int) -> int:
    """The end of "AP" in "AP Photo/Rahmat Gul", and of a caption's last
    name before its credit ("student Ahmed Mohamed Image: Twitter")."""
    head, _, last = text[start:end].rpartition(" ")
    if head and text[end : end + 1] == "/" and last.lower() in _CREDIT_WORDS:
        return start + len(head.rstrip())
    if head and text[end : end + 1] == ":" and last.lower() in _CAPTION_CREDITS:
        return start + len(head.rstrip())
    return end


def _two_names(
    text: str, left: list[tuple[int, int]], right: list[tuple[int, int]], start: int, end: int
) -> bool:
    """Whether a model's "A of B" is a person and the body they are of
    ("Isabel Ruiz of Heaven Sent Gaming"): A is two or more capitalised words
    with no word of an office, a body or a place ("Islamic Republic of Iran",
    "Prime Minister of Pakistan"), and the text writes A and B apart too."""
    if len(left) < 2 or not right or not all(text[a].isupper() for a, _ in left):
        return False
    if is_place(text[start:end]):
        return False  # "United States of America"
    for a, b in left:
        w = _low(text[a:b])
        if _kind_word(w) or w in lx.HONORIFICS or w in lx.TITLE_MODIFIERS:
            return False
    for a, b in ((left[0][0], left[-1][1]), (right[0][0], end)):
        name = text[a:b]
        if not any(pos < start or pos >= end for pos in _find_all(text, name)):
            return False
    return True


def _name_in_place(
    text: str, left: list[tuple[int, int]], right: list[tuple[int, int]], end: int
) -> bool:
    """Whether a model's "A in B" is a name and the known place it is in
    ("O Panneerselvam in Chennai"), not one name: no word before "in" says
    body, place or building ("Church in Wales", "Museum in Docklands")."""
    if not left or not right or not is_place(text[right[0][0] : end]):
        return False
    return not any(_kind_word(_low(text[a:b])) for a, b in left)


def _kind_word(word: str) -> bool:
    """A word that names a body, a place or a building by its kind."""
    return word in lx.ORG_WORDS or word in lx.PLACE_WORDS or word in lx.FACILITY_WORDS


_FOR_AFTER_BODY = re.compile(r" (?:for|of|on)(?: the)? [A-Z]")


def _body_for(text: str, end: int) -> bool:
    """Whether the name ending at ``end`` ends in a body's word and goes on
    with what the body is for ("Foundation for the Visual Arts")."""
    last = text[max(0, end - 20) : end].rsplit(" ", 1)[-1]
    return _low(last) in lx.ORG_WORDS and bool(_FOR_AFTER_BODY.match(text, end))


# A speaker naming themselves.
_SELF_NAMED = re.compile(r"(?:\bI['’]m|\bI am|\b[Mm]y name(?: is|['’]s))\s+$")
_OF_ACRONYM = re.compile(r" of (?:the )?([A-Z][A-Z-]{1,7}[A-Z])\b(?![.'’]?\w)")


def _person_of_party(text: str, start: int, end: int) -> bool:
    """ "Ali Muhammad Khan of PTI", "Gary Chan of DAB": a full name of plain
    name words, then "of" and a party's or a body's acronym, is a person."""
    m = _OF_ACRONYM.match(text, end)
    if m is None or is_place(m.group(1)):  # "of the US", "of the UAE"
        return False
    toks = alias_key(text[start:end]).split()
    return len(toks) >= 2 and not any(map(_kind_word, toks)) and not is_place(text[start:end])


def _role_word_before(text: str, start: int) -> bool:
    prev = _context_word(text, start, start)[0]
    return prev in _ROLE_WORDS and text[max(0, start - len(prev) - 1) : start].islower()


def _body_name(key: str) -> bool:
    """A name of two or more words ending in a body's word ("Commerce
    Ministry", "Foreign Office"): with its spokesperson or officials after it,
    a body the model passed over."""
    toks = key.split()
    return len(toks) > 1 and toks[-1] in lx.ORG_WORDS and toks[-1] not in lx.ENGLISH_GENERIC


def _office_after(text: str, end: int) -> bool:
    """Whether an office follows ("Punjab Chief Minister", "Sindh Governor")."""
    m = _NEXT_CAPITALISED.match(text, end)
    if m is None:
        return False
    w = _low(m.group(1))
    return _title_word(w) or (w in lx.TITLE_MODIFIERS and _title_word(_low(m.group(2) or "")))


_NEXT_CAPITALISED = re.compile(r" ([A-Z][\w-]*)(?: ([A-Z][\w-]*))?")


def _find_all(text: str, needle: str) -> Iterator[int]:
    pos = text.find(needle)
    while pos >= 0:
        yield pos
        pos = text.find(needle, pos + 1)


def _split_model_span(
    text: str, words: _Words, start: int, end: int, label: str
) -> list[tuple[int, int, str]]:
    """A model's span cut where it ran past a name: at an opening bracket it
    does not close ("Virginia Governor(s"), and into the names on either side
    of a lower-case word no name holds inside, of "v." between two parties,
    and of "for"/"of" after a person's full name. The label stays with each
    piece, except that what follows a person's name is not a person: it is
    left to the typer as MISC."""
    for opener, closer in ("()", "[]"):
        cut = text.find(opener, start, end)
        if cut > start and text.find(closer, cut, end) < 0:
            end = cut
    end = _strip_edges(text, start, end)[1]
    inner = words.inside(start, end)
    mid = _title_inside(text, inner)
    if mid:
        # "PTI MNA Ali Muhammad Khan": the body, then the titled person; the
        # model's label was of the whole.
        return [(start, inner[mid - 1][1], _UNLABELLED), (inner[mid][0], end, label)]
    pieces: list[tuple[int, int, str]] = []
    first, piece_label = 0, label
    for k in range(1, len(inner) - 1):
        w = text[inner[k][0] : inner[k][1]]
        if not w.islower():
            continue
        low = _low(w)
        left = inner[first:k]
        split = low in _VERSUS or (low not in _NAME_INSIDE and low in stop_words())
        after_person = False
        if not split and piece_label == "PER" and low in _AFTER_PERSON and len(left) >= 2:
            tail = text[left[-1][0] : left[-1][1]]
            after_person = all(text[a].isupper() for a, _ in left) and not _REGNAL.match(tail)
        elif not split and low == "of" and _two_names(text, left, inner[k + 1 :], start, end):
            # The model's label was of the whole: neither piece has it.
            split, piece_label = True, _UNLABELLED
        elif not split and low in ("in", "at") and _name_in_place(text, left, inner[k + 1 :], end):
            split, piece_label = True, _UNLABELLED
        if split or after_person:
            if left:
                pieces.append((left[0][0], left[-1][1], piece_label))
            first = k + 1
            if after_person:
                piece_label = "MISC"
    if not pieces:
        return [(start, end, label)] if end > start else []
    rest = inner[first:]
    if rest:
        pieces.append((rest[0][0], _strip_edges(text, rest[0][0], end)[1], piece_label))
    # Each side must still look like a name: a capital letter to start it.
    return [(a, b, lab) for a, b, lab in pieces if b > a and text[a].isupper()]


_INITIALS_BEFORE = re.compile(r"(?<![\w.])(?:[A-Z]\. ?){1,3}$")


def _initials_before(text: str, start: int) -> int:
    """The start of "K. Michael Stevens" where the name was found from
    "Michael": initials written before a name are part of it, unless the
    full stop ends a sentence ("... Plan B. Michael said"), which a
    capitalised word before the initial suggests."""
    if start == 0 or not text[start].isupper():
        return start
    if text.startswith("He ", start - 3) and not _sentence_initial(text, start - 3):
        # "spokesperson He Yadong": mid-sentence, "He" is a Chinese surname.
        return start - 3
    m = _INITIALS_BEFORE.search(text, max(0, start - 8), start)
    if not m or text[start - 1] != " ":
        return start
    w = _WORD.match(text, start)
    if w and w.group().lower() in stop_words():
        return start  # "the U.S. Then he left": a new sentence, not a name
    before = text[max(0, m.start() - 40) : m.start()].rstrip(" ")
    if not before or before[-1] in ":;,(\n" or before.split()[-1][:1].islower():
        return m.start()
    return start


# Members of a party or a house written after its name.
_MEMBERS_OF = frozenset(
    ["mps", "mnas", "mlas", "meps", "mpas", "senators", "ministers", "councillors", "legislators"]
)


def _trim_trailing_title(text: str, words: _Words, start: int, end: int) -> int:
    """The end of "Michael Spindelegger" in "Michael Spindelegger Vice-Chancellor":
    an office written after a person's name is not part of it. Names with a
    connector ("Office of the Prime Minister") are left alone."""
    inner = words.inside(start, end)
    if (
        len(inner) >= 2
        and _low(text[inner[-1][0] : inner[-1][1]]) in _MEMBERS_OF
        and text[inner[-2][0]].isupper()  # not "Council of Ministers"
    ):
        # "Congress MPs", "PTI MNAs": the members of the body, not its name.
        return inner[-2][1]
    # Two words only after a place: "Virginia Governor", not "Lord Chancellor".
    short = len(inner) == 2 and is_place(text[inner[0][0] : inner[0][1]])
    if (len(inner) < 3 and not short) or any(not text[s].isupper() for s, _ in inner):
        return end
    last = _low(text[inner[-1][0] : inner[-1][1]])
    if last.split("-")[-1] in lx.HONORIFICS and last not in lx.ORG_WORDS:
        k = len(inner) - 1
        # "U.K. Prime Minister", "Pakistan Foreign Minister": the whole office.
        while k > 1 and _low(text[inner[k - 1][0] : inner[k - 1][1]]) in lx.TITLE_MODIFIERS:
            k -= 1
        cut = inner[k - 1][1]
        # "U.S. Senator": the period closes the initialism, it is not the end
        # of a sentence.
        if text[cut : cut + 1] == "." and cut - inner[k - 1][0] == 1:
            cut += 1
        return cut
    return end


_PARTICIPLE = re.compile(r"[-‐‑]([a-z]+)$")


def _trim_participle(text: str, start: int, end: int) -> int:
    """The end of "Iran" in "Iran-backed": a name followed by a hyphenated
    participle is an adjective built on the name."""
    m = _PARTICIPLE.search(text, start, end)
    if m and m.start() > start and m.group(1) in lx.PARTICIPLE_SUFFIXES:
        return m.start()
    return end


def _plausible(text: str, c: _Cand, surface: str, norp: set[str], lower_words: set[str]) -> bool:
    if c.source == "gazetteer":
        return True
    if " " not in surface and not c.short:
        key = alias_key(surface)
        if key in lx.ENGLISH_GENERIC:
            return False  # "Police said"
        demonym = (_DEMONYM.search(key) or key in lx.DEMONYMS) and re.match(
            r" [a-z]", text[c.end : c.end + 2]
        )
        if (key in norp or demonym) and not is_place(surface):
            # "Pakistani officials", "Israeli strike": kept only if it turns out
            # to be the short form of a longer name in the text.
            c.single_rule, c.source, c.norp = True, "rule", True
    low = surface.lower()
    if low in lx.FURNITURE or low in lx.NOT_NAMES or alias_key(surface) == "":
        return False
    if _ERA.match(surface) and (
        re.search(r"\d\s*$", text[max(0, c.start - 8) : c.start])
        or re.match(r"\s*\d", text[c.end : c.end + 4])
    ):
        return False
    if not any(ch.isupper() for ch in surface):
        return False
    if not any(ch.isalpha() for ch in surface):
        return False
    if _plural_role(low):
        return False  # "Ivy League elites and Professors", "our Founders"
    if low in _OFFICE_ADJECTIVES:
        return False  # "Federal" left of "Federal Minister for Information"
    if all(_title_word(w) or w in _TITLE_ONLY for w in map(_low, surface.split())) and (
        " " in low or c.title
    ):
        # "Iran's Supreme Leader, Ayatollah ...", "the Chief Justice": an
        # office, no name.
        return False
    if c.title and sum(ch.isalpha() for ch in surface) < 2:
        return False  # "Gen Z": no one's name is a letter after a rank
    toks = surface.split()
    if len(toks) > MAX_NAME_WORDS + 2:
        return False
    if c.short:
        return True
    if (
        len(toks) == 1
        and _sentence_initial(text, c.start)
        and low in lower_words
        and not is_place(surface)
    ):
        # "Officials", "Police", "Two": capitalised only by position, since the
        # same word is written in lower case elsewhere in the text.
        return False
    # Two or more shouted words: a headline or page furniture; but not in a
    # line of prose, where capitals stress a name ("Joe Biden and KAMALA
    # HARRIS were administered the oaths").
    return not (
        len(toks) >= 2
        and all(t.isupper() and len(t) > 3 for t in toks)
        and not is_place(surface)
        and not (c.model and _in_prose(text, c.start, c.end))
        and not (
            _city_of_place(surface)
            and (c.start == 0 or text[c.start - 1] == "\n")
            and (_DATELINE_AFTER.match(text, c.end) or text.startswith(" (", c.end))
        )
    )  # "HONG KONG —" is a dateline


_ROLE_WORDS = lx.HONORIFICS | lx.PERSON_ROLES
# Words that qualify an office and are never a name on their own.
_OFFICE_ADJECTIVES = frozenset(
    ["federal", "provincial", "former", "acting", "retired", "deputy", "interim"]
)
_TITLE_ONLY = lx.TITLE_MODIFIERS | lx.PERSON_ROLES


def _plural_role(low: str) -> bool:
    """Whether one word is the plural of an office or a role: a class of
    people, not a name."""
    if not low.endswith("s") or " " in low:
        return False
    return low[:-1] in _ROLE_WORDS or (low.endswith("es") and low[:-2] in _ROLE_WORDS)


def _title_inside(text: str, inner: Sequence[tuple[int, int]]) -> int:
    """The index of a title in the middle of a run of words ("Pakistan Army
    Chief Asim Munir": 2), or 0. Titles leading the run ("Lt Gen Asim Munir")
    are not in its middle."""
    lead_titles = True
    for idx in range(1, len(inner) - 1):
        before = _low(text[inner[idx - 1][0] : inner[idx - 1][1]])
        lead_titles = lead_titles and (before in lx.TITLE_MODIFIERS or before in lx.HONORIFICS)
        w = _low(text[inner[idx][0] : inner[idx][1]])
        # Not after a particle: "Society for General Systems Research".
        if text[inner[idx - 1][0]].islower():
            continue
        if w in lx.HONORIFICS and text[inner[idx][0]].isupper() and not lead_titles:
            return idx
    return 0


def _titled_full_name(name: str) -> bool:
    words = name.split()
    return (
        2 <= len(words) <= 4
        and all(w[:1].isupper() and not w.isupper() for w in words)
        and not any(_generic_head(_low(w)) or _low(w) in lx.HONORIFICS for w in words)
    )


def _acronym_like(word: str) -> bool:
    """ "LeT", "PoK", "TTP": rarely a common word, even at a sentence start."""
    if not (3 <= len(word) <= 8 and word.isalnum() and word.lower() not in lx.FURNITURE):
        return False
    upper = sum(ch.isupper() for ch in word)
    if upper == len(word) and word.isalpha():
        # "UNICEF", "NATO"; not a shouted English word ("ALSO", "POLICE").
        low = word.lower()
        return low not in stop_words() and low not in lx.ENGLISH_GENERIC
    return upper >= 2 and len(word) <= 6 and (upper < len(word) or len(word) <= 5)


class _UF:
    def __init__(self, n: int) -> None:
        self.p = list(range(n))

    def find(self, x: int) -> int:
        while self.p[x] != x:
            self.p[x] = self.p[self.p[x]]
            x = self.p[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.p[max(ra, rb)] = min(ra, rb)


# A run the model passed over is a name when the article writes it with a
# capital inside sentences this many times and never in lower case: "the
# Union" seventeen times in a history of the Civil War, "Chinatown" in a guide.
REPEATS_FOR_NAME = 3
_NUMBER_AFTER = re.compile(r"^\s*\(?\d")
# "I'm", "I've": the pronoun's capital, whatever follows it.
_CONTRACTION = re.compile(r"\bI['’]|['’](?:m|ve|ll|re|d|t)\b", re.IGNORECASE)


_AND_JOINT = re.compile(r",?\s+and\s+")


def _listed_beside_names(
    text: str,
    cands: list[_Cand],
    names: list[str],
    roots: list[int],
    backed: set[int],
    lower: set[str],
) -> set[int]:
    """Clusters (by root) of rule runs of two or more capitalised words the
    model passed over, written in a list next to a name it found: "Xi
    Jinping and Ruto signed", the model having missed the name that opens
    the sentence. None of the run's words is written in lower case in the
    text, nor is a title, a nationality or an acronym."""
    out: set[int] = set()
    order = sorted(range(len(cands)), key=lambda i: cands[i].start)
    for a, b in itertools.pairwise(order):
        if cands[a].end > cands[b].start or not _AND_JOINT.fullmatch(
            text, cands[a].end, cands[b].start
        ):
            continue
        for run, other in ((a, b), (b, a)):
            if roots[other] not in backed or roots[run] in backed or cands[run].source != "rule":
                continue
            words = names[run].split()
            low = [_low(w) for w in words]
            if (
                2 <= len(words) <= 4
                and all(w[:1].isupper() and not w.isupper() for w in words)
                and not any(
                    w in lower
                    or w in lx.HONORIFICS
                    or w in lx.NATIONALITY_WORDS
                    or _generic_head(w)
                    or w in stop_words()
                    for w in low
                )
            ):
                out.add(roots[run])
    return out


def _repeated_names(
    text: str,
    cands: list[_Cand],
    names: list[str],
    keys: list[str],
    roots: list[int],
    lower: set[str],
) -> set[int]:
    """Clusters (by root) of rule runs written capitalised inside sentences at
    least REPEATS_FOR_NAME times, none of whose words the text writes in lower
    case (``lower``: the words it does). Terms and labels that repeat the
    same way are not names: acronyms and words with digits ("LED", "L2"),
    nationalities and peoples ("Russian", "African American"), titles and
    roles ("Senators", "Speaker"), a word before a number ("Figure 2", "Wave
    1"), contractions ("I'm")."""
    inside: Counter[int] = Counter()
    for i, c in enumerate(cands):
        if c.source == "rule" and not _sentence_initial(text, c.start):
            inside[roots[i]] += 1
    if not inside or max(inside.values()) < REPEATS_FOR_NAME:
        return set()
    out: set[int] = set()
    refused: set[int] = set()
    for i, c in enumerate(cands):
        r = roots[i]
        if inside[r] < REPEATS_FOR_NAME or r in refused:
            continue
        parts = [w for w in re.split(r"[-'’]", names[i]) for w in _WORD.findall(w)]
        # "L-band", "X-ray": a letter joined to a word is a term. Connectors
        # ("of", "and") are read as the words around them say.
        words = [w for w in parts if w[:1].isupper()] if all(len(w) > 1 for w in parts) else []
        low = [_low(w) for w in words]
        singular = [w.removesuffix("s") for w in low]
        if (
            not words
            or _CONTRACTION.search(names[i])
            or c.model_norp
            or keys[i] in lx.ENGLISH_GENERIC
            or any(w in lower for w in low)
            or any(w.isupper() or _acronym_like(w) or any(ch.isdigit() for ch in w) for w in words)
            or any(w in lx.NATIONALITY_WORDS or _DEMONYM.search(w) for w in low + singular)
            or any(w in lx.HONORIFICS or w in lx.PERSON_ROLES for w in low + singular)
            or any(w in stop_words() for w in low)
            or _NUMBER_AFTER.match(text[c.end : c.end + 4])
        ):
            refused.add(r)
            continue
        out.add(r)
    return out - refused


_DOTTED_INITIALS = re.compile(r"(?:[A-Z]\.){2,}")


@functools.lru_cache(maxsize=1 << 16)
def _name_key(name: str) -> str:
    """The key a name clusters by: an acronym's exact spelling ("LeT" is not
    "Let"; "F.B.I." is "FBI"), else its alias key."""
    if _DOTTED_INITIALS.fullmatch(name):
        return name.replace(".", "")
    if (
        len(name) <= 8
        and name.isalnum()
        and sum(ch.isupper() for ch in name) >= 2
        # A dateline's "BEIRUT" is Beirut; "US" is no "us".
        and not (len(name) > 3 and name.isupper() and is_place(name))
    ):
        return name
    return alias_key(name)


@functools.cache
def _other_name_lines() -> dict[str, tuple[int, str]]:
    """Key of each name in the tables of places' other names and of known
    organisations -> (its line, what the line names)."""
    out: dict[str, tuple[int, str]] = {}
    tables = (
        (other_place_names(), "place"),
        (regions(), "place"),
        (known_organisations(), "organisation"),
    )
    offset = 0
    for table, what in tables:
        for line, names in enumerate(table):
            for name in names:
                out.setdefault(_name_key(name), (offset + line, what))
        offset += len(table)
    return out


def known_organisation(name: str) -> bool:
    """Whether ``name`` is in the table of well-known organisations."""
    hit = _other_name_lines().get(_name_key(name))
    return hit is not None and hit[1] == "organisation"


def _cluster(
    text: str,
    cands: list[_Cand],
    backed_only: bool = False,
    features: dict[int, dict[str, float]] | None = None,
) -> list[Found]:
    n = len(cands)
    names = [text[c.start : c.end] for c in cands]
    # Acronyms cluster by their exact spelling: "LeT" is not "Let".
    keys = [_name_key(x) for x in names]
    uf = _UF(n)
    first_by_key: dict[str, int] = {}
    first_by_group: dict[int, int] = {}
    first_by_entity: dict[int, int] = {}
    for i, c in enumerate(cands):
        for table, k in (
            (first_by_key, keys[i]),
            (first_by_group, c.group),
            (first_by_entity, c.entity_id),
        ):
            if k is None:
                continue
            if k in table:
                uf.union(table[k], i)
            else:
                table[k] = i

    # Two names of one place in the table of other names ("Britain" and
    # "Great Britain", "Bombay" and "Mumbai") are one place in one article;
    # suggested, not linked: a history may mean "Persia" apart from "Iran".
    # Two names of one known organisation ("ISIS", "Islamic State") are linked.
    # Two of the user's own records stay two: the user decides that.
    lines = _other_name_lines()
    record = {uf.find(i): c.entity_id for i, c in enumerate(cands) if c.entity_id is not None}
    first_by_line: dict[int, int] = {}
    other_name: dict[int, str] = {}
    for i, c in enumerate(cands):
        hit = None if c.short else lines.get(keys[i])
        if hit is None:
            continue
        line, what = hit
        if line not in first_by_line:
            first_by_line[line] = i
            continue
        first = first_by_line[line]
        ra, rb = uf.find(first), uf.find(i)
        ea, eb = record.get(ra), record.get(rb)
        if ea is not None and eb is not None and ea != eb:
            continue
        uf.union(ra, rb)
        if ea is not None or eb is not None:
            record[uf.find(ra)] = ea if ea is not None else eb
        # An organisation's names are one body ("ISIS", "Daesh"); a place's
        # may be two in a history.
        if keys[i] != keys[first] and what == "place":
            other_name[i] = f"another name of {names[first]} (a known other name of the place)"

    # The rules' own evidence (the name's words, its context), apart from the
    # model's votes: one strong cue of it decides the type (see below).
    evidence = [
        _shape_votes(text, names[i], c.title) + _context_votes(text, c.start, c.end)
        for i, c in enumerate(cands)
    ]
    # "Kashmir" in a text that says "Pakistan-administered Kashmir", "Waziristan"
    # beside "North Waziristan": the region a qualified place name qualifies.
    qualified = {m.group(1) for m in map(_QUALIFIED_PLACE.fullmatch, names) if m}
    if qualified:
        for i in range(n):
            if names[i] in qualified:
                evidence[i]["LOC"] += VOTES["qualified_place"]
    votes = [Counter(c.votes) + evidence[i] for i, c in enumerate(cands)]

    # A one-word name that is also a place somewhere ("Dalton", "Gloria",
    # "Washington") says nothing about place when its cluster holds a longer
    # name that is not a place ("John Dalton"): there it is a surname.
    place_word = [
        " " not in names[i] and not cands[i].short and is_place(names[i]) for i in range(n)
    ]
    longer_name = [len(keys[i].split()) > 1 and not is_place(names[i]) for i in range(n)]

    branches: set[int] = set()  # mentions whose name opens with an organisation's

    def cluster_votes() -> dict[int, Counter[str]]:
        out: dict[int, Counter[str]] = defaultdict(Counter)
        branches.clear()
        with_longer = {uf.find(i) for i in range(n) if longer_name[i]}
        for i in range(n):
            root = uf.find(i)
            out[root].update(votes[i])
            if place_word[i] and root in with_longer:
                out[root]["LOC"] -= PLACE_VOTE
        # A name that opens with the whole name of an organisation in this
        # text is one of its branches ("Islamic State Khorasan Province"
        # after "Islamic State"), whatever its last word says.
        org_keys = {
            k for k, i in first_by_key.items() if " " in k and _top(out[uf.find(i)]) == "ORG"
        }
        if org_keys:
            for i in range(n):
                toks = keys[i].split()
                if any(" ".join(toks[:k]) in org_keys for k in range(2, len(toks))):
                    out[uf.find(i)]["ORG"] += VOTES["org_prefix"]
                    branches.add(i)
        return out

    def cluster_type(v: Counter[str], root: int) -> str:
        if v:
            best = max(TYPES, key=lambda t: (v.get(t, 0), t == "PER"))
            if v.get(best, 0) > 0:
                return best
        toks = keys[root].split()
        return "PER" if 2 <= len(toks) <= 3 else "ORG"

    # Spellings of one name in one article: "Ansarallah" / "Ansar Allah",
    # "Hizballah" / "Hezbollah" (an organisation or a place: two people
    # whose names differ by a vowel are two people).
    cv = cluster_votes()
    by_compact: dict[str, int] = {}
    by_skeleton: dict[str, list[int]] = defaultdict(list)
    for i in range(n):
        low = keys[i].lower()
        compact = low.replace(" ", "")
        if cands[i].short or len(compact) < 6:
            continue
        if compact in by_compact:
            if " " in low or " " in keys[by_compact[compact]]:
                uf.union(by_compact[compact], i)
        else:
            by_compact[compact] = i
        if " " not in low:
            by_skeleton[_consonants(low)].append(i)
    for idxs in by_skeleton.values():
        # One per spelling: a name repeated a thousand times is one comparison.
        idxs = list({keys[i].lower(): i for i in reversed(idxs)}.values())
        for a in idxs[1:]:
            b = idxs[0]
            if (
                uf.find(a) != uf.find(b)
                and {_top(cv[uf.find(a)]), _top(cv[uf.find(b)])} & {"ORG", "LOC"}
                and fuzz.ratio(keys[a].lower(), keys[b].lower()) >= 75
                # "Israeli" is Israel's adjective, not its spelling.
                and not keys[a].lower().startswith(keys[b].lower()[:-1])
                and not keys[b].lower().startswith(keys[a].lower()[:-1])
            ):
                uf.union(a, b)

    # A person's full name with middle names: "Otto Jespersen" is "Jens Otto
    # Harry Jespersen" (same surname, the shorter name's words in order).
    by_surname: dict[str, dict[str, int]] = defaultdict(dict)  # surname -> key -> index
    for i in range(n):
        toks = keys[i].split()
        if len(toks) >= 2 and not cands[i].short and _top(cv[uf.find(i)]) == "PER":
            by_surname[toks[-1]].setdefault(keys[i], i)
    for named in by_surname.values():
        idxs = list(named.values())
        for a in idxs:
            ta = keys[a].split()
            # "George W. Bush" is not "George H. W. Bush": a name that gives
            # middle initials gives all of them.
            initials = any(len(t) == 1 for t in ta[1:-1])
            longer = {
                uf.find(b)
                for b in idxs
                if len(keys[b].split()) > len(ta)
                and _in_order(ta, keys[b].split())
                and not (initials and _more_initials(ta, keys[b].split()))
            } - {uf.find(a)}
            if len(longer) == 1:
                uf.union(longer.pop(), a)

    # Short forms to the longer name they abbreviate.
    cv = cluster_votes()
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        members[uf.find(i)].append(i)
    long_index: dict[str, list[tuple[int, int]]] = defaultdict(list)  # token -> (root, kind)
    for root, idxs in members.items():
        t = cluster_type(cv[root], root)
        for i in idxs:
            if cands[i].short:
                continue
            toks = keys[i].split()
            if len(toks) < 2:
                continue
            if t == "LOC":
                # "Gaza Strip" -> "Gaza"; never "Gaza City" -> "Gaza".
                if toks[-1] in lx.SAME_PLACE_TAILS:
                    long_index[" ".join(toks[:-1])].append((root, 2))
                # "Chatham Islands" -> "Chathams", "Falkland Islands" -> "Falklands".
                if toks[-1] == "islands" and not toks[-2].endswith("s"):
                    long_index[" ".join([*toks[:-2], toks[-2] + "s"])].append((root, 2))
            elif t == "PER":
                # A first name, a head that ends before a particle ("Abu
                # Khaled" of "Abu Khaled al-Iraqi") or any tail of the name
                # ("Suu Kyi"). Another head may be another person ("Aung San"
                # is Aung San Suu Kyi's father): only suggested (kind 4).
                for k in range(1, len(toks)):
                    head = 0 if k == 1 or toks[k] in lx.CONNECTOR_WORDS else 4
                    long_index[" ".join(toks[:k])].append((root, head))
                    # The father's name after "bin" (kind 5) only where the
                    # text writes "bin" before it: "Salman" of "Mohammed bin
                    # Salman" is King Salman, "bin Laden" is Osama bin Laden.
                    tail = 5 if toks[-k - 1] in _PATRONYMIC else 0
                    long_index[" ".join(toks[-k:])].append((root, tail))
            elif t == "MISC" and toks[0] in lx.MISC_FIRST and toks[1] not in ("of", "the"):
                # "Phailin" of "Cyclone Phailin".
                long_index[" ".join(toks[1:])].append((root, 2))
            else:
                if t != "MISC":
                    # "Jamiat" of "Jamiat Ulema-e-Islam"; but the first word of
                    # an event, a work or a law is mostly a name of its own:
                    # "Kashmir" of "Kashmir Solidarity Day", "Gaza" of "Gaza War".
                    long_index[toks[0]].append((root, 1))
                    if toks[-1] in lx.DESCRIBED_BODIES:
                        # "the Assembly" of "National Assembly".
                        long_index[toks[-1]].append((root, 1))
                # "Red Sox" of "Boston Red Sox", "Senate" of "U.S. Senate": a
                # body named after its place, named without it.
                words = names[i].split()
                if t == "ORG" and len(words) > 1 and _low(words[1]) not in lx.CONNECTOR_WORDS:
                    for k in (1, 2):
                        if k < len(words) and is_place(" ".join(words[:k])):
                            long_index[alias_key(" ".join(words[k:]))].append((root, 3))
                            break
                # "Red Cross" of "International Committee of the Red Cross";
                # not "United Nations" of "Charter of the United Nations".
                for k in range(len(toks) - 3, 0, -1) if t != "MISC" else ():
                    if toks[k - 1 : k + 1] == ["of", "the"]:
                        long_index[" ".join(toks[k + 1 :])].append((root, 3))
                        break
    ambiguous: dict[int, str] = dict(other_name)
    # "Elizabeth I" and "Elizabeth II" in one text: the number tells them apart.
    regnal_bases = Counter(k.rsplit(" ", 1)[0] for k in set(keys) if _REGNAL_KEY.search(k))
    key_set = set(keys)
    regnal_clash = {
        k for k in keys if _REGNAL_KEY.search(k) and regnal_bases[k.rsplit(" ", 1)[0]] > 1
    }
    # Acronyms used without a definition in this text ("JeM" after
    # "Jaish-e-Muhammad"): the initials of exactly one longer name.
    initials: dict[str, set[int]] = defaultdict(set)
    for root, idxs in members.items():
        for i in idxs:
            toks = keys[i].split()
            # Not "U.S." itself: an initialism is a short form too.
            if len(toks) >= 2 and not cands[i].short and max(map(len, toks)) > 1:
                initials["".join(t[0] for t in toks)].add(root)
                content = [t for t in toks if t not in lx.CONNECTOR_WORDS and t not in _NO_INITIAL]
                initials["".join(t[0] for t in content)].add(root)
                at = cands[i].start
                if text[max(0, at - 4) : at] == "The " and not _sentence_initial(text, at - 4):
                    # "of The Resistance Front" (TRF): the article is in its name.
                    initials["t" + "".join(t[0] for t in toks)].add(root)
    for root, idxs in list(members.items()):
        if any(cands[i].short or cands[i].entity_id is not None for i in idxs):
            continue
        surface = names[idxs[0]]
        if " " in surface or sum(ch.isupper() for ch in surface) < 2 or len(surface) > 8:
            continue
        # "US" is not the initials of "US Senate": it is its first word.
        letters = surface.lower().replace(".", "")  # "U.S." is "US"
        options = {
            r
            for r in initials.get(letters, set())
            if r != root and not any(keys[i].split()[0] == letters for i in members[r])
        }
        if len(options) == 1:
            uf.union(options.pop(), root)
            for i in idxs:
                cands[i].short = True
    for root, idxs in list(members.items()):
        if any(cands[i].short or cands[i].entity_id is not None for i in idxs):
            continue
        key = keys[idxs[0]]
        own = cv[root]
        # A place (on the list, or written as one here: "the struggle in
        # Kashmir") is not the short form of an organisation named after it
        # ("US" / "US Senate"), nor of a name the rules took for a person's
        # ("Kashmir Solidarity Day"), and a nationality word is neither
        # ("Afghan Taliban").
        place_only = own.get("PER", 0) == 0 and (
            is_place(names[idxs[0]])
            or (
                _top(own) == "LOC"
                and any(
                    _LOCATIVE.search(text[max(0, cands[i].start - 40) : cands[i].start])
                    for i in idxs
                )
            )
        )
        # "Greek" of "Greek Orthodox Church", "Cuban" of "Cuban Consulate":
        # a nationality word is no short form of a body named after it.
        nationality = " " not in key and (
            key in lx.NATIONALITY_WORDS or (bool(_DEMONYM.search(key)) and not is_place(key))
        )
        no_org = place_only or nationality or any(cands[i].norp for i in idxs)
        # A word used alone again and again before the longer name ends with
        # it is a name of its own when it is not a person's: the town "Coron"
        # long before "Penon de Coron". A person is often named by surname
        # first ("Galois ... Évariste Galois").
        said = {_said_type(text, cands[i].start, cands[i].end) for i in idxs} - {""}
        own_name = _top(own) != "PER" or bool(said - {"PER"})
        after_patronymic = any(
            _PATRONYMIC_BEFORE.search(text, max(0, cands[i].start - 6), cands[i].start)
            for i in idxs
        )
        fitting = [
            (r, kind)
            for r, kind in long_index.get(key, [])
            if uf.find(r) != uf.find(root)
            and not (no_org and kind in (1, 3))
            and not (place_only and kind in (0, 4, 5))
            and not (kind in (0, 4, 5) and own_name and _used_before(text, cands, idxs, members[r]))
            and not (kind == 5 and not after_patronymic)
        ]
        if not fitting and _REGNAL_KEY.search(key) and key not in regnal_clash:
            # "Norton I" of "Joshua Norton": a regnal number after the surname
            # of one person. Not after a first name: "Johann II" is not
            # "Johann Bernoulli" but his son.
            # The surname is written alone too, and of no other name here.
            base = key.rsplit(" ", 1)[0]
            longer = [(r, k) for r, k in long_index.get(base, []) if uf.find(r) != uf.find(root)]
            if (
                base in key_set
                and len({uf.find(r) for r, _ in longer}) == 1
                and any(keys[i].endswith(" " + base) for r, _ in longer for i in members[r])
            ):
                fitting = longer[:1]
        options = sorted({r for r, _ in fitting})
        if not options:
            continue
        first = min(cands[i].start for i in idxs)
        if len(options) == 1 and all(kind == 4 for _, kind in fitting):
            uf.union(options[0], root)
            for i in idxs:
                cands[i].source = "coref"
                ambiguous[i] = f"may be {names[options[0]]}, or another person of that name"
        elif len(options) == 1:
            uf.union(options[0], root)
            for i in idxs:
                cands[i].source = "coref"
        else:
            # Nearest full name written before the short form; the user decides.
            def last_before(r: int, first: int = first) -> int:
                starts = [cands[i].start for i in members[r] if cands[i].start < first]
                return max(starts) if starts else -1

            # A word alone is a person's surname before it is the first word
            # of another name ("Warhol": Andy Warhol, not "Warhol Polaroids").
            def surname_of(r: int, key: str = key) -> bool:
                return any(keys[i].endswith(" " + key) for i in members[r])

            best = max(options, key=lambda r: (surname_of(r), last_before(r)))
            uf.union(best, root)
            alts = ", ".join(names[r] for r in options if r != best)
            for i in idxs:
                cands[i].source = "coref"
                ambiguous[i] = f"short form of {names[best]}; could also be {alts}"

    # "Sanaullah Ghafari, the ISKP leader known by his nom de guerre Shahab
    # al-Muhajir", "Natsu Higuchi, also known as Natsuko Higuchi": the text
    # says that two names are one. The second name's mentions go to the
    # first's entity as suggestions, for the user to confirm as an alias.
    cv = cluster_votes()
    by_end = sorted(range(n), key=lambda i: -cands[i].end)
    for y in sorted(range(n), key=lambda i: cands[i].start):
        # The cue may stand before the name's title ("alias Qari Wasim").
        at = cands[y].start
        if cands[y].title:
            title_at = text.rfind(cands[y].title, max(0, at - 40), at)
            if title_at >= 0:
                at = title_at
        cue = _ALIAS_CUE.search(text, max(0, at - 40), at)
        if cue is None:
            continue
        ty = cluster_type(cv[uf.find(y)], uf.find(y))
        for x in by_end:
            c = cands[x]
            if c.end > cue.start() or c.end < cue.start() - 80:
                continue
            if not _ALIAS_BETWEEN.fullmatch(text, c.end, cue.start()):
                continue
            rx, ry = uf.find(x), uf.find(y)
            # Two of the user's own records stay two: the user decides that.
            known = {cands[k].entity_id for k in range(n) if uf.find(k) in (rx, ry)} - {None}
            if (
                rx != ry
                and cluster_type(cv[rx], rx) == ty
                and not cands[x].short
                and len(known) < 2
            ):
                said = " ".join(cue.group().split())
                for i in [k for k in range(n) if uf.find(k) == ry]:
                    cands[i].source = "coref"
                    ambiguous[i] = f'another name of {names[x]}: the article says "{said}"'
                uf.union(rx, ry)
            break

    # Single capitalised words found only by rule survive only as short forms
    # or as repeats of a name found another way.
    supported: set[int] = {
        uf.find(i)
        for i in range(n)
        if not (cands[i].single_rule and cands[i].source == "rule")
        or _said_to_be_a_place(text, cands[i].start, cands[i].end)
    }
    # "the Court", "the Administration", "the Assembly": a body described by
    # its kind is a mention only as the short form of a name the article
    # gives ("National Assembly"); alone it names no one body.
    named = {uf.find(i) for i in range(n) if keys[i] not in lx.DESCRIBED_BODIES}
    keep = [
        i
        for i in range(n)
        if (keys[i] not in lx.DESCRIBED_BODIES or uf.find(i) in named)
        and not (
            cands[i].single_rule
            and cands[i].source == "rule"
            and uf.find(i) not in supported
            and not is_place(names[i])
            # "from Afghan soil", "in Western reports": after a locative word,
            # but an adjective of nationality, not a place.
            and not (cands[i].locative and not cands[i].norp)
            and not _acronym_like(names[i])
            and not known_organisation(names[i])
            and not (keys[i] in lx.ORG_WORDS and keys[i] not in lx.ENGLISH_GENERIC)
        )
    ]
    lower_words = _lower_words(text)
    if backed_only:
        # The fitted model read every word: a run of capitalised words it did
        # not call a name ("Petitioner", "Wave", "Figure") is one only if the
        # gazetteer, an abbreviation definition or a backed name in its
        # cluster says so.
        backed = {
            uf.find(i)
            for i, c in enumerate(cands)
            if c.model
            or c.short
            or c.source in ("gazetteer", "abbreviation")
            # "met Hafiz Saeed": an honorific before the name says person.
            or (
                _low(c.title.split()[-1] if c.title else "") in lx.PERSONAL_HONORIFICS
                and len(names[i]) > 2  # not "Gen Z"
            )
            # "Lt Governor Manoj Sinha": any office before a full name; but
            # "General Motors", "Imam Khomeini Airport" are named by a head.
            or (c.title and _titled_full_name(names[i]))
            # "Pakistan head coach Aaqib Javed", "the cleric Mufti Tariq
            # Masood": a role in lower case before a full name backs it (the
            # typer weighs it as a cue of a person).
            or (_role_word_before(text, c.start) and _titled_full_name(names[i]))
            # "UNICEF staff", "NIA officials": an organisation's acronym;
            # "CFL", "LED" and "UV" are terms.
            or (
                (_acronym_like(names[i]) or _body_name(keys[i]))
                and _ORG_CONTEXT_AFTER.match(text[c.end : c.end + 24])
            )
            # "The Election Commission will announce": a body's name, "the"
            # before it.
            or (_body_name(keys[i]) and text[max(0, c.start - 4) : c.start] in ("the ", "The "))
            or _dateline_place(text, c.start, c.end, names[i], lower_words)
            or known_organisation(names[i])
            or (c.single_rule and _PLACE_OF_KIND.search(text, max(0, c.start - 30), c.start))
            or (c.single_rule and _said_to_be_a_place(text, c.start, c.end))
            or _speaker(text, c.start, c.end)
            or names[i].endswith((" party", " parties"))
            # A known place the model's tokens broke ("Mazar-i-Sharif", "Dera
            # Ismail Khan"), or one word of it after "in", "to", "near" (a
            # dateline's word is judged above).
            or (
                is_place(names[i])
                and (
                    " " in names[i]
                    or "-" in names[i]
                    or (c.single_rule and c.locative and not _dateline(text, c.start, c.end))
                    # "the Donetsk region", "Bannu district"
                    or bool(_PLACE_AFTER.match(text[c.end : c.end + 20]))
                    # "the Punjab government", "the Kabul administration"
                    or bool(_GOVERNMENT_AFTER.match(text, c.end, c.end + 16))
                    # "Punjab Chief Minister Maryam Nawaz": the place's office
                    or _office_after(text, c.end)
                )
            )
        }
        roots = [uf.find(i) for i in range(n)]
        backed |= _repeated_names(text, cands, names, keys, roots, lower_words)
        backed |= _listed_beside_names(text, cands, names, roots, backed, lower_words)
        keep = [i for i in keep if uf.find(i) in backed]
    cv = cluster_votes()
    kept_members: dict[int, list[int]] = defaultdict(list)
    for i in keep:
        kept_members[uf.find(i)].append(i)
    listed = _listed_with(text, cands)
    decided: dict[int, str] = {}
    for root, idxs in kept_members.items():
        rule_type = cluster_type(cv[root], root)
        # What the text says a name is ("Coron is in the province of
        # Palawan", "Safeguard Defenders, a human rights group") outweighs the
        # model's labels on any number of its mentions, unless the text says
        # as much for their type.
        said = {_said_type(text, cands[i].start, cands[i].end) for i in idxs} - {""}
        if len(said) == 1 and rule_type not in said and rule_type != "MISC":
            rule_type = next(iter(said))
        f = entity_features(
            text, cands, names, keys, idxs, cv[root], rule_type, lower_words, listed
        )
        # How strongly the rules' own evidence says rule_type: a title, a
        # dateline, an organisation or place word, a demonym, the gazetteer.
        f["_strength"] = max(
            _rule_strength(cands[i], names[i], evidence[i], rule_type, i in branches) for i in idxs
        )
        if features is not None:
            features[root] = f
        # The typer was fitted on the fitted model's labels: without them the
        # rules decide alone.
        decided[root] = typer.decide(f, rule_type) if backed_only else rule_type
    out: list[Found] = []
    for i in keep:
        c = cands[i]
        root = uf.find(i)
        out.append(
            Found(
                start=c.start,
                end=c.end,
                text=names[i],
                type=decided[root],
                method=c.source,
                confidence=0.4 if i in ambiguous else CONFIDENCE[c.source],
                cluster=root,
                title=c.title,
                entity_id=c.entity_id,
                weak=c.short or c.source == "coref",
                ambiguous=i in ambiguous,
                reason=ambiguous.get(i, ""),
            )
        )
    return out


_PREV_WORD = re.compile(r"([^\W\d_]+)[^\w\n]{0,3}$")
_NEXT_WORD = re.compile(r"^\s?(['’]s\b|[^\W\d_]+|[,.;:(\-])")


# "Coron is a town on ...", "Byron was an English poet", "Zogby, a polling
# firm": what the text says a name is, read from its predicate's noun.
_DEFINED_AS = re.compile(
    r"(?:\s*\([^()\n]{0,60}\))?(?:\s*,|\s+(?:is|was|are|were|remains|became))\s+"
    r"(?:one\s+of\s+)?(?:a|an|the)\s+(?:[A-Za-z][\w'’-]*\s+){0,3}?"
    r"([a-z][\w-]*)(?=\s*(?:[,.;:()]|\b(?:of|in|on|at|that|which|who|whose|where|and|with"
    r"|for|from|by|to|near|founded|based|located|known)\b))"
)
_COLLECTIVE_NOUNS = frozenset(["group", "chain", "cluster", "set", "collection", "string", "pair"])
_OF_WHAT = re.compile(
    r"\s+of\s+(?:(?:more|fewer|less)\s+than\s+|about\s+|some\s+|over\s+)?"
    r"(?:[\w-]+\s+){0,2}?([a-z][\w-]*?)s?\b"
)
# "the town of Coron", "the province of Palawan", "a member of Hamas".
_NOUN_OF = re.compile(r"\b(?:the|a|an)\s+(?:[a-z][\w-]*\s+){0,2}?([a-z][\w-]*)\s+of\s+$")


# What a predicate's noun says: the typer weighs these classes (a noun of one
# class is too rare in GUM's train documents to learn on its own).
_PLACE_NOUNS = (
    lx.PLACE_WORDS
    | lx.FACILITY_WORDS
    | {
        "capital",
        "country",
        "nation",
        "municipality",
        "suburb",
        "neighbourhood",
        "neighborhood",
        "archipelago",
        "coast",
        "continent",
        "settlement",
    }
)
_PERSON_NOUNS = (
    lx.PERSON_ROLES
    | lx.HONORIFICS
    | {
        "man",
        "woman",
        "boy",
        "girl",
        "composer",
        "painter",
        "mathematician",
        "scientist",
        "philosopher",
        "musician",
        "linguist",
        "novelist",
        "statesman",
        # news: "Fidji Simo, the chief executive of Instacart"
        "executive",
        "chairman",
        "chairwoman",
        "analyst",
        "economist",
        "researcher",
        "farmer",
        "businessman",
        "businesswoman",
        "billionaire",
        "entrepreneur",
        "tycoon",
        "banker",
        "diplomat",
        "envoy",
    }
)
_ORG_NOUNS = (
    lx.ORG_WORDS
    | lx.PRESS_WORDS
    | {
        "firm",
        "band",
        "team",
        "newspaper",
        "publisher",
        "outfit",
        "faction",
        "institution",
        "brand",
        "manufacturer",
        "airline",
    }
) - _PLACE_NOUNS
# Words that end the names of papers and bodies but, said of a name, mostly
# describe a person or a thing: "the first social media star", "an observer",
# "a force of nature".
_ORG_NOUNS -= {"star", "sun", "express", "observer", "inquirer", "examiner", "courier", "press",
               "telegraph", "force", "forces", "post", "times"}  # fmt: skip


def _noun_class(noun: str) -> str:
    if noun in _PLACE_NOUNS:
        return "place"
    if noun in _ORG_NOUNS:
        return "org"
    if noun in lx.KIN_WORDS:
        return "kin"
    if noun in _PERSON_NOUNS:
        return "person"
    return ""


_LIST_JOINT = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s(?:and|or|&)\s)\s*")


def _listed_with(text: str, cands: list[_Cand]) -> dict[int, list[int]]:
    """Mentions written next to each other in a list ("A, B and C"): each
    mention's neighbours there."""
    order = sorted(range(len(cands)), key=lambda i: cands[i].start)
    out: dict[int, list[int]] = defaultdict(list)
    # Runs of names joined by commas, "and", "or"; a run of two joined by a
    # comma alone is mostly a name and its apposition ("Iran's ambassador in
    # Beirut, Mojtaba Amani, was..."), not a list.
    chain: list[int] = []
    comma_only = True

    def close() -> None:
        # "Houston, Texas": a place and the region it is in read as a list.
        if len(chain) > 2 or (
            len(chain) == 2
            and (not comma_only or is_place(text[cands[chain[1]].start : cands[chain[1]].end]))
        ):
            for a, b in itertools.pairwise(chain):
                out[a].append(b)
                out[b].append(a)

    for a, b in itertools.pairwise(order):
        joint = (
            _LIST_JOINT.fullmatch(text, cands[a].end, cands[b].start)
            if cands[a].end <= cands[b].start
            else None
        )
        if joint is None:
            close()
            chain, comma_only = [], True
            continue
        if not chain:
            chain = [a]
        chain.append(b)
        comma_only = comma_only and joint.group().strip() == ","
    close()
    return out


def _defined_as(text: str, start: int, end: int) -> tuple[str, str]:
    """The noun of what the text says a mention is (" is a town", ", a firm")
    and the noun whose complement it is ("the town of ..."), or empty."""
    m = _DEFINED_AS.match(text, end, end + 90)
    isa = m.group(1) if m and "\n" not in m.group(0) else ""
    if isa in _COLLECTIVE_NOUNS and m is not None:
        # "Vava'u is a group of more than 50 islands": a group of places is a
        # place (a group of fighters stays a body).
        of = _OF_WHAT.match(text, m.end(), m.end() + 60)
        if of and _noun_class(of.group(1)) == "place":
            isa = of.group(1)
    n = _NOUN_OF.search(text, max(0, start - 40), start)
    return isa, n.group(1) if n else ""


def _places_listed(text: str, start: int, end: int) -> bool:
    """Whether a name is one of a list before the plural of a kind of place:
    "Barracuda and Kayangan lakes" (not "most European countries")."""
    if _PLACES_AFTER.match(text, end, end + 60):
        return True
    m = _PLURAL_PLACE.match(text, end, end + 20)
    return bool(m) and bool(_PLACES_LAST.search(text, max(0, start - 40), start))


_WHO_AFTER = re.compile(r",\s+who(?:\s+(?:is|was|has|had|headed|led|heads|leads)|'s)?\b")


def _who_after(text: str, start: int, end: int) -> bool:
    """ "Ibrahim Aqil, who headed the Radwan Force": a full name that "who"
    follows is a person's. Not a body or a people ("the Taliban, who",
    "Houthis, who"), nor a place."""
    name = text[start:end]
    return (
        bool(_WHO_AFTER.match(text, end, end + 20))
        and " " in name
        and not name.endswith("s")
        and not is_place(name)
        and not known_organisation(name)
    )


_GOVERNMENT_AFTER = re.compile(r"\s+(administration|government|presidency|campaign)\b")


def _government_of(text: str, start: int, end: int) -> str:
    """Whose government a name before "government", "administration" or
    "campaign" names: "LOC" for a place's ("the Punjab government"), "PER"
    for the person who leads it ("the Biden administration", "the Obama
    campaign"), or "" when that is unclear or neither: a party's, a body's,
    an acronym's ("the Labour government", "the PDM government"), or a place
    that is also a surname ("the Clinton administration": the model's label
    decides)."""
    m = _GOVERNMENT_AFTER.match(text, end, end + 16)
    if m is None:
        return ""
    name = text[start:end]
    key = alias_key(name)
    if (
        " " in name
        or "-" in name
        or name.isupper()
        or _POLITICAL.search(name)
        or known_organisation(name)
        or key in major_place_keys()
    ):
        return "LOC" if key in major_place_keys() and m.group(1) != "campaign" else ""
    led = text[max(0, start - 4) : start] in ("the ", "The ")
    if m.group(1) == "campaign":
        return "PER" if led else ""
    if is_place(name):
        return "" if key in lx.surnames() or key in lx.given_names() else "LOC"
    return "PER" if led else ""


def _case_party(text: str, start: int, end: int) -> bool:
    """Whether a one-word name is a party of a lawsuit cited by its parties
    ("in Lynch v. Overholser"): a person's surname, unless it is a place or
    a known body (the State, the United States as a litigant)."""
    name = text[start:end]
    if " " in name or alias_key(name) in major_place_keys() or known_organisation(name):
        return False
    before = text[max(0, start - 60) : start]
    return bool(
        (
            (_CASE_FIRST_BEFORE.search(before) and _CASE_FIRST_AFTER.match(text, end, end + 16))
            or _CASE_SECOND_BEFORE.search(before)
        )
        # A court, a case or a judgment nearby: not a fixture ("in Arsenal v
        # Chelsea").
        and _LEGAL_WORDS.search(text, max(0, start - 400), end + 400)
    )


def _said_type(text: str, start: int, end: int) -> str:
    """The type the text itself gives a mention ("Coron is in the province of
    Palawan", "the village of Seleki", "Safeguard Defenders, a human rights
    group"), or empty."""
    if _said_to_be_a_place(text, start, end) or _PLACE_OF_KIND.search(
        text, max(0, start - 40), start
    ):
        return "LOC"
    noun = _defined_as(text, start, end)[0]
    said = _noun_class(noun)
    return _SAID_TYPE[said] if said and noun not in _SAID_AMBIGUOUS else ""


def _located(text: str, start: int, end: int) -> bool:
    """Whether the text says where a mention lies ("Tulsa lies in ..."); not
    of a body ("Duke University, located in Durham": a body has a place too)."""
    return bool(_LOCATED_AFTER.match(text, end, end + 60)) and not any(
        t in lx.ORG_WORDS for t in _org_word_tokens(_word_tokens(text[start:end]))
    )


def _said_to_be_a_place(text: str, start: int, end: int) -> bool:
    """Whether the text says where or what place a mention is: "Baruwal is a
    small town near Quetta", "Tokra lies in the north of Sindh"."""
    return (
        _located(text, start, end)
        or _places_listed(text, start, end)
        or _noun_class(_defined_as(text, start, end)[0]) == "place"
    )


def _context_word(text: str, start: int, end: int) -> tuple[str, str]:
    """The word before and the word (or punctuation) after a mention."""
    m = _PREV_WORD.search(text, max(0, start - 30), start)
    prev = m.group(1).lower() if m and m.end() == start else ""
    if _sentence_initial(text, start):
        prev = "<s>"
    n = _NEXT_WORD.match(text[end : end + 30])
    nxt = n.group(1).lower().replace("’", "'") if n else ""
    return prev, nxt


def _rule_strength(
    c: _Cand, name: str, evidence: Counter[str], rule_type: str, branch: bool
) -> float:
    """The rules' strongest single cue for ``rule_type`` on one mention. A
    gazetteer hit, a branch of an organisation named earlier, and a
    transliterated name ("al-Qaeda", "Jamaat-ud-Dawa": a shape GUM, the typer's
    training text, hardly has) count as strong as an organisation word."""
    if c.source == "gazetteer":
        return 5.0
    strength = evidence.get(rule_type, 0.0)
    if (branch or known_organisation(name)) and rule_type == "ORG":
        strength = max(strength, VOTES["org_word"])
    words = re.split(r"[\s‐‑-]+", name)
    if len(words) > 1 and (
        lx.PREFIXED_WORD.match(name) or any(w in lx.HYPHEN_CONNECTORS for w in words[1:-1])
    ):
        strength = max(strength, VOTES["org_word"])
    if rule_type == "PER" and "PER" in c.model_labels and _census_full_name(name):
        # "Eric Holder": the model reads a person, and the census knows the
        # given name and the surname. (The model's label keeps "Morgan
        # Stanley" out.)
        strength = max(strength, VOTES["title"])
    return strength


def _more_initials(short: list[str], long: list[str]) -> bool:
    """Whether ``long`` has a middle initial that ``short`` has not."""
    return any(len(t) == 1 and t not in short for t in long[1:-1])


def _census_full_name(name: str) -> bool:
    """Whether a name is a census given name, given names or initials, and a
    census surname: "Eric Holder", "George W. Bush"."""
    toks = alias_key(name).split()
    return (
        2 <= len(toks) <= 3
        and toks[0] in lx.given_names()
        # "Jens Otto Jespersen", "George W. Bush"; not "Harry Potter World"
        and all(len(t) == 1 or t in lx.given_names() for t in toks[1:-1])
        and toks[-1] in lx.surnames()
        and not is_place(name)
    )


def _used_before(text: str, cands: list[_Cand], short: list[int], long: list[int]) -> bool:
    """Whether a one-word name stands on its own in the body twice before the
    person's name that ends or starts with it is first written.

    A surname refers back to the full name ("Donald Trump ... Trump"); a name
    used again and again before the longer one appears is a name of its own:
    the town "Coron" long before "Penon de Coron", its old name. A headline may
    name a person by surname before the body gives the full name, so heading
    lines do not count, nor does a single mention (a lede's "Trump")."""
    first_long = min(cands[i].start for i in long)
    early = sum(
        1 for i in short if cands[i].start < first_long and not _in_heading(text, cands[i].start)
    )
    return early >= 2


def _in_heading(text: str, pos: int) -> bool:
    """Whether ``pos`` lies in a short line without a full stop: a heading,
    where common words are capitalised too."""
    # Only the 80 characters either side are read: a long line is no heading,
    # and a text with few line breaks must not cost a scan per mention.
    lo = max(0, pos - 80)
    start = text.rfind("\n", lo, pos) + 1 if lo else text.rfind("\n", 0, pos) + 1
    if start == 0 and lo:
        return False
    end = text.find("\n", pos, pos + 80)
    if end < 0:
        if pos + 80 < len(text):
            return False
        end = len(text)
    line = text[start:end].rstrip()
    return len(line) < 80 and not line.endswith((".", "?", "!", ":", '"', "”"))


def entity_features(
    text: str,
    cands: list[_Cand],
    names: list[str],
    keys: list[str],
    idxs: list[int],
    rule_votes: Counter[str],
    rule_type: str,
    lower_words: set[str],
    listed: dict[int, list[int]] | None = None,
) -> dict[str, float]:
    """The evidence about one entity of an article, pooled over its mentions:
    the model's labels, the rules' votes, the shape and head word of its
    longest name, and the words around its mentions. Shares are over mentions,
    so a name written twenty times weighs as much as one written once."""
    n = len(idxs)
    f: dict[str, float] = {"bias": 1.0, "log_mentions": math.log(n), "rule=" + rule_type: 1.0}
    total = sum(max(v, 0.0) for v in rule_votes.values()) or 1.0
    for t in TYPES:
        f["vote_share_" + t] = max(rule_votes.get(t, 0.0), 0.0) / total

    def share(name: str, hits: int) -> None:
        if hits:
            f[name] = hits / n

    labels: Counter[str] = Counter()
    sources: Counter[str] = Counter()
    for i in idxs:
        labels.update(cands[i].model_labels)
        sources[cands[i].source] += 1
    for lab, k in labels.items():
        share("model_" + lab, k)
        f["any_model_" + lab] = 1.0
    share("model_none", sum(1 for i in idxs if not cands[i].model_labels))
    for src, k in sources.items():
        share("source_" + src, k)
    share("short", sum(1 for i in idxs if cands[i].short))
    share("title", sum(1 for i in idxs if cands[i].title))
    share("norp", sum(1 for i in idxs if cands[i].norp))
    share(
        "locative",
        sum(
            1 for i in idxs if _LOCATIVE.search(text[max(0, cands[i].start - 40) : cands[i].start])
        ),
    )
    share("dateline", sum(1 for i in idxs if _dateline(text, cands[i].start, cands[i].end)))
    share(
        "place_after",
        sum(1 for i in idxs if _PLACE_AFTER.match(text[cands[i].end : cands[i].end + 20])),
    )
    share(
        "members_after",
        sum(1 for i in idxs if _MEMBERS_AFTER.match(text[cands[i].end : cands[i].end + 20])),
    )
    share(
        "org_after",
        sum(1 for i in idxs if _ORG_CONTEXT_AFTER.match(text[cands[i].end : cands[i].end + 24])),
    )
    share("place_any", sum(1 for i in idxs if is_place(names[i])))
    if listed:
        # "Barracuda and Kayangan", "Attica, Boeotia and Megara": names listed
        # together are mostly of one kind; what the model called the others.
        near: Counter[str] = Counter()
        for i in idxs:
            others = listed.get(i, [])
            if any(is_place(names[j]) for j in others):
                near["listed_place"] += 1
            for lab in {lab for j in others for lab in cands[j].model_labels}:
                near["listed_model_" + lab] += 1
        for k, v in near.items():
            share(k, v)
    # "Byron received his early education...": a personal pronoun later in
    # the sentence refers to a person more often than not. ("its" was tried
    # too: "Its prime minister, Chaudhry Anwarul Haq, said the law would take
    # its course" shows why it does not help.)
    share(
        "pronoun_person",
        sum(1 for i in idxs if _PERSON_PRONOUN.match(text, cands[i].end, cands[i].end + 90)),
    )
    if "pronoun_person" not in f:
        # Named again and again and never followed by "he" or "she": a
        # town, a body or a thing rather than a person (each cue alone is
        # weak: a name written once often has no pronoun after it).
        f["log_mentions_no_pronoun"] = math.log(n)
    share("sentence_initial", sum(1 for i in idxs if _sentence_initial(text, cands[i].start)))
    share("heading", sum(1 for i in idxs if _in_heading(text, cands[i].start)))
    context: Counter[str] = Counter()
    roles = 0
    for i in idxs:
        prev, nxt = _context_word(text, cands[i].start, cands[i].end)
        context["prev=" + prev] += 1
        context["next=" + nxt] += 1
        # "its prime minister, Chaudhry Anwarul Haq", "the cleric Mufti Tariq
        # Masood", "his son Bilal": a word for a person's role or kin first.
        if prev in lx.HONORIFICS or prev in lx.PERSON_ROLES:
            roles += 1
    share("role_before", roles)
    for i in idxs:
        # "Byron was a poet" says person; "the son of Byron" says so too, but
        # "the leader of Hamas" says organisation or place.
        isa, noun_of = map(_noun_class, _defined_as(text, cands[i].start, cands[i].end))
        if isa:
            context["isa_" + ("person" if isa == "kin" else isa)] += 1
        if noun_of:
            context["of_" + noun_of] += 1
    for k, v in context.items():
        f[k] = v / n

    longest = max(idxs, key=lambda i: (len(keys[i].split()), len(names[i]), -cands[i].start))
    name, toks = names[longest], keys[longest].split()
    if not toks:
        return f
    f["ntok=" + str(min(len(toks), 4))] = 1.0
    f["head=" + toks[-1]] = 1.0
    if len(toks[-1]) > 4:
        # "-ism", "-ian", "-ese", "-ity": word endings of terms and peoples.
        f["suffix=" + toks[-1][-3:]] = 1.0
    f["first=" + toks[0]] = 1.0
    # "Barbara", "Moran" written alone: a census given name or frequent
    # surname is evidence of a person. Apart when the name is also a known
    # place (Virginia, Houston), so that it does not drown the gazetteer's
    # cue. Not for longer names: fitted on GUM's mostly English names, the
    # cue made full names the census does not know (Masood Azhar, Noor Ahmad
    # Islamjar) less likely persons, and our own corpus lost them.
    if len(toks) == 1:
        placed = "_place" if "place_any" in f else ""
        if toks[0] in lx.given_names():
            f["given_name_alone" + placed] = 1.0
        # A country, capital or big city written alone is the place a reader
        # knows, not a person of that surname ("talks with Washington").
        if toks[0] in lx.surnames() and not (placed and toks[0] in major_place_keys()):
            f["surname_alone" + placed] = 1.0
    surfaces = {keys[i] for i in idxs}
    f["log_surfaces"] = math.log(len(surfaces))
    if len(toks) > 1:
        # A surname written alone; not a team or body named without its place
        # ("Pirates" of "Pittsburgh Pirates").
        if toks[-1] in surfaces and not (rule_type == "ORG" and is_place(name.split()[0])):
            f["last_alone"] = 1.0
        if toks[0] in surfaces:
            f["first_alone"] = 1.0
    words = name.split()
    if len(words) == 1 and name.isupper() and len(name) >= 2:
        f["acronym"] = 1.0
    if sum(ch.isupper() for ch in name) >= 2 and len(words) == 1 and not name.isupper():
        f["mixed_caps"] = 1.0
    if any(ch.isdigit() for ch in name):
        f["digit"] = 1.0
    if "-" in name:
        f["hyphen"] = 1.0
    if "&" in name:
        f["ampersand"] = 1.0
    content = [w for w in words if w[:1].isupper()]
    if len(content) > 1:
        # "Information Technology", "Sea Surface Salinity": every word of the
        # name is written in lower case elsewhere, a term or a heading.
        low = sum(1 for w in content if w.lower() in lower_words)
        f["words_lower_elsewhere"] = low / len(content)
    if "of" in toks[1:-1]:
        f["of_inside"] = 1.0
    if any(t in lx.ORG_WORDS for t in _org_word_tokens(toks)) or _press(toks):
        f["org_word"] = 1.0
    if toks[-1] in lx.ORG_WORDS and not _facility(toks):
        f["org_word_last"] = 1.0
    if _facility(toks):
        f["facility"] = 1.0
    if toks[0] in lx.TRANSLIT_ORG_WORDS:
        f["translit_org"] = 1.0
    if _place_word_head(toks):
        f["place_word_head"] = 1.0
    if is_place(name):
        f["place"] = 1.0
    if len(toks) == 1:
        key = toks[0]
        if _people_of_a_place(key):
            f["people_of_place"] = 1.0
        if key in lx.DEMONYMS or _DEMONYM.search(key):
            f["demonym_shape"] = 1.0
        if name.lower() in lower_words or name.lower() in stop_words():
            f["common_word"] = 1.0
        if key.endswith("s") and not key.endswith("ss"):
            f["plural_s"] = 1.0
    return f
