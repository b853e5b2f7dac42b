"""Plain text, Markdown and pasted text; and :func:`finish`, which every reader
uses to turn extracted text into a clean body with best-guess metadata."""

from __future__ import annotations

import datetime as dt
import re

from desktop.core.ingest import IngestError, RawArticle
from desktop.core.ingest.boilerplate import is_prose, title_like
from desktop.core.ingest.clean import clean_text, decode
from desktop.core.ingest.metadata import (
    date_from_dateline,
    find_byline,
    find_date,
    find_dateline,
    guess_language,
    parse_date,
)
from desktop.core.ingest.page import cut_page

_HEADER_LINES = 8


def finish(
    text: str,
    *,
    original: bytes,
    fmt: str,
    name: str,
    title: str = "",
    author: str = "",
    publication: str = "",
    published: dt.date | None = None,
    url: str = "",
    language: str = "",
    extra: dict[str, object] | None = None,
    strip: bool = True,
    title_from_body: bool = True,
) -> RawArticle:
    """Clean ``text`` into a body and fill the metadata the source lacked.

    With ``strip``, :func:`page.cut_page` separates the article from the page
    around it and finds the headline and the page's own metadata (site, date,
    byline, credits). The headline stays the first line of the body, where its
    names are found like any others; repeats of it go. Bylines, dates and a
    dateline ("LAHORE, March 3 —") near the top fill what is still missing:
    author, publication date and ``extra["dateline"]``.
    """
    extra = dict(extra or {})
    body = clean_text(text)
    title = clean_text(title).replace("\n", " ")
    if strip:
        cut = cut_page(body, title)
        body = cut.body
        if cut.dropped:
            extra["furniture_lines_dropped"] = cut.dropped
        if title_from_body or title:
            title = cut.title
        publication = publication or cut.publication
        author = author or cut.author
        published = published or cut.published
        if cut.section:
            extra["section"] = cut.section
        if cut.credits:
            extra["credits"] = cut.credits
    elif not title and title_from_body:
        # The headline stays the first line of the body: its names are part
        # of the article.
        head = next((line.strip() for line in body.split("\n") if line.strip()), "")
        if title_like(head) and not is_prose(head) and len(body) > len(head):
            title = head
    body = body.strip()
    if not body:
        raise IngestError(f"{name}: no article text found")

    top = [line for line in body.split("\n") if line.strip()][:_HEADER_LINES]
    if not author:
        author = next((a for a in map(find_byline, top) if a), "")
    if published is None:
        published = next(
            (d for d in (find_date(line) for line in top if not is_prose(line)) if d), None
        )
    first_para = next((line for line in top if is_prose(line)), "")
    dateline = find_dateline(first_para) if first_para else None
    if dateline:
        extra["dateline"] = dateline["place"]
        if dateline["agency"]:
            extra["agency"] = dateline["agency"]
        if published is None:
            # "LAHORE, March 3 —": the year from the nearest full date. A date
            # merely mentioned in the story ("the 2016 attack") is not used as
            # the publication date on its own.
            published = date_from_dateline(dateline, find_date(body[:3000]))
    return RawArticle(
        body=body,
        original=original,
        format=fmt,
        title=title,
        publication=publication.strip(),
        author=author.strip(),
        published=published,
        url=url.strip(),
        source_path=name,
        language=language or guess_language(body),
        extra=extra,
    )


_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)
_MD_RULES = [
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links keep their text
    (re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$", re.M), r"\1"),  # ATX headings
    (re.compile(r"^\s{0,3}(?:=+|-{3,}|\*{3,}|_{3,})\s*$", re.M), ""),  # rules, setext
    (re.compile(r"^\s{0,3}>\s?", re.M), ""),  # quotes
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),
    (re.compile(r"(?<![\w*])([*_])(?!\s)(.+?)(?<!\s)\1(?![\w*])"), r"\2"),
    (re.compile(r"`([^`]*)`"), r"\1"),
    (re.compile(r"<[^>\n]+>"), ""),  # inline HTML tags
]


def markdown_to_text(text: str) -> tuple[str, dict[str, str], str]:
    """(plain text, front-matter fields, first level-1 heading)."""
    fields: dict[str, str] = {}
    match = _FRONT_MATTER.match(text)
    if match:
        for line in match.group(1).splitlines():
            key, sep, value = line.partition(":")
            if sep:
                fields[key.strip().lower()] = value.strip().strip("'\"")
        text = text[match.end() :]
    heading = re.search(r"^\s{0,3}#\s+(.+?)\s*#*\s*$", text, re.M)
    setext = re.search(r"^(\S[^\n]*)\n=+\s*$", text, re.M)
    title = (heading or setext).group(1).strip() if (heading or setext) else ""
    for pattern, repl in _MD_RULES:
        text = pattern.sub(repl, text)
    return text, fields, title


def read_text(data: bytes, name: str, fmt: str = "txt") -> RawArticle:
    """A ``.txt`` or ``.md`` file."""
    text, encoding = decode(data, name)
    extra: dict[str, object] = {"encoding": encoding}
    if fmt != "md":
        return finish(text, original=data, fmt=fmt, name=name, extra=extra)
    plain, fields, heading = markdown_to_text(text)
    return finish(
        plain,
        original=data,
        fmt=fmt,
        name=name,
        title=fields.get("title") or heading,
        author=fields.get("author", ""),
        publication=fields.get("publication", "") or fields.get("source", ""),
        published=parse_date(fields.get("date")),
        url=fields.get("url", ""),
        language=fields.get("lang", "") or fields.get("language", ""),
        extra=extra,
    )


def read_pasted(text: str, *, title: str = "", source: str = "clipboard") -> RawArticle:
    """Text pasted from the clipboard; the original is its UTF-8 encoding."""
    original = text.encode("utf-8", "surrogatepass")
    if not text.strip():
        raise IngestError(f"{source}: the pasted text is empty")
    return finish(text, original=original, fmt="paste", name=source, title=title)
