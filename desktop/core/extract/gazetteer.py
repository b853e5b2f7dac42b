"""Recogniser 1: the user's confirmed names and aliases, matched everywhere.

Aho-Corasick over lower-cased names, so thousands of aliases cost one pass
over the text. Acronyms and very short names ("LeT", "JeM", "ISI") match with
their exact case only, so "let" and "isi" in running text are not entities.
"""

from __future__ import annotations

from dataclasses import dataclass

import ahocorasick


@dataclass(frozen=True)
class GazetteerEntry:
    name: str
    entity_id: int
    type: str


@dataclass(frozen=True)
class GazetteerHit:
    start: int
    end: int
    entity_id: int
    type: str


def _lower_same_length(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    # A few characters ("İ") grow when lower-cased; keep offsets aligned.
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _case_sensitive(name: str) -> bool:
    uppers = sum(1 for c in name if c.isupper())
    return len(name) <= 3 or (len(name) <= 6 and uppers >= 2 and " " not in name)


class Gazetteer:
    def __init__(self, entries: list[GazetteerEntry]) -> None:
        self._automaton = ahocorasick.Automaton()
        by_key: dict[str, list[GazetteerEntry]] = {}
        for e in entries:
            name = e.name.strip()
            if len(name) < 2:
                continue
            by_key.setdefault(_lower_same_length(name), []).append(e)
        for key, group in by_key.items():
            self._automaton.add_word(key, (key, group))
        self.size = len(by_key)
        if self.size:
            self._automaton.make_automaton()

    def find(self, text: str) -> list[GazetteerHit]:
        if not self.size:
            return []
        low = _lower_same_length(text)
        found: list[GazetteerHit] = []
        for end_idx, (key, group) in self._automaton.iter(low):
            end = end_idx + 1
            start = end - len(key)
            if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "-_"):
                continue
            if end < len(text) and (text[end].isalnum() or text[end] in "_"):
                continue
            surface = text[start:end]
            for e in group:
                if _case_sensitive(e.name) and surface != e.name:
                    continue
                found.append(GazetteerHit(start, end, e.entity_id, e.type))
                break
        # Longest first, then leftmost; overlapping shorter hits are dropped.
        found.sort(key=lambda h: (-(h.end - h.start), h.start))
        taken: list[GazetteerHit] = []
        for h in found:
            if all(h.end <= t.start or h.start >= t.end for t in taken):
                taken.append(h)
        taken.sort(key=lambda h: h.start)
        return taken
