"""Normalisation of names into matching keys. Pure functions, no database.

``alias_key`` is the key stored in ``Alias.key`` and used for exact lookups by
the linker; every part of the app must compute keys through it so that the
stored index and the lookups agree.
"""

from __future__ import annotations

import re
import unicodedata

# Hyphenated connectors of transliterated names: Jaish-e-Mohammed,
# Lashkar-i-Taiba, Jamaat-ud-Dawa, al-Qaeda. Folded to spaces so that the
# hyphenated and spaced spellings share a key.
_PUNCT = re.compile(r"[\s\-‐-―_.,'’‘`´\"“”()\[\]{}/\\:;!?&+*]+")


def ascii_fold(text: str) -> str:
    """Drop diacritics (Kashmīr -> Kashmir). Non-Latin letters are kept as they are."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def alias_key(name: str) -> str:
    """The exact-match key of a name: case, diacritics and punctuation folded.

    >>> alias_key("Jaish-e-Mohammed") == alias_key("jaish e  mohammed")
    True
    """
    folded = ascii_fold(unicodedata.normalize("NFKC", name)).casefold()
    return " ".join(t for t in _PUNCT.split(folded) if t)
