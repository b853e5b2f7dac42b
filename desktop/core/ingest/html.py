"""Saved web pages (.html, .htm): main content and metadata with trafilatura.

Nothing is fetched. trafilatura is given the page as a string, never a URL, and
is asked for text only (no images, no links to follow); the fallback parser is
lxml with network access disabled. Scripts, styles, forms and embedded objects
never reach the body: trafilatura drops them, and the fallback removes them
before taking the text.
"""

from __future__ import annotations

import logging
import re
from io import BytesIO
from typing import Any

import trafilatura
from lxml import etree
from lxml import html as lxml_html

from desktop.core.ingest import IngestError, RawArticle
from desktop.core.ingest.clean import decode
from desktop.core.ingest.metadata import find_byline, parse_date
from desktop.core.ingest.text import finish

# trafilatura logs every page it finds too short at WARNING; our own messages
# say what went wrong with a file.
logging.getLogger("trafilatura").setLevel(logging.ERROR)
logging.getLogger("htmldate").setLevel(logging.ERROR)

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
# Never text: code, embedded objects, media, form controls.
_NOT_TEXT = (
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
    "form", "button", "select", "input", "textarea", "img", "picture", "video", "audio",
    "source", "link", "meta",
)  # fmt: skip
# Text, but page structure around the article rather than the article.
_DROP_TAGS = (*_NOT_TEXT, "nav", "header", "footer", "aside", "figure")
_BLOCK_TAGS = {
    "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th",
    "section", "article", "blockquote", "pre", "dd", "dt", "table", "ul", "ol", "main",
}  # fmt: skip


def _declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii", "replace") if match else None


def _parser() -> lxml_html.HTMLParser:
    return lxml_html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)


def fallback_text(html: str, drop: tuple[str, ...] = _DROP_TAGS) -> str:
    """Visible text of a page, one block element per line, without scripts
    (and without the ``drop`` elements: by default menus, headers, footers)."""
    try:
        tree = lxml_html.parse(BytesIO(html.encode("utf-8")), _parser()).getroot()
    except (etree.ParserError, ValueError):
        return ""
    if tree is None:
        return ""
    for el in list(tree.iter(*drop)):
        if el.getparent() is not None:
            el.drop_tree()
    for el in tree.iter():
        if isinstance(el.tag, str) and el.tag in _BLOCK_TAGS:
            el.tail = "\n" + (el.tail or "")
            if el.tag != "br":
                el.text = "\n" + (el.text or "")
    body = tree.find("body")
    return (body if body is not None else tree).text_content()


def _meta(tree: Any, *names: str) -> str:
    for name in names:
        for attr in ("property", "name", "itemprop"):
            found = tree.xpath(f'//meta[@{attr}="{name}"]/@content')
            if found and found[0].strip():
                return str(found[0]).strip()
    return ""


# Characters XML cannot hold. lxml parses a page that has one (a stray \x1a
# from a damaged save) but refuses to set it as text later; never visible.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


# Above this many characters a page is no saved article but a dump: its text
# is taken in one streaming pass (no tree, no main-content heuristics, which
# are slower than linear and need several copies of the page in memory).
LARGE_PAGE_CHARS = 4_000_000
_VOID = {"br", "hr", "img", "input", "meta", "link", "source", "embed", "wbr", "area", "col"}


class _StreamText:
    """lxml parser target: the visible text of a page, one block per line,
    without building a tree. Memory is the text kept, whatever the markup."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.title: list[str] = []
        self.meta: dict[str, str] = {}
        self.lang = ""
        self._hidden = 0
        self._in_title = False

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        tag = tag.lower() if isinstance(tag, str) else ""
        if tag == "html":
            self.lang = attrib.get("lang", "")
        elif tag == "meta":
            key = attrib.get("property") or attrib.get("name") or attrib.get("itemprop")
            if key and attrib.get("content") and key not in self.meta:
                self.meta[key] = attrib["content"].strip()
        elif tag == "link" and attrib.get("rel") == "canonical":
            self.meta.setdefault("canonical", attrib.get("href", ""))
        elif tag == "title":
            self._in_title = True
        if tag in _DROP_TAGS and tag not in _VOID:
            self._hidden += 1
        elif tag in _BLOCK_TAGS and not self._hidden:
            self.parts.append("\n")

    def end(self, tag: str) -> None:
        tag = tag.lower() if isinstance(tag, str) else ""
        if tag == "title":
            self._in_title = False
        if tag in _DROP_TAGS and tag not in _VOID:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCK_TAGS and not self._hidden:
            self.parts.append("\n")

    def data(self, text: str) -> None:
        if self._in_title:
            self.title.append(text)
        elif not self._hidden:
            self.parts.append(text)

    def comment(self, text: str) -> None:
        pass

    def close(self) -> str:
        return "".join(self.parts)


def _read_large_page(text: str, data: bytes, name: str, fmt: str, encoding: str) -> RawArticle:
    target = _StreamText()
    parser = etree.HTMLParser(target=target, no_network=True, remove_comments=True)
    step = 1 << 20
    for i in range(0, len(text), step):
        parser.feed(text[i : i + step])
    body = parser.close()
    meta = target.meta
    url = meta.get("canonical") or meta.get("og:url", "")
    return finish(
        body,
        original=data,
        fmt=fmt,
        name=name,
        title=meta.get("og:title") or "".join(target.title).strip(),
        author=meta.get("author", ""),
        publication=meta.get("og:site_name", ""),
        published=parse_date(
            meta.get("article:published_time") or meta.get("datePublished") or meta.get("date")
        ),
        url=url if url.startswith(("http://", "https://")) else "",
        language=target.lang.split("-")[0].lower(),
        extra={"encoding": encoding, "extractor": "large page"},
        strip=True,
    )


def read_html(data: bytes, name: str, fmt: str = "html") -> RawArticle:
    text, encoding = decode(data, name, _declared_charset(data))
    text = _NOT_XML.sub("", text)
    if "<" not in text:
        raise IngestError(f"{name}: not an HTML page (no markup)")
    if len(text) > LARGE_PAGE_CHARS:
        return _read_large_page(text, data, name, fmt, encoding)
    doc = trafilatura.bare_extraction(
        text,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        favor_recall=True,
    )
    body = getattr(doc, "text", "") or "" if doc is not None else ""
    extra: dict[str, object] = {"encoding": encoding}
    try:
        tree = lxml_html.fromstring(text.encode("utf-8"), parser=_parser())
        canonical = tree.xpath('//link[@rel="canonical"]/@href')
        lang = tree.xpath("//html/@lang")
    except (etree.ParserError, ValueError):
        tree, canonical, lang = None, [], []
    # trafilatura puts one block per line; a blank line between paragraphs is
    # how every other reader separates them.
    body = body.replace("\n", "\n\n")
    strip = True
    if len(body.split()) < 20:
        # trafilatura found no article (a very short page, or unusual markup):
        # take the visible text and let the plain-text furniture rules cut it.
        fallback = fallback_text(text)
        if len(fallback.split()) > len(body.split()):
            body, strip = fallback, True
            extra["extractor"] = "fallback"
    title = (getattr(doc, "title", "") or "") if doc is not None else ""
    if not title and tree is not None:
        title = _meta(tree, "og:title") or (tree.findtext(".//title") or "")
    url = (getattr(doc, "url", "") or "") if doc is not None else ""
    if not url and tree is not None:
        url = canonical[0] if canonical else _meta(tree, "og:url")
    for key in ("description", "categories", "tags", "sitename", "hostname"):
        value = getattr(doc, key, None) if doc is not None else None
        if value:
            extra[key] = value
    published = parse_date(getattr(doc, "date", None) if doc is not None else None)
    if published is None and tree is not None:
        published = parse_date(
            _meta(tree, "article:published_time", "datePublished", "date", "pubdate")
        )
    author = (getattr(doc, "author", "") or "") if doc is not None else ""
    if not author:
        # A byline the extractor left out ("Posted on ... by Name").
        visible = fallback_text(text, _NOT_TEXT).split("\n")
        author = next((a for a in map(find_byline, visible[:80]) if a), "")
    return finish(
        body,
        original=data,
        fmt=fmt,
        name=name,
        title=title,
        author=author,
        publication=(getattr(doc, "sitename", "") or "") if doc is not None else "",
        published=published,
        url=url if url.startswith(("http://", "https://")) else "",
        language=(lang[0].split("-")[0].lower() if lang else "")
        or ((getattr(doc, "language", "") or "") if doc is not None else ""),
        extra=extra,
        strip=strip,
    )
