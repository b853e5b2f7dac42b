"""A page of text cut into article and furniture, with the page's own metadata.

Text copied from a browser, or saved as text, carries the page around the
article. :func:`cut_page` classifies every line by its shape (the way jusText
does, not by lists of sites), keeps every line of the article itself and turns
the page's own lines about the article into metadata:

- *Line classes* (see :func:`classify`): ``blank``; ``prose`` (a paragraph:
  eight words or more ending in sentence punctuation, or twenty words or more);
  ``furniture`` (:func:`boilerplate.is_furniture`: UI phrases, share bars,
  navigation bars, URLs, time stamps, symbols; plus *UI lines*, short
  imperatives about the page such as "Add as a preferred source on Google",
  label lines such as "Text Size:", runs of one- and two-letter buttons such as
  "A- A+"; plus *menu runs*, three or more consecutive short lines without
  stop words above the article; plus short lines repeated in the page outside
  the article); otherwise ``short`` (headline, dateline, standfirst, caption,
  heading, table row, name in a list).
- *Header*: from the first paragraph upwards every line that is not furniture
  is kept (headlines, datelines, captions, headings), until a menu run, the
  header of a list of other stories, or an unmistakable furniture line (cookie
  and copyright notices). Byline and date-only lines near the top become the
  author and the date and leave the body.
- *Title*: the headline, wherever it sits: the tail of a breadcrumb glued to it
  ("HomeGo To PakistanWhat are ..."), the title part of a window-title line
  ("Title - World - DAWN.COM", which itself leaves the body and gives the
  site), a line printed twice, or else the first title-like line of the header.
  The headline stays the first line of the body (its names are the article's
  too); its repeats go.
- *Footer*: the body ends at the first furniture line after which little prose
  remains, or at the header of a list of other stories or comments after which
  less prose remains than came before. Short lines between the last paragraph
  and that point are kept (tables of results, lists of names, sources), except
  furniture and credit lines: "Published in Dawn, May 7th, 2025" gives the
  publication and date, "(Edited by ...)", "(Reporting by ...)" and "— Reuters"
  go to ``credits``.
- *Publication*: from a "Published in" credit, else the site part of a
  window-title line, else the holder of a copyright line.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from desktop.core.ingest.boilerplate import (
    _STRONG,
    _STRONG_SHORT,
    _is_list_header,
    _norm,
    _words,
    is_furniture,
    is_prose,
    same_text,
)
from desktop.core.ingest.metadata import _DATE_PATTERNS, find_byline, find_date

# Words too common to be a menu item or a name; their share in a line is the
# stop-word density that tells a heading from a sentence.
_STOP = {
    "a", "about", "after", "an", "and", "are", "as", "at", "be", "been", "before", "but", "by",
    "can", "could", "did", "do", "does", "for", "from", "had", "has", "have", "he", "her",
    "his", "how", "i", "if", "in", "into", "is", "it", "its", "may", "might", "no", "not", "of",
    "on", "or", "our", "out", "over", "she", "should", "so", "than", "that", "the", "their",
    "then", "these", "they", "this", "those", "to", "under", "up", "was", "we", "were", "what",
    "when", "where", "which", "who", "why", "will", "with", "would", "you", "your",
}  # fmt: skip

# A short imperative about the page itself (a button or a prompt), not a
# headline: the verb and the page object must both be there.
_UI_VERBS = {
    "add", "allow", "change", "click", "continue", "copy", "download", "enable", "follow",
    "get", "install", "join", "listen", "load", "log", "print", "read", "register", "report",
    "save", "set", "share", "show", "sign", "subscribe", "support", "tap", "turn", "view",
    "watch",
}  # fmt: skip
_UI_OBJECTS = {
    "account", "alerts", "app", "apps", "article", "audio", "browser", "channel", "channels",
    "comment", "comments", "e-paper", "edition", "epaper", "facebook", "feed", "font", "full",
    "google", "here", "inbox", "instagram", "newsletter", "newsletters", "notifications",
    "page", "podcast", "preferred", "site", "size", "source", "story", "subscription",
    "telegram", "twitter", "updates", "us", "whatsapp", "youtube",
}  # fmt: skip
_DATE_NOISE = re.compile(
    r"\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b|\b(?:updated|published|posted|last|on|at|"
    r"am|pm|a\.m\.|p\.m\.|ist|pkt|gmt|utc|bst|est|edt|cet|cest|hrs|hours|time)\b"
    r"|\d{1,2}[:.]\d{2}|[^\w]+",
    re.I,
)
_GLUED = re.compile(r"(?<=[a-z])(?=[A-Z])")
_HOME = {"home", "homepage", "accueil", "startseite", "inicio", "portada"}
_CRUMB_SPLIT = re.compile(r"\s*[›»>/]\s*|\s+[|•]\s+")
_SITE_SPLIT = re.compile(r"\s+[-–—|:]{1,2}\s+")
_PUBLISHED_IN = re.compile(
    r"^\(?(?:published|first published|appeared|this article (?:was )?(?:first )?published)"
    r"\s+in\s+(?:the\s+)?(?P<pub>[^,()]{2,60}?)\s*(?:,|\bon\b|$)(?P<rest>.*)$",
    re.I,
)
_CREDIT = re.compile(
    r"^(?:[(\[]\s*(?:edited by|editing by|reporting by|additional reporting|written by|"
    r"compiled by|with inputs|inputs from|with agency inputs|writing by|translated by)"
    r"[^)\]]*[)\]]\.?"
    r"|[—–]+\s*[A-Z][\w&']*(?:\s+[A-Z][\w&']*){0,3}$"
    r"|(?:edited by|editing by|reporting by|additional reporting by|with inputs from)\s.{2,80})$",
    re.I,
)
_COPYRIGHT = re.compile(
    r"(?:copyright\s*)?(?:©|\(c\)|copyright)\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*,?\s*"
    r"(?P<holder>[^.|©]{2,60}?)\s*(?:\.|\||,|$|all rights)",
    re.I,
)
_COMPANY = re.compile(
    r"\s*,?\s*\b(?:pvt\.?|private|ltd\.?|limited|inc\.?|llc|plc|gmbh|s\.a\.|media group|"
    r"group|corp\.?|corporation|co\.|media$)(?=\s|$)",
    re.I,
)
_TOP_LINES = 400  # lines from the top where a breadcrumb or a window title can be
_SHORT_CHARS = 300  # longer lines are paragraphs: never a headline, a menu or a repeat
_HEADER_META = 12  # non-blank lines from the top where bylines and date lines are metadata


@dataclass
class Cut:
    """What :func:`cut_page` found."""

    body: str
    dropped: int = 0
    title: str = ""
    publication: str = ""
    published: dt.date | None = None
    author: str = ""
    section: str = ""
    credits: list[str] = field(default_factory=list)


def stop_density(line: str) -> float:
    words = re.findall(r"[^\W\d_]+", line.casefold())
    return sum(w in _STOP for w in words) / len(words) if words else 0.0


def is_date_only(line: str) -> bool:
    """A line that only says when ("Friday, January 9, 2026", "Updated 3 March
    2024, 10:45 pm"): metadata, not a sentence of the article."""
    if find_date(line) is None or _words(line) > 12:
        return False
    rest = line
    for pattern in _DATE_PATTERNS:
        rest = pattern.sub(" ", rest)
    return not _DATE_NOISE.sub(" ", rest).strip()


def is_ui_line(line: str) -> bool:
    """A button or prompt about the page rather than a line of the article."""
    stripped = line.strip()
    if len(stripped) > 120:
        return False
    words = re.findall(r"[^\W\d_][\w'-]*", stripped.casefold())
    if not words:
        return False
    if (
        len(words) <= 3
        and stripped.endswith(":")
        and any(w in _UI_VERBS or w in _UI_OBJECTS for w in words)
    ):
        return True  # a label whose value was a widget: "Text Size:"
    tokens = stripped.split()
    if (
        2 <= len(tokens) <= 5
        and all(len(t.strip("+-–")) == 1 and t.strip("+-–").isalpha() for t in tokens)
        and (any(t[-1] in "+-–" for t in tokens) or len(set(tokens)) == 1)
    ):
        return True  # "A- A+", "A A A": font-size buttons
    return (
        len(words) <= 9
        and words[0] in _UI_VERBS
        and any(w in _UI_OBJECTS for w in words[1:])
        and not stripped.endswith((".", "!"))
    )


def _figures(line: str) -> bool:
    """Only figures and punctuation ("20!", "3 - 1", "(6.8+7.2)/2=7"): a score,
    a table cell or a sum, which the furniture rules would take for a symbol line."""
    return any(c.isdigit() for c in line) and not any(c.isalpha() for c in line)


def _name_line(line: str) -> bool:
    """Two to four capitalised words and nothing else: a person's name."""
    words = line.split()
    return (
        2 <= len(words) <= 4
        and all(w[:1].isupper() and w.replace(".", "").replace("-", "").isalpha() for w in words)
        and stop_density(line) == 0.0
    )


def _reply(line: str) -> bool:
    """A short sentence such as "Got it." or "Close." in a dialogue: buttons and
    labels do not end with a full stop."""
    stripped = line.strip()
    lowered = stripped.casefold()
    return (
        _words(stripped) <= 4
        and stripped.endswith((".", "!", "?"))
        and not stripped.endswith("..")
        and not any(s in lowered for s in _STRONG + _STRONG_SHORT)
    )


def _menu_item(line: str) -> bool:
    """A navigation item: one to three words, no stop word, no figure, no
    "label: value" (an infobox row such as "Bats: Left" is content)."""
    n = _words(line)
    return (
        1 <= n <= 3
        and not line.rstrip().endswith(tuple(".!?"))
        and not any(c.isdigit() or c in ":(" for c in line)
        and find_date(line) is None
        and stop_density(line) == 0.0
        and not find_byline(line)
    )


def site_title(line: str) -> tuple[str, str, str] | None:
    """(title, section, site) of a window-title line: "Title - World - DAWN.COM",
    "Title | The Example Times"; None for a line of another shape."""
    parts = [p.strip() for p in _SITE_SPLIT.split(line.strip()) if p.strip()]
    if len(parts) < 2 or len(parts) > 4:
        return None
    head, *middle, site = parts
    if _words(head) < 3 or _words(site) > 4 or any(_words(m) > 3 for m in middle):
        return None
    if _words(site) >= _words(head) or site.endswith((".", "?", "!")):
        return None
    return head, " / ".join(middle), site


def _site_like(site: str) -> bool:
    bare = site.strip()
    return bool(
        re.search(r"\.(?:com|net|org|co|in|pk|uk|tv|news|info)\b", bare, re.I)
        or (bare.isupper() and len(bare) >= 3)
        or re.search(r"[a-z][A-Z]", bare)
        or re.match(r"^The\s+\w+", bare)
    )


def site_name(site: str) -> str:
    """A publication's name from the site part of a title: "DAWN.COM" -> "Dawn"."""
    name = re.sub(r"^(?:https?://)?(?:www\.)?", "", site.strip(), flags=re.I)
    bare = re.sub(r"\.(?:com|net|org|co|in|pk|uk|tv|news|info)(?:\.\w\w)?$", "", name, flags=re.I)
    if bare != name and bare.isupper():
        return bare.title()
    return bare


def published_in(line: str) -> tuple[str, dt.date | None] | None:
    """("Dawn", 2025-05-07) from "Published in Dawn, May 7th, 2025"."""
    if _words(line) > 14:
        return None
    match = _PUBLISHED_IN.match(line.strip())
    if match is None:
        return None
    return match.group("pub").strip(" .:"), find_date(match.group("rest"))


def copyright_holder(line: str) -> str:
    if _words(line) > 25:
        return ""
    match = _COPYRIGHT.search(line)
    if match is None:
        return ""
    holder = match.group("holder").strip(" .,-")
    for _ in range(3):  # "X Media Pvt. Ltd." -> "X Media" -> "X"
        holder = _COMPANY.sub("", holder).strip(" .,-")
    if not holder or holder.casefold().startswith(("all rights", "by ")) or _words(holder) > 6:
        return ""
    return holder


def is_credit(line: str) -> bool:
    stripped = line.strip()
    return _words(stripped) <= 16 and (
        bool(_CREDIT.match(stripped)) or published_in(stripped) is not None
    )


def _unglue(lines: list[str]) -> tuple[list[str], str]:
    """Split a breadcrumb glued to the headline ("HomeGo To PakistanWhat are
    Hamas commanders doing in Pakistan?") or set off by separators ("Home ›
    World › Title"); returns the lines and the section it named."""
    section = ""
    others = _short_keys(lines)
    out = []
    for n, line in enumerate(lines):
        stripped = line.strip()
        if n >= _TOP_LINES or not stripped or len(stripped) > _SHORT_CHARS:
            out.append(line)  # breadcrumbs sit at the top and are short
            continue
        pieces = [p.strip() for p in _CRUMB_SPLIT.split(stripped) if p.strip()]
        if len(pieces) < 2 or _norm(pieces[0]) not in _HOME:
            pieces = [p.strip() for p in _GLUED.split(stripped) if p.strip()]
            glued_home = len(pieces) >= 2 and _norm(pieces[0]) in _HOME
            tail_repeated = len(pieces) >= 2 and others[same_key(pieces[-1])] >= 1
            if not (glued_home or (tail_repeated and _words(pieces[-1]) >= 3)):
                out.append(line)
                continue
        tail = pieces[-1]
        # The headline differs from the crumbs before it ("Go to India" / "Go
        # to World" are both crumbs).
        crumb_like = (
            len(pieces) >= 3 and tail.split()[0].casefold() == pieces[-2].split()[0].casefold()
        )
        if _words(tail) >= 3 and not _menu_item(tail) and not crumb_like:
            out.append(tail)
            crumbs = pieces[1:-1]
        else:
            out.append("")
            crumbs = pieces[1:]
        if crumbs and not section:
            section = re.sub(r"^go to\s+", "", crumbs[-1], flags=re.I)
    return out, section


def _short_keys(lines: list[str]) -> Counter[str]:
    """How often each short line occurs (paragraphs are never repeats that
    matter here, and keying them would cost time on a 50 MB text)."""
    return Counter(same_key(line) for line in lines if line.strip() and len(line) <= _SHORT_CHARS)


def same_key(line: str) -> str:
    return re.sub(r"\W+", " ", line.casefold()).strip()


def classify(lines: list[str]) -> list[str]:
    """One class per line: ``blank``, ``prose``, ``furniture`` or ``short``."""
    counts = Counter(_norm(line) for line in lines if line.strip() and len(line) <= _SHORT_CHARS)
    kinds: list[str] = []
    for line in lines:
        if not line.strip():
            kinds.append("blank")
        elif (is_furniture(line) and not _figures(line) and not _reply(line)) or is_ui_line(line):
            kinds.append("furniture")
        elif is_prose(line):
            kinds.append("prose")
        else:
            kinds.append("short")
    prose = [i for i, k in enumerate(kinds) if k == "prose"]
    lo, hi = (prose[0], prose[-1]) if prose else (len(lines), -1)
    # Short lines repeated in the page (menus printed at the top and the
    # bottom) are furniture, unless one of them stands inside the article: a
    # heading that repeats the title ("Antonín Dvořák") is the article's own.
    inside = {_norm(lines[i]) for i in range(lo, hi + 1) if kinds[i] == "short"}
    # A line printed twice above the article and nowhere else is the
    # headline printed twice (window title and page heading), not a menu.
    below = {_norm(lines[i]) for i in range(max(lo, 0), len(lines)) if lines[i].strip()}
    inside |= {_norm(lines[i]) for i in range(min(lo, len(lines))) if lines[i].strip()} - below
    for i, line in enumerate(lines):
        if kinds[i] != "short":
            continue
        norm = _norm(line)
        n = counts[norm]
        if norm not in inside and (n >= 3 or (n >= 2 and _words(line) <= 3)) and _words(line) <= 8:
            kinds[i] = "furniture"
    # Menu runs above the article: three or more short lines in a row (blank
    # lines between them aside) without stop words, or furniture.
    i = 0
    while i < lo:
        j, items = i, 0
        while j < lo and (
            kinds[j] in ("blank", "furniture") or (kinds[j] == "short" and _menu_item(lines[j]))
        ):
            items += kinds[j] != "blank"
            j += 1
        if items >= 3 and any(kinds[k] == "short" for k in range(i, j)):
            for k in range(i, j):
                if kinds[k] != "blank":
                    kinds[k] = "menu"
        i = max(j, i + 1)
    return kinds


def _strong_stop(line: str) -> bool:
    lowered = line.casefold()
    return bool(copyright_holder(line)) or any(
        s in lowered for s in ("all rights reserved", "cookies", "skip to")
    )


def cut_page(text: str, title: str = "") -> Cut:
    """The article part of ``text`` (already cleaned, ``\\n`` line ends) and the
    metadata the page's own lines gave.

    ``title``, when the source's metadata gave one, is the headline; a line
    saying it is kept as the first line of the body.
    """
    lines, section = _unglue(text.split("\n"))
    cut = Cut(body="", section=section)
    given_site = site_title(title) if title else None
    if given_site and _site_like(given_site[2]):
        # A page's <title> as the source's title: "Title - World - DAWN.COM".
        title = given_site[0]
        cut.publication = site_name(given_site[2])
        cut.section = cut.section or given_site[1]
    # Window-title lines ("Title - World - DAWN.COM") give the site and name
    # the headline; they are not part of the article.
    keys = _short_keys(lines)
    site_lines: dict[int, tuple[str, str, str]] = {}
    for i, line in enumerate(lines[:40]):
        parsed = site_title(line) if line.strip() and len(line) <= _SHORT_CHARS else None
        if parsed and (keys[same_key(parsed[0])] >= 1 or _site_like(parsed[2]) or i == 0):
            site_lines[i] = parsed
    kinds = classify(lines)
    for i in site_lines:
        kinds[i] = "site"
    if site_lines:
        first_site = site_lines[min(site_lines)]
        cut.publication = cut.publication or site_name(first_site[2])
        cut.section = cut.section or first_site[1]
    if not cut.publication:
        cut.publication = next(filter(None, map(copyright_holder, filter(str.strip, lines))), "")

    prose = [i for i, k in enumerate(kinds) if k == "prose"]
    keep = [False] * len(lines)
    if not prose:
        # No paragraph to anchor on (a short note, a list): drop only furniture.
        for i, k in enumerate(kinds):
            keep[i] = k in ("short", "blank")
        start, end = 0, len(lines)
    else:
        first = prose[0]
        # Header: every line above the first paragraph that is not furniture,
        # up to a menu run, a list header or a notice.
        start = first
        for i in range(first - 1, -1, -1):
            k, line = kinds[i], lines[i]
            if k == "menu" or (k == "furniture" and (_is_list_header(line) or _strong_stop(line))):
                break
            if k == "short":
                start = i
        # Footer.
        words_total = sum(_words(lines[i]) for i in prose)
        # A furniture line ends the article when little content remains after
        # it and the rest is no more paragraphs than furniture: a
        # conversation's "Got it." near the end is not a footer.
        prose_after = [0] * (len(lines) + 1)
        furniture_after = [0] * (len(lines) + 1)
        for i in range(len(lines) - 1, -1, -1):
            prose_after[i] = prose_after[i + 1] + (kinds[i] == "prose")
            furniture_after[i] = furniture_after[i + 1] + (kinds[i] in ("furniture", "menu"))
        end, seen = len(lines), 0
        for i in range(first, len(lines)):
            if kinds[i] == "prose":
                seen += _words(lines[i])
            elif kinds[i] in ("furniture", "menu") and (
                ((words_total - seen) < 0.25 * seen and furniture_after[i] >= prose_after[i])
                or (_is_list_header(lines[i]) and (words_total - seen) < seen)
            ):
                end = i
                break
        # After the last paragraph the article goes on only in short lines
        # (a table of results, a list of names, sources, credits) up to the
        # first furniture line.
        last = max(p for p in prose if p < end)
        end = next((i for i in range(last + 1, end) if kinds[i] in ("furniture", "menu")), end)
        in_list = 0
        for i in range(start, end):
            k, line = kinds[i], lines[i]
            if k in ("furniture", "menu", "site"):
                if k == "furniture" and _is_list_header(line) and i > first:
                    in_list = 10
                continue
            if in_list and k == "short":
                in_list -= 1
                continue
            if k == "prose":
                in_list = 0
            keep[i] = k != "blank"

    # Metadata lines: credits anywhere, bylines and date lines near the top.
    seen_lines = 0
    for i in range(start, end):
        if not keep[i] or not lines[i].strip():
            continue
        line = lines[i].strip()
        seen_lines += 1
        pub = published_in(line)
        if pub is not None:
            cut.publication = pub[0]
            cut.published = cut.published or pub[1]
            cut.credits.append(line)
            keep[i] = False
        elif kinds[i] in ("short", "prose") and is_credit(line) and i > (prose[0] if prose else -1):
            cut.credits.append(line)
            keep[i] = False
        elif seen_lines <= _HEADER_META and kinds[i] == "short":
            author = find_byline(line)
            if author:
                cut.author = cut.author or author
                keep[i] = False
            elif is_date_only(line):
                cut.published = cut.published or find_date(line)
                keep[i] = False
                # A name alone on the line above the date is the byline
                # ("Meera Sethi" / "Friday, February 7, 2025").
                above = next((j for j in range(i - 1, start - 1, -1) if lines[j].strip()), None)
                if above is not None and keep[above] and _name_line(lines[above]):
                    cut.author = cut.author or lines[above].strip()
                    keep[above] = False

    # The headline.
    header = [i for i in range(start, prose[0] if prose else end) if keep[i] and lines[i].strip()]
    # A page (its furniture shows it) has chrome above the headline; a clean
    # text (a saved article, a transcript) starts with its own lines.
    page = sum(k in ("furniture", "menu", "site") for k in kinds) >= 2
    cut.title = title.strip() or _choose_title(lines, header, site_lines, page)
    head = next((i for i in header if same_text(lines[i], cut.title)), None) if cut.title else None
    if head is None and title.strip() and prose:
        # The source named the headline but the text does not print it: short
        # lines above the first paragraph without a stop word ("News
        # Example", "World") are the site's chrome, not the article.
        for i in header:
            if _menu_item(lines[i]) or (
                _words(lines[i]) <= 4 and stop_density(lines[i]) == 0.0 and not find_date(lines[i])
            ):
                keep[i] = False
    if head is not None and page:
        # The body starts at the headline: above it is site chrome (the site's
        # name, a section label, a kicker); a section label right above it
        # names the section.
        above = [i for i in header if i < head]
        if above and _menu_item(lines[above[-1]]) and not cut.section:
            cut.section = lines[above[-1]].strip()
        for i in above:
            if _words(lines[i]) <= 4 and stop_density(lines[i]) == 0.0:
                keep[i] = False
    if cut.title:
        # Repeats of the headline around the article go; a heading inside it
        # that happens to say the same ("Antonín Dvořák") stays.
        # The article proper starts at its first full paragraph: a one-line
        # standfirst above it does not protect a repeat printed after it.
        lo = next((i for i in prose if _words(lines[i]) >= 40), prose[0]) if prose else end
        hi = prose[-1] if prose else end
        found = False
        for i in range(len(lines)):
            if (
                keep[i]
                and len(lines[i]) <= _SHORT_CHARS
                and same_text(lines[i], cut.title)
                and not lo <= i <= hi
            ):
                if found:
                    keep[i] = False
                found = True
    body = [
        line for i, line in enumerate(lines) if keep[i] or (start <= i < end and not line.strip())
    ]
    cut.body = re.sub(r"\n{3,}", "\n\n", "\n".join(body)).strip()
    cut.dropped = sum(1 for i, line in enumerate(lines) if line.strip() and not keep[i])
    return cut


def title_like(line: str) -> bool:
    n = _words(line)
    stripped = line.rstrip()
    if not 1 <= n <= 30 or (is_prose(line) and not stripped.endswith("?")):
        return False
    if stripped.endswith("."):
        # An all-capitals wire headline ends with a full stop; a sentence is
        # not a headline.
        letters = [c for c in stripped if c.isalpha()]
        return n <= 20 and sum(c.isupper() for c in letters) > 0.8 * len(letters)
    return not stripped.endswith((",", ";"))


def _choose_title(
    lines: list[str], header: list[int], site_lines: dict[int, tuple[str, str, str]], page: bool
) -> str:
    candidates = [i for i in header if title_like(lines[i])]
    keys = _short_keys(lines)
    for parsed in site_lines.values():
        for i in candidates:
            if same_text(lines[i], parsed[0]):
                return lines[i].strip()
    # A headline printed twice at the top (the page's heading under a window
    # title or a breadcrumb); a line repeated further down, such as two
    # authors' shared affiliation, is not one.
    for i in candidates[:2]:
        if keys[same_key(lines[i])] >= 2 and _words(lines[i]) >= 2:
            return lines[i].strip()
    # On a page a headline says something (four words or more, not a date):
    # shorter lines above it are the site's name or a section label. A clean
    # text's first line is its title, a name or a place.
    for enough in (4, 2) if page else (2,):
        chosen = [
            i for i in candidates if _words(lines[i]) >= enough and not is_date_only(lines[i])
        ]
        if chosen:
            return lines[chosen[0]].strip()
    if candidates and candidates[0] == header[0]:
        return lines[candidates[0]].strip()
    if site_lines:
        return site_lines[min(site_lines)][0]
    return ""
