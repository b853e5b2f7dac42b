"""Best guesses of metadata from the text itself.

Used when a format carries no metadata (plain text, pasted text) and to fill the
gaps of those that do. Each guess is cheap and conservative: a wrong date is
worse than no date, so ambiguous forms are read one documented way and anything
out of range is ignored. The user can correct every field in the window.

- Dates: ISO ``2024-03-03`` and ``2024/03/03``; ``3 March 2024``, ``3rd March,
  2024``; ``March 3, 2024``, ``Mar. 3 2024``; month names in English, French,
  German and Spanish; numeric ``03/03/2024`` and ``03.03.2024`` are read day
  first (the convention of the South Asian, Middle Eastern and European press we
  import), unless the first number is above 12.
- Datelines at the start of the first paragraph: ``New Delhi:``, ``LAHORE,
  March 3 —``, ``ISLAMABAD (Reuters) -``, ``لاہور:``.
- Bylines: ``By Name``, ``Par``, ``Von``, ``Por``.
- Language: by script, then by counting common words of English, French, German
  and Spanish.
"""

from __future__ import annotations

import datetime as dt
import re

_MONTHS: dict[str, int] = {}
for _num, _names in enumerate(
    (
        "january jan janvier janv januar jän enero ene",
        "february feb feb. février févr februar febrero",
        "march mar mars märz marz marzo",
        "april apr avril avr abril abr",
        "may mai mayo",
        "june jun juin juni junio",
        "july jul juillet juil juli julio",
        "august aug août augusto agosto ago",
        "september sep sept septembre septiembre setiembre",
        "october oct octobre oktober okt octubre",
        "november nov novembre noviembre",
        "december dec décembre déc dezember dez diciembre dic",
    ),
    start=1,
):
    for _n in _names.split():
        _MONTHS[_n.rstrip(".")] = _num

_MONTH_RE = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
_DAY = r"(?P<d>\d{1,2})(?:st|nd|rd|th|er|\.)?"
_YEAR = r"(?P<y>(?:19|20)\d\d)"
_DATE_PATTERNS = [
    re.compile(r"\b(?P<y>(?:19|20)\d\d)[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})\b"),
    re.compile(rf"\b{_DAY}\s+(?:de\s+)?(?P<mn>{_MONTH_RE})\.?,?\s+(?:de\s+)?{_YEAR}\b", re.I),
    re.compile(rf"\b(?P<mn>{_MONTH_RE})\.?\s+{_DAY},?\s+{_YEAR}\b", re.I),
    re.compile(r"\b(?P<d>\d{1,2})[./](?P<m>\d{1,2})[./](?P<y>(?:19|20)\d\d)\b"),
]
_MONTH_DAY = re.compile(
    rf"^(?:(?P<mn>{_MONTH_RE})\.?\s+{_DAY}|{_DAY.replace('d>', 'd2>')}\s+(?P<mn2>{_MONTH_RE})\.?)$",
    re.I,
)


def _make_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        date = dt.date(y, m, d)
    except ValueError:
        return None
    # An article "published" in the future or before the web is a misreading.
    if date.year < 1900 or date > dt.date.today() + dt.timedelta(days=2):
        return None
    return date


def _from_match(match: re.Match[str]) -> dt.date | None:
    groups = match.groupdict()
    y, d = int(groups["y"]), int(groups["d"])
    if groups.get("mn"):
        m = _MONTHS.get(groups["mn"].lower().rstrip("."))
        if m is None:
            return None
    else:
        m = int(groups["m"])
        if m > 12 and d <= 12 and match.re is _DATE_PATTERNS[3]:
            m, d = d, m  # 03/25/2024: month first after all
    return _make_date(y, m, d)


def find_date(text: str) -> dt.date | None:
    """The first complete date written in ``text``, or None."""
    best: tuple[int, dt.date] | None = None
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            date = _from_match(match)
            if date is not None:
                if best is None or match.start() < best[0]:
                    best = (match.start(), date)
                break
    return best[1] if best else None


def parse_date(value: str | None) -> dt.date | None:
    """A date from a metadata field (ISO timestamps, PDF ``D:2024...``, prose)."""
    if not value:
        return None
    value = value.strip()
    match = re.match(r"^D?:?((?:19|20)\d\d)(\d\d)(\d\d)", value)
    if match:
        return _make_date(*(int(g) for g in match.groups()))
    return find_date(value)


_DATELINE_PLACE = (
    r"(?P<place>[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|al|el|de|e|ul|ud|i|des|del|la)){0,3})"
)
_DATELINE = re.compile(
    _DATELINE_PLACE
    + r"(?:\s*,\s*(?P<date>[A-Z][a-z]{2,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]{2,9}\.?(?:,?\s+\d{4})?))?"
    r"(?:\s*\((?P<agency>[A-Za-z .&]{2,30})\))?"
    r"\s*(?P<sep>:|—|–|--| -)\s+(?=\S)"
)
_DATELINE_RTL = re.compile(
    r"^(?P<place>[\u0600-\u06FF\u0900-\u097F]+(?:\s[\u0600-\u06FF\u0900-\u097F]+){0,2})"
    r"\s*(?P<sep>[:؛।]|\s[—–-])\s+"
)
# Words that start a sentence with a colon and are not places.
_NOT_PLACES = {
    "note", "update", "updated", "editor", "editor's", "warning", "read", "also", "source",
    "sources", "photo", "image", "video", "watch", "listen", "q", "a", "he", "she", "it",
    "they", "we", "i", "the", "this", "that", "but", "and", "breaking", "exclusive", "opinion",
    "analysis", "comment", "explainer", "live", "correction", "clarification", "by",
}  # fmt: skip


def find_dateline(paragraph: str) -> dict[str, str] | None:
    """``{"place", "date", "agency"}`` of a dateline opening ``paragraph``."""
    match = _DATELINE.match(paragraph) or _DATELINE_RTL.match(paragraph)
    if match is None:
        return None
    place = match.group("place").strip()
    first = place.split()[0].lower().rstrip(".")
    if first in _NOT_PLACES or len(place) < 3:
        return None
    groups = match.groupdict()
    # "Jaish-e-Mohammed - the group..." : a hyphen after a multi-word name is a
    # sentence, not a dateline; accept hyphens only after an all-caps place.
    if groups["sep"] in ("-", " -") and not place.isupper() and not groups.get("agency"):
        return None
    return {
        "place": place.title() if place.isupper() else place,
        "date": groups.get("date") or "",
        "agency": groups.get("agency") or "",
    }


def date_from_dateline(dateline: dict[str, str], near: dt.date | None) -> dt.date | None:
    """A full date from a dateline's ``March 3``, taking the year from ``near``."""
    text = dateline.get("date", "")
    if not text:
        return None
    full = find_date(text)
    if full:
        return full
    match = _MONTH_DAY.match(text.strip())
    if match is None or near is None:
        return None
    g = match.groupdict()
    month = _MONTHS.get((g.get("mn") or g.get("mn2") or "").lower().rstrip("."))
    day = int(g.get("d") or g.get("d2") or 0)
    return _make_date(near.year, month, day) if month else None


_BYLINE = re.compile(
    r"^(?:by|par|von|por|written by|reported by)\s+(?P<name>[^\d,|•·]{3,60}?)"
    r"(?:\s*(?:[,|•·]|\band\b|$))",
    re.I,
)


_POSTED = re.compile(r"^(?:posted|published|updated)(?:\s+on)?\s+.{0,40}?\s+(?=by\s)", re.I)


def find_byline(line: str) -> str:
    """The author's name in a byline such as ``By Ali Khan | Dawn`` or
    ``Posted on March 3, 2024 by Ali Khan``, or ""."""
    line = _POSTED.sub("", line.strip())
    if len(line.split()) > 10:
        return ""
    match = _BYLINE.match(line)
    if match is None:
        return ""
    name = match.group("name").strip(" .")
    words = name.split()
    if not 1 <= len(words) <= 5 or not all(w[:1].isupper() for w in words if len(w) > 3):
        return ""
    return name


def is_byline(line: str) -> bool:
    return bool(find_byline(line))


_STOPWORDS = {
    "en": {"the", "and", "of", "to", "in", "is", "was", "that", "for", "with", "said", "on"},
    "fr": {"le", "la", "les", "et", "des", "est", "une", "dans", "que", "pour", "qui", "du"},
    "de": {"der", "die", "und", "das", "ist", "nicht", "mit", "den", "ein", "eine", "sich"},
    "es": {"el", "los", "las", "y", "que", "una", "por", "para", "con", "del", "se", "fue"},
}
_URDU_LETTERS = set("ٹڈڑںےھۓ")
_PERSIAN_LETTERS = set("پچژگک")


def guess_language(text: str) -> str:
    """An ISO 639-1 code from the script and common words, or "" if unsure."""
    sample = text[:5000]
    arabic = sum(1 for ch in sample if "\u0600" <= ch <= "\u06ff")
    devanagari = sum(1 for ch in sample if "\u0900" <= ch <= "\u097f")
    latin = sum(1 for ch in sample if ch.isascii() and ch.isalpha())
    if devanagari > latin and devanagari > arabic:
        return "hi"
    if arabic > latin:
        chars = set(sample)
        if chars & _URDU_LETTERS:
            return "ur"
        if chars & _PERSIAN_LETTERS:
            return "fa"
        return "ar"
    words = re.findall(r"[a-zà-ÿ]+", sample.lower())
    if len(words) < 5:
        return ""
    scores = {lang: sum(1 for w in words if w in stop) for lang, stop in _STOPWORDS.items()}
    lang, score = max(scores.items(), key=lambda kv: kv[1])
    return lang if score >= max(2, len(words) // 50) else ""
