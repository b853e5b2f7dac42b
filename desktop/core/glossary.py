"""Names that say the same thing in two languages.

"Sepah-e Pasdaran-e Enghelab-e Eslami" is "Islamic Revolutionary Guard
Corps" word for word, and "Jaish-e-Mohammed" is "Army of Mohammed"; no
spelling rule can see it. A small glossary of the words organisation and
place names are built from (``data/glossary.txt``: army, party, movement,
front, liberation, islamic...) maps each word, in any romanisation, to one
meaning; a name's *meaning key* is the set of its words' meanings, other
words (proper names) kept as their consonant skeleton. Two names with the same
meaning key read the same in translation.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from desktop.core import names as nm

GLOSSARY = Path(__file__).with_name("data") / "glossary.txt"
# A name reads the same as another in translation only on three or more
# meanings, or two of which one is a proper name (Army of Mohammed): two
# generic words name many bodies ("Islamic Group" is Jamaat-e-Islami in
# Pakistan and Jemaah Islamiyah in Indonesia; "Army of Islam" is Lashkar-e-Islam
# and Jaish al-Islam).
MIN_MEANINGS = 3
MIN_WITH_NAME = 2


def _fold(word: str) -> str:
    # The skeleton (vowels, doubled letters and digraph spellings folded), not
    # the further-folded key of candidate generation: short words would
    # collide there (qaida and god both fold to "kd").
    return nm.token_skeleton(word)


@lru_cache(maxsize=1)
def glossary() -> tuple[dict[str, str], dict[str, str], frozenset[str]]:
    """(written word -> meaning, skeleton -> meaning, the English words); ""
    for a word without meaning of its own. A skeleton that two meanings share
    (ahl, allah) is left out: those words are found as written only."""
    written: dict[str, str] = {}
    skeletons: dict[str, str] = {}
    english: set[str] = set()
    clash: set[str] = set()
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        meaning, _, words = line.partition(":")
        meaning = "" if meaning.strip() == "-" else meaning.strip()
        ours, _, theirs = words.rpartition("|") if "|" in words else ("", "", words)
        english.update(ours.split())
        for word in (*ours.split(), *theirs.split()):
            written.setdefault(word, meaning)
            key = _fold(word)
            if skeletons.setdefault(key, meaning) != meaning:
                clash.add(key)
    for key in clash:
        del skeletons[key]
    return written, skeletons, frozenset(english)


def _meaning(word: str) -> str | None:
    written, skeletons, _ = glossary()
    found = written.get(word)
    return found if found is not None else skeletons.get(_fold(word))


@lru_cache(maxsize=200_000)
def meaning_key(name: str) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]] | None:
    """(sorted distinct meanings, the (word, meaning) pairs translated) of an
    organisation or place name, or None when it has no word of the glossary or
    too few meanings to tell one body from another."""
    meanings: set[str] = set()
    translated: list[tuple[str, str]] = []
    for word in nm.content_tokens(name):
        meaning = _meaning(word)
        if meaning is None:
            # A connector glued to its word (Hizbul, Jamaatul).
            for glue in nm._GLUED_CONNECTORS:
                if word.endswith(glue) and len(word) > len(glue) + 2:
                    meaning = _meaning(word[: -len(glue)])
                    if meaning is not None:
                        break
        if meaning is None:
            meanings.add(_fold(word))
            continue
        if meaning:
            meanings.add(meaning)
            translated.append((word, meaning))
    named = len(meanings) > len({m for _, m in translated})
    if not translated or len(meanings) < (MIN_WITH_NAME if named else MIN_MEANINGS):
        return None
    return tuple(sorted(meanings)), tuple(translated)


def foreign(word: str, meaning: str) -> bool:
    """Whether ``word`` translates ``meaning`` rather than being an English word
    for it (a reason names only the words it translated)."""
    english = glossary()[2]
    return word not in english and word.removesuffix("s") not in english
