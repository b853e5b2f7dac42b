"""Recogniser 2: abbreviations defined in the text, Schwartz & Hearst (2003):
"Lashkar-e-Taiba (LeT)", "Pakistan-occupied Kashmir (PoK)". The short form's
letters must appear, in order, in the long form, the first one starting a word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from desktop.core.extract.lexicon import HYPHEN_CONNECTORS

_PAREN = re.compile(r"\(\s*([^()\s]{2,10})\s*\)")
_WORD = re.compile(r"[^\s()]+")


@dataclass(frozen=True)
class Definition:
    long_start: int
    long_end: int
    short_start: int
    short_end: int
    short: str


def _is_short_form(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return (
        len(letters) >= 2
        and s[0].isalnum()
        and sum(1 for c in letters if c.isupper()) >= 2
        and not s.isdigit()
    )


def _best_long_form(short: str, candidate: str) -> int | None:
    """Index in candidate where the long form starts, or None (the S&H algorithm)."""
    s = len(short) - 1
    c = len(candidate) - 1
    while s >= 0:
        ch = short[s].lower()
        if not ch.isalnum():
            s -= 1
            continue
        while c >= 0 and (
            candidate[c].lower() != ch or (s == 0 and c > 0 and candidate[c - 1].isalnum())
        ):
            c -= 1
        if c < 0:
            return None
        c -= 1
        s -= 1
    start = c + 1
    # Back to the start of that word.
    while start > 0 and not candidate[start - 1].isspace():
        start -= 1
    return start


_FUNCTION_WORDS = frozenset(["of", "and", "the", "for", "in", "on", "at", "to", "de", "du", "la"])


def _initials_start(short: str, words: list[str]) -> int | None:
    """Index of the first word of the longest run ending the window whose word
    initials spell the short form: "Autonomous Administration of North and East
    Syria (AANES)", where the character-level search would stop at "Administration"."""
    target = "".join(c for c in short.lower() if c.isalnum())
    for j in range(len(words)):
        parts = [p for w in words[j:] for p in re.split(r"[-‐‑]", w) if p]
        if not parts or not parts[0][:1].isupper():
            continue
        content = [p for p in parts if p.lower() not in _FUNCTION_WORDS]
        with_conn = "".join(p[0].lower() for p in content)
        without = "".join(p[0].lower() for p in content if p.lower() not in HYPHEN_CONNECTORS)
        if target in (with_conn, without):
            return j
    return None


def find_definitions(text: str) -> list[Definition]:
    out: list[Definition] = []
    for m in _PAREN.finditer(text):
        short = m.group(1).strip(".,;")
        if not _is_short_form(short):
            continue
        # Window of preceding words: min(|A| + 5, 2|A|) as in the paper.
        max_words = min(len(short) + 5, len(short) * 2)
        head = text[max(0, m.start() - 300) : m.start()]
        base = m.start() - len(head)
        # Do not look back across a sentence or clause end.
        cut = max(head.rfind(". "), head.rfind("; "), head.rfind("\n"), head.rfind(": "))
        if cut >= 0:
            head, base = head[cut + 2 :], base + cut + 2
        words = list(_WORD.finditer(head))[-max_words:]
        if not words:
            continue
        window_start = words[0].start()
        candidate = head[window_start:].rstrip()
        candidate = candidate.rstrip(",")
        tokens = list(_WORD.finditer(candidate))
        j = _initials_start(short, [t.group().strip(",;") for t in tokens])
        idx = tokens[j].start() if j is not None else _best_long_form(short, candidate)
        if idx is None:
            continue
        long_text = candidate[idx:]
        # Long forms of names start with a capital letter.
        if not long_text[:1].isupper():
            continue
        long_start = base + window_start + idx
        long_end = long_start + len(long_text)
        s0 = m.start(1) + m.group(1).index(short)
        out.append(Definition(long_start, long_end, s0, s0 + len(short), short))
    return out


def find_uses(text: str, short: str, after: int) -> list[tuple[int, int]]:
    """Later bare uses of a defined short form (exact case, whole word)."""
    pat = re.compile(rf"(?<![\w-]){re.escape(short)}(?![\w-])")
    return [(m.start(), m.end()) for m in pat.finditer(text, after)]
