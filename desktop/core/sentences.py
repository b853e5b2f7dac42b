"""Sentence boundaries in article text, for quoting evidence in dossiers.

A small rule-based splitter, deliberately without a language model: dossiers
are assembled for every entity of a library and must stay fast. It splits at
line breaks (web pages pasted as text put menus, bylines and datelines on lines
of their own) and after ``.``, ``!`` or ``?`` (with closing quotes or brackets)
followed by white space and a capital, digit or opening quote, except after
common abbreviations, initials and honorifics ("Mr.", "Gen.", "U.N.", "A.").
"""

from __future__ import annotations

import bisect
import datetime as dt
import re

_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "gen",
        "lt",
        "col",
        "maj",
        "capt",
        "sgt",
        "cmdr",
        "adm",
        "gov",
        "sen",
        "rep",
        "rev",
        "st",
        "mt",
        "jr",
        "sr",
        "no",
        "nos",
        "vol",
        "pp",
        "fig",
        "inc",
        "ltd",
        "co",
        "corp",
        "bros",
        "dept",
        "univ",
        "est",
        "approx",
        "vs",
        "etc",
        "al",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "u.s",
        "u.k",
        "u.n",
        "e.g",
        "i.e",
        "a.m",
        "p.m",
    ]
)
_END = re.compile(r"[.!?…]+[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9\u0600-\u06ff])")
_LINE = re.compile(r"\s*\n\s*")


def spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence of ``text``, white space trimmed."""
    out: list[tuple[int, int]] = []
    pos = 0
    for line in _LINE.split(text):
        start = text.find(line, pos) if line else pos
        if not line.strip():
            pos = start
            continue
        pos = start + len(line)
        cut = start
        for mt in _END.finditer(line):
            word = line[: mt.start()].rsplit(None, 1)
            last = word[-1].casefold().rstrip(".") if word else ""
            # "A. Writer", "J.K." and "Gen." are not the end of a sentence.
            if last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
                continue
            if re.fullmatch(r"(?:[a-z]\.)+[a-z]", last):
                continue
            end = start + mt.end()
            out.append((cut, start + len(line[: mt.end()].rstrip())))
            cut = end
        if cut < pos:
            out.append((cut, pos))
    return [(a, b) for a, b in out if text[a:b].strip()]


class Sentences:
    """The sentences of one text, looked up by character offset."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.spans = spans(text)
        self._starts = [a for a, _ in self.spans]

    def index_at(self, offset: int) -> int | None:
        """The index of the sentence holding ``offset`` (None between them)."""
        i = bisect.bisect_right(self._starts, offset) - 1
        if i >= 0 and self.spans[i][0] <= offset < max(self.spans[i][1], self.spans[i][0] + 1):
            return i
        return None


_MONTHS = {
    name: n
    for n, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        1,
    )
    for name in names
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE_PATTERNS = (
    re.compile(rf"\b(?P<m>{_MONTH})\.? (?P<d>\d{{1,2}}),? (?P<y>(?:19|20)\d\d)\b", re.I),
    re.compile(rf"\b(?P<d>\d{{1,2}}) (?P<m>{_MONTH})\.?,? (?P<y>(?:19|20)\d\d)\b", re.I),
    re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<mn>\d\d)-(?P<d>\d\d)\b"),
)


def date_in(text: str) -> dt.date | None:
    """The first full calendar date written in ``text`` ("January 9, 2026",
    "9 Jan 2026", "2026-01-09"), or None."""
    found: list[tuple[int, dt.date]] = []
    for pattern in _DATE_PATTERNS:
        mt = pattern.search(text)
        if not mt:
            continue
        groups = mt.groupdict()
        month = int(groups["mn"]) if groups.get("mn") else _MONTHS[groups["m"].casefold()]
        try:
            found.append((mt.start(), dt.date(int(groups["y"]), month, int(groups["d"]))))
        except ValueError:
            continue
    return min(found)[1] if found else None
