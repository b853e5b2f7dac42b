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


def read_html(data: bytes, name: str, fmt: str = "html") -> RawArticle:
    text, encoding = decode(data, name, _declared_charset(data))
    text = _NOT_XML.sub("", text)
    if "<" not in text:
        raise IngestError(f"{name}: not an HTML page (no markup)")
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
